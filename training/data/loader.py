"""The rank- and worker-sliced stream of micro-batches, and the loaders the training loop iterates.

Every micro-batch is made by exactly one process from its global index alone: rank ``r``'s
micro-batch ``g`` (counted from the loader's start position) is made by data-loader worker
``g % K``, and torch's ``DataLoader`` returns workers' batches round-robin, so the loop sees them
in order. A worker seeks straight to its micro-batch's examples (training/data/order.py), so no
worker reads what another one makes, and a resumed loader starts where the position says without
reading anything before it. Shards do not limit the number of ranks or workers: one shard can feed
any number of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch.utils.data import DataLoader, IterableDataset, get_worker_info

from training.data.batch import EVAL_SEED, Objective, attach_block_mask, example_rng
from training.data.config import DataConfig
from training.data.nsp import TAG_NSP, nsp_example, span_length
from training.data.order import EpochOrder
from training.data.packing import num_examples, pack
from training.data.position import DataPosition, Schedule, order_fingerprint
from training.data.source import ShardReader, TrainingCorpus, open_training_corpus

EPOCH_ORDERS = 2  # epoch orders kept per process (a worker's batches may straddle an epoch end)


class Examples:
    """Example ``c`` of epoch ``e`` as a batch row, in whatever process this object lives in."""

    def __init__(self, corpus: TrainingCorpus, cfg: DataConfig, objective: Objective, *, shuffle: bool) -> None:
        self.corpus, self.cfg, self.objective, self.shuffle = corpus, cfg, objective, shuffle
        entries = corpus.shards(cfg.split)
        self.num_documents = np.array([e.num_documents for e in entries], dtype=np.int64)
        self.num_tokens = np.array([e.num_tokens for e in entries], dtype=np.int64)
        self.total_tokens = int(self.num_tokens.sum())
        if cfg.is_nsp and int(self.num_documents.sum()) < 2:
            raise ValueError(f"objective 'mlm+nsp' needs at least 2 documents in split {cfg.split!r} of "
                             f"{corpus.location} (B is drawn from another document half of the time)")
        span = span_length(cfg.seq_len) if cfg.is_nsp else cfg.seq_len
        self.count = num_examples(self.total_tokens, span)  # examples per epoch
        self._reader: ShardReader | None = None
        self._orders: dict[int, EpochOrder] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_reader": None, "_orders": {}}

    @property
    def reader(self) -> ShardReader:
        if self._reader is None:
            self._reader = ShardReader(self.corpus, self.cfg.split)
        return self._reader

    def order(self, epoch: int) -> EpochOrder:
        if epoch not in self._orders:
            self._orders[epoch] = EpochOrder(self.num_documents, self.num_tokens, self.reader.lengths,
                                             seed=self.cfg.seed, epoch=epoch, window=self.cfg.shuffle_window,
                                             shuffle=self.shuffle, prefetch=self.reader.prefetch)
            if len(self._orders) > EPOCH_ORDERS:
                self._orders.pop(min(self._orders))
        return self._orders[epoch]

    def warm(self, position: DataPosition) -> None:
        """Open and verify the shards of the window ``position`` starts in, here, before data-loader
        workers are forked: they inherit the checked shards instead of each hashing them again."""
        span = span_length(self.cfg.seq_len) if self.cfg.is_nsp else self.cfg.seq_len
        order = self.order(position.epoch)
        token = position.cursor * span
        if token < order.num_tokens:
            order.locate(token)

    def batch(self, epoch: int, first: int, count: int) -> dict:
        """Examples ``[first, first + count)`` as :func:`to_wire` sends them; rows at or past the
        epoch's end are padding."""
        return to_wire(self._batch(epoch, first, count))

    def _batch(self, epoch: int, first: int, count: int) -> dict:
        order = self.order(epoch)
        seed_key = (self.cfg.seed, epoch) if self.shuffle else (EVAL_SEED, 0)
        indices = list(range(first, first + count))
        if not self.cfg.is_nsp:
            packed = pack(order, self.reader, first, count, self.cfg.seq_len, self.objective.pad_id)
            return self.objective.packed_batch(packed, indices, seed_key)
        pairs = [nsp_example(order, self.reader, self.objective.vocab, c, self.cfg.seq_len,
                             example_rng(*seed_key, TAG_NSP, c)) if c < self.count else None for c in indices]
        return self.objective.nsp_batch(pairs, indices, seed_key)


WIRE_KEY = "_long_rows"


def to_wire(batch: dict) -> dict:
    """A batch as numpy arrays, its ``[B, L]`` int64 tensors stacked into one.

    DataLoader workers send tensors through shared memory, one segment per tensor, which costs more
    per batch than pickling the few hundred KB of a batch through the worker's pipe; and one array
    pickles faster than four. :func:`from_wire` undoes this without copying.
    """
    rows = tuple(k for k, v in batch.items() if torch.is_tensor(v) and v.dtype == torch.long and v.dim() == 2)
    wire = {k: v.numpy() if torch.is_tensor(v) else v for k, v in batch.items() if k not in rows}
    wire[WIRE_KEY] = (rows, torch.stack([batch[k] for k in rows]).numpy())
    return wire


def from_wire(wire: dict, *, causal: bool) -> dict:
    rows, block = wire.pop(WIRE_KEY)
    batch = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in wire.items()}
    tensor = torch.from_numpy(block)
    batch.update({k: tensor[i] for i, k in enumerate(rows)})
    return attach_block_mask(batch, causal=causal)


class RankStream(IterableDataset):
    """Rank ``rank``'s micro-batches from ``start``: endless for training, one pass for evaluation."""

    def __init__(self, examples: Examples, schedule: Schedule, rank: int, start: DataPosition,
                 num_batches: int | None = None) -> None:
        super().__init__()
        self.examples, self.schedule, self.rank, self.start = examples, schedule, rank, start
        self.num_batches = num_batches  # None: endless

    def __iter__(self) -> Iterator[dict]:
        info = get_worker_info()
        g, step = (info.id, info.num_workers) if info is not None else (0, 1)
        batch_size = self.schedule.batch_size
        while self.num_batches is None or g < self.num_batches:
            pos = self.schedule.locate(self.start, g)
            yield self.examples.batch(pos.epoch, pos.cursor + self.rank * batch_size, batch_size)
            g += step


@dataclass(frozen=True)
class OnePass:
    """Evaluation's schedule: global micro-batch ``g`` is examples ``[g*W*B, (g+1)*W*B)`` of epoch 0."""

    world_size: int
    batch_size: int

    @property
    def global_batch(self) -> int:
        return self.world_size * self.batch_size

    def locate(self, start: DataPosition, n: int) -> DataPosition:
        return DataPosition(0, n * self.global_batch)


@dataclass(frozen=True)
class EpochStats:
    """One epoch as this run cuts it. Padding is known in advance for clm/mlm (only the epoch's last
    sequence is padded); for mlm+nsp it depends on each pair and is ``None`` here (each batch's
    ``num_tokens`` against ``batch_size * seq_len`` gives it)."""

    epoch: int
    documents: int
    tokens: int
    sequences: int            # examples in the epoch
    seq_len: int
    micro_batches: int        # per rank, from the epoch's starting cursor
    steps: int                # optimizer steps
    dropped_sequences: int    # the remainder too small for an optimizer step, skipped
    padding_tokens: int | None
    padding_fraction: float | None

    def to_dict(self) -> dict:
        return asdict(self)


def _check_rank(rank: int, world_size: int) -> None:
    if not isinstance(world_size, int) or world_size < 1:
        raise ValueError(f"world_size must be a positive int, got {world_size!r}")
    if not isinstance(rank, int) or not 0 <= rank < world_size:
        raise ValueError(f"rank must be an int in [0, {world_size}), got {rank!r}")


def _as_made(batch: dict) -> dict:
    """The batch as the worker made it (DataLoader's default would turn the records' tuples into lists)."""
    return batch


def _dataloader(stream: RankStream, num_workers: int) -> Iterator[dict]:
    """Batches of ``stream`` made in ``num_workers`` worker processes (or here), ready for the model."""
    causal = stream.examples.cfg.objective == "clm"
    if num_workers == 0:
        source: Iterator[dict] = iter(stream)
    else:
        stream.examples.warm(stream.schedule.locate(stream.start, 0))
        source = iter(DataLoader(stream, batch_size=None, num_workers=num_workers, collate_fn=_as_made))
    for wire in source:
        yield from_wire(wire, causal=causal)


class TrainLoader:
    """Rank ``rank``'s micro-batches, epoch after epoch, from ``start``; the loop decides when to stop.

    :attr:`position` is the position after the micro-batches yielded so far (what a checkpoint
    saves); iterating again continues from there.
    """

    def __init__(self, examples: Examples, schedule: Schedule, rank: int, start: DataPosition,
                 num_workers: int) -> None:
        self.examples, self.schedule, self.rank, self.num_workers = examples, schedule, rank, num_workers
        self.start = start
        self.yielded = 0  # micro-batches yielded since ``start``

    @property
    def position(self) -> DataPosition:
        return self.position_after(self.yielded)

    def position_after(self, micro_batches: int) -> DataPosition:
        """The position after ``micro_batches`` micro-batches counted from the loader's start position."""
        return self.schedule.locate(self.start, micro_batches)

    def __iter__(self) -> Iterator[dict]:
        stream = RankStream(self.examples, self.schedule, self.rank, self.position)
        for batch in _dataloader(stream, self.num_workers):
            self.yielded += 1
            yield batch

    def epoch_stats(self, epoch: int) -> EpochStats:
        ex, sched, seq_len = self.examples, self.schedule, self.examples.cfg.seq_len
        cursor = self.start.cursor if epoch == self.start.epoch else 0
        micro = sched.micro_batches(cursor)
        dropped = sched.dropped(cursor)
        if ex.cfg.is_nsp:
            padding, fraction = None, None
        else:
            # Only the epoch's last sequence is short; it is trained unless it is in the dropped remainder.
            padding = ex.count * seq_len - ex.total_tokens if dropped == 0 else 0
            trained = micro * sched.global_batch
            fraction = padding / (trained * seq_len) if trained else 0.0
        return EpochStats(epoch=epoch, documents=int(ex.num_documents.sum()), tokens=ex.total_tokens,
                          sequences=ex.count, seq_len=seq_len, micro_batches=micro,
                          steps=micro // sched.grad_accum, dropped_sequences=dropped, padding_tokens=padding,
                          padding_fraction=fraction)

    @property
    def stats(self) -> EpochStats:
        """Statistics of the epoch the loader is in."""
        return self.epoch_stats(self.position.epoch)


class EvalLoader:
    """Every document of the split once, in manifest order, with the fixed evaluation seed.

    All ranks yield the same number of batches (``len(loader)``), so collective operations in the
    loop line up; the last ones are padded with all-padding rows (``num_targets`` may then be 0 on
    some rank: weight losses by ``num_targets``).
    """

    def __init__(self, examples: Examples, batch_size: int, rank: int, world_size: int, num_workers: int) -> None:
        self.examples, self.rank, self.num_workers = examples, rank, num_workers
        self.schedule = OnePass(world_size, batch_size)
        self.num_batches = -(-examples.count // self.schedule.global_batch)

    def __len__(self) -> int:
        return self.num_batches

    def __iter__(self) -> Iterator[dict]:
        stream = RankStream(self.examples, self.schedule, self.rank, DataPosition(), num_batches=self.num_batches)
        return _dataloader(stream, self.num_workers)


def _examples(cfg: DataConfig, shuffle: bool) -> Examples:
    corpus = open_training_corpus(cfg.path, cache_dir=cfg.cache_dir)
    return Examples(corpus, cfg, Objective(cfg, corpus.vocab()), shuffle=shuffle)


def build_train_loader(cfg: DataConfig, *, batch_size: int, grad_accum: int = 1, rank: int = 0,
                       world_size: int = 1, position: DataPosition | None = None) -> TrainLoader:
    """Rank ``rank`` of ``world_size``'s training micro-batches (see the package docstring)."""
    _check_rank(rank, world_size)
    examples = _examples(cfg, shuffle=True)
    schedule = Schedule(examples.count, world_size, batch_size, grad_accum)
    fingerprint = order_fingerprint(manifest_sha256=examples.corpus.manifest_sha256, split=cfg.split, seed=cfg.seed,
                                    seq_len=cfg.seq_len, objective=cfg.objective, shuffle_window=cfg.shuffle_window)
    if position is None:
        position = DataPosition(seed=cfg.seed)
    if position.seed != cfg.seed or position.fingerprint not in ("", fingerprint):
        raise ValueError(f"data position {position.to_dict()} belongs to another data stream (this one: seed "
                         f"{cfg.seed}, fingerprint {fingerprint}); the corpus, split, seed, seq_len, objective or "
                         "shuffle_window changed since it was saved")
    if position.cursor > examples.count:
        raise ValueError(f"data position cursor {position.cursor} is past the epoch's {examples.count} examples")
    start = DataPosition(position.epoch, position.cursor, cfg.seed, fingerprint)
    return TrainLoader(examples, schedule, rank, start, cfg.num_workers)


def build_eval_loader(cfg: DataConfig, *, batch_size: int, rank: int = 0, world_size: int = 1) -> EvalLoader:
    """Rank ``rank``'s share of the split (usually ``validation``), the same on every run."""
    _check_rank(rank, world_size)
    examples = _examples(cfg, shuffle=False)
    if examples.count < world_size:
        raise ValueError(f"split {cfg.split!r} of {cfg.path} makes {examples.count} sequences of seq_len "
                         f"{cfg.seq_len}, fewer than world_size {world_size}: every rank needs at least one")
    return EvalLoader(examples, batch_size, rank, world_size, cfg.num_workers)
