"""Online packing: the epoch's token stream cut into sequences of exactly ``seq_len`` tokens.

Example ``c`` of an epoch is tokens ``[c*seq_len, (c+1)*seq_len)`` of the stream
(training/data/order.py): documents are concatenated (each ends with eos), a long document
continues in the next sequence, and only the epoch's last sequence may be short (it is padded).
So an epoch of ``T`` tokens holds ``ceil(T / seq_len)`` examples, known from the manifest alone,
and one corpus serves every sequence length.

Each token carries the index of its *segment*: a maximal run of one document inside a sequence.
Position ids restart at 0 at every segment; the attention masks and the CLM labels
(training/objectives.py) use the segment ids to keep documents apart. Padding is one more segment
of its own, so no attention row is ever empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from training.data.order import EpochOrder
from training.data.source import ShardReader

Record = tuple[str, int, int]  # (document id, start, end): token offsets into the stored document


@dataclass(eq=False)
class Packed:
    """``count`` sequences of ``seq_len`` tokens; arrays are ``[count, seq_len]``."""

    tokens: np.ndarray       # int64, padded with the pad id
    segment: np.ndarray      # int64 segment index within the row; padding gets the next index
    position: np.ndarray     # int64 position within the segment
    doc_start: np.ndarray    # bool: the token is its document's first (offset 0)
    real: np.ndarray         # bool: not padding
    records: list[list[Record]]


def num_examples(num_tokens: int, seq_len: int) -> int:
    return -(-num_tokens // seq_len)


def pack(order: EpochOrder, reader: ShardReader, first: int, count: int, seq_len: int, pad_id: int) -> Packed:
    """Examples ``[first, first + count)`` of the epoch (rows past the epoch's end are all padding)."""
    size = count * seq_len
    flat = np.full(size, pad_id, dtype=np.int64)
    begins = np.zeros(size, dtype=bool)     # a segment (document run) starts here
    doc_start = np.zeros(size, dtype=bool)
    records: list[list[Record]] = [[] for _ in range(count)]
    t = 0  # tokens written
    for piece in order.pieces(first * seq_len, size):
        start, left = piece.start, piece.length
        while left > 0:  # a piece that crosses a sequence end is split there
            take = min(left, seq_len - t % seq_len)
            tokens, doc_id = reader.piece(piece.shard, piece.row, start, start + take)
            flat[t:t + take] = tokens
            begins[t] = True
            doc_start[t] = start == 0
            records[t // seq_len].append((doc_id, start, start + take))
            t, start, left = t + take, start + take, left - take
    real = np.zeros(size, dtype=bool)
    real[:t] = True
    if t < size:
        begins[t] = True  # the padding is one more segment
    shape = (count, seq_len)
    begins = begins.reshape(shape)
    begins[:, 0] = True
    segment = np.cumsum(begins, axis=1) - 1
    idx = np.broadcast_to(np.arange(seq_len), shape)
    position = idx - np.maximum.accumulate(np.where(begins, idx, 0), axis=1)
    return Packed(tokens=flat.reshape(shape), segment=segment, position=position,
                  doc_start=doc_start.reshape(shape), real=real.reshape(shape), records=records)
