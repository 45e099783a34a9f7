"""The counter protocol: every corpus function takes ``counter(name, n=1)``.

Corpus code never knows where counts go. The Beam wrappers pass one backed by
``Metrics.counter``; tests pass :class:`DictCounter` and assert exact values.
"""
from __future__ import annotations

from collections import Counter as _Tally
from typing import Protocol


class CounterFn(Protocol):
    def __call__(self, name: str, n: int = 1) -> None: ...


def noop_counter(name: str, n: int = 1) -> None:
    """The default: count nothing."""


class DictCounter:
    """Counts into a dict; for tests and for local tools that print a summary."""

    def __init__(self) -> None:
        self.counts: _Tally[str] = _Tally()

    def __call__(self, name: str, n: int = 1) -> None:
        self.counts[name] += n

    def __getitem__(self, name: str) -> int:
        return self.counts[name]

    def as_dict(self) -> dict[str, int]:
        """Non-zero counts, sorted by name, so two runs compare equal."""
        return {k: v for k, v in sorted(self.counts.items()) if v}

    def __repr__(self) -> str:
        return f"DictCounter({self.as_dict()!r})"


def drop_counter_name(reason: str) -> str:
    """The counter under which a dropped document is counted: ``dropped:<reason>``."""
    return f"dropped:{reason}"
