"""URLs for the crawler: the form it fetches, the key it deduplicates by, the host it queues under.

Two forms, as in Scrapy and Heritrix: :func:`normalize_url` is what is fetched and recorded
(absolute, ``http``/``https``, IDNA host in lower case, no default port, no fragment or user
info, percent-encoded by w3lib, query order kept because servers may care);
:func:`url_key` is w3lib's canonical form (query arguments sorted, escapes normalised), used
only to decide whether two URLs are the same page. :class:`Scope` decides which discovered
links the crawl follows.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
SCOPES = ("host", "domain", "regex:PATTERN")
# Host names as they arrive after w3lib's IDNA encoding; underscores occur in real DNS names.
_HOST_RE = re.compile(r"^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?\.?$")
_SLUG_RE = re.compile(r"[^a-z0-9.-]")


class BadUrl(ValueError):
    """A URL the crawler cannot fetch; ``reason`` is the crawl log's reason code."""

    def __init__(self, reason: str, url: str, detail: str) -> None:
        super().__init__(f"{url!r}: {detail}")
        self.reason = reason


def normalize_url(url: str, base: str | None = None) -> str:
    """``url`` (resolved against ``base``) in the form the crawler fetches; raises :class:`BadUrl`."""
    raw = url.strip()
    try:
        if base is not None:
            raw = urljoin(base, raw)
        parts = urlsplit(safe_url_string(raw))
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            raise BadUrl("url:scheme", url, f"scheme {scheme or '(none)'!r} is not http or https")
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError as e:  # a port that is not a number, a bad IPv6 literal
        if isinstance(e, BadUrl):
            raise
        raise BadUrl("url:invalid", url, str(e)) from e
    if not host:
        raise BadUrl("url:invalid", url, "no host")
    if ":" in host:
        try:
            host = f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError as e:
            raise BadUrl("url:invalid", url, f"bad IPv6 address {host!r}") from e
    elif not _HOST_RE.match(host):
        raise BadUrl("url:invalid", url, f"bad host name {host!r}")
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def url_key(url: str) -> str:
    """The deduplication key of a normalised URL: w3lib's canonical form."""
    return canonicalize_url(url, keep_fragments=False)


def host_key(url: str) -> str:
    """The politeness queue of a normalised URL: host, plus the port when it is not 80 or 443.

    ``http://x/`` and ``https://x/`` share a queue (one server); robots.txt is still fetched
    per scheme, as RFC 9309 asks.
    """
    parts = urlsplit(url)
    port = parts.port
    host = parts.netloc.rsplit("@", 1)[-1]
    if port is not None and port == DEFAULT_PORTS.get(parts.scheme):
        host = host.rsplit(":", 1)[0]
    return host


def origin(url: str) -> str:
    """``scheme://netloc`` of a normalised URL: where its robots.txt lives."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def host_slug(host: str) -> str:
    """A host key as a file-name part: ``127.0.0.1:8000`` → ``127.0.0.1_8000``."""
    return _SLUG_RE.sub("_", host.lower()) or "_"


def host_name(host: str) -> str:
    """The host name of a host key, without port or IPv6 brackets."""
    if host.startswith("["):
        return host[1:host.index("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # The suffix list bundled with tldextract, with neither a download nor a disk cache.
    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def registered_domain(host: str) -> str:
    """The registered domain of a host key (``news.bbc.co.uk`` → ``bbc.co.uk``).

    IP addresses, ``localhost`` and bare public suffixes are their own domain.
    """
    name = host_name(host).lower()
    try:
        ipaddress.ip_address(name)
        return name
    except ValueError:
        pass
    return _extractor()(name).top_domain_under_public_suffix or name


@dataclass(frozen=True)
class Scope:
    """Which URLs a crawl follows: ``host`` (a seed's host and port; ``www.x`` and ``x`` count
    as one host), ``domain`` (a seed's registered domain, any subdomain) or ``regex``
    (``re.search`` on the URL).

    Seeds, and where a seed redirects to, are always fetched; the scope applies to links.
    """

    kind: str
    seed_hosts: frozenset[str] = frozenset()
    pattern: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("host", "domain", "regex"):
            raise ValueError(f"Scope.kind must be host, domain or regex, got {self.kind!r}")
        if self.kind == "regex":
            if not self.pattern:
                raise ValueError("Scope.pattern: regex scope needs a non-empty pattern")
            try:
                re.compile(self.pattern)
            except re.error as e:
                raise ValueError(f"Scope.pattern: {self.pattern!r} is not a regular expression: {e}") from e

    @classmethod
    def parse(cls, spec: str, seeds: list[str]) -> Scope:
        """``host``, ``domain`` or ``regex:PATTERN`` for the given (normalised) seed URLs."""
        kind, _, pattern = spec.partition(":")
        if kind not in ("host", "domain", "regex") or (kind != "regex" and pattern):
            raise ValueError(f"--scope: expected one of {', '.join(SCOPES)}, got {spec!r}")
        return cls(kind=kind, seed_hosts=frozenset(host_key(s) for s in seeds), pattern=pattern)

    @property
    def _domains(self) -> frozenset[str]:
        return _seed_domains(self.seed_hosts)

    def contains(self, url: str) -> bool:
        """True when the normalised ``url`` is inside the crawl's scope."""
        if self.kind == "regex":
            return _compiled(self.pattern).search(url) is not None
        host = host_key(url)
        if self.kind == "host":
            return _strip_www(host) in _seed_hosts_no_www(self.seed_hosts)
        return registered_domain(host) in self._domains


def _strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=64)
def _seed_hosts_no_www(hosts: frozenset[str]) -> frozenset[str]:
    return frozenset(_strip_www(h) for h in hosts)


@lru_cache(maxsize=64)
def _seed_domains(hosts: frozenset[str]) -> frozenset[str]:
    return frozenset(registered_domain(h) for h in hosts)


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)
