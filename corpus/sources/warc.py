"""Read web archives (WARC, WET, ARC) into Documents, Skipped records and dead letters.

WARC and WET go through FastWARC, about 3x faster than warcio here (docs/benchmarks/read_warc.md);
ARC, which FastWARC cannot parse, goes through warcio's ``arc2warc``. FastWARC stops at the first
bad record, so for per-record gzip and uncompressed files this module resynchronises itself: it
scans for the next record start, dead-letters what lay in between, and goes on. The same scan
cuts a file into byte ranges for scale-out: a range reads the records that *start* inside it.
"""
from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import warcio.archiveiterator
from fastwarc.warc import ArchiveIterator

from corpus.counters import CounterFn, noop_counter
from corpus.document import Document
from corpus.sources.base import MAX_RECORD_BYTES, DeadLetter, ReadResult, Skipped, kind_of, snippet_of
from corpus.sources.charset import decode_html

SOURCE = "warc"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Declared types that say nothing reliable about the body: look at the bytes instead.
VAGUE_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "text/plain",
                         "application/unknown", "unknown/unknown", "application/x-unknown", "text/unknown"})
SNIFF_BYTES = 1024
GZIP_MAGIC = b"\x1f\x8b\x08"
SCAN_CHUNK_BYTES = 1 << 20
GUARD_STEP_BYTES = 8192
# Bytes of a candidate record start that must parse before a scan accepts it.
PROBE_BYTES = 8192
BINARY_MAGICS = (b"\x89PNG", b"%PDF", b"\x1f\x8b", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x00\x00\x01\x00")
_HTML_SNIFF_RE = re.compile(rb"<(?:!doctype\s+html|html|head|body|p|div|title|a\s|br|table|script)[\s>/]", re.I)
_WARC_HEAD_RE = re.compile(rb"WARC/1\.[01]\r?\n(?:[^\r\n]*\r?\n)*?Content-Length:\s*\d+\s*\r?\n", re.I)
_CANDIDATE_TYPES = {"response", "resource", "conversion"}


@dataclass(frozen=True)
class WarcConfig:
    """How the reader treats records; defaults fit Common Crawl."""

    max_record_bytes: int = MAX_RECORD_BYTES
    keep_non_html: bool = False  # non-HTML text/* responses become format="text" documents
    sniff_html: bool = True  # a vague or missing Content-Type is decided by the body

    def __post_init__(self) -> None:
        if not isinstance(self.max_record_bytes, int) or self.max_record_bytes <= 0:
            raise ValueError(f"WarcConfig.max_record_bytes must be a positive int, got {self.max_record_bytes!r}")
        for name in ("keep_non_html", "sniff_html"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"WarcConfig.{name} must be a bool, got {getattr(self, name)!r}")


@dataclass
class _Record:
    """What the handler needs of a record, whichever library parsed it."""

    rec_type: str
    record_id: str
    uri: str
    date: str
    offset: int | None
    warc_content_type: str
    content_length: int
    read: Callable[[int], bytes]
    status: int | None = None
    http_content_type: str | None = None


# --- record starts and byte ranges ----------------------------------------------------------------

def _is_gzip(stream: BinaryIO) -> bool:
    stream.seek(0)
    return stream.read(3) == GZIP_MAGIC


def _gzip_member_is_warc(stream: BinaryIO, pos: int) -> bool:
    stream.seek(pos)
    try:
        return zlib.decompressobj(31).decompress(stream.read(PROBE_BYTES), 16).startswith(b"WARC/1.")
    except zlib.error:
        return False


def _plain_record_at(stream: BinaryIO, pos: int) -> bool:
    stream.seek(pos)
    return _WARC_HEAD_RE.match(stream.read(PROBE_BYTES)) is not None


def next_record_start(stream: BinaryIO, offset: int) -> int | None:
    """The first offset >= ``offset`` where a WARC record starts, or None.

    In a gzip file that is a gzip member decompressing to ``WARC/1.``; in an uncompressed
    file a ``WARC/1.x`` line at offset 0 or after a newline whose header has a Content-Length.
    """
    gz = _is_gzip(stream)
    needle, accept = (GZIP_MAGIC, _gzip_member_is_warc) if gz else (b"WARC/1.", _plain_record_at)
    pos = max(offset, 0)
    while True:
        base = max(pos - 1, 0)  # one byte back, to see whether a candidate follows a newline
        stream.seek(base)
        chunk = stream.read(SCAN_CHUNK_BYTES + len(needle))
        i = chunk.find(needle, pos - base)
        while i != -1:
            at = base + i
            if (gz or at == 0 or chunk[i - 1:i] == b"\n") and accept(stream, at):
                return at
            i = chunk.find(needle, i + 1)
        if len(chunk) < SCAN_CHUNK_BYTES + len(needle):
            return None
        pos = base + len(chunk) - len(needle) + 1


def _gzip_member_end(stream: BinaryIO, pos: int) -> int | None:
    """Where the gzip member starting at ``pos`` ends (decompressed output is discarded)."""
    stream.seek(pos)
    d = zlib.decompressobj(31)
    consumed = 0
    try:
        while not d.eof:
            data = d.unconsumed_tail or stream.read(SCAN_CHUNK_BYTES)
            if not data:
                return None
            if not d.unconsumed_tail:
                consumed += len(data)
            d.decompress(data, SCAN_CHUNK_BYTES)
    except zlib.error:
        return None
    return pos + consumed - len(d.unused_data)


def _plain_record_end(stream: BinaryIO, pos: int) -> int | None:
    stream.seek(pos)
    head = stream.read(PROBE_BYTES)
    end = head.find(b"\r\n\r\n")
    m = re.search(rb"\nContent-Length:\s*(\d+)", head[:end], re.I)
    return pos + end + 4 + int(m.group(1)) + 4 if end != -1 and m else None


def split_ranges(size: int, chunk_bytes: int) -> list[tuple[int, int]]:
    """Consecutive ``[start, end)`` ranges covering ``size`` bytes; at least one range."""
    if size < 0:
        raise ValueError(f"split_ranges: size must be >= 0, got {size}")
    if chunk_bytes <= 0:
        raise ValueError(f"split_ranges: chunk_bytes must be > 0, got {chunk_bytes}")
    return [(s, min(s + chunk_bytes, size)) for s in range(0, size, chunk_bytes)] or [(0, 0)]


def is_splittable(stream: BinaryIO, path: str) -> bool:
    """True if records can be found from any offset: per-record gzip or uncompressed WARC.

    Whole-file gzip (one member holding several records) and ARC are read from range 0 only.
    """
    if _sniff_kind(stream, path) == "arc" or not stream.seekable():
        return False
    if not _is_gzip(stream):
        return True
    stream.seek(0)
    d = zlib.decompressobj(31)
    tail = b""
    seen = 0
    try:
        while not d.eof and seen <= MAX_RECORD_BYTES:
            data = d.unconsumed_tail or stream.read(1 << 16)
            if not data:
                return False  # truncated inside the first member: read it in one pass
            out = d.decompress(data, 1 << 16)
            seen += len(out)
            if b"\r\n\r\nWARC/1." in tail + out:
                return False  # a second record inside the first member
            tail = out[-16:]
    except zlib.error:
        return True
    return d.eof


# --- one record ---------------------------------------------------------------------------------

def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _is_binary(body: bytes) -> bool:
    head = body[:SNIFF_BYTES]
    return head.startswith(BINARY_MAGICS) or b"\x00" in head


def _looks_like_html(body: bytes) -> bool:
    return _HTML_SNIFF_RE.search(body[:SNIFF_BYTES]) is not None


def _handle(rec: _Record, path: str, config: WarcConfig, counter: CounterFn) -> Iterator[ReadResult]:
    """Turn one record into at most one result; the caller dead-letters parse errors."""
    counter(f"warc:records:{rec.rec_type}")
    if rec.rec_type not in _CANDIDATE_TYPES:
        return
    def skipped(reason: str) -> Skipped:
        counter(reason)
        return Skipped(reason, path, rec.offset, rec.uri, rec.record_id)

    content_type = rec.warc_content_type
    if rec.rec_type == "response":
        if rec.status is None:
            yield skipped("warc:non_http")
            return
        if 300 <= rec.status < 400:
            yield skipped("warc:redirect")
            return
        if not 200 <= rec.status < 300:
            yield skipped("warc:http_status")
            return
        content_type = rec.http_content_type or ""
    mime = _mime(content_type)
    is_text = rec.rec_type == "conversion"
    textual = is_text or (config.keep_non_html and mime.startswith("text/"))
    if mime not in HTML_TYPES and not textual and not (config.sniff_html and mime in VAGUE_TYPES):
        yield skipped("warc:non_html")
        return
    limit = config.max_record_bytes
    if rec.content_length > limit:
        yield _dead(path, rec.offset, f"record of {rec.content_length} bytes exceeds max_record_bytes={limit}",
                    rec.record_id, b"", counter)
        return
    body = rec.read(limit + 1)
    if len(body) > limit:
        yield _dead(path, rec.offset, f"record body exceeds max_record_bytes={limit}", rec.record_id,
                    body[:256], counter)
        return
    if len(body) < rec.content_length:
        yield _dead(path, rec.offset, f"record truncated: {len(body)} of {rec.content_length} bytes",
                    rec.record_id, body[:256], counter)
        return
    if not is_text and mime in HTML_TYPES and _is_binary(body):
        yield skipped("warc:not_html_body")
        return
    fmt = "text" if is_text else "html"
    if not is_text and mime not in HTML_TYPES:
        if config.sniff_html and not _is_binary(body) and _looks_like_html(body):
            counter("warc:sniffed_html")
        elif textual and not _is_binary(body):
            fmt = "text"
        else:
            yield skipped("warc:non_html")
            return
    decoded = decode_html(body, content_type)
    if decoded.replaced:
        counter("warc:charset_replaced")
    counter(f"warc:documents:{fmt}")
    native_id = rec.record_id or f"{path}:{rec.offset}"
    yield Document.create(SOURCE, native_id, decoded.text, url=rec.uri, meta={
        "format": fmt, "warc_record_id": rec.record_id, "warc_date": rec.date, "path": path,
        "offset": rec.offset, "content_type": content_type, "charset": decoded.charset,
        "charset_source": decoded.source})


def _dead(path: str, offset: int | None, error: str, record: str, raw: bytes, counter: CounterFn) -> DeadLetter:
    counter(f"dead_letter:{SOURCE}")
    return DeadLetter(path, offset, error, SOURCE, record=record, snippet=snippet_of(raw))


# --- FastWARC (WARC, WET) ---------------------------------------------------------------------

def _fast_record(rec) -> _Record:
    """A FastWARC record as a :class:`_Record`; parses its HTTP head (may raise OSError)."""
    headers = rec.headers
    length = (headers.get("Content-Length") or "").strip()
    if not length.isdigit():
        raise ValueError(f"malformed WARC header: Content-Length {length!r} is not a byte count")
    rec_type = str(rec.record_type)
    status = http_type = None
    if rec_type == "response" and rec.is_http:
        rec.parse_http()
        status = rec.http_headers.status_code
        http_type = rec.http_headers.get("Content-Type")
    return _Record(rec_type=rec_type, record_id=rec.record_id or "", uri=headers.get("WARC-Target-URI") or "",
                   date=headers.get("WARC-Date") or "", offset=rec.stream_pos,
                   warc_content_type=headers.get("Content-Type") or "", content_length=rec.content_length,
                   read=rec.reader.read, status=status, http_content_type=http_type)


_DEAD = "record dead-lettered"


@dataclass
class _Run:
    last: int | None = None  # start offset of the last record reached
    dead_at: int | None = None  # start offset of the last record dead-lettered
    error: str | None = None
    past_end: bool = False


def _fast_run(stream: BinaryIO, pos: int, end: int | None, path: str, config: WarcConfig,
              counter: CounterFn, run: _Run, resync: bool = True) -> Iterator[ReadResult]:
    """Read records with FastWARC from ``pos`` until the end, ``end``, or the first error."""
    if resync:
        stream.seek(pos)
    try:
        for raw in ArchiveIterator(stream, parse_http=False, stream_detect=True):
            if end is not None and raw.stream_pos >= end:
                run.past_end = True
                return
            run.last = raw.stream_pos
            try:
                for result in _handle(_fast_record(raw), path, config, counter):
                    if isinstance(result, DeadLetter):
                        run.dead_at = run.last
                    yield result
            except (OSError, EOFError, ValueError, zlib.error) as e:
                run.dead_at = run.last
                raw_head = _snippet_at(stream, run.last) if resync else b""
                yield _dead(path, run.last, f"{type(e).__name__}: {e}", raw.record_id or "", raw_head, counter)
                run.error = _DEAD
                return
    except (OSError, EOFError, ValueError, zlib.error) as e:
        run.error = f"{type(e).__name__}: {e}"


def _snippet_at(stream: BinaryIO, offset: int) -> bytes:
    """Raw bytes at ``offset`` for a dead letter, decompressed when they start a gzip member."""
    stream.seek(offset)
    data = stream.read(PROBE_BYTES)
    if data.startswith(GZIP_MAGIC):
        try:
            return zlib.decompressobj(31).decompress(data, 256)
        except zlib.error:
            pass
    return data[:256]


def _read_resync(stream: BinaryIO, path: str, config: WarcConfig, counter: CounterFn,
                 start: int, end: int | None) -> Iterator[ReadResult]:
    """Per-record gzip or uncompressed: read, and on a bad record skip to the next record start."""
    gz = _is_gzip(stream)
    pos = 0 if start == 0 else next_record_start(stream, start)
    while pos is not None and (end is None or pos < end):
        run = _Run()
        yield from _fast_run(stream, pos, end, path, config, counter, run)
        if run.past_end:
            return
        if run.last is None:  # nothing readable at pos: a bad record, or the end of the file
            stream.seek(pos)
            if stream.read(1):
                yield _dead(path, pos, run.error or "truncated or unparseable WARC record", "",
                            _snippet_at(stream, pos), counter)
            pos = next_record_start(stream, pos + 1)
            continue
        nxt = next_record_start(stream, run.last + 1)
        # Bytes after the last record read that no record start claims (garbage, a member cut
        # too short to recognise): one dead letter, attributed to the range that read that record.
        junk = (_gzip_member_end if gz else _plain_record_end)(stream, run.last)
        if junk is not None and junk != nxt and (nxt is not None and junk < nxt or nxt is None and _has_bytes_at(
                stream, junk)):
            yield _dead(path, junk, run.error if run.error and run.error != _DEAD else "bytes that are not a record",
                        "", _snippet_at(stream, junk), counter)
        pos = nxt


def _has_bytes_at(stream: BinaryIO, offset: int) -> bool:
    stream.seek(offset)
    return bool(stream.read(1))


def _read_single(stream: BinaryIO, path: str, config: WarcConfig, counter: CounterFn) -> Iterator[ReadResult]:
    """Whole-file gzip or a stream that cannot seek: one pass, stop at the first bad record.

    Whole-file gzip is decompressed by :class:`_EofGuard` so that a truncated file is noticed
    (FastWARC stops silently there) and offsets are positions in the decompressed stream.
    """
    gunzip = stream.seekable() and _is_gzip(stream)
    if gunzip:
        stream.seek(0)
    guard = _EofGuard(stream, gunzip=gunzip)
    run = _Run()
    yield from _fast_run(guard, 0, None, path, config, counter, run, resync=False)
    error = run.error if run.error and run.error != _DEAD else guard.error
    if error and not (run.last is not None and run.dead_at == run.last):
        at = run.last if run.last is not None else 0
        yield _dead(path, at, f"{error} (at or after the record at offset {at}; rest of file unreadable)", "",
                    b"", counter)


class _EofGuard(io.RawIOBase):
    """A one-pass stream for FastWARC that ends cleanly where the input breaks, remembering why.

    With ``gunzip`` it decompresses itself (Python's gzip raises at a cut without returning
    what it decompressed), so the complete records before a truncation are still read; a record
    cut short is caught by its short body and the remembered error becomes the final dead letter.
    """

    def __init__(self, inner: BinaryIO, gunzip: bool = False) -> None:
        self._inner = inner
        self._gz = zlib.decompressobj(31) if gunzip else None
        self._pending = b""
        self._pos = 0
        self.error: str | None = None

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        # FastWARC asks a Python stream where it is; it never needs to move backwards here.
        target = offset if whence == io.SEEK_SET else self._pos + offset
        if whence not in (io.SEEK_SET, io.SEEK_CUR) or target < self._pos:
            raise io.UnsupportedOperation("seek backwards or from the end on a one-pass stream")
        while self._pos < target and self.read(min(target - self._pos, 1 << 16)):
            pass
        return self._pos

    def _fill(self, want: int) -> None:
        while len(self._pending) < want and not self.error:
            if self._gz is not None and self._gz.unconsumed_tail:
                data = self._gz.unconsumed_tail
            else:
                try:
                    data = self._inner.read(GUARD_STEP_BYTES)
                except (OSError, EOFError) as e:
                    self.error = f"{type(e).__name__}: {e}"
                    return
                if self._gz is None:
                    if not data:
                        return
                    self._pending += data
                    continue
                if not data:
                    if not self._gz.eof:
                        self.error = "EOFError: gzip stream ends before its end-of-stream marker (truncated)"
                    return
            try:
                self._pending += self._gz.decompress(data, GUARD_STEP_BYTES)
                if self._gz.eof and self._gz.unused_data:  # the next gzip member
                    rest, self._gz = self._gz.unused_data, zlib.decompressobj(31)
                    self._pending += self._gz.decompress(rest, GUARD_STEP_BYTES)
            except zlib.error as e:
                self.error = f"zlib.error: {e}"

    def read(self, size: int = -1) -> bytes:
        want = size if size >= 0 else 1 << 62
        self._fill(want)
        data, self._pending = self._pending[:want], self._pending[want:]
        self._pos += len(data)
        return data

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


# --- warcio (ARC) -------------------------------------------------------------------------------

def _read_arc(stream: BinaryIO, path: str, config: WarcConfig, counter: CounterFn) -> Iterator[ReadResult]:
    """ARC through warcio, which converts each record to its WARC equivalent on the fly."""
    it = warcio.archiveiterator.ArchiveIterator(stream, arc2warc=True)
    offset: int | None = 0
    limit = config.max_record_bytes
    try:
        for raw in it:
            h = raw.rec_headers
            http = raw.http_headers
            # warcio knows a record's offset only once the record is read: read (bounded) first.
            body = raw.content_stream().read(limit + 1) if raw.rec_type in _CANDIDATE_TYPES else b""
            offset = it.get_record_offset()
            status = None
            if http is not None and raw.rec_type == "response":
                code = http.get_statuscode()
                status = int(code) if code and code.isdigit() else None
            rec = _Record(rec_type=raw.rec_type, record_id=h.get_header("WARC-Record-ID") or "",
                          uri=h.get_header("WARC-Target-URI") or "", date=h.get_header("WARC-Date") or "",
                          offset=offset, warc_content_type=h.get_header("Content-Type") or "",
                          content_length=len(body), read=io.BytesIO(body).read, status=status,
                          http_content_type=http.get_header("Content-Type") if http is not None else None)
            yield from _handle(rec, path, config, counter)
    except Exception as e:  # warcio raises many types (ArchiveLoadFailed, zlib.error, ValueError...)
        yield _dead(path, offset, f"{type(e).__name__}: {e}", "", b"", counter)


# --- entry point --------------------------------------------------------------------------------

def _sniff_kind(stream: BinaryIO, path: str) -> str:
    """``arc`` or ``warc`` (WET is WARC): by name, else by the first decompressed bytes."""
    try:
        kind = kind_of(path)
        if kind in ("warc", "wet", "arc"):
            return "arc" if kind == "arc" else "warc"
    except ValueError:
        pass
    if not stream.seekable():
        return "warc"
    stream.seek(0)
    head = stream.read(PROBE_BYTES)
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(31).decompress(head, 64)
        except zlib.error:
            return "warc"
    return "arc" if head.startswith(b"filedesc://") else "warc"


def read_warc(stream: BinaryIO, path: str, *, config: WarcConfig = WarcConfig(), counter: CounterFn = noop_counter,
              start: int = 0, end: int | None = None) -> Iterator[ReadResult]:
    """Every candidate record of a WARC/WET/ARC file as a Document, Skipped or DeadLetter.

    With ``start``/``end`` only records starting in ``[start, end)`` are read; files that
    :func:`is_splittable` rejects are read whole by the range starting at 0.
    """
    seekable = stream.seekable()
    if seekable:
        stream.seek(0)
        if not stream.read(1):
            if start == 0:
                yield _dead(path, 0, "empty file", "", b"", counter)
            return
    is_arc = _sniff_kind(stream, path) == "arc"
    if is_arc or not seekable or not is_splittable(stream, path):
        if start != 0:
            return
        if seekable:
            stream.seek(0)
        yield from (_read_arc if is_arc else _read_single)(stream, path, config, counter)
        return
    yield from _read_resync(stream, path, config, counter, start, end)

