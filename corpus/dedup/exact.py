"""Exact-duplicate keys: a hash of normalised text, and a normalised URL.

Two documents are exact duplicates when their text is equal after case, whitespace
and punctuation are folded; two captures are the same page when their URLs are equal
after normalisation. Survivor choice lives with the grouping code (pipelines/dedup.py)
and uses :func:`text_survivor_key` / :func:`url_survivor_key` so any runner picks the same.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from corpus.document import Document

# Query parameters that never change what a page says.
TRACKING_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id", "gclid", "fbclid",
    "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "_ga", "yclid", "spm",
})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SPACE_RE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Case-folded NFKC text with punctuation and symbols removed and spacing collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    return _SPACE_RE.sub(" ", kept).strip()


def text_key(text: str) -> str:
    """The exact-dedup key of a text (hex digest of its normalised form).

    A text with no letters or digits (only punctuation and symbols, possible with ``--skip quality``)
    normalises to nothing; it is keyed by its exact characters instead, so different texts of that
    kind stay different documents.
    """
    normalized = normalize_text(text)
    data = normalized.encode("utf-8") if normalized else b"\x00raw\x00" + text.encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def normalize_url(url: str) -> str:
    """A canonical form of ``url`` for URL dedup; '' when there is no usable URL.

    Lower-cased scheme and host, no default port, no fragment, no tracking parameters,
    sorted query, no trailing slash on the path, and http/https treated alike
    (the same page is often captured under both).
    """
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        scheme = "http"
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if port and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in TRACKING_PARAMS)
    return urlunsplit((scheme, host, path, urlencode(query), ""))


# Sources whose documents are captures of web pages (WARC, ARC and WET records all have source
# "warc"): two captures of one URL are the same page. Rows of a table that share a url (answers in
# one thread, chunks of one page) are different documents, deduplicated by their text only.
WEB_SOURCES = frozenset({"warc"})
URL_SCOPES = ("web", "all")


def url_key(doc: Document, scope: str = "web") -> str:
    """The URL-dedup key of ``doc``: its normalised URL, or '' (unique) when URL dedup does not apply."""
    if scope == "web" and doc.source not in WEB_SOURCES:
        return ""
    return normalize_url(doc.url)


def capture_date(doc: Document) -> str:
    """The document's capture or publication date as an ISO string ('' when unknown)."""
    return str(doc.meta.get("warc_date") or doc.meta.get("date") or doc.meta.get("timestamp") or "")


def text_survivor_key(doc: Document) -> tuple:
    """Among copies of one text under different URLs the earliest capture is the original:
    it survives (smallest key), then the smallest id; undated documents come last."""
    date = capture_date(doc)
    return (0 if date else 1, date, doc.id)


# Separates the survivor rank from the id inside a near-dedup node label.
NODE_SEP = "\x1f"


def survivor_node(doc: Document) -> str:
    """A node label whose string order is :func:`text_survivor_key`'s order.

    Near-dedup clusters are labelled by their smallest node, so the label is the survivor.
    """
    date = capture_date(doc)
    return f"{0 if date else 1}{date}{NODE_SEP}{doc.id}"


def node_doc_id(node: str) -> str:
    return node.rsplit(NODE_SEP, 1)[1]


def url_survivor_key(doc: Document) -> tuple:
    """Among captures of one URL the newest survives (smallest key), then the smallest id."""
    date = capture_date(doc)
    # Negate the date's order by inverting characters: ISO dates sort lexically.
    inverted = "".join(chr(0x10FFFF - ord(c)) for c in date)
    return (0 if date else 1, inverted, doc.id)


def same_id_survivor_key(doc: Document) -> tuple:
    """Among documents with one id (the same record read twice) one survives, the same on every runner:
    the order of their contents, which are equal for a true re-read."""
    return (doc.text, doc.url, doc.source, json.dumps(dict(doc.meta), sort_keys=True, default=str))
