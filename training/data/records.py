"""Traceable batches: which documents and token ranges made up each sequence of each step.

``OUT/batches/rank-R.jsonl`` holds one JSON object per optimizer step::

    {"step": N, "sequences": [[[document_id, start, end], ...], ...]}

one inner list per sequence the rank trained on in that step (its micro-batches in order), each
``[document_id, start, end]`` a token range of the document as stored in the shards (an MLM+NSP
sequence lists its two segments). No tokens and no text: a line costs a few dozen bytes per
sequence, and a loss spike at step N is traced with :func:`read_batch_records` and the shards.
Lines are flushed as written; a resumed run first drops the steps after its checkpoint
(:meth:`BatchRecordWriter.truncate_after`), so the file never holds a step twice.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

Record = Sequence  # (document_id: str, start: int, end: int)


def _check_sequences(sequences: Any, where: str) -> list[list[list]]:
    if not isinstance(sequences, list):
        raise ValueError(f"{where}: 'sequences' must be a list, got {type(sequences).__name__}")
    out = []
    for i, seq in enumerate(sequences):
        if not isinstance(seq, (list, tuple)):
            raise ValueError(f"{where}: sequence {i} must be a list of [document_id, start, end]")
        ranges = []
        for rec in seq:
            if (not isinstance(rec, (list, tuple)) or len(rec) != 3 or not isinstance(rec[0], str)
                    or not all(isinstance(x, int) and not isinstance(x, bool) for x in rec[1:]) or not
                    0 <= rec[1] <= rec[2]):
                raise ValueError(f"{where}: sequence {i} has {rec!r}, expected [document_id, start, end] with "
                                 "0 <= start <= end")
            ranges.append([rec[0], rec[1], rec[2]])
        out.append(ranges)
    return out


class BatchRecordWriter:
    """Appends step records to ``path`` (created with its directory)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "a", encoding="utf-8")

    def write(self, step: int, sequences: Iterable[Iterable[Record]]) -> None:
        if not isinstance(step, int) or isinstance(step, bool) or step < 0:
            raise ValueError(f"batch record step must be a non-negative int, got {step!r}")
        seqs = _check_sequences([list(s) for s in sequences], f"step {step}")
        self._file.write(json.dumps({"step": step, "sequences": seqs}, separators=(",", ":")) + "\n")
        self._file.flush()

    def truncate_after(self, step: int) -> None:
        """Keep only the records of steps ``<= step`` (a resume from the checkpoint of ``step``)."""
        self._file.close()
        kept = [r for r in read_batch_records(self.path) if r["step"] <= step]
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            for r in kept:
                f.write(json.dumps(r, separators=(",", ":")) + "\n")
        os.replace(tmp, self.path)
        self._file = open(self.path, "a", encoding="utf-8")

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> BatchRecordWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_batch_records(path: str | os.PathLike) -> list[dict]:
    """Every record of ``path`` in file order; a malformed line raises naming the file and line.

    A last line without its newline (a crash mid-write) is ignored: it was never a complete step.
    """
    out = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines[:-1], start=1):  # the text after the last newline is incomplete
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{where}: not JSON ({e})") from None
        if not isinstance(obj, dict) or set(obj) != {"step", "sequences"}:
            raise ValueError(f"{where}: expected an object with 'step' and 'sequences'")
        if not isinstance(obj["step"], int) or obj["step"] < 0:
            raise ValueError(f"{where}: 'step' must be a non-negative int, got {obj['step']!r}")
        out.append({"step": obj["step"], "sequences": _check_sequences(obj["sequences"], where)})
    return out


def step_sequences(micro_batches: Iterable[dict]) -> list[list[tuple[str, int, int]]]:
    """The sequences of one optimizer step: the ``records`` of its micro-batches, concatenated."""
    return [list(seq) for batch in micro_batches for seq in batch["records"]]
