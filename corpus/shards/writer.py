"""The format-independent shard writer: roll by size, hash while writing, rename when complete.

A format (:mod:`corpus.shards.arrow`, :mod:`corpus.shards.webdataset`) only encodes. This base
decides where one shard ends from the format's size estimate alone, never from what a file
system reports, so the same records in the same order always give the same shards, and a Beam
pipeline can plan how many shards a group will need before writing it (:func:`count_parts`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

import numpy as np

from corpus.counters import CounterFn, noop_counter
from corpus.shards import arrow, webdataset
from corpus.shards.files import LOCAL_FILES, FileOps, join, temp_path
from corpus.shards.manifest import SHARD_FORMATS, ShardEntry
from corpus.shards.record import TOKEN_DTYPES, ShardRecord
from corpus.shards.split import DEFAULT_VALIDATION_FRACTION, SPLITS, check_fraction

DEFAULT_SHARD_BYTES = 256 * 1024 * 1024
MIN_SHARD_BYTES = 16 * 1024
DEFAULT_FORMATS = ("arrow",)
DEFAULT_TOKEN_DTYPE = "uint16"

# name -> module with NAME, EXTENSION, FIXED_BYTES, BATCH_ROWS, BATCH_OVERHEAD, record_bytes(),
# an encoder class taking (sink, token_dtype, keep_text), and read(path, name).
FORMATS: dict[str, ModuleType] = {arrow.NAME: arrow, webdataset.NAME: webdataset}
_ENCODERS = {arrow.NAME: arrow.ArrowEncoder, webdataset.NAME: webdataset.TarEncoder}
assert tuple(FORMATS) == SHARD_FORMATS


@dataclass(frozen=True)
class ShardConfig:
    """How documents become shards; part of the build configuration in the manifest."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    shard_bytes: int = DEFAULT_SHARD_BYTES
    token_dtype: str = DEFAULT_TOKEN_DTYPE
    keep_text: bool = False
    validation_fraction: float = DEFAULT_VALIDATION_FRACTION

    def __post_init__(self) -> None:
        formats = (self.formats,) if isinstance(self.formats, str) else tuple(self.formats)
        if not formats or len(set(formats)) != len(formats) or any(f not in FORMATS for f in formats):
            raise ValueError(f"ShardConfig.formats must be distinct names from {SHARD_FORMATS}, got {self.formats!r}")
        object.__setattr__(self, "formats", tuple(sorted(formats, key=SHARD_FORMATS.index)))
        if not isinstance(self.shard_bytes, int) or self.shard_bytes < MIN_SHARD_BYTES:
            raise ValueError(f"ShardConfig.shard_bytes must be an int >= {MIN_SHARD_BYTES}, got {self.shard_bytes!r}")
        if self.token_dtype not in {d.name for d in TOKEN_DTYPES}:
            raise ValueError(f"ShardConfig.token_dtype must be 'uint16' or 'uint32', got {self.token_dtype!r}")
        if not isinstance(self.keep_text, bool):
            raise ValueError(f"ShardConfig.keep_text must be a bool, got {self.keep_text!r}")
        check_fraction(self.validation_fraction, "ShardConfig.validation_fraction")

    def as_dict(self) -> dict:
        return {"formats": list(self.formats), "shard_bytes": self.shard_bytes, "token_dtype": self.token_dtype,
                "keep_text": self.keep_text, "validation_fraction": self.validation_fraction}


def shard_name(split: str, index: int, fmt: str) -> str:
    """``train/part-00000.arrow``: the relative path of a split's ``index``-th shard."""
    return f"{split}/part-{index:05d}{FORMATS[fmt].EXTENSION}"


class _SizePlan:
    """Where shards end: a record starts a new shard when it would push the estimate past the bound.

    A record larger than the bound gets a shard of its own rather than being refused.
    """

    def __init__(self, fmt: ModuleType, shard_bytes: int) -> None:
        self.fmt, self.limit = fmt, shard_bytes
        self.rows, self.bytes = 0, fmt.FIXED_BYTES

    def _cost(self, size: int) -> int:
        return size + (self.fmt.BATCH_OVERHEAD if self.rows % self.fmt.BATCH_ROWS == 0 else 0)

    def starts_new_shard(self, size: int) -> bool:
        return self.rows > 0 and self.bytes + self._cost(size) > self.limit

    def add(self, size: int) -> None:
        self.bytes += self._cost(size)
        self.rows += 1

    def reset(self) -> None:
        self.rows, self.bytes = 0, self.fmt.FIXED_BYTES


def count_parts(sizes: Iterable[int], fmt: str, shard_bytes: int) -> int:
    """How many shards :class:`ShardWriter` will write for records of these estimated sizes."""
    plan, parts = _SizePlan(FORMATS[fmt], shard_bytes), 0
    for size in sizes:
        if parts == 0 or plan.starts_new_shard(size):
            plan.reset()
            parts += 1
        plan.add(size)
    return parts


class _HashingSink:
    """A write-only file wrapper that hashes and counts what passes through it."""

    def __init__(self, raw) -> None:
        self.raw, self.sha256, self.size, self.closed = raw, hashlib.sha256(), 0, False

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        self.sha256.update(view)
        self.raw.write(view)
        self.size += len(view)
        return len(view)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self.raw.flush()

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True  # the owner closes ``raw``


class ShardWriter:
    """Writes the records of one split, in order, into size-bounded shards of one format.

    ``name_fn(k)`` gives the relative path of the k-th shard this writer opens (default:
    ``split/part-0000k.ext``); the Beam pipeline offsets it to number shards across groups.
    Use it as a context manager: on error the half-written temporary file is deleted.
    """

    def __init__(self, root: str, split: str, fmt: str, config: ShardConfig = ShardConfig(), *,
                 name_fn: Callable[[int], str] | None = None, files: FileOps = LOCAL_FILES,
                 counter: CounterFn = noop_counter) -> None:
        if split not in SPLITS:
            raise ValueError(f"ShardWriter: split must be one of {SPLITS}, got {split!r}")
        if fmt not in FORMATS:
            raise ValueError(f"ShardWriter: format must be one of {SHARD_FORMATS}, got {fmt!r}")
        self.root, self.split, self.fmt, self.config = str(root), split, FORMATS[fmt], config
        self.dtype = np.dtype(config.token_dtype)
        self.name_fn = name_fn or (lambda k: shard_name(split, k, fmt))
        self.files, self.counter = files, counter
        self.entries: list[ShardEntry] = []
        self._plan = _SizePlan(self.fmt, config.shard_bytes)
        self._open = None  # (relpath, temp path, raw file, sink, encoder)
        self._docs = self._tokens = 0

    def write(self, record: ShardRecord) -> None:
        if record.tokens.dtype != self.dtype:
            raise ValueError(f"record {record.id!r}: tokens are {record.tokens.dtype}, the corpus stores "
                             f"{self.dtype} (ShardConfig.token_dtype)")
        size = self.fmt.record_bytes(record, self.config.keep_text)
        if self._open is not None and self._plan.starts_new_shard(size):
            self._finish()
        if self._open is None:
            self._start()
        self._open[4].write(record)
        self._plan.add(size)
        self._docs += 1
        self._tokens += record.num_tokens

    def _start(self) -> None:
        relpath = self.name_fn(len(self.entries))
        tmp = temp_path(join(self.root, relpath))
        raw = self.files.opener(tmp, "wb")
        sink = _HashingSink(raw)
        self._open = (relpath, tmp, raw, sink, None)
        encoder = _ENCODERS[self.fmt.NAME](sink, self.dtype, self.config.keep_text)
        self._open = (relpath, tmp, raw, sink, encoder)
        self._plan.reset()
        self._docs = self._tokens = 0

    def _finish(self) -> None:
        relpath, tmp, raw, sink, encoder = self._open
        encoder.close()
        raw.close()
        self._open = None
        self.files.rename(tmp, join(self.root, relpath))
        self.entries.append(ShardEntry(path=relpath, format=self.fmt.NAME, num_documents=self._docs,
                                       num_tokens=self._tokens, bytes=sink.size, sha256=sink.sha256.hexdigest()))
        self.counter(f"shards:{self.fmt.NAME}:{self.split}")

    def close(self) -> list[ShardEntry]:
        """Finish the open shard; returns one entry per shard written (none when no record came)."""
        if self._open is not None:
            self._finish()
        return list(self.entries)

    def abort(self) -> None:
        if self._open is not None:
            _, tmp, raw, _, _ = self._open
            self._open = None
            raw.close()
            if self.files.exists(tmp):
                self.files.delete(tmp)

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def write_shards(root: str, split: str, records: Iterable[ShardRecord], config: ShardConfig = ShardConfig(),
                 *, files: FileOps = LOCAL_FILES, counter: CounterFn = noop_counter) -> list[ShardEntry]:
    """Write ``records`` of one split in every configured format; the entries, format by format."""
    records = list(records) if len(config.formats) > 1 else records
    entries: list[ShardEntry] = []
    for fmt in config.formats:
        with ShardWriter(root, split, fmt, config, files=files, counter=counter) as writer:
            for record in records:
                writer.write(record)
        entries.extend(writer.entries)
    return entries
