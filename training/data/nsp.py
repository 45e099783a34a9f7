"""Sentence pairs for MLM + NSP (BERT), taken from the epoch's token stream by example index.

Example ``c`` starts from the stream's tokens ``[c*M, (c+1)*M)`` with ``M = seq_len - 3`` (room for
``[CLS]``, ``[SEP]``, ``[SEP]``), exactly as packing cuts sequences, so an epoch holds
``ceil(T / M)`` examples, known from the manifest, and resuming costs the same anywhere. From that
span, the longest document run (the *anchor*; the first on a tie) gives the pair:

* A is the anchor up to a segment boundary (training/data/vocab.py: after a line or sentence end),
  drawn uniformly among the anchor's boundaries; with none, the anchor's middle;
* half the time (drawn per example) B is the rest of the anchor: A's actual continuation in the same
  document (``next_sentence_label`` 0);
* otherwise B is as many tokens from another document, starting at one of its boundaries (or its
  start), drawn from the same shuffle window (label 1). An anchor of one token cannot be split and
  always gets a B from another document.

Tokens of the span outside the anchor are not used by this objective (spans that cross a document
boundary); the batch record lists exactly the two segments used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from training.data.order import EpochOrder, Window
from training.data.packing import Record
from training.data.source import ShardReader
from training.data.vocab import VocabTables

NSP_SPECIALS = 3
POSITIVE_FRACTION = 0.5
TAG_NSP = 3


@dataclass(frozen=True, eq=False)
class NspExample:
    a: np.ndarray
    b: np.ndarray
    is_next: bool
    records: tuple[Record, Record]
    a_doc_start: bool  # A begins at its document's first token
    b_doc_start: bool


def span_length(seq_len: int) -> int:
    return seq_len - NSP_SPECIALS


def _other_document(order: EpochOrder, win: Window, i: int, rng: np.random.Generator) -> tuple[int, int, int]:
    """(shard, row, length) of a document other than ``win``'s ``i``-th, from the same window if it has one."""
    if win.size > 1:
        j = int(rng.integers(win.size - 1))
        j += j >= i
    else:
        win = order.window(win.index - 1 if win.index > 0 else win.index + 1)
        j = int(rng.integers(win.size))
    return int(win.shard[j]), int(win.row[j]), int(win.length[j])


def nsp_example(order: EpochOrder, reader: ShardReader, vocab: VocabTables, c: int, seq_len: int,
                rng: np.random.Generator) -> NspExample:
    """The pair of example ``c`` (``rng`` seeded for this example alone)."""
    m = span_length(seq_len)
    pieces = list(order.pieces(c * m, m))
    if not pieces:
        raise IndexError(f"NSP example {c} is past the epoch's end")
    lengths = [p.length for p in pieces]
    k = int(np.argmax(lengths))
    anchor = pieces[k]
    offset = c * m + sum(lengths[:k])
    tokens, doc_id = reader.piece(anchor.shard, anchor.row, anchor.start, anchor.end)
    n = anchor.length
    if n >= 2:
        cuts = vocab.boundaries(tokens)
        p = int(rng.choice(cuts)) if cuts.shape[0] else n // 2
        is_next = bool(rng.random() < POSITIVE_FRACTION)
    else:
        p, is_next = n, False
    a = tokens[:p]
    rec_a = (doc_id, anchor.start, anchor.start + p)
    if is_next:
        return NspExample(a=a, b=tokens[p:], is_next=True, records=(rec_a, (doc_id, anchor.start + p, anchor.end)),
                          a_doc_start=anchor.start == 0, b_doc_start=False)
    budget = n - p if n >= 2 else m - n
    win, i, _ = order.locate(offset)
    shard, row, length = _other_document(order, win, i, rng)
    doc, other_id = reader.piece(shard, row, 0, length)
    starts = np.concatenate([[0], vocab.boundaries(doc)])
    q = int(rng.choice(starts))
    end = min(length, q + budget)
    return NspExample(a=a, b=doc[q:end], is_next=False,
                      records=(rec_a, (other_id, q, end)),
                      a_doc_start=anchor.start == 0, b_doc_start=q == 0)
