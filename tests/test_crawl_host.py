"""One host's crawl without Beam: politeness, retries, redirects, budgets, robots answers, replay."""
from __future__ import annotations

import pytest

from corpus.crawl.config import CrawlConfig
from corpus.crawl.host import DIGEST, LINK, LOG, Candidate, HostCrawler
from corpus.crawl.serve import Page, SiteServer
from corpus.crawl.urls import host_key

pytestmark = pytest.mark.timeout(60)
TEXT = (("Content-Type", "text/plain"),)


def html(text: str) -> Page:
    return Page(body=f"<html><body>{text}</body></html>".encode())


def crawl(server: SiteServer, out, paths, run_id="run1", **kw):
    cfg = CrawlConfig(**{"allow_private_hosts": True, "min_delay": 0.05, "read_timeout": 2.0, **kw})
    crawler = HostCrawler(cfg, out, host_key(server.base + "/"), run_id)
    return crawler.crawl([Candidate(server.url(p), 0, seed=True) for p in paths])


def log(events) -> dict:
    return {e.url.split("/", 3)[3]: (e.outcome, e.reason, e.status) for t, e in events if t == LOG}


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in zip(times, times[1:])]


def test_gaps_honour_crawl_delay_and_replay_fetches_nothing(tmp_path):
    routes = {"/robots.txt": Page(headers=TEXT, body=b"User-agent: *\nCrawl-delay: 0.2\n"),
              **{f"/p{i}": html(f'page {i} <a href="/p{i + 1}">next</a>') for i in range(5)}}
    with SiteServer(routes) as s:
        events = crawl(s, tmp_path, [f"/p{i}" for i in range(5)])
        assert s.paths() == ["/robots.txt"] + [f"/p{i}" for i in range(5)]
        assert min(gaps(s.times())) >= 0.2
        links = sorted(c.url for t, c in events if t == LINK)
        assert links == [s.url(f"/p{i}") for i in range(1, 6)]
        again = crawl(s, tmp_path, [f"/p{i}" for i in range(5)], run_id="run2")
        assert len(s.paths()) == 6  # nothing requested twice, robots.txt included (cached in the host state)
        assert sorted(map(repr, again)) == sorted(map(repr, events))  # the same log, links and digests


def test_delay_holds_across_batches(tmp_path):
    """The next round's first request waits for the delay after the previous round's last one."""
    with SiteServer({"/a": html("a"), "/b": html("b")}) as s:
        crawl(s, tmp_path, ["/a"], min_delay=0.5)
        crawl(s, tmp_path, ["/b"], min_delay=0.5)
        assert s.paths() == ["/robots.txt", "/a", "/b"]
        assert min(gaps(s.times())) >= 0.5


def test_retry_after_then_success(tmp_path):
    def busy(req):
        return Page(429, (("Retry-After", "1"),), b"wait") if req.count == 1 else html("ok")

    def unavailable(req):  # no Retry-After: back-off of max(delay, 1 s)
        return Page(503, body=b"down") if req.count == 1 else html("up")

    with SiteServer({"/busy": busy, "/down": unavailable}) as s:
        events = crawl(s, tmp_path, ["/busy", "/down"], max_retries=1)
        assert log(events) == {"busy": ("fetched", None, 200), "down": ("fetched", None, 200)}
        assert [e.tries for t, e in events if t == LOG] == [2, 2]
        for path in ("/busy", "/down"):
            t = s.times(path)
            assert len(t) == 2 and t[1] - t[0] >= 1.0


def test_retries_are_bounded(tmp_path):
    with SiteServer({"/never": Page(429, (("Retry-After", "0"),), b"no"),
                     "/later": Page(429, (("Retry-After", "3600"),), b"no")}) as s:
        events = crawl(s, tmp_path, ["/never", "/later"], max_retries=2, max_retry_after=1.0)
        assert log(events) == {"never": ("fetched", "http:429", 429), "later": ("fetched", "http:429", 429)}
        assert s.paths().count("/never") == 3  # the first try and two retries
        assert s.paths().count("/later") == 1  # an hour is longer than we wait: given up at once


def test_redirects_chain_loop_too_many_and_other_host(tmp_path):
    routes = {"/r1": Page(301, (("Location", "/r2"),)), "/r2": Page(302, (("Location", "/end"),)), "/end": html("end"),
              "/loop1": Page(302, (("Location", "/loop2"),)), "/loop2": Page(302, (("Location", "/loop1"),)),
              **{f"/c{i}": Page(302, (("Location", f"/c{i + 1}"),)) for i in range(8)},
              "/away": Page(301, (("Location", "http://elsewhere.test/x"),)),
              "/bad": Page(301, (("Location", "ftp://h/x"),))}
    with SiteServer(routes) as s:
        events = crawl(s, tmp_path, ["/r1", "/loop1", "/c0", "/away", "/bad"], max_redirects=5)
        assert log(events) == {
            "r1": ("fetched", "http:301", 301), "r2": ("fetched", "http:302", 302), "end": ("fetched", None, 200),
            "loop1": ("fetched", "http:302", 302), "loop2": ("fetched", "redirect:loop", 302),
            **{f"c{i}": ("fetched", "http:302", 302) for i in range(5)}, "c5": ("fetched", "redirect:too_many", 302),
            "away": ("fetched", "http:301", 301), "bad": ("fetched", "redirect:scheme", 301)}
        assert "/c6" not in s.paths()
        (away,) = [c for t, c in events if t == LINK]
        assert (away.url, away.depth, away.redirects, away.seed, away.via) == (
            "http://elsewhere.test/x", 1, 1, True, s.url("/away"))


def test_per_host_budget_counts_frontier_urls(tmp_path):
    routes = {"/a": Page(301, (("Location", "/z"),)), "/z": html("z"), "/b": html("b"), "/c": html("c")}
    with SiteServer(routes) as s:  # URLs of a batch go in order: /a (and its redirect), /b, /c
        events = crawl(s, tmp_path, ["/a", "/b", "/c"], max_pages_per_host=2)
        assert log(events) == {"a": ("fetched", "http:301", 301), "z": ("fetched", None, 200),
                               "b": ("fetched", None, 200), "c": ("skipped", "budget:max_pages_per_host", None)}


@pytest.mark.parametrize("status", [500, 503])
def test_robots_5xx_means_nothing_else_is_fetched(tmp_path, status):
    with SiteServer({"/robots.txt": Page(status, TEXT, b"down"), "/a": html("a"), "/b": html("b")}) as s:
        events = crawl(s, tmp_path, ["/a", "/b"])
        assert s.paths() == ["/robots.txt"]
        reason = f"robots:unreachable:{status}"
        assert log(events) == {"a": ("skipped", reason, None), "b": ("skipped", reason, None)}


def test_robots_4xx_allows_and_redirects_are_followed(tmp_path):
    with SiteServer({"/robots.txt": Page(301, (("Location", "/real-robots.txt"),)),
                     "/real-robots.txt": Page(headers=TEXT, body=b"User-agent: corpusforge\nDisallow: /no\n"),
                     "/no": html("no"), "/yes": html("yes")}) as s:
        assert log(crawl(s, tmp_path / "a", ["/no", "/yes"])) == {
            "no": ("skipped", "robots:disallowed", None), "yes": ("fetched", None, 200)}
        assert "/no" not in s.paths()
    with SiteServer({"/robots.txt": Page(403, TEXT, b"forbidden"), "/x": html("x")}) as s:
        assert log(crawl(s, tmp_path / "b", ["/x"])) == {"x": ("fetched", None, 200)}


def test_crawl_delay_longer_than_the_bound_skips_the_host(tmp_path):
    with SiteServer({"/robots.txt": Page(headers=TEXT, body=b"User-agent: *\nCrawl-delay: 120\n"),
                     "/a": html("a")}) as s:
        assert log(crawl(s, tmp_path, ["/a"], max_crawl_delay=30.0)) == {
            "a": ("skipped", "robots:crawl_delay_too_long", None)}
        assert s.paths() == ["/robots.txt"]


def test_duplicate_payload_is_a_revisit_and_digests_are_shared(tmp_path):
    body = b"<html><body>same</body></html>"
    with SiteServer({"/one": Page(body=body), "/two": Page(body=body), "/three": Page(body=body)}) as s:
        events = crawl(s, tmp_path, ["/one", "/two"])
        assert log(events) == {"one": ("fetched", None, 200), "two": ("revisit", None, 200)}
        (digest,) = [v for t, v in events if t == DIGEST]
        entries = {e.url: e for t, e in events if t == LOG}
        assert digest == (entries[s.url("/one")].digest, (s.url("/one"), entries[s.url("/one")].time,
                                                           entries[s.url("/one")].record_id))
        assert entries[s.url("/two")].refers_to == entries[s.url("/one")].record_id
        # another round (another worker): the original comes from the pipeline's side input
        cfg = CrawlConfig(allow_private_hosts=True, min_delay=0.05)
        other = HostCrawler(cfg, tmp_path / "other", host_key(s.base + "/"), "run1", originals={digest[0]: digest[1]})
        (entry,) = [e for t, e in other.crawl([Candidate(s.url("/three"), 1)]) if t == LOG]
        assert (entry.outcome, entry.refers_to) == ("revisit", entries[s.url("/one")].record_id)


def test_private_host_refused_without_a_request(tmp_path):
    with SiteServer({"/a": html("a")}) as s:
        crawler = HostCrawler(CrawlConfig(), tmp_path, host_key(s.base + "/"), "run1")
        events = crawler.crawl([Candidate(s.url("/a"), 0, seed=True)])
        assert log(events) == {"a": ("skipped", "private_address:loopback", None)}
        assert s.paths() == []


def test_redirect_to_a_private_address_is_refused(tmp_path, monkeypatch):
    """A public host redirecting to a name that resolves to a private address: the target's
    address is checked like any other, before anything is sent to it."""
    import socket

    from corpus.crawl import fetch

    monkeypatch.setattr(fetch, "address_class", lambda ip: "loopback" if ip == "127.0.0.2" else None)
    with SiteServer({"/x": html("secret")}, address="127.0.0.2") as inner:
        names = {"good.test": "127.0.0.1", "evil.test": "127.0.0.2"}

        def resolver(host, port, type=0):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names[host], port))]

        def make(cfg):
            return fetch.Fetcher(cfg, resolver=resolver)

        with SiteServer({"/go": Page(302, (("Location", f"http://evil.test:{inner.port}/x"),))}) as outer:
            cfg = CrawlConfig(min_delay=0.05)  # private hosts not allowed
            good = f"good.test:{outer.port}"
            events = HostCrawler(cfg, tmp_path, good, "run1", fetcher_factory=make).crawl(
                [Candidate(f"http://{good}/go", 0)])
            assert log(events) == {"go": ("fetched", "http:302", 302)}
            (target,) = [c for t, c in events if t == LINK]
            evil = HostCrawler(cfg, tmp_path, f"evil.test:{inner.port}", "run1", fetcher_factory=make).crawl([target])
            assert log(evil) == {"x": ("skipped", "private_address:loopback", None)}
        assert inner.paths() == []
