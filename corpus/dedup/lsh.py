"""LSH banding and the graph steps of near-duplicate clustering, as pure functions.

The Beam pipeline (pipelines/dedup.py) groups band keys, checks candidate pairs and
finds connected components with these functions; they are also what the tests and
the local reference implementation (:func:`clusters_union_find`) use.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_THRESHOLD = 0.8
# Weights of false positives and false negatives given to datasketch's optimiser. Its own
# default is 0.5/0.5 (b=9, r=13 at 0.8/128: a pair at J=0.8 is a candidate 40% of the time).
# Candidates are checked exactly afterwards, so a false positive costs one comparison while
# a false negative keeps a duplicate: we weight recall (b=16, r=8: 95% at J=0.8, 99.4% at 0.85).
FALSE_POSITIVE_WEIGHT = 0.05
FALSE_NEGATIVE_WEIGHT = 0.95
# Buckets larger than this are not checked pairwise (quadratic); their members are
# chained in id order and each is checked against the bucket's smallest id instead.
DEFAULT_MAX_BUCKET_PAIRS = 64


@dataclass(frozen=True)
class LshParams:
    threshold: float = DEFAULT_THRESHOLD
    num_perm: int = 128
    bands: int = 0
    rows: int = 0

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"LshParams.threshold must be in (0, 1), got {self.threshold!r}")
        if self.num_perm < 2:
            raise ValueError(f"LshParams.num_perm must be >= 2, got {self.num_perm!r}")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"LshParams.bands * rows ({self.bands} * {self.rows}) exceeds num_perm "
                             f"({self.num_perm})")

    @classmethod
    def optimal(cls, threshold: float = DEFAULT_THRESHOLD, num_perm: int = 128,
                fp_weight: float = FALSE_POSITIVE_WEIGHT, fn_weight: float = FALSE_NEGATIVE_WEIGHT
                ) -> LshParams:
        """Bands x rows minimising datasketch's weighted false-positive/negative probability."""
        from datasketch.lsh import _optimal_param  # the optimum MinHashLSH itself uses

        cls(threshold=threshold, num_perm=num_perm)  # validate first
        if not (0 <= fp_weight <= 1 and 0 <= fn_weight <= 1 and abs(fp_weight + fn_weight - 1) < 1e-9):
            raise ValueError(f"LshParams.optimal: fp_weight and fn_weight must be in [0, 1] and sum to 1, "
                             f"got {fp_weight} and {fn_weight}")
        bands, rows = _optimal_param(threshold, num_perm, fp_weight, fn_weight)
        return cls(threshold=threshold, num_perm=num_perm, bands=bands, rows=rows)

    def as_dict(self) -> dict:
        return {"threshold": self.threshold, "num_perm": self.num_perm, "bands": self.bands, "rows": self.rows}


def band_keys(signature: np.ndarray, params: LshParams) -> list[tuple[int, str]]:
    """(band index, hash of the band's rows) for each band of one signature."""
    if params.bands < 1:
        raise ValueError("band_keys: LshParams has no bands; build it with LshParams.optimal()")
    r = params.rows
    return [(i, hashlib.blake2b(signature[i * r:(i + 1) * r].tobytes(), digest_size=12).hexdigest())
            for i in range(params.bands)]


def bucket_pairs(ids: Sequence[str], max_pairs_bucket: int = DEFAULT_MAX_BUCKET_PAIRS
                 ) -> Iterator[tuple[str, str]]:
    """Candidate pairs (smaller id first) among the ids that share a band key."""
    members = sorted(set(ids))
    if len(members) <= max_pairs_bucket:
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                yield a, b
        return
    head = members[0]
    for prev, cur in zip(members, members[1:]):
        yield prev, cur
        if prev != head:
            yield head, cur


def similar(sig_a: np.ndarray, sig_b: np.ndarray, threshold: float) -> bool:
    """The candidate check: estimated Jaccard from the signatures reaches the threshold."""
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a) >= threshold


# --- connected components --------------------------------------------------------------------

def large_star(node: str, neighbours: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Large-star step: connect every strictly larger neighbour to the smallest of the
    node's closed neighbourhood (Kiveris et al., 'Connected Components in MapReduce and Beyond')."""
    nbrs = set(neighbours)
    m = min(nbrs | {node})
    for v in nbrs:
        if v > node:
            yield v, m


def small_star(node: str, neighbours: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Small-star step: connect the node and its smaller neighbours to the smallest of them."""
    smaller = {v for v in neighbours if v <= node}
    m = min(smaller | {node})
    for v in smaller | {node}:
        if v != m:
            yield v, m


def clusters_union_find(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Reference: node -> smallest node of its component (for tests and small local runs)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            parent[hi] = lo
    return {x: find(x) for x in list(parent)}
