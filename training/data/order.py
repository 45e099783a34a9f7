"""The deterministic order of one epoch's documents, and random access into its token stream.

Order (given seed and epoch; nothing else):

1. the split's shards are permuted (``permutation(seed, epoch)``);
2. their documents, in stored order, make one stream of ``N`` document slots;
3. the slots are cut into consecutive windows of ``window`` documents and each window is permuted
   on its own (``permutation(seed, epoch, w)``).

Concatenating the documents in this order gives the epoch's token stream (every document ends
with eos), from which packing takes examples by offset. Shuffling a window permutes its documents
but not which documents it holds, so the tokens before window ``w`` are the tokens of slots
``< w*window`` in shard order. To find the document holding token offset ``t`` we therefore need
the manifest's per-shard token counts, the length column of the one shard that holds ``t``, and
the window itself: the cost is the same at the start and at the end of an epoch.

Memory, independent of corpus size: a window costs 40 bytes per document (five int64 arrays:
shard, row, length, cumulative length, permutation), plus the length columns (8 bytes per
document) of the shards the window overlaps, plus 16 bytes per shard of the split for the
cumulative counts. With the default window of 8,192 documents that is ~330 KB + the length columns.

Permutations are ``argsort`` of raw PCG64 output seeded through ``SeedSequence``; both are
covered by numpy's stream-compatibility promise, so an order does not change with numpy's version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

# Tags keep the random streams of different uses apart.
TAG_SHARDS, TAG_WINDOW = 1, 2
WINDOW_CACHE = 2  # the current window and the previous one (NSP draws from either)


def permutation(n: int, *key: int) -> np.ndarray:
    """A permutation of ``range(n)`` fixed by the non-negative ints ``key``."""
    raw = np.random.PCG64(np.random.SeedSequence(list(key))).random_raw(n)
    return np.argsort(raw, kind="stable")


@dataclass(frozen=True)
class Piece:
    """Tokens ``[start, end)`` of document ``row`` of shard ``shard`` (manifest numbering)."""

    shard: int
    row: int
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, eq=False)
class Window:
    """The documents of window ``index`` in their shuffled order."""

    index: int
    token_start: int       # offset of its first token in the epoch stream
    shard: np.ndarray      # manifest shard index per document
    row: np.ndarray        # row in that shard
    length: np.ndarray     # tokens per document
    cum: np.ndarray        # cumulative tokens, len + 1

    @property
    def size(self) -> int:
        return int(self.shard.shape[0])

    @property
    def tokens(self) -> int:
        return int(self.cum[-1])


class EpochOrder:
    """Document order and token-offset lookup for one epoch of one split.

    ``num_documents``/``num_tokens``: per shard, from the manifest. ``lengths(i)``: the length column
    of shard ``i`` (read from the shard when needed). ``shuffle=False`` keeps manifest order
    (evaluation). ``prefetch(shards)``, when given, is called with the shards a window is about to read,
    so that they can be opened (and verified) together.
    """

    def __init__(self, num_documents: np.ndarray, num_tokens: np.ndarray, lengths: Callable[[int], np.ndarray], *,
                 seed: int, epoch: int, window: int, shuffle: bool = True,
                 prefetch: Callable[[list[int]], None] | None = None) -> None:
        if window < 1:
            raise ValueError(f"shuffle window must be >= 1 document, got {window}")
        self.seed, self.epoch, self.window_size, self.shuffle = seed, epoch, window, shuffle
        n = len(num_documents)
        self.shard_order = permutation(n, seed, epoch, TAG_SHARDS) if shuffle else np.arange(n)
        docs = np.asarray(num_documents, dtype=np.int64)[self.shard_order]
        toks = np.asarray(num_tokens, dtype=np.int64)[self.shard_order]
        self.cum_docs = np.concatenate([[0], np.cumsum(docs)])
        self.cum_tokens = np.concatenate([[0], np.cumsum(toks)])
        self.num_documents = int(self.cum_docs[-1])
        self.num_tokens = int(self.cum_tokens[-1])
        self.num_windows = -(-self.num_documents // window)
        self._lengths = lengths
        self._prefetch = prefetch
        self._prefix: dict[int, np.ndarray] = {}
        self._windows: dict[int, Window] = {}

    def _prefix_sums(self, shard: int) -> np.ndarray:
        """Cumulative token counts of shard ``shard``'s documents (len + 1)."""
        if shard not in self._prefix:
            self._prefix[shard] = np.concatenate([[0], np.cumsum(self._lengths(shard))])
            if len(self._prefix) > 4:
                self._prefix.pop(next(iter(self._prefix)))
        return self._prefix[shard]

    def _slot_of_token(self, t: int) -> int:
        """The document slot (shard order, before window shuffling) that holds token offset ``t``."""
        k = int(np.searchsorted(self.cum_tokens, t, side="right")) - 1
        prefix = self._prefix_sums(int(self.shard_order[k]))
        row = int(np.searchsorted(prefix, t - self.cum_tokens[k], side="right")) - 1
        return int(self.cum_docs[k]) + row

    def window_of_token(self, t: int) -> int:
        if not 0 <= t < self.num_tokens:
            raise IndexError(f"token offset {t} outside the epoch's {self.num_tokens} tokens")
        return self._slot_of_token(t) // self.window_size

    def window(self, w: int) -> Window:
        if w in self._windows:
            return self._windows[w]
        if not 0 <= w < self.num_windows:
            raise IndexError(f"window {w} outside the epoch's {self.num_windows} windows")
        slots = np.arange(w * self.window_size, min(self.num_documents, (w + 1) * self.window_size), dtype=np.int64)
        k = np.searchsorted(self.cum_docs, slots, side="right") - 1
        if self._prefetch is not None:
            self._prefetch([int(self.shard_order[kk]) for kk in np.unique(k)])
        rows = slots - self.cum_docs[k]
        shards = self.shard_order[k]
        lengths = np.empty(slots.shape[0], dtype=np.int64)
        for kk in np.unique(k):
            sel = k == kk
            lengths[sel] = self._lengths(int(self.shard_order[kk]))[rows[sel]]
        k0 = int(k[0])
        token_start = int(self.cum_tokens[k0] + self._prefix_sums(int(self.shard_order[k0]))[rows[0]])
        if self.shuffle:
            perm = permutation(slots.shape[0], self.seed, self.epoch, TAG_WINDOW, w)
            shards, rows, lengths = shards[perm], rows[perm], lengths[perm]
        win = Window(index=w, token_start=token_start, shard=shards, row=rows, length=lengths,
                     cum=np.concatenate([[0], np.cumsum(lengths)]))
        self._windows[w] = win
        if len(self._windows) > WINDOW_CACHE:
            self._windows.pop(min(self._windows))
        return win

    def locate(self, t: int) -> tuple[Window, int, int]:
        """``(window, i, offset)``: token ``t`` is token ``offset`` of the window's ``i``-th document."""
        win = self.window(self.window_of_token(t))
        local = t - win.token_start
        i = int(np.searchsorted(win.cum, local, side="right")) - 1
        return win, i, local - int(win.cum[i])

    def pieces(self, start: int, count: int) -> Iterator[Piece]:
        """The document pieces covering tokens ``[start, start + count)`` of the stream, in order."""
        end = min(start + count, self.num_tokens)
        if start >= end:
            return
        win, i, offset = self.locate(start)
        t = start
        while t < end:
            if i == win.size:
                win, i, offset = self.window(win.index + 1), 0, 0
                continue
            take = min(int(win.length[i]) - offset, end - t)
            if take > 0:
                yield Piece(int(win.shard[i]), int(win.row[i]), offset, offset + take)
                t += take
            i, offset = i + 1, 0
