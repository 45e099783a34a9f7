"""What benchmarks/loader.py and loader_peers.py share: numpy and torch only, so it runs in either
environment — the peers' packing and the timing.

Documents (token arrays ending with eos) are concatenated and cut into batches of
``batch x seq_len``; each batch carries the tensors a causal-LM step needs, as this project's
loader makes them: input ids, labels, position ids restarting after every eos, attention mask.
"""

from __future__ import annotations

import functools
import gc
import itertools
import time

import numpy as np
import torch
from torch.utils.data import IterableDataset

EOS = 3


def pack_rows(flat: np.ndarray, batch: int, seq_len: int) -> dict:
    ids = torch.from_numpy(flat.astype(np.int64).reshape(batch, seq_len))
    after_eos = torch.zeros_like(ids, dtype=torch.bool)
    after_eos[:, 1:] = ids[:, :-1] == EOS
    idx = torch.arange(seq_len).expand(batch, seq_len)
    start = torch.where(after_eos, idx, torch.zeros_like(idx)).cummax(dim=1).values
    return {"input_ids": ids, "labels": ids.clone(), "position_ids": idx - start,
            "attention_mask": torch.ones_like(ids)}


def collate_blocks(items: list, batch: int, seq_len: int) -> dict:
    """For a loader that already cuts fixed blocks (litdata's TokensLoader): stack, then the same tensors."""
    return pack_rows(np.concatenate([np.asarray(x) for x in items]), batch, seq_len)


class Packer(IterableDataset):
    """Concatenate a document stream (after skipping ``skip`` documents) into packed batches."""

    def __init__(self, documents, batch: int, seq_len: int, skip: int = 0, key: str | None = None) -> None:
        super().__init__()
        self.documents, self.batch, self.seq_len, self.skip, self.key = documents, batch, seq_len, skip, key

    def __iter__(self):
        need, buf, have = self.batch * self.seq_len, [], 0
        for doc in itertools.islice(iter(self.documents), self.skip, None):
            doc = doc[self.key] if self.key else doc
            buf.append(doc)
            have += len(doc)
            while have >= need:
                flat = np.concatenate(buf)
                yield pack_rows(flat[:need], self.batch, self.seq_len)
                buf, have = [flat[need:]], have - need


def tokens_per_second(make_iter, batches: int) -> float:
    """Tokens/s from the first batch to the ``batches``-th (start-up excluded)."""
    it = make_iter()
    first = next(it)
    t0 = time.perf_counter()
    for _ in range(batches - 1):
        next(it)
    elapsed = time.perf_counter() - t0
    _close(it)
    return (batches - 1) * first["input_ids"].numel() / elapsed


def seconds_to_first_batch(make_iter) -> float:
    """From constructing the loader (``make_iter`` builds it) to its first batch, workers' start included."""
    t0 = time.perf_counter()
    it = make_iter()
    next(it)
    elapsed = time.perf_counter() - t0
    _close(it)
    return elapsed


def measure(make, batches: int, positions: dict[str, int], repeats: int) -> dict:
    """Best tokens/s over ``repeats`` runs of ``batches`` batches, and the best time to a first batch when
    started at each of ``positions`` (``make(position)`` builds the loader)."""
    out = {"tokens_per_s": max(tokens_per_second(functools.partial(make, 0), batches) for _ in range(repeats))}
    for name, position in positions.items():
        out[name] = min(seconds_to_first_batch(functools.partial(make, position)) for _ in range(repeats))
    return out


def _close(it) -> None:
    """Stop the loader's workers now, outside the timed part, not when the garbage collector gets to it."""
    shutdown = getattr(it, "_shutdown_workers", None)  # torch's multi-process DataLoader iterator
    if shutdown is not None:
        shutdown()
    close = getattr(it, "close", None)  # a generator wrapping one (this project's loader)
    if close is not None:
        close()
    del it
    gc.collect()
