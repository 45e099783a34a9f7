"""Fixed, log-spaced histogram bins that workers fill independently and a combine adds up.

Document lengths span six orders of magnitude (a 30-character stub next to a 3-MB dump
page), so linear bins would put everything in the first one. The edges are fixed in
advance (1-1.5-2-3-5-7 per decade, readable as labels) rather than derived from the data,
so each worker can count into the same bins and the pipeline merges by adding counts:
``beam.Map(lambda n: (bin_index(n), 1)) | beam.CombinePerKey(sum) | ToDict()`` gives a
sparse ``{bin: count}`` that :func:`histogram_from_counts` turns into the report form.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from numbers import Real

# Multipliers per decade: about x1.45 apart, and round numbers a reader can take in.
DECADE_STEPS = (1, 1.5, 2, 3, 5, 7)
MAX_DECADE = 10

BINS: tuple[int, ...] = (0,) + tuple(sorted({int(m * 10 ** d) for d in range(MAX_DECADE)
                                             for m in DECADE_STEPS} | {10 ** MAX_DECADE}))
"""Lower edges: bin ``i`` holds values in ``[BINS[i], BINS[i + 1])``; the last bin,
``[BINS[-2], BINS[-1])``, also takes anything larger (10^10 characters never occur)."""

NUM_BINS = len(BINS) - 1


def bin_index(value: float) -> int:
    """The bin of a non-negative value (a character or token count)."""
    if isinstance(value, bool) or not isinstance(value, Real) or value < 0:
        raise ValueError(f"histogram: values must be non-negative numbers, got {value!r}")
    return min(bisect_right(BINS, value) - 1, NUM_BINS - 1)


def bin_counts(values: Iterable[float]) -> dict[int, int]:
    """Sparse ``{bin: count}`` of ``values``; the mergeable form a worker emits."""
    counts: dict[int, int] = {}
    for v in values:
        i = bin_index(v)
        counts[i] = counts.get(i, 0) + 1
    return counts


def merge_counts(*parts: Mapping[int, int]) -> dict[int, int]:
    """Add sparse counts; order does not matter, which is what a CombineFn needs."""
    total: dict[int, int] = {}
    for part in parts:
        for i, n in part.items():
            total[int(i)] = total.get(int(i), 0) + n
    return dict(sorted(total.items()))


def _as_sparse(counts: Mapping[int, int] | Sequence[int]) -> dict[int, int]:
    items = counts.items() if isinstance(counts, Mapping) else enumerate(counts)
    sparse: dict[int, int] = {}
    for i, n in items:
        i = int(i)  # JSON turns int keys into strings
        if not 0 <= i < NUM_BINS:
            raise ValueError(f"histogram: bin index {i} out of range 0..{NUM_BINS - 1}")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"histogram: count of bin {i} must be a non-negative int, got {n!r}")
        if n:
            sparse[i] = sparse.get(i, 0) + n
    return sparse


def histogram_from_counts(counts: Mapping[int, int] | Sequence[int]) -> dict[str, list[int]]:
    """The report form ``{"edges": [...], "counts": [...]}`` trimmed to the occupied bins.

    ``counts`` is sparse ``{bin: count}`` or dense per :data:`BINS`. ``edges`` has one
    more entry than ``counts``; empty bins between occupied ones stay, so gaps show.
    """
    sparse = _as_sparse(counts)
    if not sparse:
        return {"edges": [], "counts": []}
    lo, hi = min(sparse), max(sparse)
    return {"edges": list(BINS[lo:hi + 2]), "counts": [sparse.get(i, 0) for i in range(lo, hi + 1)]}


def histogram(values: Iterable[float]) -> dict[str, list[int]]:
    """The report form of the histogram of ``values`` (for local tools and tests)."""
    return histogram_from_counts(bin_counts(values))


def validate_histogram(name: str, hist: Mapping) -> None:
    """Raise ValueError naming ``name`` unless ``hist`` is a well-formed report histogram."""
    edges, counts = hist.get("edges"), hist.get("counts")
    if not isinstance(edges, list) or not isinstance(counts, list):
        raise ValueError(f"{name}: needs lists 'edges' and 'counts', got {sorted(hist)}")
    if counts and len(edges) != len(counts) + 1:
        raise ValueError(f"{name}: {len(edges)} edges for {len(counts)} counts; expected counts + 1")
    if any(b <= a for a, b in zip(edges, edges[1:])):
        raise ValueError(f"{name}: edges must increase strictly, got {edges}")
