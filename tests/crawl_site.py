"""The small web site the crawler tests run against, and helpers to read what a crawl wrote.

Host A (the main site) has every case issue 16 lists: robots.txt with Disallow and
Crawl-delay, links across depths, a redirect chain, a redirect loop, a chain longer than five
redirects, 404, 500, a 429 with Retry-After, a page slower than the read timeout, a page larger
than the size limit, a PDF and a text file, a gzip-encoded page, one page under two URLs, and
links out of scope. Host B answers robots.txt with 503.
"""
from __future__ import annotations

import time
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from corpus.crawl.serve import Page, Request, SiteServer

CRAWL_DELAY = 0.2  # robots.txt Crawl-delay of host A: the gap every test checks
READ_TIMEOUT = 2.0  # generous: a normal page must never reach it on a loaded 2-core machine
SLOW_SECONDS = 5.0
MAX_BYTES = 50_000
RETRY_AFTER = 1
TEXT = "text/plain; charset=utf-8"
DUP_BODY = b"<html><body><p>The same page under two URLs.</p></body></html>"


def html(body: str, title: str = "page") -> Page:
    return Page(body=f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>".encode())


def links(*paths: str) -> str:
    return "".join(f'<a href="{p}">{p}</a> ' for p in paths)


def redirect(status: int, to: str) -> Page:
    return Page(status, (("Location", to), ("Content-Type", "text/html")), b"<a href='%s'>moved</a>" % to.encode())


def _busy(req: Request) -> Page:
    if req.count == 1:
        return Page(429, (("Retry-After", str(RETRY_AFTER)), ("Content-Type", "text/html")), b"slow down")
    return html("<p>busy page, second try</p>")


def _slow(req: Request) -> Page:
    time.sleep(SLOW_SECONDS)
    return html("<p>too late</p>")


def site_a(other_base: str) -> dict:
    """Routes of host A; ``other_base`` is host B's ``http://127.0.0.1:PORT``."""
    chain = {f"/chain/{i}": redirect(302, f"/chain/{i + 1}") for i in range(7)}
    return {
        "/robots.txt": Page(headers=(("Content-Type", TEXT),),
                            body=f"User-agent: *\nDisallow: /private/\nCrawl-delay: {CRAWL_DELAY}\n".encode()),
        "/": html(links("/d1/a", "/d1/b", "/private/secret", "/redirect/1", "/loop/1", "/chain/0", "/missing",
                        "/error", "/busy", "/slow", "/big", "/file.pdf", "/notes.txt", "/gzip", "/dup-a",
                        "/dup-b", "/to-b", "http://out-of-scope.invalid/page", "mailto:someone@example.org")
                  + '<a rel="nofollow" href="/nofollow">n</a>', "home"),
        "/d1/a": html(links("/d2/x", "/")),
        "/d1/b": html(links("/d1/a")),
        "/d2/x": html(links("/d3/y")),
        "/d3/y": html("<p>too deep</p>"),
        "/private/secret": html("<p>disallowed</p>"),
        "/nofollow": html("<p>not followed</p>"),
        "/redirect/1": redirect(301, "/redirect/2"),
        "/redirect/2": redirect(302, "/redirect/3"),
        "/redirect/3": redirect(307, "/d1/target"),
        "/d1/target": html("<p>end of the redirect chain</p>"),
        "/loop/1": redirect(302, "/loop/2"),
        "/loop/2": redirect(302, "/loop/1"),
        **chain,
        "/error": Page(500, body=b"<html><body>server error</body></html>"),
        "/busy": _busy,
        "/slow": _slow,
        "/big": Page(body=b"<html><body>" + b"<p>big page</p>" * 20_000 + b"</body></html>"),
        "/file.pdf": Page(headers=(("Content-Type", "application/pdf"),), body=b"%PDF-1.4 " + b"x" * 300_000),
        "/notes.txt": Page(headers=(("Content-Type", TEXT),), body=b"plain notes, link-free: /d9/none"),
        "/gzip": Page(body=b"<html><body>" + b"<p>compressed words</p>" * 200 + b"</body></html>", gzip=True),
        "/dup-a": Page(body=DUP_BODY),
        "/dup-b": Page(body=DUP_BODY),
        "/to-b": redirect(301, f"{other_base}/from-a"),
    }


def site_b() -> dict:
    return {"/robots.txt": Page(503, (("Content-Type", TEXT),), b"unavailable"), "/": html(links("/b1")),
            "/from-a": html("<p>b</p>"), "/b1": html("<p>b1</p>")}


def start_sites() -> tuple[SiteServer, SiteServer]:
    b = SiteServer(site_b()).start()
    a = SiteServer(site_a(b.base)).start()
    return a, b


def warc_records(out_dir: Path) -> list[dict]:
    """Every record of every complete WARC file in ``out_dir``, digests checked by warcio."""
    records = []
    for path in sorted(Path(out_dir).glob("*.warc.gz")):
        with open(path, "rb") as f:
            for rec in ArchiveIterator(f, check_digests="raise"):
                h = rec.rec_headers
                records.append({
                    "file": path.name, "type": rec.rec_type, "uri": h.get_header("WARC-Target-URI"),
                    "headers": dict(h.headers), "status": rec.http_headers.get_statuscode() if rec.http_headers and
                    rec.rec_type in ("response", "revisit") else None,
                    "http": dict(rec.http_headers.headers) if rec.http_headers else {},
                    "payload": rec.content_stream().read() if rec.rec_type == "response" else b""})
    return records


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
