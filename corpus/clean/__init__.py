"""Text cleaning: Unicode repair → C4 line cleaning → optional PII masking.

Each step is a stage ``fn(doc, *, config, counter) -> Document | Verdict`` over the pure
text function next to it; :func:`clean` runs them in that order, stopping at the first drop.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus.clean.lines import DEFAULT_LINE_CONFIG, LineCleanConfig, clean_lines, clean_lines_stage
from corpus.clean.pii import DEFAULT_PII_CONFIG, PiiConfig, mask_pii, mask_pii_text
from corpus.clean.unicode import DEFAULT_UNICODE_CONFIG, UnicodeConfig, clean_unicode, fix_unicode
from corpus.counters import CounterFn, noop_counter
from corpus.document import Document, Verdict

__all__ = [
    "CleanConfig", "clean",
    "UnicodeConfig", "clean_unicode", "fix_unicode", "DEFAULT_UNICODE_CONFIG",
    "LineCleanConfig", "clean_lines_stage", "clean_lines", "DEFAULT_LINE_CONFIG",
    "PiiConfig", "mask_pii", "mask_pii_text", "DEFAULT_PII_CONFIG",
]


@dataclass(frozen=True)
class CleanConfig:
    """One config per step; ``None`` switches a step off. PII masking is off by default:
    whether to mask is a decision about the corpus, not a cleaning default."""

    unicode: UnicodeConfig | None = field(default_factory=UnicodeConfig)
    lines: LineCleanConfig | None = field(default_factory=LineCleanConfig)
    pii: PiiConfig | None = None

    def __post_init__(self) -> None:
        for name, kind in (("unicode", UnicodeConfig), ("lines", LineCleanConfig), ("pii", PiiConfig)):
            value = getattr(self, name)
            if value is not None and not isinstance(value, kind):
                raise ValueError(f"CleanConfig.{name} must be a {kind.__name__} or None, "
                                 f"got {type(value).__name__}")


DEFAULT_CLEAN_CONFIG = CleanConfig()


def clean(doc: Document, *, config: CleanConfig = DEFAULT_CLEAN_CONFIG,
          counter: CounterFn = noop_counter) -> Document | Verdict:
    """Unicode → lines → PII; the cleaned document or the first step's drop verdict."""
    result: Document | Verdict = doc
    if config.unicode is not None:
        result = clean_unicode(result, config=config.unicode, counter=counter)
        if isinstance(result, Verdict):
            return result
    if config.lines is not None:
        result = clean_lines_stage(result, config=config.lines, counter=counter)
        if isinstance(result, Verdict):
            return result
    if config.pii is not None:
        result = mask_pii(result, config=config.pii, counter=counter)
    return result
