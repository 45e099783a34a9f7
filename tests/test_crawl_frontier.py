"""Frontier decisions between rounds: once per URL, scope, depth, the page budget; and their Beam transforms."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from crawl_site import html, links

from corpus.crawl.frontier import FRONTIER, KEY, LOG, decide, merge_originals, rank, within_budget
from corpus.crawl.host import Candidate
from corpus.crawl.serve import SiteServer
from corpus.crawl.urls import Scope, url_key
from pipelines import crawl
from pipelines.crawl import Decide, WithinBudget

SCOPE = Scope.parse("host", ["http://h.org/"])


def tags(events) -> list:
    return [(t, v if t == KEY else (v.url, getattr(v, "reason", None))) for t, v in events]


def test_decide_each_url_once_in_scope_and_depth():
    c = Candidate("http://h.org/a", 1, via="http://h.org/")
    assert tags(decide("k", [c], seen=False, scope=SCOPE, max_depth=2)) == [(KEY, "k"), (FRONTIER, ("http://h.org/a", None))]
    assert list(decide("k", [c], seen=True, scope=SCOPE, max_depth=2)) == []
    out = Candidate("http://x.org/a", 1)
    assert tags(decide("k", [out], False, SCOPE, 2)) == [(KEY, "k"), (LOG, ("http://x.org/a", "scope"))]
    seed_redirect = Candidate("http://x.org/a", 1, redirects=1, seed=True)
    assert tags(decide("k", [seed_redirect], False, SCOPE, 2))[1] == (FRONTIER, ("http://x.org/a", None))
    deep = Candidate("http://h.org/deep", 3)
    assert tags(decide("k", [deep], False, SCOPE, 2))[1] == (LOG, ("http://h.org/deep", "depth:max_depth"))


def test_decide_keeps_the_shallowest_candidate():
    found = [Candidate("http://h.org/a", 2, via="http://h.org/z"), Candidate("http://h.org/a", 1, via="http://h.org/y"),
             Candidate("http://h.org/a", 1, via="http://h.org/b")]
    (_, (_, chosen)) = list(decide("k", found, False, SCOPE, 2))
    assert (chosen.depth, chosen.via) == (1, "http://h.org/b")


def test_budget_takes_the_best_ranked_urls():
    cands = [Candidate(f"http://h{i}.org/", 0) for i in range(10)]
    smallest = sorted(rank(c) for c in cands)
    taken = [c.url for c in cands for t, _ in within_budget(c, smallest, used=6, max_pages=10) if t == FRONTIER]
    assert sorted(taken) == sorted(c.url for c in cands if rank(c) <= smallest[3])  # 10 - 6 left
    assert all(t == LOG for c in cands for t, _ in within_budget(c, smallest, used=10, max_pages=10))
    (t, entry), = within_budget(cands[0], smallest, used=10, max_pages=10)
    assert (entry.outcome, entry.reason) == ("skipped", "budget:max_pages")


def test_merge_originals_is_order_independent():
    a = ("sha1:X", ("http://b.org/", "2024", "<urn:b>"))
    b = ("sha1:X", ("http://a.org/", "2024", "<urn:a>"))
    assert merge_originals({}, [a, b]) == merge_originals({}, [b, a]) == {"sha1:X": b[1]}


def test_decide_and_within_budget_transforms():
    urls = [f"http://h{i}.org/" for i in range(8)]
    by_rank = sorted(urls, key=lambda u: rank(Candidate(u, 0)))
    with TestPipeline() as p:
        cands = p | "C" >> beam.Create(["http://h.org/a", "http://h.org/b", "http://x.org/c"]) | beam.Map(
            lambda u: Candidate(u, 1))
        seen = p | "S" >> beam.Create([url_key("http://h.org/b")])
        parts = (cands, seen) | Decide(SCOPE, max_depth=2)
        assert_that(parts[FRONTIER] | "F" >> beam.Map(lambda c: c.url), equal_to(["http://h.org/a"]), label="frontier")
        assert_that(parts[LOG] | "L" >> beam.Map(lambda e: (e.url, e.reason)), equal_to([("http://x.org/c", "scope")]),
                    label="log")
        assert_that(parts[KEY], equal_to([url_key("http://h.org/a"), url_key("http://x.org/c")]), label="keys")

        # --max_pages 5, of which earlier rounds took 3 (more cases: test_budget_takes_the_best_ranked_urls)
        frontier = p | "BF" >> beam.Create(urls) | "BFC" >> beam.Map(lambda u: Candidate(u, 0))
        earlier = p | "BE" >> beam.Create([f"http://old{i}.org/" for i in range(3)]) | "BEC" >> beam.Map(
            lambda u: Candidate(u, 0))
        budget = (frontier, earlier) | WithinBudget(5)
        assert_that(budget[FRONTIER] | "U" >> beam.Map(lambda c: c.url), equal_to(by_rank[:2]), label="taken")
        assert_that(budget[LOG] | "R" >> beam.Map(lambda e: e.reason), equal_to(["budget:max_pages"] * 6),
                    label="logged")


def test_max_pages_bounds_the_whole_crawl(tmp_path):
    pages = [f"/p{i}" for i in range(8)]
    with SiteServer({"/": html(links(*pages)), **{p: html(links("/") + p) for p in pages}}) as s:
        seeds = tmp_path / "seeds.txt"
        seeds.write_text(s.url("/") + "\n")
        code = crawl.run(["--seeds", str(seeds), "--output_dir", str(tmp_path / "out"), "--allow_private_hosts",
                          "--min_delay", "0", "--max_pages", "3", "--max_depth", "1",
                          "--direct_running_mode", "in_memory", "--direct_num_workers", "1"])
        assert code == 0
        assert len([p for p in s.paths() if p != "/robots.txt"]) == 3
    log = crawl.read_log(tmp_path / "out")
    assert sorted(e["outcome"] for e in log) == ["fetched"] * 3 + ["skipped"] * 6
    assert {e["reason"] for e in log if e["outcome"] == "skipped"} == {"budget:max_pages"}
