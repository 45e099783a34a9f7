"""WARC files of one host, written with warcio: warcinfo, then request + response (or revisit) pairs.

A file is written as ``NAME.warc.gz.open`` and renamed to ``NAME.warc.gz`` only when closed,
so a glob for ``*.warc.gz`` never picks up a file still being written or left behind by a
killed crawl (``corpus.crawl.state.recover_host`` salvages those). Each record is its own gzip
member, as readers that seek expect, and the file is flushed after each exchange so that a
killed process loses at most the exchange it was writing. Past ``max_bytes`` the file is
closed and the next one started.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus.crawl.fetch import Response

WARC_VERSION = "1.1"
OPEN_SUFFIX = ".open"
PREFIX = "crawl"
CONFORMS_TO = "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"


def warc_name(slug: str, seq: int) -> str:
    return f"{PREFIX}-{slug}-{seq:05d}.warc.gz"


def _name_re(slug: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(PREFIX)}-{re.escape(slug)}-(\d{{5,}})\.warc\.gz(?:{re.escape(OPEN_SUFFIX)})?$")


def host_files(out_dir: Path, slug: str) -> list[tuple[int, Path]]:
    """``(seq, path)`` of every WARC file of a host, complete or open, by sequence number."""
    pattern = _name_re(slug)
    found = []
    for p in out_dir.glob(f"{PREFIX}-{slug}-*.warc.gz*"):
        m = pattern.match(p.name)
        if m:
            found.append((int(m.group(1)), p))
    return sorted(found)


def payload_digest(body: bytes) -> str:
    """``sha1:BASE32``, the form warcio writes in ``WARC-Payload-Digest``."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Original:
    """The first response with a payload: what a revisit record refers to."""

    uri: str
    date: str
    record_id: str


@dataclass(frozen=True)
class Written:
    warc: str  # file name (final form)
    offset: int
    length: int
    record_id: str
    digest: str | None


class HostWarcWriter:
    """Writes one host's exchanges into ``out_dir``, opening files lazily and rotating them by size."""

    def __init__(self, out_dir: Path, slug: str, max_bytes: int, info: dict[str, str]) -> None:
        self.out_dir, self.slug, self.max_bytes, self.info = Path(out_dir), slug, max_bytes, info
        self._file = None
        self._writer: WARCWriter | None = None
        self._name = ""
        self.closed_files: list[str] = []

    def __enter__(self) -> HostWarcWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        elif self._file is not None:  # leave it .open: recover_host keeps what the journal recorded
            self._file.close()
            self._file = self._writer = None

    def _open(self) -> None:
        files = host_files(self.out_dir, self.slug)
        seq = files[-1][0] + 1 if files else 0
        self._name = warc_name(self.slug, seq)
        self._file = open(self.out_dir / (self._name + OPEN_SUFFIX), "xb")
        self._writer = WARCWriter(self._file, gzip=True, warc_version=WARC_VERSION)
        fields = {"software": "corpusforge crawl (warcio)", "format": f"WARC File Format {WARC_VERSION}",
                  "conformsTo": CONFORMS_TO, **self.info}
        self._writer.write_record(self._writer.create_warcinfo_record(self._name, fields))

    def write(self, resp: Response, digest: str | None, original: Original | None = None) -> Written:
        """The request and the response (a revisit of ``original`` when given) of one exchange."""
        if self._writer is None:
            self._open()
        w = self._writer
        date = warc_date(resp.started)
        uri = resp.url
        http = StatusAndHeaders(f"{resp.status} {resp.reason}".strip(), resp.headers, protocol=resp.protocol)
        common = {"WARC-Date": date, "WARC-IP-Address": resp.ip}
        if original is not None:
            record = w.create_revisit_record(uri, digest, original.uri, original.date, http_headers=http,
                                             warc_headers_dict={**common, "WARC-Refers-To": original.record_id})
        else:
            extra = {"WARC-Truncated": resp.truncated} if resp.truncated else {}
            record = w.create_warc_record(uri, "response", payload=io.BytesIO(resp.body), length=len(resp.body),
                                          http_headers=http, warc_headers_dict={**common, **extra})
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        request = w.create_warc_record(
            uri, "request", payload=io.BytesIO(b""), length=0,
            http_headers=StatusAndHeaders(resp.request_line, resp.request_headers, is_http_request=True),
            warc_headers_dict={**common, "WARC-Concurrent-To": record_id})
        start = self._file.tell()
        w.write_record(request)
        w.write_record(record)
        self._file.flush()
        end = self._file.tell()
        written = Written(self._name, start, end - start, record_id,
                          record.rec_headers.get_header("WARC-Payload-Digest"))
        if end >= self.max_bytes:
            self.close()
        return written

    def close(self) -> None:
        """Finish the current file: flush to disk, then give it its final name."""
        if self._file is None:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.out_dir / (self._name + OPEN_SUFFIX), self.out_dir / self._name)
        _fsync_dir(self.out_dir)
        self.closed_files.append(self._name)
        self._file = self._writer = None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
