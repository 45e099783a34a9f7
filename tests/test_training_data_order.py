"""The epoch order and packing, on synthetic shard lengths (no files): exact values."""

from __future__ import annotations

import numpy as np
import pytest

from training.data.order import EpochOrder, permutation
from training.data.packing import num_examples, pack


class FakeShards:
    """Shard ``i`` row ``r`` holds tokens ``1000*i + 100*r + k`` for ``k < length``; counts reads."""

    def __init__(self, lengths: list[list[int]]) -> None:
        self.length_columns = [np.array(col, dtype=np.int64) for col in lengths]
        self.opened: set[int] = set()

    def lengths(self, i: int) -> np.ndarray:
        self.opened.add(i)
        return self.length_columns[i]

    def piece(self, i: int, row: int, start: int, end: int) -> tuple[np.ndarray, str]:
        return np.arange(start, end, dtype=np.int64) + 1000 * i + 100 * row, self.doc_id(i, row)

    def doc_id(self, i: int, row: int) -> str:
        return f"s{i}r{row}"

    def order(self, *, seed=0, epoch=0, window=4, shuffle=True) -> EpochOrder:
        cols = self.length_columns
        return EpochOrder(np.array([len(c) for c in cols]), np.array([int(c.sum()) for c in cols]), self.lengths,
                          seed=seed, epoch=epoch, window=window, shuffle=shuffle)


LENGTHS = [[5, 1, 7, 3], [9, 2], [4, 4, 4, 1, 6], [12]]


def test_permutations_are_fixed_values():
    # PCG64 raw output and SeedSequence are stable across numpy versions: these never change.
    assert permutation(6, 0, 0, 1).tolist() == [4, 5, 3, 1, 0, 2]
    assert permutation(6, 0, 1, 1).tolist() == [2, 1, 4, 0, 3, 5]
    assert permutation(6, 1, 0, 1).tolist() == [3, 1, 4, 5, 0, 2]


def stream(order: EpochOrder, shards: FakeShards) -> list[tuple[str, int]]:
    """The epoch's tokens as (document, offset) pairs, window by window."""
    out = []
    for w in range(order.num_windows):
        win = order.window(w)
        for s, r, n in zip(win.shard, win.row, win.length):
            out.extend((shards.doc_id(int(s), int(r)), k) for k in range(int(n)))
    return out


def test_every_document_once_per_epoch_in_a_new_order():
    shards = FakeShards(LENGTHS)
    docs = {f"s{i}r{r}" for i, col in enumerate(LENGTHS) for r in range(len(col))}
    orders = {}
    for seed, epoch in ((0, 0), (0, 1), (1, 0)):
        order = shards.order(seed=seed, epoch=epoch)
        tokens = stream(order, shards)
        assert len(tokens) == order.num_tokens == 58 and order.num_documents == 12 and order.num_windows == 3
        firsts = [d for d, k in tokens if k == 0]
        assert sorted(firsts) == sorted(docs)
        orders[seed, epoch] = firsts
    assert len({tuple(v) for v in orders.values()}) == 3


def test_windows_hold_consecutive_slots_of_the_shard_order():
    shards = FakeShards(LENGTHS)
    order = shards.order(seed=3, epoch=2, window=5)
    slots = [(int(s), r) for s in order.shard_order for r in range(len(LENGTHS[s]))]
    for w in range(order.num_windows):
        win = order.window(w)
        assert sorted(zip(win.shard.tolist(), win.row.tolist())) == sorted(slots[5 * w:5 * w + 5])
    unshuffled = shards.order(shuffle=False)
    assert [d for d, k in stream(unshuffled, shards) if k == 0] == \
        [f"s{i}r{r}" for i, col in enumerate(LENGTHS) for r in range(len(col))]


def test_pieces_from_any_offset_match_the_stream():
    shards = FakeShards(LENGTHS)
    order = shards.order(seed=5, epoch=1, window=3)
    full = stream(order, shards)
    for start in range(order.num_tokens):
        fresh = shards.order(seed=5, epoch=1, window=3)  # nothing cached: a resume at ``start``
        got = [(shards.doc_id(p.shard, p.row), k) for p in fresh.pieces(start, 11) for k in range(p.start, p.end)]
        assert got == full[start:start + 11]


def test_seeking_reads_the_length_columns_of_one_window_only():
    shards = FakeShards([[3] * 50 for _ in range(20)])  # 20 shards of 50 documents
    order = shards.order(window=10)
    shards.opened.clear()
    list(order.pieces(order.num_tokens - 5, 5))
    assert len(shards.opened) == 1  # the last shard in the shuffled order; nothing before it


def test_packing_is_exact_with_restarting_positions():
    shards = FakeShards(LENGTHS)
    order = shards.order(seed=2, epoch=0)
    seq_len = 8
    n = num_examples(order.num_tokens, seq_len)
    assert n == 8
    packed = pack(order, shards, 0, n + 1, seq_len, pad_id=-1)  # one row past the end: all padding
    flat = [(doc, k) for doc, k in stream(order, shards)]
    got, col = [], 0
    for r in range(n + 1):
        seg = packed.segment[r]
        for doc_id, start, end in packed.records[r]:
            width = end - start
            assert packed.position[r, col:col + width].tolist() == list(range(width))
            assert len(set(seg[col:col + width].tolist())) == 1
            assert bool(packed.doc_start[r, col]) == (start == 0)
            got.extend((doc_id, k) for k in range(start, end))
            col += width
        assert packed.real[r].sum() == col
        assert (packed.tokens[r, col:] == -1).all() and packed.position[r, col:].tolist() == list(range(seq_len - col))
        col = 0
    assert got == flat  # every token once, in stream order
    assert packed.real.sum() == order.num_tokens == 58 and (~packed.real).sum() == 9 * 8 - 58
    # A later window of the same examples packs identically (what a worker seeking there gets).
    again = pack(shards.order(seed=2, epoch=0), shards, 4, 3, seq_len, pad_id=-1)
    assert (again.tokens == packed.tokens[4:7]).all() and again.records == packed.records[4:7]


def test_order_rejects_offsets_outside_the_epoch():
    order = FakeShards(LENGTHS).order()
    with pytest.raises(IndexError, match="token offset 58 outside the epoch's 58 tokens"):
        order.window_of_token(58)
    assert list(order.pieces(58, 5)) == []
