"""Kept rejects: a deterministic sample of dropped documents, per reason, for the report.

Sampling is by a hash of (reason, document id), not by a random draw, so a rerun keeps
the same examples and a document's fate does not depend on which worker saw it. Each
reason may also be capped, so one noisy rule cannot fill ``rejected/`` by itself.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from corpus.document import Document

DEFAULT_SAMPLE_RATE = 0.01
# Reasons whose every document is kept under rejected/: failures, not judgements.
ALWAYS_KEPT = {"extract:error": 1.0}
# Characters of text kept per sampled reject: enough for a person to judge the rule.
DEFAULT_MAX_TEXT_CHARS = 2000


@dataclass(frozen=True)
class RejectSampleConfig:
    rate: float = DEFAULT_SAMPLE_RATE
    # Per-reason overrides, e.g. {"dedup:exact": 0.001}. Pages an extractor failed on are all kept.
    rate_by_reason: Mapping[str, float] = field(default_factory=lambda: dict(ALWAYS_KEPT))
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS

    def __post_init__(self) -> None:
        for name, rate in [("rate", self.rate), *((f"rate_by_reason[{k!r}]", v)
                                                 for k, v in self.rate_by_reason.items())]:
            if not isinstance(rate, (int, float)) or not 0.0 <= rate <= 1.0:
                raise ValueError(f"RejectSampleConfig.{name} must be a number in [0, 1], got {rate!r}")
        if self.max_text_chars < 0:
            raise ValueError(f"RejectSampleConfig.max_text_chars must be >= 0, got {self.max_text_chars}")

    def rate_for(self, reason: str) -> float:
        return self.rate_by_reason.get(reason, self.rate)


def _unit_interval(reason: str, doc_id: str) -> float:
    digest = hashlib.blake2b(f"{reason}\x00{doc_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def should_keep_reject(doc_id: str, reason: str, config: RejectSampleConfig) -> bool:
    """True when this dropped document belongs to the kept sample for its reason."""
    rate = config.rate_for(reason)
    return rate >= 1.0 or (rate > 0.0 and _unit_interval(reason, doc_id) < rate)


def reject_record(doc: Document, reason: str, config: RejectSampleConfig) -> dict[str, Any]:
    """The JSON row written to ``rejected/``: the reason, provenance and a text excerpt."""
    text = doc.text[: config.max_text_chars]
    return {
        "reason": reason,
        "id": doc.id,
        "source": doc.source,
        "url": doc.url,
        "language": doc.meta.get("language"),
        "chars": len(doc.text),
        "text": text,
        "truncated": len(doc.text) > len(text),
        "detail": doc.meta.get("drop_detail"),
    }
