"""Unicode repair and whitespace normalisation: the first thing every text goes through.

ftfy repairs mojibake, HTML entities and control characters; then we normalise to NFC,
unify line endings, drop invisible characters that only hurt tokenisation, and normalise
whitespace, so that every later rule (line cleaning, quality filters, dedup) sees one
canonical spelling of the same text.

Deliberate choices (see :class:`UnicodeConfig`):

* ``uncurl_quotes=False``: the author's typographic quotes are text, not damage.
* ``fix_character_width=False``: ftfy would turn CJK fullwidth punctuation (，！？) into
  ASCII; Chinese and Japanese text keeps its own punctuation.
* ``fix_latin_ligatures=True``: ﬁ/ﬂ come from PDF extraction and split words for a tokenizer.
* ZWJ (U+200D) and ZWNJ (U+200C) are kept between two visible characters: they change
  meaning in Persian and Indic scripts and build emoji sequences; next to whitespace or at
  the edge of the text they join nothing and are removed. Zero-width space, word joiner, BOM, soft hyphen and
  invisible math operators are removed; bidi controls are removed unless configured not to
  (the logical order of RTL text does not depend on them; overrides can hide text).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import ftfy

from corpus.counters import CounterFn, noop_counter
from corpus.document import Document, Verdict

UNESCAPE_HTML = "auto"
MAX_DECODE_LENGTH = 1_000_000
# ftfy fixers that repair a wrong decoding; they count as ``clean:mojibake_fixed`` together
# with ftfy's encode/decode/transcode steps.
MOJIBAKE_FIXERS = frozenset({"decode_inconsistent_utf8", "replace_lossy_sequences", "restore_byte_a0",
                             "fix_c1_controls"})

# Invisible characters that carry no text: zero-width space, word joiner, invisible math
# operators (function application, times, separator, plus), BOM / zero-width no-break space,
# soft hyphen (a hyphenation hint that splits words for a tokenizer).
INVISIBLE_CHARS = "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"
# Bidirectional formatting: LRM, RLM, ALM, embeddings/overrides/pop, isolates.
BIDI_CONTROL_CHARS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# Every Unicode line/paragraph separator becomes "\n" (ftfy does most; we do not rely on it).
_LINE_BREAK_RE = re.compile("\r\n|[\r\u2028\u2029\u0085\x0b\x0c]")
# Tab and every space separator (category Zs) other than " " becomes " ".
_SPACE_CHARS = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
               "\u202f\u205f\u3000"
# One pass: a run holding any non-ASCII space, or two or more ASCII spaces, becomes " ".
_SPACE_RUN_RE = re.compile(f"[{_SPACE_CHARS}][ {_SPACE_CHARS}]*| [ {_SPACE_CHARS}]+")
_LINE_EDGE_SPACE_RE = re.compile(r" +(?=\n)|(?<=\n) +")
_BLANK_RUN_RE = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class UnicodeConfig:
    """Options for :func:`fix_unicode`; the defaults are the pipeline's choice."""

    unescape_html: str | bool = UNESCAPE_HTML
    fix_latin_ligatures: bool = True
    fix_character_width: bool = False
    uncurl_quotes: bool = True  # ftfy's default: curly and straight quotes fold to one form
    remove_bidi_controls: bool = True
    max_decode_length: int = MAX_DECODE_LENGTH
    _ftfy: ftfy.TextFixerConfig = field(init=False, repr=False, compare=False)
    _invisible_re: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.unescape_html not in ("auto", True, False):
            raise ValueError(f"UnicodeConfig.unescape_html must be 'auto', True or False, "
                             f"got {self.unescape_html!r}")
        for name in ("fix_latin_ligatures", "fix_character_width", "uncurl_quotes", "remove_bidi_controls"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"UnicodeConfig.{name} must be a bool, got {getattr(self, name)!r}")
        if not isinstance(self.max_decode_length, int) or self.max_decode_length < 1:
            raise ValueError(f"UnicodeConfig.max_decode_length must be a positive int, "
                             f"got {self.max_decode_length!r}")
        object.__setattr__(self, "_ftfy", ftfy.TextFixerConfig(
            unescape_html=self.unescape_html,
            fix_latin_ligatures=self.fix_latin_ligatures,
            fix_character_width=self.fix_character_width,
            uncurl_quotes=self.uncurl_quotes,
            normalization="NFC",
            max_decode_length=self.max_decode_length,
            explain=True,
        ))
        invisible = INVISIBLE_CHARS + (BIDI_CONTROL_CHARS if self.remove_bidi_controls else "")
        # A joiner next to whitespace or the text's edge joins nothing: it is stray, not Persian.
        stray_joiner = r"(?<!\S)[\u200c\u200d]+|[\u200c\u200d]+(?!\S)"
        object.__setattr__(self, "_invisible_re", re.compile(f"[{invisible}]+|{stray_joiner}"))


DEFAULT_UNICODE_CONFIG = UnicodeConfig()


def ftfy_fix(text: str, *, config: UnicodeConfig = DEFAULT_UNICODE_CONFIG,
             counter: CounterFn = noop_counter) -> str:
    """``ftfy.fix_text`` with our options, counting what ftfy did (once per text per kind).

    Same segmentation as ``ftfy.fix_text`` (line by line, so one bad line is fixed without
    re-decoding the rest; ``unescape_html="auto"`` switches off after the first ``<``),
    but with explanations on so the counters say *what* was fixed:
    ``clean:mojibake_fixed`` (a wrong decoding repaired), ``clean:ftfy_<fixer>`` for each
    other fixer (``unescape_html``, ``remove_control_chars``, ``fix_latin_ligatures``, ...).
    """
    ftfy_config = config._ftfy
    out: list[str] = []
    steps: set[str] = set()
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos) + 1 or len(text)
        end = min(end, pos + ftfy_config.max_decode_length)
        segment = text[pos:end]
        if ftfy_config.unescape_html == "auto" and "<" in segment:
            ftfy_config = ftfy_config._replace(unescape_html=False)
        fixed, explanation = ftfy.fix_and_explain(segment, ftfy_config)
        out.append(fixed)
        for action, name in explanation or ():
            if action in ("encode", "decode", "transcode") or name in MOJIBAKE_FIXERS:
                steps.add("mojibake_fixed")
            elif action == "apply":
                steps.add(f"ftfy_{name}")
        pos = end
    for step in sorted(steps):
        counter(f"clean:{step}")
    return "".join(out)


def normalize_line_endings(text: str) -> str:
    """\\r\\n, \\r, U+2028/2029, NEL, VT and FF all become \\n."""
    return _LINE_BREAK_RE.sub("\n", text)


def remove_invisible(text: str, *, config: UnicodeConfig = DEFAULT_UNICODE_CONFIG,
                     counter: CounterFn = noop_counter) -> str:
    """Drop the invisible characters of :data:`INVISIBLE_CHARS` (and bidi controls)."""
    cleaned = config._invisible_re.sub("", text)
    if len(cleaned) != len(text):
        counter("clean:invisible_removed", len(text) - len(cleaned))
    return cleaned


def normalize_whitespace(text: str) -> str:
    """Spaces unified and collapsed, lines trimmed, at most one blank line, text stripped.

    Expects line endings already normalised to \\n.
    """
    text = _SPACE_RUN_RE.sub(" ", text)
    text = _LINE_EDGE_SPACE_RE.sub("", text)
    return _BLANK_RUN_RE.sub("\n\n", text).strip()


def fix_unicode(text: str, *, config: UnicodeConfig = DEFAULT_UNICODE_CONFIG,
                counter: CounterFn = noop_counter) -> str:
    """ftfy repair, NFC, \\n line endings, invisible characters removed, whitespace normalised."""
    text = ftfy_fix(text, config=config, counter=counter)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = normalize_line_endings(text)
    text = remove_invisible(text, config=config, counter=counter)
    return normalize_whitespace(text)


def clean_unicode(doc: Document, *, config: UnicodeConfig = DEFAULT_UNICODE_CONFIG,
                  counter: CounterFn = noop_counter) -> Document | Verdict:
    """Stage: the document with its text repaired, or ``clean:empty`` if nothing is left."""
    text = fix_unicode(doc.text, config=config, counter=counter)
    if not text:
        return Verdict.drop("clean:empty")
    return doc if text == doc.text else doc.with_text(text)
