"""Arrow IPC file shards: one row per document, read back through a memory map.

This module only encodes and decodes; :mod:`corpus.shards.writer` rolls, hashes and renames.
Rows are written in record batches of a fixed number of rows, so the same records in the same
order always give the same bytes, and the writer can bound a shard's size from the estimate
below before writing anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import numpy as np
import pyarrow as pa

from corpus.shards.record import ShardRecord

NAME = "arrow"
EXTENSION = ".arrow"
BATCH_ROWS = 1024
STRING_COLUMNS = ("url", "source", "language")
# Upper bounds of the IPC framing (pyarrow 25, up to 8 columns, buffers padded to
# 8 bytes): the schema twice (stream head and footer) plus magic, and one batch header.
FIXED_BYTES = 4096
BATCH_OVERHEAD = 2048
_PER_ROW_BYTES = 4 + 8 + 4 * (len(STRING_COLUMNS) + 2)  # offsets of tokens/strings, num_tokens
_NUMPY_TYPES = {pa.from_numpy_dtype(np.dtype(name)): np.dtype(name)
                for name in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64")}


def schema(token_dtype: np.dtype, keep_text: bool) -> pa.Schema:
    fields = [
        pa.field("id", pa.string(), nullable=False),
        pa.field("tokens", pa.list_(pa.from_numpy_dtype(np.dtype(token_dtype))), nullable=False),
        pa.field("num_tokens", pa.int64(), nullable=False),
    ] + [pa.field(name, pa.string(), nullable=False) for name in STRING_COLUMNS]
    if keep_text:
        fields.append(pa.field("text", pa.string(), nullable=False))
    return pa.schema(fields)


def record_bytes(record: ShardRecord, keep_text: bool) -> int:
    """An upper bound of the bytes one row adds to a shard (framing excluded)."""
    size = record.tokens.nbytes + _PER_ROW_BYTES + len(record.id.encode("utf-8"))
    size += sum(len(getattr(record, name).encode("utf-8")) for name in STRING_COLUMNS)
    if keep_text:
        size += len((record.text or "").encode("utf-8"))
    return size


class ArrowEncoder:
    """Buffers rows and writes a record batch every ``BATCH_ROWS`` rows to ``sink``."""

    def __init__(self, sink: IO[bytes], token_dtype: np.dtype, keep_text: bool) -> None:
        self.schema = schema(token_dtype, keep_text)
        self.token_type = pa.from_numpy_dtype(np.dtype(token_dtype))
        self.keep_text = keep_text
        self._writer = pa.ipc.new_file(sink, self.schema)
        self._rows: list[ShardRecord] = []

    def write(self, record: ShardRecord) -> None:
        self._rows.append(record)
        if len(self._rows) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        rows, self._rows = self._rows, []
        lengths = np.fromiter((r.num_tokens for r in rows), dtype=np.int64, count=len(rows))
        offsets = np.zeros(len(rows) + 1, dtype=np.int32)
        np.cumsum(lengths, out=offsets[1:])
        values = np.concatenate([r.tokens for r in rows])
        columns = {
            "id": pa.array([r.id for r in rows], pa.string()),
            "tokens": pa.ListArray.from_arrays(pa.array(offsets), pa.array(values, self.token_type)),
            "num_tokens": pa.array(lengths, pa.int64()),
        }
        for name in STRING_COLUMNS:
            columns[name] = pa.array([getattr(r, name) for r in rows], pa.string())
        if self.keep_text:
            columns["text"] = pa.array([r.text or "" for r in rows], pa.string())
        self._writer.write_batch(pa.record_batch([columns[f.name] for f in self.schema], schema=self.schema))

    def close(self) -> None:
        self._flush()
        self._writer.close()


def read(path: str, name: str | None = None) -> Iterator[ShardRecord]:
    """Documents of one Arrow shard; token arrays are views into the memory-mapped file."""
    label = name or path
    with pa.memory_map(str(path), "r") as source:
        try:
            reader = pa.ipc.open_file(source)
        except pa.ArrowInvalid as e:
            raise ValueError(f"shard {label}: not an Arrow IPC file ({e})") from None
        names = set(reader.schema.names)
        missing = {"id", "tokens", *STRING_COLUMNS} - names
        if missing:
            raise ValueError(f"shard {label}: missing columns {sorted(missing)}")
        keep_text = "text" in names
        for i in range(reader.num_record_batches):
            yield from _rows(reader.get_batch(i), keep_text)


def numpy_view(array: pa.Array) -> np.ndarray:
    """``array.to_numpy()`` (a read-only zero-copy view; ``pyarrow.ArrowInvalid`` if there are nulls), read
    straight from the data buffer for integer and float32/64 arrays: ``to_numpy`` goes through pyarrow's
    pandas conversion (apache/arrow#26926), whose first call in a process imports pandas, ~0.3 s on the
    first batch of every training run and data-loader worker.
    """
    dtype = _NUMPY_TYPES.get(array.type)
    if dtype is None or array.null_count:
        return array.to_numpy()
    data = array.buffers()[1]  # may be None for an empty array
    view = (np.frombuffer(data, dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize)
            if data is not None else np.empty(0, dtype))
    view.flags.writeable = False
    return view


def _rows(batch: pa.RecordBatch, keep_text: bool) -> Iterator[ShardRecord]:
    tokens = batch.column("tokens")
    offsets = numpy_view(tokens.offsets)
    values = numpy_view(tokens.values)
    ids = batch.column("id").to_pylist()
    strings = {name: batch.column(name).to_pylist() for name in STRING_COLUMNS}
    texts = batch.column("text").to_pylist() if keep_text else None
    for j, doc_id in enumerate(ids):
        yield ShardRecord(
            id=doc_id, tokens=values[offsets[j]:offsets[j + 1]],
            url=strings["url"][j], source=strings["source"][j], language=strings["language"][j],
            text=texts[j] if texts is not None else None)
