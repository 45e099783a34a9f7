"""One HTTP exchange, with the crawler's safety limits: the address check, timeouts, size and type limits.

The fetcher uses urllib3 (the transport under ``requests``) directly, because each request
must go to the exact address that passed the private-address check: the host name is
resolved here, the address is checked, and the connection is opened to that address with the
name sent as ``Host`` and as the TLS server name. A second resolution inside an HTTP library
could answer differently (DNS rebinding), and the recorded ``WARC-IP-Address`` would not be
the one used. Redirects and retries are the host crawler's job (``corpus.crawl.host``), so that
every hop goes through robots.txt, the politeness delay and this check again.

The stored payload follows Common Crawl's convention: the body is kept after transfer and
content decoding (so every WARC reader, this project's included, sees the page), and the
headers describing the wire form are renamed ``X-Crawler-Content-Encoding``,
``X-Crawler-Transfer-Encoding`` and ``X-Crawler-Content-Length``, with a ``Content-Length``
for the stored payload.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from corpus.crawl.config import CrawlConfig

CHUNK_BYTES = 64 * 1024
_WIRE_HEADERS = ("content-encoding", "transfer-encoding", "content-length")
_HTTP_VERSIONS = {9: "HTTP/0.9", 10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}


class FetchError(Exception):
    """No HTTP response: ``reason`` is the crawl log's code (``fetch:timeout``, ``private_address:loopback``...)."""

    def __init__(self, reason: str, detail: str, ip: str | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.ip = ip


@dataclass(frozen=True)
class Response:
    """An HTTP response as it goes into the WARC, with the request that produced it."""

    url: str
    ip: str
    status: int
    reason: str
    protocol: str
    headers: list[tuple[str, str]]  # as stored (see the module docstring)
    body: bytes
    request_line: str
    request_headers: list[tuple[str, str]]
    started: float  # Unix time the request was sent
    elapsed: float
    truncated: str | None = None  # WARC-Truncated: "length" or "time", or "disconnect"
    type_refused: str | None = None  # the media type when the body was not downloaded
    wire_bytes: int = 0  # payload bytes as received (compressed when content-encoded)

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def content_type(self) -> str | None:
        return self.header("Content-Type")


def address_class(ip: str) -> str | None:
    """Why ``ip`` must not be crawled by default (``loopback``, ``private``...), or None if it is public."""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    for name in ("loopback", "link_local", "multicast", "unspecified", "private", "reserved"):
        if getattr(addr, f"is_{name}"):
            return name.replace("_", "-")
    return None if addr.is_global else "non-global"


@dataclass
class Fetcher:
    """Issues single GET requests under a :class:`CrawlConfig`'s limits; keeps connections alive."""

    config: CrawlConfig
    resolver: object = field(default=socket.getaddrinfo, repr=False)

    def __post_init__(self) -> None:
        try:
            import certifi
            ca = {"ca_certs": certifi.where()}
        except ImportError:  # urllib3 then uses the system's certificates
            ca = {}
        self._pools = urllib3.PoolManager(num_pools=32, cert_reqs="CERT_REQUIRED", **ca)
        accept = ",".join(self.config.allowed_types)
        self._resolved: dict[tuple[str, int], str | FetchError] = {}
        self._base_headers = [("User-Agent", self.config.user_agent),
                              ("Accept", f"{accept},*/*;q=0.1"),
                              ("Accept-Encoding", "gzip, deflate")]

    def close(self) -> None:
        self._pools.clear()

    def resolve(self, url: str) -> str:
        """The address ``url``'s host resolves to, checked unless private hosts are allowed.

        Answers (and refusals) are kept for the fetcher's life, one host's batch: every request
        to the host then goes to the address that was checked.
        """
        parts = urlsplit(url)
        where = (parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        known = self._resolved.get(where)
        if known is None:
            try:
                known = self._resolve(*where)
            except FetchError as e:
                known = e
            self._resolved[where] = known
        if isinstance(known, FetchError):
            raise known
        return known

    def _resolve(self, host: str, port: int) -> str:
        try:
            infos = self.resolver(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as e:
            raise FetchError("fetch:dns", f"{host}: name does not resolve ({e})") from e
        if not infos:
            raise FetchError("fetch:dns", f"{host}: no address")
        ip = infos[0][4][0]
        kind = address_class(ip)
        if kind is not None and not self.config.allow_private_hosts:
            raise FetchError(f"private_address:{kind}",
                             f"{host} resolves to {ip}, a {kind} address; refused (pass --allow_private_hosts "
                             f"to crawl private, loopback or intranet hosts)", ip=ip)
        return ip

    def get(self, url: str, *, check_type: bool = True, max_bytes: int | None = None) -> Response:
        """GET ``url`` once (no redirects, no retries); raises :class:`FetchError` when no response came."""
        cfg = self.config
        limit = cfg.max_bytes if max_bytes is None else max_bytes
        ip = self.resolve(url)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [("Host", parts.netloc), *self._base_headers]
        kw = {"server_hostname": parts.hostname, "assert_hostname": parts.hostname} if parts.scheme == "https" else {}
        pool = self._pools.connection_from_host(ip, parts.port or (443 if parts.scheme == "https" else 80),
                                                parts.scheme, pool_kwargs=kw)
        started, t0 = time.time(), time.monotonic()
        try:
            resp = pool.urlopen("GET", target, headers=dict(headers), retries=False, redirect=False,
                                assert_same_host=False, preload_content=False, decode_content=False,
                                timeout=urllib3.Timeout(connect=cfg.connect_timeout, read=cfg.read_timeout))
        except (HTTPError, OSError) as e:
            raise _as_fetch_error(e, url, ip) from e
        request_line = f"GET {target} HTTP/1.1"
        raw_headers = list(resp.headers.items())
        common = dict(url=url, ip=ip, status=resp.status, reason=resp.reason or "",
                      protocol=_HTTP_VERSIONS.get(resp.version, "HTTP/1.1"), request_line=request_line,
                      request_headers=headers, started=started)
        ctype = resp.headers.get("Content-Type")
        if check_type and not cfg.type_allowed(ctype):
            resp.close()  # do not download what we will not keep
            mime = (ctype or "").split(";", 1)[0].strip().lower()
            return Response(headers=raw_headers, body=b"", elapsed=time.monotonic() - t0, type_refused=mime,
                            **common)
        body, truncated = bytearray(), None
        try:
            # read1: one network read at a time, so a server trickling bytes meets max_fetch_seconds
            while chunk := resp.read1(CHUNK_BYTES, decode_content=True):
                body += chunk
                if len(body) > limit:
                    del body[limit:]
                    truncated = "length"
                    break
                if time.monotonic() - t0 > cfg.max_fetch_seconds:
                    truncated = "time"
                    break
        except ReadTimeoutError:
            truncated = "time"
        except ProtocolError:  # the server closed the connection before the body was complete
            truncated = "disconnect"
        except DecodeError as e:
            resp.close()
            raise FetchError("fetch:content_decoding", f"{url}: {e}", ip=ip) from e
        finally:
            wire = resp.tell() if hasattr(resp, "tell") else len(body)
            if truncated:
                resp.close()
            else:
                resp.release_conn()
        stored = _stored_headers(raw_headers, len(body), decoded=_decoded(resp))
        return Response(headers=stored, body=bytes(body), elapsed=time.monotonic() - t0, truncated=truncated,
                        wire_bytes=wire, **common)


def _decoded(resp) -> bool:
    encoding = (resp.headers.get("Content-Encoding") or "").strip().lower()
    return bool(encoding) and encoding != "identity" and encoding in resp.CONTENT_DECODERS


def _stored_headers(headers: list[tuple[str, str]], length: int, decoded: bool) -> list[tuple[str, str]]:
    """Rename the wire-form headers when the stored payload differs from what was sent (Common Crawl's way)."""
    lengths = [v for k, v in headers if k.lower() == "content-length"]
    chunked = any(k.lower() == "transfer-encoding" for k, _ in headers)
    if not decoded and not chunked and lengths == [str(length)]:
        return headers
    out = []
    for k, v in headers:
        low = k.lower()
        if low in _WIRE_HEADERS and (low != "content-encoding" or decoded):
            out.append((f"X-Crawler-{k}", v))
        else:
            out.append((k, v))
    out.append(("Content-Length", str(length)))
    return out


def _as_fetch_error(e: Exception, url: str, ip: str) -> FetchError:
    cause = getattr(e, "reason", None) or e  # urllib3 may wrap the cause
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2: test it first.
    if isinstance(cause, NewConnectionError) or isinstance(e, NewConnectionError):
        return FetchError("fetch:connection_refused", f"{url}: cannot connect: {e}", ip=ip)
    if isinstance(cause, ConnectTimeoutError) or isinstance(e, ConnectTimeoutError):
        return FetchError("fetch:connect_timeout", f"{url}: no connection within the connect timeout", ip=ip)
    if isinstance(cause, ReadTimeoutError) or isinstance(e, ReadTimeoutError):
        return FetchError("fetch:read_timeout", f"{url}: no response within the read timeout", ip=ip)
    if isinstance(cause, SSLError) or isinstance(e, SSLError):
        return FetchError("fetch:tls", f"{url}: TLS error: {e}", ip=ip)
    return FetchError("fetch:connection", f"{url}: {type(e).__name__}: {e}", ip=ip)
