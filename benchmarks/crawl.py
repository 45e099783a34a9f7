"""The crawler's own overhead: pages/s and CPU per page against local servers, beside a plain requests loop.

Twenty servers on 127.0.0.11-30 (Linux routes all of 127/8 to loopback), each with an index
page linking to ``--pages`` HTML pages of about 10 KB and a robots.txt. Every run fetches
the same ``20 * (pages + 1)`` URLs with the per-host delay at 0 and writes WARC files:

* ``requests loop``: the peer, one ``requests.Session`` fetching the known URL list in one
  thread, recorded by ``warcio.capture_http`` (request + response records);
* ``corpusforge crawl`` as users run it (DirectRunner in process, 16 fetch threads, so up to 16
  hosts at once), which also reads robots.txt, extracts links, journals and runs Beam;
* the same with ``--fetch_threads 1`` (hosts one after another: the loop's shape), and with
  Beam's multi-processing mode (2 worker processes).

Each runs as a subprocess, so its CPU time (user + system, its children included) is
measured apart from the servers, which run in this process. Wall time includes each
command's start-up (Beam's is seconds); the table shows the ratios to the loop.

    .venv/bin/python benchmarks/crawl.py [--pages 50] [--delay 0] [--only loop,default,one_thread,processes]
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from corpus.crawl.serve import Page, SiteServer  # noqa: E402

HOSTS = [f"127.0.0.{i}" for i in range(11, 31)]
WORDS = ("river council bridge market garden library school harbour station festival museum orchard "
         "winter summer evening morning village history music theatre").split()


def make_site(host_index: int, pages: int) -> dict:
    rng = random.Random(host_index)
    routes = {"/robots.txt": Page(headers=(("Content-Type", "text/plain"),),
                                  body=b"User-agent: *\nDisallow: /private/\n")}
    links = "".join(f'<li><a href="/article/{i}.html">article {i}</a></li>' for i in range(pages))
    routes["/"] = Page(body=f"<html><head><title>site {host_index}</title></head><body><ul>{links}</ul>"
                            f"</body></html>".encode())
    for i in range(pages):
        paras = "".join("<p>" + " ".join(rng.choice(WORDS) for _ in range(80)) + "</p>" for _ in range(12))
        nav = f'<a href="/">home</a> <a href="/article/{(i + 1) % pages}.html">next</a>'
        routes[f"/article/{i}.html"] = Page(body=f"<html><head><title>article {i}</title></head><body>{nav}"
                                                 f"{paras}</body></html>".encode())
    return routes


def peer_loop(url_file: str, out_dir: str) -> None:
    """The peer: fetch each URL with requests and record it with warcio, nothing else."""
    # capture_http before requests, as warcio's docs ask: it patches http.client, which urllib3 subclasses.
    from warcio.capture_http import capture_http  # noqa: I001
    from warcio.warcwriter import WARCWriter
    import requests

    urls = Path(url_file).read_text().split()
    session = requests.Session()
    session.headers["User-Agent"] = "requests-loop/1.0 (+https://example.org/bench)"
    with open(Path(out_dir) / "loop.warc.gz", "wb") as f:
        writer = WARCWriter(f, gzip=True)
        with capture_http(writer):
            for url in urls:
                _ = session.get(url, timeout=30).content


def run_measured(args: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, children included) of a subprocess."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        errors = "\n".join(line for line in proc.stderr.splitlines() if not line.startswith("  [crawl]"))
        raise SystemExit(f"{' '.join(args[:4])} failed (exit {proc.returncode}):\n{errors[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def count_responses(out_dir: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    for path in out_dir.glob("*.warc.gz"):
        with open(path, "rb") as f:
            n += sum(1 for r in ArchiveIterator(f) if r.rec_type == "response" and "robots.txt" not in
                     (r.rec_headers.get_header("WARC-Target-URI") or ""))
    return n


def measure(runs: dict, names: list[str], pages: int) -> list[tuple[str, int, float, float]]:
    """Start the 20 servers with ``pages`` pages each and time each named run against them."""
    servers = [SiteServer(make_site(i, pages), address=host).start() for i, host in enumerate(HOSTS)]
    work = Path(tempfile.mkdtemp(prefix="crawl-bench-"))
    try:
        seeds = work / "seeds.txt"
        seeds.write_text("".join(s.url("/") + "\n" for s in servers))
        urls = work / "urls.txt"
        urls.write_text("".join(s.url(p) + "\n" for s in servers for p in s.routes if p != "/robots.txt"))
        expected = len(HOSTS) * (pages + 1)
        rows = []
        for name in names:
            label, command = runs[name]
            out = work / name
            out.mkdir()
            wall, cpu = run_measured([c.format(seeds=seeds, urls=urls) for c in command] + [str(out)])
            got = count_responses(out)
            if got != expected:
                raise SystemExit(f"{label}: {got} pages in its WARC files, expected {expected}")
            rows.append((label, got, wall, cpu))
            shutil.rmtree(out)
        return rows
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default="50,200", help="pages per host (20 hosts); two sizes give the marginal cost")
    ap.add_argument("--only", default="loop,default,one_thread,processes", help="which runs, comma-separated")
    ap.add_argument("--delay", type=float, default=0.0, help="the crawler's --min_delay (the loop never waits)")
    ap.add_argument("--peer-loop", nargs=2, metavar=("URLS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peer_loop:
        peer_loop(*args.peer_loop)
        return 0
    crawl = [sys.executable, "-m", "pipelines.crawl", "--seeds", "{seeds}", "--allow_private_hosts",
             "--min_delay", str(args.delay), "--max_depth", "1", "--max_pages", "0", "--max_pages_per_host", "0"]
    runs = {
        "loop": ("requests loop (peer)", [sys.executable, str(HERE / "crawl.py"), "--peer-loop", "{urls}"]),
        "default": ("corpusforge crawl (in process, 16 fetch threads)", crawl + ["--output_dir"]),
        "one_thread": ("corpusforge crawl, 1 fetch thread", crawl + ["--fetch_threads", "1", "--output_dir"]),
        "processes": ("corpusforge crawl, multi_processing, 2 workers", crawl + [
            "--direct_running_mode", "multi_processing", "--direct_num_workers", "2", "--output_dir"]),
    }
    names = args.only.split(",")
    sizes = [int(n) for n in args.pages.split(",")]
    results = {n: measure(runs, names, n) for n in sizes}
    width = max(len(label) for label, _ in runs.values())
    print(f"\n{len(HOSTS)} hosts, crawler delay {args.delay:g} s; load average {os.getloadavg()[0]:.2f} (1 min) "
          f"at the end")
    print(f"{'run':<{width}} {'pages':>6} {'wall s':>7} {'pages/s':>8} {'CPU ms/page':>12} {'pages/s vs loop':>16} "
          f"{'CPU/page vs loop':>17}")
    for rows in results.values():
        base = rows[0]
        for label, pages, wall, cpu in rows:
            print(f"{label:<{width}} {pages:>6} {wall:>7.2f} {pages / wall:>8.1f} {1000 * cpu / pages:>12.2f} "
                  f"{(pages / wall) / (base[1] / base[2]):>15.2f}x {cpu / base[3]:>16.2f}x")
    if len(sizes) == 2:
        small, large = results[sizes[0]], results[sizes[1]]
        print(f"\nmarginal cost from {small[0][1]} to {large[0][1]} pages (start-up removed):")
        base = None
        for (label, p1, w1, c1), (_, p2, w2, c2) in zip(small, large):
            rate, cpu = (p2 - p1) / (w2 - w1), 1000 * (c2 - c1) / (p2 - p1)
            base = base or (rate, cpu)
            print(f"{label:<{width}} {rate:>8.1f} pages/s {cpu:>8.2f} CPU ms/page  ({rate / base[0]:.2f}x, "
                  f"{cpu / base[1]:.2f}x the loop)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
