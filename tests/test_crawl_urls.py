"""Crawler URLs: the fetched form, the dedup key, host queues, scope, and the offline suffix list."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from corpus.crawl.links import extract_links
from corpus.crawl.urls import (
    BadUrl,
    Scope,
    host_key,
    host_slug,
    normalize_url,
    origin,
    registered_domain,
    url_key,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("raw, expected", [
    ("HTTP://Example.COM:80/a/b?b=2&a=1#frag", "http://example.com/a/b?b=2&a=1"),
    ("https://Example.com:443", "https://example.com/"),
    ("http://user:secret@example.com:8080/x", "http://example.com:8080/x"),
    ("https://例え.jp/パス?q=é", "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9?q=%C3%A9"),
    ("http://[::1]:80/x", "http://[::1]/x"),
    ("http://example.com./", "http://example.com/"),
])
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


def test_normalize_resolves_relative_links():
    assert normalize_url("../c?x=1#y", base="http://h.org/a/b/") == "http://h.org/a/c?x=1"
    assert normalize_url("//other.org/p", base="https://h.org/") == "https://other.org/p"


@pytest.mark.parametrize("raw, reason", [
    ("ftp://example.com/file", "url:scheme"),
    ("mailto:a@example.com", "url:scheme"),
    ("javascript:alert(1)", "url:scheme"),
    ("http:///path", "url:invalid"),
    ("http://exa mple.com/", "url:invalid"),
    ("http://example.com:port/", "url:invalid"),
])
def test_bad_urls_name_their_reason(raw, reason):
    with pytest.raises(BadUrl) as e:
        normalize_url(raw)
    assert e.value.reason == reason


def test_url_key_merges_query_order_but_fetch_form_keeps_it():
    a, b = normalize_url("http://h.org/p?b=2&a=1"), normalize_url("http://h.org/p?a=1&b=2")
    assert a != b and url_key(a) == url_key(b)


def test_host_key_origin_and_slug():
    assert host_key("http://h.org/x") == host_key("https://h.org/y") == "h.org"
    assert host_key("http://127.0.0.1:8000/x") == "127.0.0.1:8000"
    assert origin("https://h.org:8443/x?y") == "https://h.org:8443"
    assert host_slug("127.0.0.1:8000") == "127.0.0.1_8000"
    assert host_slug("[::1]:8080") == "___1__8080"


def test_registered_domain_from_the_bundled_suffix_list():
    assert registered_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert registered_domain("a.b.example.com:8080") == "example.com"
    assert registered_domain("127.0.0.1:8000") == "127.0.0.1"
    assert registered_domain("localhost") == "localhost"


def test_registered_domain_never_touches_network_or_cache(tmp_path):
    """tldextract is built with no suffix-list URLs and no cache dir: no socket, no file."""
    probe = textwrap.dedent("""
        import json, socket, sys
        def refuse(*a, **k):
            raise RuntimeError("network used")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from corpus.crawl.urls import registered_domain
        print(json.dumps([registered_domain(h) for h in ("www.example.co.uk", "a.github.io", "x.com")]))
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "TLDEXTRACT_CACHE": str(tmp_path / "tld")}
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["example.co.uk", "github.io", "x.com"]
    assert list(tmp_path.rglob("*")) == []


def test_scope_host_domain_regex():
    seeds = ["http://www.example.com/", "http://127.0.0.1:8000/"]
    host = Scope.parse("host", seeds)
    assert host.contains("https://example.com/a") and host.contains("http://www.example.com/b")
    assert not host.contains("http://blog.example.com/") and not host.contains("http://127.0.0.1:9000/")
    assert host.contains("http://127.0.0.1:8000/deep/page")
    domain = Scope.parse("domain", seeds)
    assert domain.contains("http://blog.example.com/") and domain.contains("http://127.0.0.1:9000/")
    assert not domain.contains("http://example.org/")
    regex = Scope.parse(r"regex:^https?://[^/]*example\.com/docs/", seeds)
    assert regex.contains("http://blog.example.com/docs/1") and not regex.contains("http://example.com/blog")


@pytest.mark.parametrize("spec, message", [
    ("site", "--scope: expected one of host, domain, regex:PATTERN"),
    ("host:x", "--scope: expected one of"),
    ("regex:", "Scope.pattern: regex scope needs a non-empty pattern"),
    ("regex:(", "is not a regular expression"),
])
def test_bad_scope(spec, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        Scope.parse(spec, ["http://h.org/"])


def test_links_are_parsed_not_grepped():
    page = b"""<html><head><base href="/sub/"><meta charset="utf-8"></head><body>
      <a href="a.html#frag">a</a> <a href="a.html">again</a> <a href="mailto:x@y.org">mail</a>
      <a rel="nofollow noopener" href="/no">no</a> <area href="/map"> <iframe src="//cdn.org/f"></iframe>
      <!-- <a href="/commented">c</a> --> <script>var s = '<a href="/in-script">';</script>
      <a href="http://[bad">bad</a> <p>href="/not-a-link"</p></body></html>"""
    assert extract_links(page, "http://H.org/p", "text/html") == [
        "http://h.org/sub/a.html", "http://h.org/map", "http://cdn.org/f"]


def test_links_honour_meta_robots_nofollow_types_and_limit():
    page = b'<html><head><meta name="robots" content="noindex, nofollow"></head><body><a href="/x">x</a></body></html>'
    assert extract_links(page, "http://h.org/", "text/html") == []
    assert extract_links(b'<a href="/x">x</a>', "http://h.org/", "application/json") == []
    assert extract_links(b"<html><body><a href='/x'>x</a></body></html>", "http://h.org/", None) == ["http://h.org/x"]
    many = b"".join(b'<a href="/%d">l</a>' % i for i in range(50))
    assert extract_links(many, "http://h.org/", "text/html", max_links=3) == [
        "http://h.org/0", "http://h.org/1", "http://h.org/2"]
    assert extract_links(b"", "http://h.org/", "text/html") == []
