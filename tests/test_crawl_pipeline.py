"""`corpusforge crawl` end to end against local servers: every case of issue 16, asserted exactly."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from crawl_site import (
    CRAWL_DELAY,
    DUP_BODY,
    MAX_BYTES,
    READ_TIMEOUT,
    RETRY_AFTER,
    html,
    links,
    path_of,
    start_sites,
    warc_records,
)

from corpus.crawl.serve import SiteServer
from corpus.sources.warc import read_warc
from pipelines import crawl

ROOT = Path(__file__).resolve().parents[1]
IN_PROCESS = ["--direct_running_mode", "in_memory", "--direct_num_workers", "1"]


def crawl_args(seeds: list[str], out: Path, *extra: str) -> list[str]:
    seeds_file = out.parent / f"{out.name}-seeds.txt"
    seeds_file.write_text("# seeds\n" + "\n".join(seeds) + "\n\nftp://example.org/not-http\n", encoding="utf-8")
    return ["--seeds", str(seeds_file), "--output_dir", str(out), "--min_delay", "0.05", *extra]


@pytest.fixture(scope="module")
def site_crawl(tmp_path_factory):
    out = tmp_path_factory.mktemp("crawl") / "out"
    a, b = start_sites()
    try:
        code = crawl.run(crawl_args([a.url("/"), b.url("/")], out, "--allow_private_hosts", "--max_depth", "2",
                                    "--read_timeout", str(READ_TIMEOUT), "--max_bytes", str(MAX_BYTES), *IN_PROCESS))
        yield {"code": code, "out": out, "a": a, "b": b, "log": crawl.read_log(out)}
    finally:
        a.stop()
        b.stop()


EXPECTED_A = {  # path on host A → (outcome, reason, status, depth)
    "/": ("fetched", None, 200, 0),
    "/d1/a": ("fetched", None, 200, 1), "/d1/b": ("fetched", None, 200, 1),
    "/private/secret": ("skipped", "robots:disallowed", None, 1),
    "/redirect/1": ("fetched", "http:301", 301, 1), "/redirect/2": ("fetched", "http:302", 302, 1),
    "/redirect/3": ("fetched", "http:307", 307, 1), "/d1/target": ("fetched", None, 200, 1),
    "/loop/1": ("fetched", "http:302", 302, 1), "/loop/2": ("fetched", "redirect:loop", 302, 1),
    **{f"/chain/{i}": ("fetched", "http:302", 302, 1) for i in range(5)},
    "/chain/5": ("fetched", "redirect:too_many", 302, 1),
    "/missing": ("fetched", "http:404", 404, 1), "/error": ("fetched", "http:500", 500, 1),
    "/busy": ("fetched", None, 200, 1), "/slow": ("failed", "fetch:read_timeout", None, 1),
    "/big": ("fetched", "truncated:length", 200, 1),
    "/file.pdf": ("skipped", "content_type:application/pdf", 200, 1),
    "/notes.txt": ("fetched", None, 200, 1), "/gzip": ("fetched", None, 200, 1),
    "/dup-a": ("fetched", None, 200, 1), "/dup-b": ("revisit", None, 200, 1),
    "/to-b": ("fetched", "http:301", 301, 1),
    "/d2/x": ("fetched", None, 200, 2),
    "/d3/y": ("skipped", "depth:max_depth", None, 3),
}
EXPECTED_B = {"/": ("skipped", "robots:unreachable:503", None, 0),
              "/from-a": ("skipped", "robots:unreachable:503", None, 2)}


def test_every_url_is_logged_with_its_outcome_and_reason(site_crawl):
    assert site_crawl["code"] == 0
    a, b = site_crawl["a"], site_crawl["b"]
    got = {e["url"]: (e["outcome"], e["reason"], e["status"], e["depth"]) for e in site_crawl["log"]}
    expected = {**{a.url(p): v for p, v in EXPECTED_A.items()}, **{b.url(p): v for p, v in EXPECTED_B.items()},
                "http://out-of-scope.invalid/page": ("skipped", "scope", None, 1),
                "ftp://example.org/not-http": ("skipped", "url:scheme", None, 0)}
    assert got == expected
    assert len(site_crawl["log"]) == len(expected)  # each URL once
    by_url = {e["url"]: e for e in site_crawl["log"]}
    assert by_url[a.url("/busy")]["tries"] == 2
    assert by_url[a.url("/d1/target")]["via"] == a.url("/redirect/3")
    assert by_url[b.url("/from-a")]["via"] == a.url("/to-b")


def test_no_disallowed_url_is_fetched_and_nothing_twice(site_crawl):
    a, b = site_crawl["a"], site_crawl["b"]
    paths = a.paths()
    assert "/private/secret" not in paths and "/nofollow" not in paths and "/d3/y" not in paths
    assert "/chain/6" not in paths
    expected = sorted(["/robots.txt", "/busy"] + [p for p, v in EXPECTED_A.items() if v[0] != "skipped" or v[2]])
    assert sorted(paths) == expected  # /busy twice (429, then the retry); everything else once
    assert b.paths() == ["/robots.txt"]  # robots.txt answered 503: nothing else from host B


def test_gaps_between_requests_to_a_host_are_at_least_the_crawl_delay(site_crawl):
    a = site_crawl["a"]
    times = a.times()
    gaps = [t2 - t1 for t1, t2 in zip(times, times[1:])]
    assert min(gaps) >= CRAWL_DELAY
    busy = a.times("/busy")
    assert busy[1] - busy[0] >= RETRY_AFTER


def test_every_page_in_scope_is_in_the_warc_exactly_once(site_crawl):
    out, a = site_crawl["out"], site_crawl["a"]
    assert list(out.glob("*.open")) == []
    records = warc_records(out)
    stored = [r for r in records if r["type"] in ("response", "revisit")]
    written = sorted(a.url(p) for p, v in EXPECTED_A.items() if v[0] in ("fetched", "revisit"))
    assert sorted(r["uri"] for r in stored) == written
    by_uri = {r["uri"]: r for r in stored}
    ids = {r["headers"]["WARC-Record-ID"] for r in stored}
    requests = [r for r in records if r["type"] == "request"]
    assert sorted(r["headers"]["WARC-Concurrent-To"] for r in requests) == sorted(ids)
    assert all(r["headers"]["WARC-IP-Address"] == "127.0.0.1" for r in stored + requests)
    assert {r["file"] for r in records if r["type"] == "warcinfo"} == {r["file"] for r in records}

    dup_a, dup_b = by_uri[a.url("/dup-a")], by_uri[a.url("/dup-b")]
    assert dup_a["type"] == "response" and dup_a["payload"] == DUP_BODY
    assert dup_b["type"] == "revisit"
    assert dup_b["headers"]["WARC-Refers-To"] == dup_a["headers"]["WARC-Record-ID"]
    assert dup_b["headers"]["WARC-Refers-To-Target-URI"] == a.url("/dup-a")
    assert dup_b["headers"]["WARC-Payload-Digest"] == dup_a["headers"]["WARC-Payload-Digest"]

    big = by_uri[a.url("/big")]
    assert big["headers"]["WARC-Truncated"] == "length" and len(big["payload"]) == MAX_BYTES
    gz = by_uri[a.url("/gzip")]
    assert gz["payload"] == a.routes["/gzip"].body and gz["http"]["X-Crawler-Content-Encoding"] == "gzip"
    assert by_uri[a.url("/busy")]["status"] == "200"
    assert by_uri[a.url("/error")]["status"] == "500"


def test_the_project_reader_takes_the_warc_files_straight_in(site_crawl):
    out, a = site_crawl["out"], site_crawl["a"]
    results = []
    for path in sorted(out.glob("*.warc.gz")):
        with open(path, "rb") as f:
            results += list(read_warc(f, str(path)))
    kinds = {}
    for r in results:
        kinds.setdefault(type(r).__name__, []).append(r)
    assert "DeadLetter" not in kinds
    assert sorted(path_of(d.url) for d in kinds["Document"]) == sorted(
        ["/", "/d1/a", "/d1/b", "/d1/target", "/busy", "/big", "/gzip", "/dup-a", "/d2/x"])
    gz = next(d for d in kinds["Document"] if d.url == a.url("/gzip"))
    assert gz.text.count("compressed words") == 200


def test_summary(site_crawl):
    summary = json.loads((site_crawl["out"] / "summary.json").read_text())
    log = site_crawl["log"]
    assert summary["urls"] == len(log)
    assert summary["pages"] == sum(1 for e in log if e["outcome"] in ("fetched", "revisit"))
    assert summary["outcomes"] == {"fetched": 24, "revisit": 1, "skipped": 7, "failed": 1}
    assert summary["outcomes"] == {k: sum(1 for e in log if e["outcome"] == k) for k in summary["outcomes"]}
    assert summary["reasons"]["robots:unreachable:503"] == 2
    assert summary["runs"] == sorted({e["run"] for e in log if e["run"]}) and len(summary["runs"]) == 1
    assert sorted(summary["warc_files"]) == sorted(p.name for p in site_crawl["out"].glob("*.warc.gz"))


def test_private_hosts_are_refused_with_a_clear_message(tmp_path, capsys):
    with SiteServer({"/": html("hello")}) as s:
        code = crawl.run(crawl_args([s.url("/")], tmp_path / "out", "--max_depth", "0", *IN_PROCESS))
        assert s.paths() == []
    err = capsys.readouterr().err
    assert code == crawl.EXIT_NOTHING
    assert "refused 1 URL(s) whose host resolves to a non-public address: loopback (1)" in err
    assert "unless --allow_private_hosts is given" in err
    (entry,) = [e for e in crawl.read_log(tmp_path / "out") if e["url"] == s.url("/")]
    assert (entry["outcome"], entry["reason"]) == ("skipped", "private_address:loopback")


@pytest.mark.parametrize("args, message", [
    ([], "--seeds: is required"),
    (["--seeds", "SEEDS"], "--output_dir: is required"),
    (["--seeds", "SEEDS", "--output_dir", "gs://bucket/crawl"], "--output_dir: must be a local or mounted directory"),
    (["--seeds", "SEEDS", "--output_dir", "OUT", "--min_delay", "-1"], "--min_delay: CrawlConfig.min_delay must be"),
    (["--seeds", "SEEDS", "--output_dir", "OUT", "--user_agent", "bot/1.0"], "--user_agent: CrawlConfig.user_agent "
                                                                             "must contain a contact URL"),
    (["--seeds", "SEEDS", "--output_dir", "OUT", "--scope", "planet"], "--scope: expected one of host, domain"),
    (["--seeds", "EMPTY", "--output_dir", "OUT"], "holds no http(s) URL"),
    (["--seeds", "MISSING", "--output_dir", "OUT"], "--seeds: cannot read"),
])
def test_bad_flags_name_the_flag(tmp_path, capsys, args, message):
    (tmp_path / "seeds.txt").write_text("http://example.org/\n")
    (tmp_path / "empty.txt").write_text("# nothing\nmailto:x@example.org\n")
    subst = {"SEEDS": str(tmp_path / "seeds.txt"), "EMPTY": str(tmp_path / "empty.txt"),
             "MISSING": str(tmp_path / "nope.txt"), "OUT": str(tmp_path / "out")}
    assert crawl.run([subst.get(a, a) for a in args]) == crawl.EXIT_USAGE
    assert message in capsys.readouterr().err


def test_cli_help_lists_the_issue_flags():
    proc = subprocess.run([sys.executable, "-m", "corpusforge", "crawl", "--help"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    for flag in ("--seeds", "--output_dir", "--max_depth", "--max_pages", "--max_pages_per_host", "--scope",
                 "--min_delay", "--user_agent", "--allow_private_hosts"):
        assert flag in proc.stdout


@pytest.mark.timeout(240)
def test_killed_crawl_resumes_without_fetching_anything_twice(tmp_path):
    pages = [f"/p/{i:02d}" for i in range(30)]
    in_flight, release = threading.Event(), threading.Event()

    def blocking(req):  # the kill comes while the crawler waits for this answer
        if req.count == 1:
            in_flight.set()
            release.wait(60)
        return html("page 15")

    routes = {"/": html(links(*pages)), **{p: html(f"page {p}") for p in pages}, pages[15]: blocking}
    out = tmp_path / "out"
    with SiteServer(routes) as s:
        args = [sys.executable, "-m", "pipelines.crawl", *crawl_args([s.url("/")], out, "--allow_private_hosts",
                                                                      "--max_depth", "1", *IN_PROCESS)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        first = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        try:
            assert in_flight.wait(180), "the first run never reached the page it is killed on"
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(30)
        finally:
            release.set()
        before = s.paths()
        assert before == ["/robots.txt", "/"] + pages[:16]
        (open_file,) = out.glob("*.warc.gz.open")  # the file being written: not a *.warc.gz
        complete = sorted(p.name for p in out.glob("*.warc.gz"))
        assert len(complete) == 1 and open_file.name not in complete

        second = subprocess.run(args, env=env, capture_output=True, text=True, timeout=180)
        assert second.returncode == 0, second.stderr[-3000:]
        assert "resuming: completed 1 WARC file(s) left open" in second.stdout
        after = s.paths()[len(before):]
        # Only the page that was in flight, never written, is requested again.
        assert after == pages[15:]
        assert sorted(before + after) == sorted(["/robots.txt", "/", pages[15]] + pages)

    assert list(out.glob("*.open")) == []
    stored = [r for r in warc_records(out) if r["type"] == "response"]
    assert sorted(path_of(r["uri"]) for r in stored) == sorted(["/"] + pages)
    log = crawl.read_log(out)
    assert sorted(path_of(e["url"]) for e in log if e["outcome"] == "fetched") == sorted(["/"] + pages)
    runs = sorted({e["run"] for e in log if e["run"]})
    assert len(runs) == 2
    first_run = {path_of(e["url"]) for e in log if e["run"] == runs[0]}
    assert first_run == {"/"} | set(pages[:15])


def _small_site_crawl(out: Path, *runner: str) -> tuple[int, list[str], list[tuple]]:
    routes = {"/": html(links("/a", "/b", "/dup")), "/a": html(links("/c")), "/b": html("b"),
              "/dup": html("b"), "/c": html("c")}
    with SiteServer(routes) as s:
        code = crawl.run(crawl_args([s.url("/")], out, "--allow_private_hosts", "--max_depth", "1", *runner))
        paths = s.paths()
    log = sorted((path_of(e["url"]), e["outcome"], e["reason"], e["status"], e["depth"]) for e in crawl.read_log(out))
    return code, paths, log


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_dask_runner_crawls_the_same_and_fetches_nothing_twice(tmp_path):
    """Beam's DaskRunner recomputes shared steps and replays elements (docs/engines.md): the host
    journals turn every repeat into a replay, so the server sees each request once. (Depth 1 only:
    the recomputation grows with each round, docs/crawl.md.)"""
    from dask.distributed import Client, LocalCluster

    direct = _small_site_crawl(tmp_path / "direct", *IN_PROCESS)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster):
        dask = _small_site_crawl(tmp_path / "dask", "--runner", "apache_beam.runners.dask.dask_runner.DaskRunner",
                                 "--dask_client_address", cluster.scheduler_address)
    assert dask == direct
    assert direct[0] == 0 and direct[1] == ["/robots.txt", "/", "/a", "/b", "/dup"]
    assert [row[1] for row in direct[2]] == ["fetched", "fetched", "fetched", "skipped", "revisit", "skipped"]
