"""Small local web sites for tests, benchmarks and the demo: no network beyond 127.0.0.0/8.

:class:`SiteServer` serves a table of routes (fixed :class:`Page` answers, or functions of the
request for slow, flaky or counting pages) from a threaded ``http.server`` with keep-alive,
and records every request it receives (when, which path) so that tests can check what a crawl
did from the server's side. :func:`serve_warc` replays the responses recorded in a WARC file
(status, headers, body), one server per original host, with an index page at ``/`` linking to
a host's recorded pages, so the sample corpus can be crawled like a real site.
"""
from __future__ import annotations

import contextlib
import gzip
import html
import io
import sys
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

# Recorded headers the replaying server sets itself (or must not repeat).
_OWN_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "date", "server", "keep-alive"})


@dataclass(frozen=True)
class Page:
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    body: bytes = b""
    gzip: bool = False  # send Content-Encoding: gzip to clients that accept it


@dataclass(frozen=True)
class Request:
    path: str  # with the query string
    headers: Mapping[str, str]
    count: int  # how many times this path was requested, this request included


Route = Page | Callable[[Request], Page]
NOT_FOUND = Page(404, body=b"<html><body><h1>Not found</h1></body></html>")


@dataclass
class SiteServer:
    """Serves ``routes`` (path with query → Page or function) on ``address``; a context manager."""

    routes: dict[str, Route]
    address: str = "127.0.0.1"
    port: int = 0
    requests: list[tuple[float, str]] = field(default_factory=list)  # (Unix time, path), in arrival order
    clients: set[tuple[str, int]] = field(default_factory=set)  # client addresses: one per connection

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        return f"http://{self.address}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        """Requested paths in arrival order."""
        with self._lock:
            return [p for _, p in self.requests]

    def times(self, path: str | None = None) -> list[float]:
        with self._lock:
            return [t for t, p in self.requests if path is None or p == path]

    def _answer(self, path: str, headers: Mapping[str, str], client: tuple[str, int]) -> Page:
        with self._lock:
            self.requests.append((time.time(), path))
            self.clients.add(client)
            count = self._counts[path] = self._counts.get(path, 0) + 1
        route = self.routes.get(path, NOT_FOUND)
        return route(Request(path, headers, count)) if callable(route) else route

    def start(self) -> SiteServer:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real servers
            disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                page = site._answer(self.path, self.headers, self.client_address[:2])
                body = page.body
                gzipped = page.gzip and "gzip" in (self.headers.get("Accept-Encoding") or "")
                if gzipped:
                    body = gzip.compress(body, mtime=0)
                try:
                    self.send_response(page.status)
                    for k, v in page.headers:
                        self.send_header(k, v)
                    if gzipped:
                        self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts, size limits)
                    self.close_connection = True

            def log_message(self, *args) -> None:
                pass

        self._server = _Server((self.address, self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that hung up (time-outs, size limits) is expected here; anything else is reported."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


# --- replaying a WARC ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Recorded:
    url: str
    page: Page


def recorded_responses(path: str | Path) -> list[Recorded]:
    """Every HTTP response record of a WARC file that parses; broken records are passed over.

    Each gzip member is parsed on its own, so one malformed record does not hide the rest.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    data = Path(path).read_bytes()
    members = []
    while data:
        d = zlib.decompressobj(31)
        try:
            members.append(d.decompress(data))
        except zlib.error:
            break
        data = d.unused_data
    out: list[Recorded] = []
    for member in members:
        # warcio writes a warning to stderr for a record whose length is wrong; such a record is passed
        # over here on purpose (the sample plants one), so the warning would only alarm the reader.
        # (redirect_stderr is process-wide: this runs before the replay servers start, on one thread.)
        with contextlib.redirect_stderr(io.StringIO()):
            try:
                for rec in ArchiveIterator(io.BytesIO(member)):
                    if rec.rec_type != "response" or rec.http_headers is None:
                        continue
                    status = int(rec.http_headers.get_statuscode() or 0)
                    headers = tuple((k, v) for k, v in rec.http_headers.headers if k.lower() not in _OWN_HEADERS)
                    out.append(Recorded(rec.rec_headers.get_header("WARC-Target-URI"),
                                        Page(status, headers, rec.content_stream().read())))
            except (ArchiveLoadFailed, ValueError, OSError):
                continue
    return out


@dataclass
class ReplaySites:
    """Local servers replaying a WARC: ``seeds`` (each host's ``/``) and ``local(original_url)``."""

    servers: dict[str, SiteServer]  # original host name → its server
    recorded: list[Recorded]

    @property
    def seeds(self) -> list[str]:
        return [s.url("/") for _, s in sorted(self.servers.items())]

    def local(self, url: str) -> str:
        parts = urlsplit(url)
        server = self.servers[parts.hostname]
        return server.url((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))

    def stop(self) -> None:
        for s in self.servers.values():
            s.stop()

    def __enter__(self) -> ReplaySites:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _index(host: str, paths: list[str]) -> Page:
    items = "".join(f'<li><a href="{html.escape(p)}">{html.escape(p)}</a></li>' for p in paths)
    return Page(body=f"<html><head><title>{html.escape(host)}</title></head><body><h1>{html.escape(host)}</h1>"
                     f"<ul>{items}</ul></body></html>".encode())


def serve_warc(path: str | Path, address: str = "127.0.0.1") -> ReplaySites:
    """Start one server per host recorded in the WARC at ``path``; stop them with ``.stop()``.

    Redirects to a recorded host are rewritten to its local server. A host without a recorded
    ``/`` gets an index page there that links to each of its recorded pages.
    """
    recorded = recorded_responses(path)
    by_host: dict[str, dict[str, Page]] = {}
    for rec in recorded:
        parts = urlsplit(rec.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        by_host.setdefault(parts.hostname, {}).setdefault(target, rec.page)
    servers = {host: SiteServer({}, address=address).start() for host in sorted(by_host)}
    sites = ReplaySites(servers, recorded)
    for host, routes in by_host.items():
        for target, page in routes.items():
            if 300 <= page.status < 400:
                page = Page(page.status, tuple((k, _rewrite(sites, v) if k.lower() == "location" else v)
                                               for k, v in page.headers), page.body)
            servers[host].routes[target] = page
        servers[host].routes.setdefault("/", _index(host, sorted(routes)))
    return sites


def _rewrite(sites: ReplaySites, location: str) -> str:
    host = urlsplit(location).hostname
    return sites.local(location) if host in sites.servers else location
