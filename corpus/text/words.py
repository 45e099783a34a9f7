"""Split text into words, sentences, lines and paragraphs, for any script.

Quality rules count words, and MinHash shingles are built from them, so "a word" has
to mean something comparable across languages. Whitespace splitting fails for
languages written without spaces: a Chinese paragraph would be one "word". So a word
here is decided by Unicode script, with one compiled regex (the ``regex`` module, for
``\\p{Script}`` classes and Unicode ``\\w`` that includes combining marks, which
Devanagari or Thai vowel signs need):

- **Han and Hiragana**: every character is a word. A Chinese word is 1–2 characters on
  average and most Japanese particles (の は に を が) are one Hiragana character; a
  character is the unit a segmenter-free count can agree on, and character n-grams are
  what Chinese/Japanese near-duplicate detection uses anyway.
- **Katakana**: a run (with the long-vowel mark ー) is one word: it spells one
  loanword (コンピューター).
- **Thai, Lao, Khmer, Myanmar**: no spaces and no dictionary here (ICU would need a
  heavy dependency), so every grapheme cluster (a base letter with its marks) is a word,
  the analogue of a Han character.
- **Everything else** (Latin, Cyrillic, Greek, Hangul, Arabic, Devanagari, ...): a run
  of letters, marks and digits; an apostrophe inside a run (don't, l'homme) keeps it
  whole, and digits joined by ``.`` or ``,`` (3.14, 1,000) form one number. Punctuation
  and symbols are never words.

Per-character words make CJK word counts and mean word lengths differ from space-
separated languages; the quality rules handle that with per-language thresholds
(``corpus.filters.ruleset``) rather than by guessing word boundaries.
"""
from __future__ import annotations

import regex

_SPACELESS = r"\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_CJK_SINGLE = r"\p{Han}\p{Hiragana}"
_KATAKANA = r"\p{Katakana}\u30fc\u30fb"  # ー (long vowel) and ・ are Common, but belong to the run

_WORD_RE = regex.compile(
    rf"""
    [{_CJK_SINGLE}]                                   # one Han / Hiragana character
  | [{_KATAKANA}]+                                    # a Katakana run
  | [{_SPACELESS}]\p{{M}}*                            # one Thai/Lao/Khmer/Myanmar grapheme
  | \d+(?:[.,]\d+)+(?![\w])                           # a number with separators: 3.14, 1,000
  | [\w--[_{_CJK_SINGLE}{_KATAKANA}{_SPACELESS}]]+    # a run of letters, marks, digits
    (?:['’][\w--[_{_CJK_SINGLE}{_KATAKANA}{_SPACELESS}]]+)*
    """,
    regex.VERSION1 | regex.VERBOSE,
)

# A sentence ends at . ! ? (not an ellipsis) before a space or the end of the text, or at
# a full-width 。！？ anywhere; closing quotes and brackets after the mark belong to it.
# A fragment without such a mark (a heading, a menu item, "Loading...") is no sentence.
_SENTENCE_RE = regex.compile(
    r"""
    [^\s]                                       # a sentence starts at a non-space
    [^\n]*?                                     # and never spans a line break
    (?:
        (?<![.…])[.!?]+(?<!\.\.)["'”’»)\]]*(?=\s|$)
      | [。！？]+[」』”’)）]*
    )
    """,
    regex.VERSION1 | regex.VERBOSE,
)

_PARAGRAPH_BREAK_RE = regex.compile(r"\n[^\S\n]*\n\s*")


def split_words(text: str) -> list[str]:
    """The words of ``text`` in order, by the script-aware rules of this module."""
    return _WORD_RE.findall(text)


def count_words(text: str) -> int:
    """``len(split_words(text))``."""
    return len(_WORD_RE.findall(text))


def split_sentences(text: str) -> list[str]:
    """Complete sentences: text ending in a terminal mark; a sentence never spans lines."""
    return _SENTENCE_RE.findall(text)


def split_lines(text: str) -> list[str]:
    """Non-blank lines with trailing whitespace removed.

    Blank lines are layout (extractors put one between blocks), not content, so they
    take no part in line ratios.
    """
    return [line.rstrip() for line in text.split("\n") if line and not line.isspace()]


def split_paragraphs(text: str) -> list[str]:
    """Blocks separated by one or more blank lines, stripped; empty blocks are dropped."""
    return [p for p in (block.strip() for block in _PARAGRAPH_BREAK_RE.split(text)) if p]


class TextStats:
    """The splits of one text, each computed at most once and shared by every rule.

    Attributes are computed on first access: a document dropped by the first rule never
    pays for sentence splitting.
    """

    __slots__ = ("text", "_words", "_lines", "_paragraphs", "_sentences", "_ws_tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: list[str] | None = None
        self._lines: list[str] | None = None
        self._paragraphs: list[str] | None = None
        self._sentences: list[str] | None = None
        self._ws_tokens: list[str] | None = None

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = split_words(self.text)
        return self._words

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    @property
    def paragraphs(self) -> list[str]:
        if self._paragraphs is None:
            self._paragraphs = split_paragraphs(self.text)
        return self._paragraphs

    @property
    def sentences(self) -> list[str]:
        if self._sentences is None:
            self._sentences = split_sentences(self.text)
        return self._sentences

    @property
    def whitespace_tokens(self) -> list[str]:
        """``text.split()``: what C4 calls a word when it looks for over-long ones."""
        if self._ws_tokens is None:
            self._ws_tokens = self.text.split()
        return self._ws_tokens
