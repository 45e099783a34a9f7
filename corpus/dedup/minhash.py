"""MinHash signatures for many documents at once, bit-identical to datasketch.

datasketch's ``MinHash`` (scheme ``affine32``, its default) hashes each shingle with a
Python-level hash function, pre-mixes it with the MurmurHash3 finaliser and applies
``a * h + b mod 2**32`` per permutation. The Python call per shingle is what makes it
slow. Here the whole batch is hashed with numpy:

1. documents are tokenised (words; one character per token for scripts written
   without spaces) and all tokens of the batch are joined into one byte buffer;
2. each token's hash is a polynomial hash of its UTF-8 bytes, computed for every
   token at once from prefix sums (mod 2**64, folded to 32 bits);
3. each shingle's hash (``ngram`` consecutive tokens) is a polynomial hash of its
   token hashes, again from prefix sums, so every window costs O(1);
4. datasketch's own permutations (same ``num_perm`` and ``seed``) are applied to the
   whole (shingles x permutations) matrix and reduced per document.

:func:`shingle_hash` is the same shingle hash as a plain Python function over the
shingle's bytes; passing it as ``hashfunc`` to ``datasketch.MinHash`` gives signatures
equal to :func:`signatures` (the tests check this), so signatures interoperate with
``MinHash`` / ``MinHashLSH``.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_NUM_PERM = 128
DEFAULT_SEED = 1
DEFAULT_NGRAM = 5
MAX_HASH = np.uint32(0xFFFFFFFF)

_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF
_P = 0x100000001B3  # FNV-64 prime: odd, so invertible mod 2**64
_Q = 0x9E3779B97F4A7C15  # golden-ratio constant: odd
_SEP = "\x00"
# Rows of the (shingles x permutations) matrix built at once: bounds memory on huge documents.
_BLOCK_ROWS = 8192

# One token per character in scripts written without spaces (Han, kana, Thai, Lao,
# Khmer, Myanmar); elsewhere a token is a run of letters and digits.
_NO_SPACE_CHARS = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
                   "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f")
_TOKEN_RE = re.compile(f"[{_NO_SPACE_CHARS}]|[^\\W_{_NO_SPACE_CHARS}]+")


@dataclass(frozen=True)
class MinHashParams:
    num_perm: int = DEFAULT_NUM_PERM
    seed: int = DEFAULT_SEED
    ngram: int = DEFAULT_NGRAM

    def __post_init__(self) -> None:
        if not isinstance(self.num_perm, int) or not 1 <= self.num_perm <= 4096:
            raise ValueError(f"MinHashParams.num_perm must be an int in [1, 4096], got {self.num_perm!r}")
        if not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"MinHashParams.seed must be a non-negative int, got {self.seed!r}")
        if not isinstance(self.ngram, int) or not 1 <= self.ngram <= 64:
            raise ValueError(f"MinHashParams.ngram must be an int in [1, 64], got {self.ngram!r}")


def tokenize(text: str) -> list[str]:
    """Case-folded tokens; punctuation and spacing do not take part in similarity."""
    return _TOKEN_RE.findall(text.casefold())


# --- the reference hash, one shingle at a time (for datasketch's hashfunc) -------------------

def _token_hash(token: bytes) -> int:
    h = 0
    p = 1
    for byte in token:
        h = (h + byte * p) & _MASK64
        p = (p * _P) & _MASK64
    return (h ^ (h >> 32)) & _MASK32


def shingle_hash(shingle: bytes) -> int:
    """32-bit hash of one shingle given as its tokens' UTF-8 bytes joined by NUL.

    Pass this as ``hashfunc`` to ``datasketch.MinHash`` and update it with
    :func:`shingles_as_bytes` to get exactly the signatures of :func:`signatures`.
    """
    h = 0
    q = 1
    for token in shingle.split(b"\x00"):
        h = (h + _token_hash(token) * q) & _MASK64
        q = (q * _Q) & _MASK64
    return h & _MASK32


def shingles_as_bytes(text: str, ngram: int = DEFAULT_NGRAM) -> list[bytes]:
    """The shingles of ``text`` in the form :func:`shingle_hash` takes (reference path)."""
    tokens = [t.encode("utf-8") for t in tokenize(text)]
    if not tokens:
        return []
    width = min(ngram, len(tokens))
    return [b"\x00".join(tokens[i:i + width]) for i in range(len(tokens) - width + 1)]


# --- the vectorised path ---------------------------------------------------------------------

@functools.lru_cache(maxsize=16)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own affine32 permutation parameters for (num_perm, seed)."""
    from datasketch import MinHash  # imported here: only signature workers need it

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    return a.astype(np.uint32), b.astype(np.uint32)


class _Powers:
    """Growing tables of base**i and base**-i mod 2**64."""

    def __init__(self, base: int) -> None:
        self.base = base
        self.inverse = pow(base, -1, 1 << 64)
        self.pos = np.ones(1, dtype=np.uint64)
        self.neg = np.ones(1, dtype=np.uint64)

    def ensure(self, n: int) -> None:
        if len(self.pos) >= n:
            return
        size = max(n, 2 * len(self.pos))
        with np.errstate(over="ignore"):
            self.pos = np.ones(size, dtype=np.uint64)
            self.pos[1:] = np.cumprod(np.full(size - 1, self.base, dtype=np.uint64))
            self.neg = np.ones(size, dtype=np.uint64)
            self.neg[1:] = np.cumprod(np.full(size - 1, self.inverse, dtype=np.uint64))


_BYTE_POWERS = _Powers(_P)
_TOKEN_POWERS = _Powers(_Q)


def _window_hashes(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray, powers: _Powers) -> np.ndarray:
    """sum_j values[s + j] * base**j mod 2**64 for each window (s, length), all at once."""
    n = len(values)
    powers.ensure(n + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(values * powers.pos[:n], out=prefix[1:])
        return (prefix[starts + lengths] - prefix[starts]) * powers.neg[starts]


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, as datasketch applies it before permuting."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint32(16))
        h = h * np.uint32(0x85EBCA6B)
        h = h ^ (h >> np.uint32(13))
        h = h * np.uint32(0xC2B2AE35)
        return h ^ (h >> np.uint32(16))


def shingle_hashes(texts: Sequence[str], ngram: int = DEFAULT_NGRAM) -> tuple[np.ndarray, np.ndarray]:
    """Mixed 32-bit hashes of every shingle of every text, and the text each belongs to.

    Returns ``(hashes, doc_index)``, grouped by document in input order. The hashes are
    what datasketch permutes (its fmix32 of :func:`shingle_hash`).
    """
    doc_tokens = [tokenize(t) for t in texts]
    counts = np.fromiter((len(t) for t in doc_tokens), dtype=np.int64, count=len(texts))
    if counts.sum() == 0:
        return np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.int64)

    # 1. token hashes, all tokens of the batch at once
    flat = [tok for toks in doc_tokens for tok in toks]
    buf = np.frombuffer((_SEP.join(flat) + _SEP).encode("utf-8"), dtype=np.uint8)
    ends = np.flatnonzero(buf == 0)
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    h64 = _window_hashes(buf.astype(np.uint64), starts, ends - starts, _BYTE_POWERS)
    token_h = ((h64 ^ (h64 >> np.uint64(32))) & np.uint64(_MASK32))

    # 2. shingle hashes: windows of `ngram` tokens that stay inside their document
    doc_start = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(counts[:-1], out=doc_start[1:])
    width = np.minimum(counts, ngram)
    n_shingles = np.where(counts > 0, counts - width + 1, 0)
    doc_of_shingle = np.repeat(np.arange(len(texts)), n_shingles)
    first = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(n_shingles[:-1], out=first[1:])
    offset_in_doc = np.arange(n_shingles.sum()) - first[doc_of_shingle]
    sh_start = doc_start[doc_of_shingle] + offset_in_doc
    sh_hash = _window_hashes(token_h, sh_start, width[doc_of_shingle], _TOKEN_POWERS)
    return _fmix32((sh_hash & np.uint64(_MASK32)).astype(np.uint32)), doc_of_shingle


def shingle_sets(texts: Sequence[str], ngram: int = DEFAULT_NGRAM) -> list[np.ndarray]:
    """Each text's distinct shingle hashes, sorted: the input of :func:`exact_jaccard`."""
    hv, doc_of = shingle_hashes(texts, ngram)
    bounds = np.searchsorted(doc_of, np.arange(len(texts) + 1))
    return [np.unique(hv[bounds[i]:bounds[i + 1]]) for i in range(len(texts))]


def is_empty_signature(sig: np.ndarray) -> bool:
    """True for the signature of a text without shingles: it says nothing about the text, so it
    never makes a near-duplicate candidate (such texts are duplicates only when exactly equal)."""
    return bool(np.all(sig == MAX_HASH))


def exact_jaccard(set_a: np.ndarray, set_b: np.ndarray) -> float:
    """Jaccard similarity of two sorted, distinct shingle-hash arrays (0 when either is empty: texts
    without shingles are compared by exact text, never as near duplicates)."""
    if len(set_a) == 0 or len(set_b) == 0:
        return 0.0
    inter = len(np.intersect1d(set_a, set_b, assume_unique=True))
    return inter / (len(set_a) + len(set_b) - inter)


def signatures(texts: Sequence[str], params: MinHashParams = MinHashParams()) -> np.ndarray:
    """MinHash signatures, shape (len(texts), num_perm), dtype uint32.

    A text without tokens gets the empty signature (all 0xFFFFFFFF), as an empty
    datasketch MinHash has.
    """
    out = np.full((len(texts), params.num_perm), MAX_HASH, dtype=np.uint32)
    hv, doc_of_shingle = shingle_hashes(texts, params.ngram)
    if len(hv) == 0:
        return out

    # 3. permute and take the minimum per document, in blocks of shingles. The layout is
    # (permutations x shingles) so that each document's shingles are contiguous in memory
    # and the per-document minimum is one reduceat along the last axis.
    a, b = _permutations(params.num_perm, params.seed)
    a_col, b_col = a[:, None], b[:, None]
    block = np.empty((params.num_perm, min(_BLOCK_ROWS, len(hv))), dtype=np.uint32)
    for lo in range(0, len(hv), _BLOCK_ROWS):
        hi = min(lo + _BLOCK_ROWS, len(hv))
        view = block[:, : hi - lo]
        with np.errstate(over="ignore"):
            np.multiply(a_col, hv[None, lo:hi], out=view)
            np.add(view, b_col, out=view)
        docs = doc_of_shingle[lo:hi]
        run_starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
        mins = np.minimum.reduceat(view, run_starts, axis=1).T
        ids = docs[run_starts]
        out[ids] = np.minimum(out[ids], mins)
    return out


def jaccard_estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """The fraction of equal positions: datasketch's ``MinHash.jaccard``."""
    if sig_a.shape != sig_b.shape:
        raise ValueError(f"signatures differ in length: {sig_a.shape} vs {sig_b.shape}")
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)
