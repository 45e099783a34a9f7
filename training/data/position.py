"""The data position, and the arithmetic that slices one epoch's examples into ranks' micro-batches.

An epoch is a fixed sequence of ``E`` examples (training/data/order.py and packing.py). The
position is ``(epoch, cursor)``: ``cursor`` examples of that epoch were consumed, by all ranks
together. Nothing in it depends on the number of ranks or workers, so a position saved by W ranks
resumes on W' ranks: the remaining examples ``[cursor, E)`` are simply cut into global batches of
the new size. Global micro-batch ``j`` after ``cursor`` covers examples
``[cursor + j*W*B, cursor + (j+1)*W*B)`` and rank ``r`` takes ``B`` of them, the ``r``-th block.
A remainder of an epoch smaller than one optimizer step (``W*B*grad_accum`` examples) is skipped;
:meth:`Schedule.dropped` counts it and the loader reports it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FINGERPRINT_CHARS = 16


def _non_negative_int(d: Mapping, key: str) -> int:
    value = d.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"data position field {key!r} must be a non-negative int, got {value!r}")
    return value


def order_fingerprint(*, manifest_sha256: str, split: str, seed: int, seq_len: int, objective: str,
                      shuffle_window: int) -> str:
    """A short hash of everything that fixes the example stream: a cursor means nothing under another."""
    key = json.dumps([manifest_sha256, split, seed, seq_len, objective, shuffle_window])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


@dataclass(frozen=True)
class DataPosition:
    """Where the data stream stands: saved with every checkpoint, all a resume needs on any world size.

    ``fingerprint`` identifies the stream (manifest, split, seed, seq_len, objective, shuffle window);
    a loader refuses a position whose fingerprint is not its own. ``""`` matches any stream (a
    hand-made position such as ``DataPosition(epoch=2)``).
    """

    epoch: int = 0
    cursor: int = 0
    seed: int = 0
    fingerprint: str = ""

    def __post_init__(self) -> None:
        _non_negative_int(self.__dict__, "epoch")
        _non_negative_int(self.__dict__, "cursor")
        _non_negative_int(self.__dict__, "seed")
        if not isinstance(self.fingerprint, str):
            raise ValueError(f"data position field 'fingerprint' must be a str, got {self.fingerprint!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "cursor": self.cursor, "seed": self.seed, "fingerprint": self.fingerprint}

    @classmethod
    def from_dict(cls, d: Any) -> DataPosition:
        if not isinstance(d, Mapping):
            raise ValueError(f"a data position must be a JSON object, got {type(d).__name__}")
        unknown = set(d) - {"epoch", "cursor", "seed", "fingerprint"}
        if unknown:
            raise ValueError(f"data position has unknown fields {sorted(unknown)}")
        return cls(epoch=_non_negative_int(d, "epoch"), cursor=_non_negative_int(d, "cursor"),
                   seed=_non_negative_int(d, "seed"), fingerprint=d.get("fingerprint", ""))


@dataclass(frozen=True)
class Schedule:
    """How ``examples`` per epoch are cut into micro-batches of ``batch_size`` on ``world_size`` ranks."""

    examples: int
    world_size: int
    batch_size: int
    grad_accum: int = 1

    def __post_init__(self) -> None:
        for name in ("world_size", "batch_size", "grad_accum"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        if self.examples < self.step_examples:
            raise ValueError(
                f"an epoch holds {self.examples} examples, fewer than one optimizer step needs "
                f"(world_size {self.world_size} x batch_size {self.batch_size} x grad_accum {self.grad_accum} = "
                f"{self.step_examples}); use fewer ranks, a smaller batch or a shorter seq_len")

    @property
    def global_batch(self) -> int:
        """Examples of one global micro-batch (all ranks)."""
        return self.world_size * self.batch_size

    @property
    def step_examples(self) -> int:
        return self.global_batch * self.grad_accum

    def micro_batches(self, cursor: int = 0) -> int:
        """Micro-batches per rank from ``cursor`` to the end of the epoch (whole optimizer steps only)."""
        return max(0, self.examples - cursor) // self.step_examples * self.grad_accum

    def dropped(self, cursor: int = 0) -> int:
        """Examples after ``cursor`` that the epoch skips: too few for another optimizer step."""
        return max(0, self.examples - cursor) - self.micro_batches(cursor) * self.global_batch

    def locate(self, start: DataPosition, n: int) -> DataPosition:
        """The position after ``n`` micro-batches from ``start``: the n-th micro-batch begins there."""
        if n < 0:
            raise ValueError(f"micro-batches consumed must be >= 0, got {n}")
        first = self.micro_batches(start.cursor)
        if n < first:
            return DataPosition(start.epoch, start.cursor + n * self.global_batch, start.seed, start.fingerprint)
        n -= first
        per_epoch = self.micro_batches(0)
        return DataPosition(start.epoch + 1 + n // per_epoch, n % per_epoch * self.global_batch, start.seed,
                            start.fingerprint)
