"""Links of a fetched HTML page, found by lxml's HTML parser (never by regular expressions).

Followed: ``<a href>``, ``<area href>``, ``<frame src>`` and ``<iframe src>``, resolved against
``<base href>`` when the page has one. Not followed: links marked ``rel="nofollow"``, and
every link of a page whose ``<meta name="robots">`` says ``nofollow`` or ``none`` (the site
owner's wish, as StormCrawler honours it). Links that are not http(s) (``mailto:``,
``javascript:``) are dropped here; out-of-scope ones later, where they are logged.
"""
from __future__ import annotations

from urllib.parse import urljoin

import lxml.html
from lxml.etree import ParserError

from corpus.crawl.urls import BadUrl, normalize_url

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_LINK_ATTRS = {"a": "href", "area": "href", "frame": "src", "iframe": "src"}


def is_html(content_type: str | None, body: bytes) -> bool:
    """HTML by its declared type, or, when no type was sent, by its first bytes."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime:
        return mime in HTML_TYPES
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _nofollow(value: str | None) -> bool:
    return any(t in ("nofollow", "none") for t in (value or "").lower().replace(",", " ").split())


def extract_links(body: bytes, url: str, content_type: str | None, max_links: int = 1000) -> list[str]:
    """Normalised absolute links of the page at ``url``, in document order, each once; at most ``max_links``."""
    if not body or not is_html(content_type, body):
        return []
    try:
        doc = lxml.html.document_fromstring(body)
    except (ParserError, ValueError):  # an empty or undecodable document has no links
        return []
    for meta in doc.iter("meta"):
        if (meta.get("name") or "").strip().lower() == "robots" and _nofollow(meta.get("content")):
            return []
    base = url
    base_el = doc.find(".//base[@href]")
    if base_el is not None:
        base = urljoin(url, base_el.get("href").strip())
    links: dict[str, None] = {}
    for el in doc.iter(*_LINK_ATTRS):
        ref = el.get(_LINK_ATTRS[el.tag])
        if not ref or _nofollow(el.get("rel")):
            continue
        try:
            links.setdefault(normalize_url(ref, base))
        except BadUrl:
            continue
        if len(links) >= max_links:
            break
    return list(links)
