"""C4's document rules (Raffel et al. 2020; TFDS ``c4_utils.py``), as whole-document filters.

C4 also deletes lines (no terminal punctuation, "javascript", cookie notices); that
rewrites text and belongs to cleaning, not here. What remains are the rules that drop a
whole page: too few sentences, a word over 1,000 characters, "lorem ipsum", a curly
brace (code), and a word from a bad-word list.

Bad-word lists are not shipped: ``C4Config.bad_words_files`` maps a language to a
UTF-8 file with one word or phrase per line, loaded once per process. Entries match
on word boundaries, except for languages written without spaces (zh, ja, th, ...),
where a boundary cannot be seen and a substring match is what C4 does too.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from corpus.counters import CounterFn, noop_counter
from corpus.document import KEEP, Document, Verdict
from corpus.text.words import TextStats

MIN_SENTENCES = 3
MAX_WORD_CHARS = 1000
LOREM_IPSUM = "lorem ipsum"
# Filler generators draw on a fixed pseudo-Latin vocabulary. These of its words are rare in
# real Latin prose, so several of them together mark filler even without "lorem ipsum".
LOREM_FILLER_WORDS = frozenset("""
    accumsan adipiscing aenean aliquam bibendum condimentum consectetur curabitur dapibus donec
    egestas eleifend euismod facilisis fermentum fringilla hendrerit imperdiet lacinia lobortis
    maecenas malesuada mauris morbi nullam pellentesque phasellus porttitor posuere praesent pulvinar
    rutrum sagittis scelerisque sollicitudin suspendisse tincidunt tristique ullamcorper ultricies
    vehicula venenatis vestibulum vivamus viverra vulputate
""".split())
LOREM_FILLER_MIN_DISTINCT = 5
LOREM_FILLER_MIN_FRACTION = 0.10
CURLY_BRACE = "{"
NO_WORD_BOUNDARY_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})


@dataclass(frozen=True, slots=True)
class C4Config:
    """Switches and thresholds of the C4 document rules."""

    min_sentences: int = MIN_SENTENCES
    max_word_chars: int = MAX_WORD_CHARS
    drop_lorem_ipsum: bool = True
    drop_curly_brace: bool = True
    bad_words_files: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if self.min_sentences < 0:
            raise ValueError(f"{owner}.min_sentences must be >= 0, got {self.min_sentences!r}")
        if self.max_word_chars < 1:
            raise ValueError(f"{owner}.max_word_chars must be >= 1, got {self.max_word_chars!r}")
        if not isinstance(self.bad_words_files, Mapping):
            raise ValueError(f"{owner}.bad_words_files must map language -> path, got {self.bad_words_files!r}")
        for lang, path in self.bad_words_files.items():
            if not isinstance(lang, str) or not lang or not isinstance(path, str) or not path:
                raise ValueError(f"{owner}.bad_words_files must map language -> path, got {lang!r}: {path!r}")
        object.__setattr__(self, "bad_words_files", MappingProxyType(dict(self.bad_words_files)))

    def __hash__(self) -> int:
        return hash((self.min_sentences, self.max_word_chars, self.drop_lorem_ipsum, self.drop_curly_brace,
                     tuple(sorted(self.bad_words_files.items()))))


@functools.lru_cache(maxsize=64)
def load_bad_words(path: str, language: str) -> re.Pattern[str] | None:
    """Compile the list at ``path`` into one pattern over lower-cased text; None if it is empty."""
    try:
        with open(path, encoding="utf-8") as f:
            entries = {line.strip().lower() for line in f}
    except OSError as e:
        raise OSError(f"C4 bad-word list for language {language!r}: cannot read {path}: {e}") from e
    entries.discard("")
    if not entries:
        return None
    # Longest first, so "bad word" wins over "bad" and the reported match is the whole phrase.
    alternatives = "|".join(re.escape(w) for w in sorted(entries, key=lambda w: (-len(w), w)))
    if language in NO_WORD_BOUNDARY_LANGUAGES:
        return re.compile(alternatives)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def is_lorem_filler(stats: TextStats) -> bool:
    """Generated filler without the words "lorem ipsum": many distinct filler-only words."""
    words = [w.lower() for w in stats.words]
    filler = [w for w in words if w in LOREM_FILLER_WORDS]
    return (len(set(filler)) >= LOREM_FILLER_MIN_DISTINCT
            and len(filler) >= LOREM_FILLER_MIN_FRACTION * max(1, len(words)))


def check_c4(stats: TextStats, config: C4Config, language: str | None = None) -> str | None:
    """The reason code of the first failing C4 rule, or None.

    Order: too few sentences, long word, lorem ipsum, curly brace, bad words.
    """
    text = stats.text
    if len(stats.sentences) < config.min_sentences:
        return "c4:too_few_sentences"
    if len(text) > config.max_word_chars and any(len(t) > config.max_word_chars for t in stats.whitespace_tokens):
        return "c4:long_word"
    lowered = None
    if config.drop_lorem_ipsum:
        lowered = text.lower()
        if LOREM_IPSUM in lowered or is_lorem_filler(stats):
            return "c4:lorem_ipsum"
    if config.drop_curly_brace and CURLY_BRACE in text:
        return "c4:curly_brace"
    path = config.bad_words_files.get(language) if language else None
    if path is not None:
        pattern = load_bad_words(path, language)
        if pattern is not None and pattern.search(text.lower() if lowered is None else lowered):
            return "c4:bad_words"
    return None


def c4_filter(doc: Document, *, config: C4Config, counter: CounterFn = noop_counter) -> Verdict:
    """C4's page rules on one document; the language for bad words is ``doc.meta["language"]``."""
    reason = check_c4(TextStats(doc.text), config, doc.meta.get("language"))
    return KEEP if reason is None else Verdict.drop(reason)
