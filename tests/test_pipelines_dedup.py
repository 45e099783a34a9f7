"""Dedup in Beam: URL, exact and near duplicates, chains, determinism across workers."""
from __future__ import annotations

import random

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to

from corpus import Document
from corpus.dedup import minhash
from corpus.dedup.config import DedupConfig
from pipelines.dedup import Deduplicate

_RNG = random.Random(42)
_VOCAB = [f"{w}{i}" for i, w in enumerate(["alpha", "beta", "gamma", "delta", "river", "stone"] * 400)]


def _words(n: int, rng: random.Random = _RNG) -> list[str]:
    return [rng.choice(_VOCAB) for _ in range(n)]


def _edit(words: list[str], positions: list[int]) -> list[str]:
    out = list(words)
    for p in positions:
        out[p] = f"edited{p}"
    return out


def _doc(i: str, words, url: str = "", date: str = "", source: str = "warc") -> Document:
    meta = {"warc_date": date} if date else {}
    return Document(i, " ".join(words) if isinstance(words, list) else words, source, url, meta)


def _run(docs, config, options=None):
    with BeamTestPipeline(options=options) as p:
        result = p | beam.Create(docs) | Deduplicate(config)
        kept = result.kept | "KeptIds" >> beam.Map(lambda d: d.id)
        dropped = result.dropped | "DroppedIds" >> beam.Map(lambda dr: (dr[0].id, dr[1]))
        yield kept, dropped, result.stats


def test_url_exact_and_near_duplicates():
    base = _words(400)
    docs = [
        _doc("d01", base, "https://a.example/story", "2024-01-01T00:00:00Z"),
        _doc("d02", base + ["x"], "http://www.a.example/story/?utm_source=feed", "2024-03-01T00:00:00Z"),
        _doc("d03", "Completely different text about something else entirely, " + " ".join(_words(300))),
        _doc("d04", "COMPLETELY different text about something else entirely " + "", "https://b.example/1"),
        _doc("d05", "completely different text -- about something else, entirely!", "https://b.example/2"),
        _doc("d06", _edit(base, [200]), "https://c.example/copy"),
        _doc("d07", _words(400), "https://d.example/other"),
    ]
    # d02 is the newest capture of d01's URL; d05 is d04's text with other punctuation and case;
    # d06 is d02 with one word changed.
    with BeamTestPipeline() as p:
        result = p | beam.Create(docs) | Deduplicate(DedupConfig())
        assert_that(result.kept | beam.Map(lambda d: d.id), equal_to(["d02", "d03", "d04", "d07"]),
                    label="kept")
        assert_that(result.dropped | beam.Map(lambda dr: (dr[0].id, dr[1], dr[0].meta["duplicate_of"])),
                    equal_to([("d01", "dedup:url", "d02"), ("d05", "dedup:exact", "d04"),
                              ("d06", "dedup:near", "d02")]), label="dropped")
        assert_that(result.stats | beam.Map(lambda s: (s["clusters"], s["cluster_size_histogram"],
                                                      [e["survivor"] for e in s["examples"]])),
                    equal_to([(1, {2: 1}, ["d02"])]), label="stats")


def test_chain_a_b_c_is_one_cluster_even_when_a_and_c_are_not_similar():
    a = _words(300)
    b = _edit(a, [30, 90, 150, 210])
    c = _edit(b, [60, 120, 180, 240])
    sa, sb, sc = minhash.shingle_sets([" ".join(x) for x in (a, b, c)])
    assert minhash.exact_jaccard(sa, sb) >= 0.8 and minhash.exact_jaccard(sb, sc) >= 0.8
    assert minhash.exact_jaccard(sa, sc) < 0.8
    # Many narrow bands: every pair above is a candidate, so this tests the clustering.
    cfg = DedupConfig(url=False, exact=False, bands=32, rows=4)
    docs = [_doc("c", c), _doc("a", a), _doc("b", b), _doc("z", _words(300))]
    with BeamTestPipeline() as p:
        result = p | beam.Create(docs) | Deduplicate(cfg)
        assert_that(result.kept | beam.Map(lambda d: d.id), equal_to(["a", "z"]), label="kept")
        assert_that(result.dropped | beam.Map(lambda dr: (dr[0].id, dr[0].meta["dedup_cluster"])),
                    equal_to([("b", "a"), ("c", "a")]), label="dropped")


def test_signature_check_and_no_check_modes():
    a = _words(300)
    docs = [_doc("a", a), _doc("b", _edit(a, [10])), _doc("z", _words(300))]
    for check in ("signature", "none"):
        with BeamTestPipeline() as p:
            result = p | beam.Create(docs) | Deduplicate(DedupConfig(check=check))
            assert_that(result.kept | beam.Map(lambda d: d.id), equal_to(["a", "z"]))


def test_components_are_finished_with_union_find_when_the_rounds_do_not_converge():
    # Sliding windows over one word sequence: each document is similar to its neighbours
    # only, so the graph is a long path, which one round of star steps cannot collapse.
    stream = _words(400)
    order = [3, 9, 0, 6, 1, 11, 4, 8, 2, 10, 5, 7]  # ids not in path order
    docs = [_doc(f"p{order[i]:02d}", stream[10 * i:10 * i + 200]) for i in range(12)]
    for rounds in (1, 8):  # one round: union-find finishes the job; eight: the rounds converge by themselves
        cfg = DedupConfig(url=False, exact=False, threshold=0.75, bands=64, rows=2, cc_rounds=rounds)
        with BeamTestPipeline() as p:
            result = p | beam.Create(docs) | Deduplicate(cfg)
            assert_that(result.kept | beam.Map(lambda d: d.id), equal_to(["p00"]), label="kept")
            assert_that(result.dropped | beam.Map(lambda dr: dr[0].meta["dedup_cluster"]),
                        equal_to(["p00"] * 11), label="clusters")


def test_texts_without_words_are_duplicates_only_when_equal():
    """Punctuation-only documents (possible with --skip quality) have no shingles and an empty
    normalised text: each different one is kept, an exact copy is dropped."""
    texts = ["...", "!!! ???", "--- *** ---", "(  )", "!!! ???"]
    docs = [_doc(f"q{i}", t, source="jsonl") for i, t in enumerate(texts)]
    with BeamTestPipeline() as p:
        result = p | beam.Create(docs) | Deduplicate(DedupConfig())
        assert_that(result.kept | beam.Map(lambda d: d.id), equal_to(["q0", "q1", "q2", "q3"]), label="kept")
        assert_that(result.dropped | beam.Map(lambda dr: (dr[0].id, dr[1])), equal_to([("q4", "dedup:exact")]),
                    label="dropped")


def test_url_dedup_applies_to_web_captures_unless_asked_for_all():
    """Rows of a table that share a url (answers in one thread) are different documents."""
    rows = [_doc(f"r{i}", _words(120), "https://forum.example/thread/7", source="jsonl") for i in range(4)]
    captures = [_doc(f"w{i}", _words(120), "https://news.example/a", f"2024-0{i + 1}-01", source="warc")
                for i in range(2)]
    for scope, kept, dropped in [("web", ["r0", "r1", "r2", "r3", "w1"], [("w0", "dedup:url")]),
                                 ("all", ["r0", "w1"], [("r1", "dedup:url"), ("r2", "dedup:url"),
                                                        ("r3", "dedup:url"), ("w0", "dedup:url")])]:
        with BeamTestPipeline() as p:
            result = p | beam.Create(rows + captures) | Deduplicate(DedupConfig(url_scope=scope))
            assert_that(result.kept | beam.Map(lambda d: d.id), equal_to(kept), label="kept")
            assert_that(result.dropped | beam.Map(lambda dr: (dr[0].id, dr[1])), equal_to(dropped), label="dropped")


def test_a_large_bucket_is_checked_against_representatives():
    """More members share a band than max_bucket_pairs: every near duplicate is still found."""
    rng = random.Random(11)
    docs = []
    for c in range(6):
        base = _words(200, rng)
        docs += [_doc(f"{rng.randrange(10**6):06d}-c{c}", _edit(base, [rng.randrange(200)])) for _ in range(5)]
    cfg = DedupConfig(url=False, exact=False, max_bucket_pairs=3)
    with BeamTestPipeline() as p:
        result = p | beam.Create(docs) | Deduplicate(cfg)
        assert_that(result.kept | beam.Map(lambda d: d.id.split("-")[1]), equal_to([f"c{c}" for c in range(6)]),
                    label="one per cluster")


def test_same_survivors_with_one_and_two_workers(tmp_path):
    rng = random.Random(7)
    bases = [_words(200, rng) for _ in range(20)]
    docs = []
    for i, base in enumerate(bases):
        docs.append(_doc(f"b{i:02d}", base, f"https://s.example/{i}"))
        docs.append(_doc(f"n{i:02d}", _edit(base, [rng.randrange(200)]), f"https://m.example/{i}"))
        if i % 3 == 0:
            docs.append(_doc(f"e{i:02d}", " ".join(base).upper(), f"https://e.example/{i}"))
    results = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        opts = beam.options.pipeline_options.PipelineOptions(
            ["--direct_num_workers", str(workers), "--direct_running_mode", "multi_processing"])
        with beam.Pipeline(options=opts) as p:
            result = p | beam.Create(docs) | Deduplicate(DedupConfig())
            (result.kept | beam.Map(lambda d: d.id)
             | beam.io.WriteToText(str(out / "kept"), shard_name_template=""))
        results.append(sorted((out / "kept").read_text().split()))
    assert results[0] == results[1]
    assert len(results[0]) == 20
