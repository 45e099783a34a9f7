"""The fetcher's safety limits against a local server: addresses, timeouts, size, types, encodings."""
from __future__ import annotations

import gzip
import socket
import time

import pytest

from corpus.crawl.config import CrawlConfig
from corpus.crawl.fetch import Fetcher, FetchError, address_class
from corpus.crawl.serve import Page, SiteServer

pytestmark = pytest.mark.timeout(60)
HTML = b"<html><body>" + b"<p>hello world</p>" * 500 + b"</body></html>"


def cfg(**kw) -> CrawlConfig:
    # A generous read timeout: the local server thread can stall for over 0.5 s on a loaded 2-core machine
    # (seen in a fresh-clone `make test` run). The tests about timeouts set their own.
    return CrawlConfig(**{"allow_private_hosts": True, "read_timeout": 5.0, "max_bytes": 4000, **kw})


@pytest.fixture(scope="module")
def server():
    def slow(req):
        time.sleep(1.5)
        return Page(body=b"late")

    routes = {"/page": Page(body=HTML), "/gz": Page(body=HTML, gzip=True), "/slow": slow,
              "/pdf": Page(headers=(("Content-Type", "application/pdf"),), body=b"%PDF" + b"x" * 2_000_000),
              "/none": Page(headers=(), body=b"<html><body>no type</body></html>"),
              "/small": Page(body=b"<p>small</p>"),
              "/host": lambda req: Page(body=req.headers.get("Host", "").encode())}
    with SiteServer(routes) as s:
        yield s


@pytest.mark.parametrize("ip, kind", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("10.1.2.3", "private"), ("192.168.0.10", "private"), ("172.16.5.4", "private"), ("fd00::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"),
    ("100.64.0.1", "non-global"), ("8.8.8.8", None), ("2606:4700:4700::1111", None),
])
def test_address_classes(ip, kind):
    assert address_class(ip) == kind


def test_private_hosts_are_refused_after_resolution_without_connecting():
    def resolver(host, port, type=0):  # a public-looking name pointing at the metadata service
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))]

    f = Fetcher(CrawlConfig(), resolver=resolver)
    with pytest.raises(FetchError) as e:
        f.get("http://innocent.example.com/latest/meta-data/")
    assert e.value.reason == "private_address:link-local"
    assert "innocent.example.com resolves to 169.254.169.254, a link-local address" in str(e.value)
    assert "--allow_private_hosts" in str(e.value)


def test_loopback_refused_by_default(server):
    with pytest.raises(FetchError, match="loopback") as e:
        Fetcher(CrawlConfig()).get(server.url("/page"))
    assert e.value.reason == "private_address:loopback"
    assert server.paths().count("/page") == 0


def test_connection_goes_to_the_checked_address_with_the_name_as_host(server):
    seen = []

    def resolver(host, port, type=0):
        seen.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    f = Fetcher(cfg(), resolver=resolver)
    resp = f.get(f"http://pinned.test:{server.port}/host")
    resp2 = f.get(f"http://pinned.test:{server.port}/host")
    assert resp.body == resp2.body == f"pinned.test:{server.port}".encode()
    assert resp.ip == "127.0.0.1"
    assert seen == ["pinned.test"]  # resolved once per fetcher (one host batch), then pinned


def test_plain_page(server):
    resp = Fetcher(cfg(max_bytes=100_000)).get(server.url("/page"))
    assert (resp.status, resp.body, resp.truncated) == (200, HTML, None)
    assert resp.header("Content-Length") == str(len(HTML))
    assert resp.request_line == "GET /page HTTP/1.1"
    assert dict(resp.request_headers)["User-Agent"] == CrawlConfig().user_agent


def test_gzip_is_decoded_and_wire_headers_renamed(server):
    resp = Fetcher(cfg(max_bytes=100_000)).get(server.url("/gz"))
    assert resp.body == HTML
    assert resp.header("X-Crawler-Content-Encoding") == "gzip"
    assert resp.header("Content-Encoding") is None
    assert resp.header("X-Crawler-Content-Length") == str(len(gzip.compress(HTML, mtime=0)))
    assert resp.header("Content-Length") == str(len(HTML))
    assert resp.wire_bytes == len(gzip.compress(HTML, mtime=0))


def test_size_limit_truncates(server):
    resp = Fetcher(cfg(max_bytes=4000)).get(server.url("/page"))
    assert (len(resp.body), resp.truncated) == (4000, "length")
    assert resp.body == HTML[:4000]
    assert resp.header("Content-Length") == "4000"
    assert resp.header("X-Crawler-Content-Length") == str(len(HTML))


def test_size_limit_applies_to_decoded_bytes(server):
    resp = Fetcher(cfg(max_bytes=4000)).get(server.url("/gz"))
    assert (resp.body, resp.truncated) == (HTML[:4000], "length")


def test_read_timeout(server):
    t = time.monotonic()
    with pytest.raises(FetchError) as e:
        Fetcher(cfg(read_timeout=0.3)).get(server.url("/slow"))
    assert e.value.reason == "fetch:read_timeout"
    assert time.monotonic() - t < 1.4


def test_refused_type_is_not_downloaded(server):
    resp = Fetcher(cfg()).get(server.url("/pdf"))
    assert (resp.status, resp.type_refused, resp.body) == (200, "application/pdf", b"")
    assert resp.elapsed < 1.0


def test_missing_type_is_allowed_and_robots_fetch_skips_the_type_check(server):
    assert Fetcher(cfg()).get(server.url("/none")).body == b"<html><body>no type</body></html>"
    resp = Fetcher(cfg()).get(server.url("/pdf"), check_type=False, max_bytes=10)
    assert (resp.body, resp.truncated) == (b"%PDFxxxxxx", "length")


def test_connection_refused_and_dns_failure():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(FetchError) as e:
        Fetcher(cfg()).get(f"http://127.0.0.1:{port}/")
    assert e.value.reason == "fetch:connection_refused"

    def nxdomain(host, port, type=0):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(FetchError) as e:
        Fetcher(cfg(), resolver=nxdomain).get("http://no-such-host.invalid/")
    assert e.value.reason == "fetch:dns"


def test_keep_alive_connections_are_reused(server):
    f = Fetcher(cfg())
    before = len(server.clients)
    for _ in range(3):
        assert f.get(server.url("/small")).status == 200
    assert len(server.clients) == before + 1


def test_a_trickling_server_meets_the_time_limit():
    """Each read arrives within the read timeout, but the whole answer takes too long."""
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def trickle():
        conn, _ = listener.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
        try:
            for _ in range(40):
                conn.sendall(b"<p>x</p>")
                time.sleep(0.1)
        except OSError:
            pass
        conn.close()

    threading.Thread(target=trickle, daemon=True).start()
    t = time.monotonic()
    resp = Fetcher(cfg(read_timeout=1.0, max_fetch_seconds=0.5, max_bytes=100_000)).get(f"http://127.0.0.1:{port}/")
    assert resp.truncated == "time" and resp.body.startswith(b"<p>x</p>")
    assert time.monotonic() - t < 2.0
    listener.close()
