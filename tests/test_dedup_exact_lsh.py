"""Exact-dedup keys, URL normalisation, LSH banding and the connected-component steps."""
from __future__ import annotations

import random

import numpy as np
import pytest

from corpus import Document
from corpus.dedup.exact import normalize_text, normalize_url, text_key, url_survivor_key
from corpus.dedup.lsh import (
    LshParams,
    band_keys,
    bucket_pairs,
    clusters_union_find,
    large_star,
    leader_pairs,
    similar,
    small_star,
)


def test_text_key_folds_case_spacing_and_punctuation():
    assert normalize_text("Hello,   WORLD!!\n Ça  va?") == "hello world ça va"
    assert text_key("Hello, world.") == text_key("hello   WORLD")
    assert text_key("Hello, world.") != text_key("Hello, word.")
    assert normalize_text("ｆｕｌｌ－ｗｉｄｔｈ") == "full width"


@pytest.mark.parametrize("a,b", [
    ("https://www.Example.com/a/b/", "http://example.com/a/b"),
    ("http://example.com/p?b=2&a=1", "http://example.com/p?a=1&b=2"),
    ("http://example.com/p?utm_source=x&id=3#top", "http://example.com/p?id=3"),
    ("http://example.com:80/", "http://example.com"),
])
def test_urls_that_name_the_same_page(a, b):
    assert normalize_url(a) == normalize_url(b)


def test_urls_that_differ():
    assert normalize_url("http://example.com/a") != normalize_url("http://example.com/b")
    assert normalize_url("http://example.com:8080/") != normalize_url("http://example.com/")
    assert normalize_url("http://example.com/?id=1") != normalize_url("http://example.com/?id=2")
    assert normalize_url("") == ""


def test_newest_capture_wins_then_smallest_id():
    old = Document("b", "t", "warc", meta={"warc_date": "2020-01-01T00:00:00Z"})
    new = Document("c", "t", "warc", meta={"warc_date": "2021-06-01T00:00:00Z"})
    undated = Document("a", "t", "warc")
    assert min([old, new, undated], key=url_survivor_key) is new
    twin = Document("a2", "t", "warc", meta={"warc_date": "2021-06-01T00:00:00Z"})
    assert min([new, twin], key=url_survivor_key) is twin


def test_optimal_params_match_datasketch():
    from datasketch import MinHashLSH

    p = LshParams.optimal(0.8, 128, fp_weight=0.5, fn_weight=0.5)
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    assert (p.bands, p.rows) == (lsh.b, lsh.r) == (9, 13)
    # The shipped default weights recall (candidates are checked exactly afterwards).
    default = LshParams.optimal(0.8, 128)
    weighted = MinHashLSH(threshold=0.8, num_perm=128, weights=(0.05, 0.95))
    assert (default.bands, default.rows) == (weighted.b, weighted.r) == (16, 8)
    with pytest.raises(ValueError, match="LshParams.threshold"):
        LshParams.optimal(1.5)
    with pytest.raises(ValueError, match="sum to 1"):
        LshParams.optimal(0.8, 128, fp_weight=0.5, fn_weight=0.7)


def test_band_keys_agree_exactly_when_bands_agree():
    p = LshParams.optimal(0.8, 128)
    rng = np.random.default_rng(0)
    sig = rng.integers(0, 2**32, 128, dtype=np.uint32)
    other = sig.copy()
    other[0] += 1  # only band 0 differs
    ka, kb = band_keys(sig, p), band_keys(other, p)
    assert len(ka) == p.bands == 16 and ka[0] != kb[0] and ka[1:] == kb[1:]
    assert [k[0] for k in ka] == list(range(16))


def test_bucket_pairs_are_all_pairs():
    assert list(bucket_pairs(["c", "a", "b", "a"])) == [("a", "b"), ("a", "c"), ("b", "c")]


def _clustered_signatures(clusters: int, members: int, num_perm: int = 128, changed: int = 12, seed: int = 3):
    """Members of each cluster differ from its base in ``changed`` random positions (estimate >= 0.8)."""
    rng = np.random.default_rng(seed)
    out = []
    for c in range(clusters):
        base = rng.integers(0, 2**31, size=num_perm, dtype=np.uint32)
        for _ in range(members):
            sig = base.copy()
            sig[rng.choice(num_perm, size=changed, replace=False)] = rng.integers(0, 2**31, size=changed,
                                                                                  dtype=np.uint32)
            out.append((f"{rng.integers(10**9):09d}-c{c:03d}", sig))  # ids in no cluster order
    rng.shuffle(out)
    return out


def _components_found(members, pairs, threshold):
    """Components of the candidate pairs that pass the check, against the truth of all pairs."""
    sig = dict(members)
    checked = [(a, b) for a, b in pairs if similar(sig[a], sig[b], threshold)]
    truth = [(a, b) for i, (a, sa) in enumerate(members) for b, sb in members[i + 1:] if similar(sa, sb, threshold)]
    found, true = clusters_union_find(checked), clusters_union_find(truth)
    missed = sum(1 for a, b in truth if found.get(a, a) != found.get(b, b))
    components = lambda roots: len({roots.get(node, node) for node in sig})  # noqa: E731 - singletons too
    return components(true), components(found), missed, len(truth)


def test_large_buckets_are_checked_against_representatives():
    members = _clustered_signatures(clusters=30, members=12)
    pairs = list(leader_pairs(members, 0.8))
    # one representative per cluster: 360 members x 30 representatives, not 64,620 pairs
    assert len(pairs) <= 360 * 30 and all(a < b for a, b in pairs)
    true_clusters, found_clusters, missed, truth_pairs = _components_found(members, pairs, 0.8)
    assert (true_clusters, found_clusters, missed) == (30, 30, 0) and truth_pairs > 0
    assert list(leader_pairs(members, 0.8)) == pairs  # deterministic


def test_representative_bound_and_what_it_misses():
    """Past ``max_leaders`` representatives a member that resembles none of them is only chained to the
    member before it: the clusters of the members that came too late are split. Measured here."""
    members = _clustered_signatures(clusters=30, members=12)
    pairs = list(leader_pairs(members, 0.8, max_leaders=10))
    # 30 clusters in a bucket of 360 members, 10 representatives: the 20 clusters that found no room are
    # split into 244 - 10 pieces, and 1,313 of the 1,980 similar pairs end up in different components.
    # With room for a representative per cluster (the default bound is 256), nothing is missed.
    assert _components_found(members, pairs, 0.8) == (30, 244, 1313, 1980)
    assert _components_found(members, list(leader_pairs(members, 0.8, max_leaders=30)), 0.8) == (30, 30, 0, 1980)


def test_similar_uses_the_threshold():
    a = np.arange(10, dtype=np.uint32)
    b = a.copy()
    b[:2] = 99
    assert similar(a, b, 0.8) and not similar(a, b, 0.81)


def _star_components(edges):
    """Alternate large-star / small-star until nothing changes, as the pipeline does."""
    edges = {tuple(sorted(e)) for e in edges}
    for _ in range(50):
        adj = {}
        for a, b in edges:
            adj.setdefault(a, set()).add(b)
            adj.setdefault(b, set()).add(a)
        after_large = {tuple(sorted(e)) for n, nb in adj.items() for e in large_star(n, nb)}
        adj = {}
        for a, b in after_large:
            adj.setdefault(a, set()).add(b)
            adj.setdefault(b, set()).add(a)
        after_small = {tuple(sorted(e)) for n, nb in adj.items() for e in small_star(n, nb)}
        if after_small == edges:
            break
        edges = after_small
    return {b: a for a, b in edges} | {a: a for a, _ in edges}


def test_star_steps_find_the_same_components_as_union_find():
    rng = random.Random(1)
    nodes = [f"n{i:03d}" for i in range(120)]
    edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(90)]
    edges = [(a, b) for a, b in edges if a != b]
    assert _star_components(edges) == clusters_union_find(edges)


def test_a_chain_is_one_cluster():
    # A~B and B~C but not A~C: still one cluster.
    assert clusters_union_find([("A", "B"), ("B", "C")]) == {"A": "A", "B": "A", "C": "A"}
    assert _star_components([("A", "B"), ("B", "C")]) == {"A": "A", "B": "A", "C": "A"}
