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

from corpus.dedup.minhash import is_empty_signature

DEFAULT_THRESHOLD = 0.8
# Weights of false positives and false negatives given to datasketch's optimiser. Its own
# default is 0.5/0.5 (b=9, r=13 at 0.8/128: a pair at J=0.8 is a candidate 40% of the time).
# Candidates are checked exactly afterwards, so a false positive costs one comparison while
# a false negative keeps a duplicate: we weight recall (b=16, r=8: 95% at J=0.8, 99.4% at 0.85).
FALSE_POSITIVE_WEIGHT = 0.05
FALSE_NEGATIVE_WEIGHT = 0.95
# Buckets larger than this are not checked pairwise (quadratic): their members are compared
# with a bounded set of representatives instead (:func:`leader_pairs`).
DEFAULT_MAX_BUCKET_PAIRS = 64
# Representatives kept per large bucket, and how far below the threshold a member's estimated
# similarity to one may be and still make a candidate (the exact check decides afterwards).
DEFAULT_MAX_LEADERS = 256
LEADER_MARGIN = 0.1


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
    """(band index, hash of the band's rows) for each band of one signature; none for the empty
    signature of a text without shingles (all such texts would share every band)."""
    if params.bands < 1:
        raise ValueError("band_keys: LshParams has no bands; build it with LshParams.optimal()")
    if is_empty_signature(signature):
        return []
    r = params.rows
    return [(i, hashlib.blake2b(signature[i * r:(i + 1) * r].tobytes(), digest_size=12).hexdigest())
            for i in range(params.bands)]


def bucket_pairs(ids: Sequence[str]) -> Iterator[tuple[str, str]]:
    """Every pair (smaller id first) among the ids that share a band key (buckets up to
    ``max_bucket_pairs`` members; larger ones go to :func:`leader_pairs`)."""
    members = sorted(set(ids))
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            yield a, b


def leader_pairs(members: Sequence[tuple[str, np.ndarray]], threshold: float,
                 max_leaders: int = DEFAULT_MAX_LEADERS, margin: float = LEADER_MARGIN
                 ) -> Iterator[tuple[str, str]]:
    """Candidate pairs of one large bucket: each member against a bounded set of representatives.

    Members are taken in id order. A member whose estimated Jaccard with any representative reaches
    ``threshold - margin`` is paired with every such representative; otherwise it becomes a
    representative itself (up to ``max_leaders``; past that it is paired with the member before it).
    Cost O(members x max_leaders) instead of O(members^2). Every pair with a representative is found,
    and two members that each resemble a different representative are linked through them when those
    representatives resemble either member; what can be missed is a pair of non-representatives
    similar to each other but to no common representative (measured in tests/test_dedup_exact_lsh.py).
    """
    ordered = sorted(members, key=lambda m: m[0])
    if not ordered:
        return
    num_perm = len(ordered[0][1])
    leaders = np.empty((min(max_leaders, len(ordered)), num_perm), dtype=np.uint32)
    leader_ids: list[str] = []
    cut = threshold - margin
    previous = None
    for node, sig in ordered:
        if is_empty_signature(sig):
            continue
        n = len(leader_ids)
        if n:
            estimates = np.count_nonzero(leaders[:n] == sig, axis=1) / num_perm
            hits = np.flatnonzero(estimates >= cut)
        else:
            hits = np.empty(0, dtype=np.int64)
        for i in hits:
            a, b = leader_ids[i], node
            yield (a, b) if a < b else (b, a)
        if not len(hits):
            if n < len(leaders):
                leaders[n] = sig
                leader_ids.append(node)
            elif previous is not None:
                yield (previous, node) if previous < node else (node, previous)
        previous = node


def similar(sig_a: np.ndarray, sig_b: np.ndarray, threshold: float) -> bool:
    """The candidate check: estimated Jaccard from the signatures reaches the threshold."""
    if is_empty_signature(sig_a) or is_empty_signature(sig_b):
        return False
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
    """Node -> smallest node of its component: the reference for tests, what the pipeline falls back to
    when its unrolled star rounds did not converge, and all it uses on Beam's DaskRunner."""
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
