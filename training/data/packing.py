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
    tokens = np.full((count, seq_len), pad_id, dtype=np.int64)
    segment = np.zeros((count, seq_len), dtype=np.int64)
    position = np.zeros((count, seq_len), dtype=np.int64)
    doc_start = np.zeros((count, seq_len), dtype=bool)
    real = np.zeros((count, seq_len), dtype=bool)
    records: list[list[Record]] = [[] for _ in range(count)]
    fill = np.zeros(count, dtype=np.int64)  # tokens written per row
    nseg = np.zeros(count, dtype=np.int64)
    flat = first * seq_len
    row = 0
    for piece in order.pieces(flat, count * seq_len):
        start, left = piece.start, piece.length
        while left > 0:
            col = int(fill[row])
            take = min(left, seq_len - col)
            tokens[row, col:col + take] = reader.tokens(piece.shard, piece.row, start, start + take)
            segment[row, col:col + take] = nseg[row]
            position[row, col:col + take] = np.arange(take)
            doc_start[row, col] = start == 0
            real[row, col:col + take] = True
            records[row].append((reader.doc_id(piece.shard, piece.row), start, start + take))
            nseg[row] += 1
            fill[row] += take
            start += take
            left -= take
            if fill[row] == seq_len:
                row += 1
    # Padding (the epoch's end): its own segment, positions counting from 0.
    for r in range(count):
        col = int(fill[r])
        if col < seq_len:
            segment[r, col:] = nseg[r]
            position[r, col:] = np.arange(seq_len - col)
    return Packed(tokens=tokens, segment=segment, position=position, doc_start=doc_start, real=real,
                  records=records)
