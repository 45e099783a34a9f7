"""Gopher's quality and repetition rules (Rae et al. 2021, arXiv:2112.11446, Table A1).

Defaults are the published thresholds; datatrove's ``gopher_quality_filter.py`` and
``gopher_repetition_filter.py`` were the reference for what each ratio divides by.
Deliberate differences from datatrove:

- words come from :func:`corpus.text.words.split_words` (script-aware, punctuation is no
  word), not NLTK/spaCy tokens, so "80 % of words have a letter" is not dragged down by
  comma tokens and CJK text is counted per character;
- blank lines are ignored by the line ratios (extractors put one between blocks);
- stop words match case-insensitively (The, THE); a language without a stop-word list
  skips that rule instead of failing it.

Repetition keeps datatrove's counting exactly: top n-grams count ``len(" ".join(gram))
* occurrences``; duplicated n-grams are found by one left-to-right scan that, after a
repeat, jumps ``n`` words ahead so overlapping repeats are counted once, and counts the
n-gram's characters without spaces. It is computed on 64-bit hashes of word ids with
numpy; the Python scan runs only when the characters of all repeated n-grams together
exceed the threshold (the scan counts no more than that), starts at the first repeat, and
stops once over the threshold, so ordinary text costs a few array operations per n.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import regex

from corpus.counters import CounterFn, noop_counter
from corpus.document import KEEP, Document, Verdict
from corpus.text.words import TextStats

MIN_WORDS = 50
MAX_WORDS = 100_000
MIN_MEAN_WORD_LENGTH = 3.0
MAX_MEAN_WORD_LENGTH = 10.0
MAX_SYMBOL_WORD_RATIO = 0.1
MAX_BULLET_LINES_RATIO = 0.9
MAX_ELLIPSIS_LINES_RATIO = 0.3
MIN_ALPHA_WORDS_RATIO = 0.8
MIN_STOP_WORDS = 2

BULLETS = ("•", "-", "*", "·", "‣", "◦", "▪", "●")
ELLIPSES = ("...", "…")

MAX_DUP_LINE_FRAC = 0.30
MAX_DUP_PARA_FRAC = 0.30
MAX_DUP_LINE_CHAR_FRAC = 0.20
MAX_DUP_PARA_CHAR_FRAC = 0.20
TOP_NGRAM_MAX_CHAR_FRAC = ((2, 0.20), (3, 0.18), (4, 0.16))
DUP_NGRAM_MAX_CHAR_FRAC = ((5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10))

_HAS_LETTER = regex.compile(r"\p{L}")
_HASH_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier: n-gram hashes wrap mod 2**64


def _check_fraction(owner: str, name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{owner}.{name} must be within [0, 1], got {value!r}")


@dataclass(frozen=True, slots=True)
class GopherQualityConfig:
    """Thresholds of the Gopher quality rules; ``stop_words=None`` skips the stop-word rule."""

    min_words: int = MIN_WORDS
    max_words: int = MAX_WORDS
    min_mean_word_length: float = MIN_MEAN_WORD_LENGTH
    max_mean_word_length: float = MAX_MEAN_WORD_LENGTH
    max_symbol_word_ratio: float = MAX_SYMBOL_WORD_RATIO
    max_bullet_lines_ratio: float = MAX_BULLET_LINES_RATIO
    max_ellipsis_lines_ratio: float = MAX_ELLIPSIS_LINES_RATIO
    min_alpha_words_ratio: float = MIN_ALPHA_WORDS_RATIO
    min_stop_words: int = MIN_STOP_WORDS
    stop_words: frozenset[str] | None = None

    def __post_init__(self) -> None:
        owner = type(self).__name__
        if self.min_words < 0:
            raise ValueError(f"{owner}.min_words must be >= 0, got {self.min_words!r}")
        if self.max_words < self.min_words:
            raise ValueError(f"{owner}.max_words must be >= min_words ({self.min_words}), got {self.max_words!r}")
        if self.min_mean_word_length < 0:
            raise ValueError(f"{owner}.min_mean_word_length must be >= 0, got {self.min_mean_word_length!r}")
        if self.max_mean_word_length < self.min_mean_word_length:
            raise ValueError(f"{owner}.max_mean_word_length must be >= min_mean_word_length "
                             f"({self.min_mean_word_length}), got {self.max_mean_word_length!r}")
        if self.max_symbol_word_ratio < 0:
            raise ValueError(f"{owner}.max_symbol_word_ratio must be >= 0, got {self.max_symbol_word_ratio!r}")
        for name in ("max_bullet_lines_ratio", "max_ellipsis_lines_ratio", "min_alpha_words_ratio"):
            _check_fraction(owner, name, getattr(self, name))
        if self.min_stop_words < 0:
            raise ValueError(f"{owner}.min_stop_words must be >= 0, got {self.min_stop_words!r}")
        if self.stop_words is not None:
            if isinstance(self.stop_words, str) or not all(isinstance(w, str) for w in self.stop_words):
                raise ValueError(f"{owner}.stop_words must be a set of str or None, got {self.stop_words!r}")
            # Match The and THE as well as the, without lower-casing every word of every document.
            variants = {v for w in self.stop_words for v in (w, w.lower(), w.capitalize(), w.upper())}
            object.__setattr__(self, "stop_words", frozenset(variants))


@dataclass(frozen=True, slots=True)
class GopherRepetitionConfig:
    """Thresholds of the Gopher repetition rules; n-gram thresholds are ``(n, max_char_fraction)``."""

    max_dup_line_frac: float = MAX_DUP_LINE_FRAC
    max_dup_para_frac: float = MAX_DUP_PARA_FRAC
    max_dup_line_char_frac: float = MAX_DUP_LINE_CHAR_FRAC
    max_dup_para_char_frac: float = MAX_DUP_PARA_CHAR_FRAC
    top_ngrams: tuple[tuple[int, float], ...] = TOP_NGRAM_MAX_CHAR_FRAC
    dup_ngrams: tuple[tuple[int, float], ...] = DUP_NGRAM_MAX_CHAR_FRAC

    def __post_init__(self) -> None:
        owner = type(self).__name__
        for name in ("max_dup_line_frac", "max_dup_para_frac", "max_dup_line_char_frac",
                     "max_dup_para_char_frac"):
            _check_fraction(owner, name, getattr(self, name))
        for name in ("top_ngrams", "dup_ngrams"):
            pairs = getattr(self, name)
            ns = [p[0] for p in pairs] if all(isinstance(p, tuple) and len(p) == 2 for p in pairs) else None
            if ns is None or any(not isinstance(n, int) or n < 1 for n in ns) or ns != sorted(set(ns)):
                raise ValueError(f"{owner}.{name} must be (n, fraction) pairs with increasing n >= 1, "
                                 f"got {pairs!r}")
            for n, frac in pairs:
                _check_fraction(owner, f"{name}[n={n}]", frac)


# ---- Gopher quality -------------------------------------------------------------------------

def check_gopher_quality(stats: TextStats, config: GopherQualityConfig) -> str | None:
    """The reason code of the first failing quality rule, or None. Order: as in Table A1."""
    words = stats.words
    n_words = len(words)
    if n_words < config.min_words:
        return "gopher:too_few_words"
    if n_words > config.max_words:
        return "gopher:too_many_words"
    if n_words == 0:  # only reachable with min_words=0; every ratio below divides by it
        return None
    mean_len = sum(map(len, words)) / n_words
    if not config.min_mean_word_length <= mean_len <= config.max_mean_word_length:
        return "gopher:mean_word_length"
    text = stats.text
    hashes = text.count("#")
    ellipses = text.count("...") + text.count("…")
    if max(hashes, ellipses) / n_words > config.max_symbol_word_ratio:
        return "gopher:symbol_ratio"
    lines = stats.lines
    if lines:
        bullets = sum(1 for line in lines if line.lstrip().startswith(BULLETS))
        if bullets / len(lines) > config.max_bullet_lines_ratio:
            return "gopher:bullet_lines"
        if sum(1 for line in lines if line.endswith(ELLIPSES)) / len(lines) > config.max_ellipsis_lines_ratio:
            return "gopher:ellipsis_lines"
    # Most words are pure letters; only the rest (numbers, 3rd, don't) need a closer look.
    no_letter = sum(1 for w in words if not w.isalpha() and _HAS_LETTER.search(w) is None)
    if (n_words - no_letter) / n_words < config.min_alpha_words_ratio:
        return "gopher:alpha_words"
    if config.stop_words is not None and config.min_stop_words > 0:
        if sum(map(config.stop_words.__contains__, words)) < config.min_stop_words:
            return "gopher:stop_words"
    return None


def gopher_quality(doc: Document, *, config: GopherQualityConfig,
                   counter: CounterFn = noop_counter) -> Verdict:
    """Gopher's quality heuristics on one document; counts nothing (the runner counts drops)."""
    reason = check_gopher_quality(TextStats(doc.text), config)
    return KEEP if reason is None else Verdict.drop(reason)


# ---- Gopher repetition ----------------------------------------------------------------------

def _duplicates(items: list[str]) -> tuple[int, int]:
    """(number of items seen before, their characters): every repeat after the first counts."""
    seen: set[str] = set()
    dup_items = dup_chars = 0
    for item in items:
        if item in seen:
            dup_items += 1
            dup_chars += len(item)
        else:
            seen.add(item)
    return dup_items, dup_chars


def _ngram_hashes(ids: np.ndarray, max_n: int) -> dict[int, np.ndarray]:
    """Hash of the n words starting at each position, for n = 1..max_n (uint64, wrapping)."""
    hashes = {1: ids}
    h = ids
    for n in range(2, max_n + 1):
        h = h[:-1] * _HASH_MULT + ids[n - 1:]
        hashes[n] = h
    return hashes


def _top_ngram_chars(h: np.ndarray, lengths: np.ndarray, n: int) -> int:
    """Characters of the most frequent n-gram (joined with spaces) times its count.

    Ties go to the n-gram seen first, as ``Counter.most_common`` does.
    """
    _, first, counts = np.unique(h, return_index=True, return_counts=True)
    top = counts.max()
    pos = int(first[counts == top].min())
    return (int(lengths[pos:pos + n].sum()) + n - 1) * int(top)


def _repeated_positions(h: np.ndarray) -> np.ndarray:
    """Positions whose n-gram already occurred at an earlier position."""
    _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    return np.flatnonzero(first[inverse] < np.arange(len(h)))


def _covered_chars(repeated: np.ndarray, lengths: np.ndarray, n: int) -> int:
    """Characters of the words inside any repeated n-gram: a bound on the scan below,
    whose hits never overlap. Cheap, so most documents skip the scan."""
    edges = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.add.at(edges, repeated, 1)
    np.add.at(edges, repeated + n, -1)
    return int(lengths[np.cumsum(edges[:-1]) > 0].sum())


def _dup_ngram_chars(h: np.ndarray, window_chars: np.ndarray, n: int, repeated: np.ndarray,
                     limit: float = math.inf) -> int:
    """datatrove's scan: a repeat adds its characters (no spaces) and skips n words ahead.

    Exact, but stops as soon as the count exceeds ``limit``.
    """
    if len(repeated) == 0:
        return 0
    start = int(repeated[0])  # before it the scan visits every position and finds nothing
    seen = set(h[:start].tolist())
    hs = h.tolist()
    chars = window_chars.tolist()
    total, idx, end = 0, start, len(hs)
    while idx < end:
        if hs[idx] in seen:
            total += chars[idx]
            if total > limit:
                break
            idx += n
        else:
            seen.add(hs[idx])
            idx += 1
    return total


def check_gopher_repetition(stats: TextStats, config: GopherRepetitionConfig) -> str | None:
    """The reason code of the first failing repetition rule, or None.

    Order (datatrove's): paragraphs, lines, top 2..4-grams, duplicated 5..10-grams.
    Character fractions divide by the length of the whole text.
    """
    n_chars = len(stats.text)
    if n_chars == 0:
        return None
    paragraphs = stats.paragraphs
    if paragraphs:
        dup, dup_chars = _duplicates(paragraphs)
        if dup / len(paragraphs) > config.max_dup_para_frac:
            return "gopher_rep:dup_para_frac"
        if dup_chars / n_chars > config.max_dup_para_char_frac:
            return "gopher_rep:dup_para_char_frac"
    lines = stats.lines
    if lines:
        dup, dup_chars = _duplicates([line.strip() for line in lines])
        if dup / len(lines) > config.max_dup_line_frac:
            return "gopher_rep:dup_line_frac"
        if dup_chars / n_chars > config.max_dup_line_char_frac:
            return "gopher_rep:dup_line_char_frac"
    words = stats.words
    max_n = max([n for n, _ in config.top_ngrams + config.dup_ngrams], default=0)
    if not words or max_n == 0:
        return None
    vocab: dict[str, int] = {}
    ids = np.fromiter((vocab.setdefault(w, len(vocab)) for w in words), dtype=np.uint64, count=len(words))
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    hashes = _ngram_hashes(ids, min(max_n, len(words)))
    for n, max_frac in config.top_ngrams:
        if n in hashes and _top_ngram_chars(hashes[n], lengths, n) / n_chars > max_frac:
            return f"gopher_rep:top_{n}gram"
    cum = np.concatenate(([0], np.cumsum(lengths)))
    for n, max_frac in config.dup_ngrams:
        if n not in hashes:
            continue
        repeated = _repeated_positions(hashes[n])
        if len(repeated) == 0:
            break  # no repeated n-gram: no longer one repeats either
        limit = max_frac * n_chars
        if (_covered_chars(repeated, lengths, n) > limit
                and _dup_ngram_chars(hashes[n], cum[n:] - cum[:-n], n, repeated, limit) > limit):
            return f"gopher_rep:dup_{n}gram"
    return None


def gopher_repetition(doc: Document, *, config: GopherRepetitionConfig,
                      counter: CounterFn = noop_counter) -> Verdict:
    """Gopher's repetition rules on one document; counts nothing (the runner counts drops)."""
    reason = check_gopher_repetition(TextStats(doc.text), config)
    return KEEP if reason is None else Verdict.drop(reason)
