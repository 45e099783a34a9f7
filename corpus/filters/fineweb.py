"""FineWeb's extra quality rules (Penedo et al. 2024; datatrove ``fineweb_quality_filter.py``).

They catch what Gopher and C4 let through on extracted web text: pages of menu items
and short lines, boilerplate lines repeated within a page, and lists (many line breaks
per word). Deliberate differences from datatrove: blank lines are not lines (extractors
put one between blocks, which would otherwise make every page half "short lines"), the
thresholds are inclusive bounds of what is kept, and "newlines" are the breaks between
non-blank lines.
"""
from __future__ import annotations

from dataclasses import dataclass

from corpus.counters import CounterFn, noop_counter
from corpus.document import KEEP, Document, Verdict
from corpus.text.words import TextStats

MIN_LINE_PUNCT_RATIO = 0.12
MAX_SHORT_LINE_RATIO = 0.67
SHORT_LINE_CHARS = 30
MAX_CHAR_DUP_RATIO = 0.01
MAX_NEWLINES_PER_WORD = 0.3
# datatrove's (. ' " ! ?) plus the full-width marks and closing quotes of CJK text.
LINE_END_PUNCTUATION = (".", "'", '"', "!", "?", "。", "！", "？", "”", "’", "」", "』", "»")


@dataclass(frozen=True, slots=True)
class FineWebConfig:
    """Thresholds of the FineWeb rules; each ratio is over non-blank lines."""

    min_line_punct_ratio: float = MIN_LINE_PUNCT_RATIO
    max_short_line_ratio: float = MAX_SHORT_LINE_RATIO
    short_line_chars: int = SHORT_LINE_CHARS
    max_char_dup_ratio: float = MAX_CHAR_DUP_RATIO
    max_newlines_per_word: float = MAX_NEWLINES_PER_WORD
    line_end_punctuation: tuple[str, ...] = LINE_END_PUNCTUATION

    def __post_init__(self) -> None:
        owner = type(self).__name__
        for name in ("min_line_punct_ratio", "max_short_line_ratio", "max_char_dup_ratio"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{owner}.{name} must be within [0, 1], got {value!r}")
        if self.short_line_chars < 0:
            raise ValueError(f"{owner}.short_line_chars must be >= 0, got {self.short_line_chars!r}")
        if self.max_newlines_per_word < 0:
            raise ValueError(f"{owner}.max_newlines_per_word must be >= 0, got {self.max_newlines_per_word!r}")
        punct = self.line_end_punctuation
        if not isinstance(punct, tuple) or not punct or not all(isinstance(p, str) and p for p in punct):
            raise ValueError(f"{owner}.line_end_punctuation must be a non-empty tuple of str, got {punct!r}")


def check_fineweb(stats: TextStats, config: FineWebConfig) -> str | None:
    """The reason code of the first failing FineWeb rule, or None.

    Order (datatrove's): line punctuation, short lines, duplicated line characters, lists.
    """
    lines = stats.lines
    if not lines:
        return None
    n_lines = len(lines)
    ended = sum(1 for line in lines if line.endswith(config.line_end_punctuation))
    if ended / n_lines < config.min_line_punct_ratio:
        return "fineweb:line_punct_ratio"
    short = sum(1 for line in lines if len(line) <= config.short_line_chars)
    if short / n_lines > config.max_short_line_ratio:
        return "fineweb:short_line_ratio"
    seen: set[str] = set()
    dup_chars = 0
    for line in lines:
        if line in seen:
            dup_chars += len(line)
        else:
            seen.add(line)
    if dup_chars and dup_chars / sum(map(len, lines)) > config.max_char_dup_ratio:
        return "fineweb:char_dup_ratio"
    n_words = len(stats.words)
    if n_words == 0 or (n_lines - 1) / n_words > config.max_newlines_per_word:
        return "fineweb:list_ratio"
    return None


def fineweb_filter(doc: Document, *, config: FineWebConfig, counter: CounterFn = noop_counter) -> Verdict:
    """FineWeb's quality rules on one document; counts nothing (the runner counts drops)."""
    reason = check_fineweb(TextStats(doc.text), config)
    return KEEP if reason is None else Verdict.drop(reason)
