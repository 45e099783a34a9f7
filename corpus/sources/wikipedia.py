"""Read MediaWiki XML export dumps (plain, bz2, multistream bz2) into Documents, Skipped and dead letters.

Parsing is a feed-driven ``xml.etree.ElementTree.XMLPullParser``: we push decompressed chunks of at most
``chunk_bytes`` and detach every finished ``<page>``, so memory stays flat on a 20 GB dump. lxml parses
about 1.5x faster, but parsing is a few percent of the cost of a page (bz2 and wikitext conversion
dominate, docs/benchmarks/wikipedia.md) and lxml refuses text nodes over 10 MB without ``huge_tree``.

bz2 input is decompressed stream by stream, which gives three things: the stream offset of every page
(the multistream index's offsets), recovery after a malformed or corrupt stream (dead-letter it and go
on with the next one, in a fresh parser fed a synthetic ``<mediawiki>`` root), and byte-range reads for
scale-out (:func:`read_dump_range` over :func:`stream_ranges` of the index).
"""
from __future__ import annotations

import bz2
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO, NamedTuple
from urllib.parse import quote

from corpus.counters import CounterFn, noop_counter
from corpus.document import Document
from corpus.sources.base import DeadLetter, ReadResult, Skipped, snippet_of

SOURCE = "wikipedia"
# MediaWiki caps a revision at 2 MiB ($wgMaxArticleSize); twice that is generous and still bounded.
MAX_PAGE_BYTES = 4 * 1024 * 1024
CHUNK_BYTES = 1 << 20  # decompressed bytes fed to the parser at a time
READ_BYTES = 1 << 18  # compressed bytes read from the file at a time
# Slack over max_page_bytes for a page's XML around its text (title, contributor, comment, ...).
PAGE_OVERHEAD_BYTES = 1 << 16
ARTICLE_NAMESPACES = frozenset({0})
BZ2_MAGIC = b"BZh"
# A bz2 stream start: header, then a block or the end-of-stream marker; streams are byte-aligned.
_BZ2_STREAM_RE = re.compile(rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_REDIRECT_RE = re.compile(
    r"^\s*#\s*(?:redirect|weiterleitung|redirection|redirección|rinvia|rinvio|redirecionamento|"
    r"doorverwijzing|перенаправление|перенапр|przekieruj|yönlendi̇rme|yönlendirme|ohjaus|uudelleenohjaus|"
    r"přesměruj|omdirigering|omdirigering|転送|リダイレクト|重定向|转到|重新導向)\s*:?\s*\[\[", re.I)
# Templates that mark a disambiguation page. Set-index articles ({{surname}}, {{given name}},
# {{set index article}}, {{shipindex}}) are lists with prose about a name and stay articles.
DISAMBIGUATION_TEMPLATES = frozenset({
    "disambiguation", "disambig", "disamb", "dab", "dbig", "hndis", "geodis", "numberdis", "mathdab",
    "disambiguation cleanup", "dab cleanup", "disambig-cleanup",
    "begriffsklärung", "homonymie", "desambiguación", "desambiguação", "desambiguacao", "disambigua",
    "неоднозначность", "многозначность", "ujednoznacznienie", "förgreningssida", "täsmennyssivu",
    "dp", "aimai", "曖昧さ回避", "消歧义", "消歧義"})
_TEMPLATE_NAME_RE = re.compile(r"\{\{\s*(?:template\s*:\s*)?([^{}|\n]+?)\s*(?:\||\}\})", re.I)
_DISAMBIG_SUFFIX_RE = re.compile(r"\s(?:disambiguation|dab)$")
_DISAMBIG_MAGIC_RE = re.compile(r"__DISAMBIG(?:UATION)?__", re.I)


@dataclass(frozen=True)
class WikiConfig:
    """How pages become results; the defaults fit Wikipedia's pages-articles dumps."""

    max_page_bytes: int = MAX_PAGE_BYTES
    chunk_bytes: int = CHUNK_BYTES
    article_namespaces: frozenset[int] = ARTICLE_NAMESPACES
    disambiguation_templates: frozenset[str] = DISAMBIGUATION_TEMPLATES

    def __post_init__(self) -> None:
        for name in ("max_page_bytes", "chunk_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"WikiConfig.{name} must be a positive int, got {value!r}")
        if not self.article_namespaces or not all(isinstance(n, int) for n in self.article_namespaces):
            raise ValueError(f"WikiConfig.article_namespaces must be a non-empty set of ints, "
                             f"got {self.article_namespaces!r}")
        if any(name != name.lower() for name in self.disambiguation_templates):
            raise ValueError("WikiConfig.disambiguation_templates must be lowercase template names")

    @property
    def guard_bytes(self) -> int:
        """Decompressed bytes without a finished page after which the parser is stopped (memory bound)."""
        return self.max_page_bytes + self.chunk_bytes + PAGE_OVERHEAD_BYTES


@dataclass(frozen=True)
class SiteInfo:
    """The ``<siteinfo>`` header: names the wiki and the base of its article URLs."""

    sitename: str = ""
    dbname: str = ""
    base: str = ""
    lang: str = ""
    namespaces: Mapping[int, str] = field(default_factory=dict, hash=False)

    def article_url(self, title: str) -> str:
        """The page's URL as MediaWiki writes it (wfUrlencode keeps ``;@$!*(),/~:``)."""
        if not self.base:
            return ""
        return self.base.rsplit("/", 1)[0] + "/" + quote(title.replace(" ", "_"), safe=";@$!*(),/~:")


class IndexEntry(NamedTuple):
    offset: int
    page_id: int
    title: str


# --- public API ----------------------------------------------------------------------------------

def read_dump(stream: BinaryIO, path: str, *, config: WikiConfig = WikiConfig(),
              counter: CounterFn = noop_counter) -> Iterator[ReadResult]:
    """Every page of a whole dump file, in order; a multistream file is read as one stream."""
    head = stream.read(len(BZ2_MAGIC))
    if head == BZ2_MAGIC or path.endswith(".bz2"):
        source = _Bz2Chunks(stream, head, 0, None, config.chunk_bytes)
    else:
        source = _PlainChunks(stream, head, config.chunk_bytes)  # type: ignore[assignment]
    yield from _read(source, path, None, config, counter, fragment=False)


def read_dump_range(stream: BinaryIO, path: str, start: int, end: int, *, siteinfo: SiteInfo,
                    config: WikiConfig = WikiConfig(), counter: CounterFn = noop_counter) -> Iterator[ReadResult]:
    """The pages of the bz2 streams that start in ``[start, end)`` of a multistream dump."""
    if not 0 <= start <= end:
        raise ValueError(f"{path}: need 0 <= start <= end, got start={start}, end={end}")
    stream.seek(start)
    source = _Bz2Chunks(stream, b"", start, end, config.chunk_bytes)
    yield from _read(source, path, siteinfo, config, counter, fragment=True)


def read_siteinfo(stream: BinaryIO, path: str) -> SiteInfo:
    """The header of a dump (plain or bz2); reads no further than ``</siteinfo>``."""
    head = stream.read(len(BZ2_MAGIC))
    source = (_Bz2Chunks(stream, head, 0, None, READ_BYTES) if head == BZ2_MAGIC
              else _PlainChunks(stream, head, READ_BYTES))
    session = _Session(fragment=False, guard_bytes=MAX_PAGE_BYTES)
    try:
        for kind, value in source:
            if kind == "error":
                raise ValueError(f"{path}: cannot read the dump header: {value[1]}")
            if kind == "data":
                for _page_elem in session.feed(value):
                    if session.siteinfo is None:
                        raise ValueError(f"{path}: no <siteinfo> before the first <page>")
                if session.siteinfo is not None:
                    return session.siteinfo
    except ET.ParseError as e:
        raise ValueError(f"{path}: malformed XML in the dump header: {e}") from e
    raise ValueError(f"{path}: no <siteinfo> element found")


def read_multistream_index(stream: BinaryIO) -> list[IndexEntry]:
    """All entries of a ``*-multistream-index.txt[.bz2]`` (see :func:`iter_multistream_index`)."""
    return list(iter_multistream_index(stream))


def iter_multistream_index(stream: BinaryIO) -> Iterator[IndexEntry]:
    """Entries of an index, lazily: enwiki's has ~20M lines, too many to hold where only offsets matter.

    Lines are ``offset:page_id:title``; titles may hold colons.
    """
    head = stream.read(len(BZ2_MAGIC))
    raw = _Prepend(head, stream)
    lines = bz2.BZ2File(raw) if head == BZ2_MAGIC else io.BufferedReader(raw)
    for number, line_bytes in enumerate(lines, start=1):
        line = line_bytes.decode("utf-8").rstrip("\r\n")
        if not line:
            continue
        offset, sep1, rest = line.partition(":")
        page_id, sep2, title = rest.partition(":")
        if not (sep1 and sep2 and offset.isdigit() and page_id.isdigit()):
            raise ValueError(f"multistream index line {number}: expected 'offset:page_id:title', got {line[:80]!r}")
        yield IndexEntry(int(offset), int(page_id), title)


def stream_ranges(index: Iterable[IndexEntry], file_size: int, streams_per_range: int) -> list[tuple[int, int]]:
    """Byte ranges of ``streams_per_range`` consecutive streams each; the last ends at ``file_size``.

    ``index`` may be a lazy :func:`iter_multistream_index`: only the distinct offsets are kept.
    """
    if not isinstance(streams_per_range, int) or streams_per_range <= 0:
        raise ValueError(f"streams_per_range must be a positive int, got {streams_per_range!r}")
    offsets = sorted({entry.offset for entry in index})
    if offsets and offsets[-1] >= file_size:
        raise ValueError(f"file_size={file_size} is not past the last stream offset {offsets[-1]}")
    starts = offsets[::streams_per_range]
    return [(s, starts[i + 1] if i + 1 < len(starts) else file_size) for i, s in enumerate(starts)]


# --- decompressed chunks -------------------------------------------------------------------------

_Chunks = Iterator[tuple[str, object]]  # ("stream", offset) | ("data", bytes) | ("error", (offset, msg))


class _Prepend(io.RawIOBase):
    """A read-only stream that first returns ``head`` (bytes already read to sniff the format)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self._head[:len(b)] if self._head else self._rest.read(len(b))
        self._head = self._head[len(data):] if self._head else b""
        b[:len(data)] = data
        return len(data)


class _PlainChunks:
    def __init__(self, stream: BinaryIO, head: bytes, chunk_bytes: int) -> None:
        self._stream, self._head, self._chunk = stream, head, chunk_bytes

    def skip_stream(self) -> None:
        self._stream = None  # a plain file is one stream: nothing after a fatal error

    def __iter__(self) -> _Chunks:
        yield "stream", None
        if self._head:
            yield "data", self._head
        while self._stream is not None and (data := self._stream.read(self._chunk)):
            yield "data", data


class _Bz2Chunks:
    """Decompress concatenated bz2 streams one by one, output bounded to ``chunk_bytes`` per step."""

    def __init__(self, stream: BinaryIO, head: bytes, start: int, end: int | None, chunk_bytes: int) -> None:
        self._stream, self._buf, self._pos, self._end, self._chunk = stream, head, start, end, chunk_bytes
        self._skip = False

    def skip_stream(self) -> None:
        self._skip = True

    def _fill(self) -> bool:
        data = self._stream.read(READ_BYTES)
        self._buf += data
        return bool(data)

    def __iter__(self) -> _Chunks:
        while self._end is None or self._pos < self._end:
            if not self._buf and not self._fill():
                return
            if len(self._buf) < 10:
                self._fill()
            if not _BZ2_STREAM_RE.match(self._buf):
                yield "error", (self._pos, f"no bz2 stream starts at offset {self._pos}")
                if not self._resync(self._pos + 1):
                    return
                continue
            yield from self._one_stream()

    def _one_stream(self) -> _Chunks:
        start, fed, self._skip = self._pos, 0, False
        yield "stream", start
        decompressor = bz2.BZ2Decompressor()
        data, self._buf = self._buf, b""
        while True:
            try:
                out = decompressor.decompress(data, self._chunk)
            except OSError as e:
                yield "error", (start, f"corrupt bz2 stream at offset {start}: {e}")
                self._resync(start + 1)
                return
            fed += len(data)
            if out and not self._skip:  # after a parse error the rest of the stream is decompressed unread
                yield "data", out
            if decompressor.eof:
                self._buf = decompressor.unused_data
                self._pos = start + fed - len(self._buf)
                return
            data = b""
            if decompressor.needs_input:
                data = self._stream.read(READ_BYTES)
                if not data:
                    yield "error", (start, f"truncated bz2 stream at offset {start}: the file ends inside it")
                    self._buf, self._end = b"", -1
                    return

    def _resync(self, pos: int) -> bool:
        """Seek to the next stream start at or after ``pos``; False when there is none (or not seekable)."""
        if not getattr(self._stream, "seekable", lambda: False)():
            self._buf, self._end = b"", -1
            return False
        self._stream.seek(pos)
        carry = b""
        while self._end is None or pos < self._end:
            block = self._stream.read(READ_BYTES)
            if not block:
                break
            window = carry + block
            found = _BZ2_STREAM_RE.search(window)
            if found:
                self._pos = pos - len(carry) + found.start()
                self._buf = window[found.start():]
                return True
            carry = window[-9:]
            pos += len(block)
        self._buf, self._end = b"", -1
        return False


# --- parsing -------------------------------------------------------------------------------------

class _PageTooLarge(Exception):
    pass


class _Session:
    """One XML parser over consecutive chunks; yields finished ``<page>`` elements and detaches them."""

    def __init__(self, fragment: bool, guard_bytes: int) -> None:
        self._fragment = fragment
        self._parser = ET.XMLPullParser(events=("start", "end"))
        self._open: list[ET.Element] = []  # the elements started and not yet ended, outermost first
        self._since_page = 0
        self._guard = guard_bytes
        self.siteinfo: SiteInfo | None = None
        self.record = ""  # title (or id) of the page being parsed, for dead letters
        self.lines_fed = 0  # to give parse errors a line number within their bz2 stream
        if fragment:
            self._parser.feed(b"<mediawiki>")

    def feed(self, data: bytes) -> Iterator[ET.Element]:
        self._parser.feed(data)
        self.lines_fed += data.count(b"\n")
        self._since_page += len(data)
        yield from self._events()
        if self._since_page > self._guard:
            raise _PageTooLarge(f"no page end within {self._guard} decompressed bytes")

    def close(self) -> Iterator[ET.Element]:
        yield from self._events()
        if self._fragment and self._open:  # the synthetic root, unless the dump's trailer closed it
            self._parser.feed(b"</mediawiki>")
        self._parser.close()
        yield from self._events()

    def _events(self) -> Iterator[ET.Element]:
        for event, elem in self._parser.read_events():
            if event == "start":
                self._open.append(elem)
                continue
            self._open.pop()
            parent = self._open[-1] if self._open else None
            name = _local(elem.tag)
            if name == "page":
                yield elem
                elem.clear()
                if parent is not None:
                    del parent[:]  # detach finished pages: memory stays flat
                self._since_page, self.record = 0, ""
            elif name == "title" and not self.record:
                self.record = elem.text or ""
            elif name == "siteinfo":
                self.siteinfo = _siteinfo(elem, parent.get(_XML_LANG, "") if parent is not None else "")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _siteinfo(elem: ET.Element, lang: str) -> SiteInfo:
    fields = {_local(child.tag): child for child in elem}
    namespaces = {}
    if "namespaces" in fields:
        for ns in fields["namespaces"]:
            key = ns.get("key", "")
            if key.lstrip("-").isdigit():
                namespaces[int(key)] = ns.text or ""
    text = {name: (child.text or "").strip() for name, child in fields.items()}
    return SiteInfo(sitename=text.get("sitename", ""), dbname=text.get("dbname", ""), base=text.get("base", ""),
                    lang=lang, namespaces=namespaces)


def _read(source, path: str, siteinfo: SiteInfo | None, config: WikiConfig, counter: CounterFn,
          fragment: bool) -> Iterator[ReadResult]:
    session: _Session | None = None
    offset: int | None = None
    broken = False  # the current session is dead: wait for the next stream
    resumed = fragment  # a session started after the dump's header is a fragment with a synthetic root
    first_line = 0  # lines the session was fed before the current stream
    for kind, value in source:
        if kind == "stream":
            offset = value
            if session is None or broken:
                session, broken = _Session(resumed, config.guard_bytes), False
            first_line = session.lines_fed
        elif kind == "error":
            stream_offset, message = value
            yield _dead(path, stream_offset, message, session.record if session and not broken else "", counter)
            broken = resumed = True
        elif not broken:
            try:
                for elem in session.feed(value):
                    siteinfo = siteinfo or session.siteinfo
                    yield _page(elem, siteinfo or _fallback_siteinfo(path), path, offset, config, counter)
                siteinfo = siteinfo or session.siteinfo
            except (ET.ParseError, _PageTooLarge) as e:
                error = _parse_error(e, first_line) if isinstance(e, ET.ParseError) else f"page too large: {e}"
                yield _dead(path, offset, error, session.record, counter, value)
                broken = resumed = True
                source.skip_stream()
    if session is not None and not broken:
        try:
            for elem in session.close():
                yield _page(elem, siteinfo or session.siteinfo or _fallback_siteinfo(path), path, offset, config,
                            counter)
        except ET.ParseError as e:
            yield _dead(path, offset, _parse_error(e, first_line, "truncated or malformed XML at the end"), session.record, counter)


def _parse_error(error: ET.ParseError, first_line: int, what: str = "malformed XML") -> str:
    """The expat message with its line counted from the start of the bz2 stream (or of a plain file)."""
    line, column = error.position
    message = str(error).rsplit(": line ", 1)[0]
    return f"{what}: {message} at line {line - first_line}, column {column}"


def _fallback_siteinfo(path: str) -> SiteInfo:
    """Without a header (it was unreadable) dump names still start with the dbname: enwiki-2024...-."""
    return SiteInfo(dbname=path.rsplit("/", 1)[-1].split("-", 1)[0].split(".", 1)[0])


def _dead(path: str, offset: int | None, error: str, record: str, counter: CounterFn,
          raw: bytes = b"") -> DeadLetter:
    counter(f"dead_letter:{SOURCE}")
    return DeadLetter(path, offset, error, SOURCE, record=record, snippet=snippet_of(raw) if raw else "")


# --- pages ---------------------------------------------------------------------------------------

def _page(elem: ET.Element, site: SiteInfo, path: str, offset: int | None, config: WikiConfig,
          counter: CounterFn) -> ReadResult:
    """One ``<page>`` element to exactly one result."""
    fields: dict[str, ET.Element] = {}
    revision: ET.Element | None = None
    for child in elem:
        name = _local(child.tag)
        if name == "revision":
            revision = child  # a full-history dump lists revisions oldest first: keep the newest
        else:
            fields.setdefault(name, child)
    title = (fields["title"].text or "").strip() if "title" in fields else ""
    page_id = (fields["id"].text or "").strip() if "id" in fields else ""
    record = title or page_id
    if not title:
        return _dead(path, offset, "page has no <title>", record, counter)
    if not page_id.isdigit():
        return _dead(path, offset, f"page has no numeric <id> (got {page_id!r})", record, counter)
    rev = {_local(child.tag): child for child in revision} if revision is not None else {}
    text = (rev["text"].text or "") if "text" in rev else ""
    if len(text) * 4 > config.max_page_bytes and len(text.encode("utf-8")) > config.max_page_bytes:
        return _dead(path, offset, f"page text exceeds max_page_bytes={config.max_page_bytes}", record, counter)
    ns_text = (fields["ns"].text or "").strip() if "ns" in fields else None
    if ns_text is None:
        namespace = _namespace_of(title, site)
    elif ns_text.lstrip("-").isdigit():
        namespace = int(ns_text)
    else:
        return _dead(path, offset, f"page has a non-numeric <ns> {ns_text!r}", record, counter)
    url = site.article_url(title)

    def skipped(reason: str) -> Skipped:
        counter(reason)
        return Skipped(reason, path, offset, url=url, record=record)

    # A redirect is a redirect in any namespace (the sample corpus and the issue count it so).
    if "redirect" in fields or is_redirect(text):
        return skipped("wiki:redirect")
    if namespace not in config.article_namespaces:
        return skipped("wiki:non_article_namespace")
    if not text.strip():
        return skipped("wiki:empty")
    if is_disambiguation(text, config.disambiguation_templates):
        return skipped("wiki:disambiguation")
    counter(f"{SOURCE}:documents")
    revision_id = (rev["id"].text or "").strip() if "id" in rev else ""
    return Document.create(SOURCE, f"{site.dbname}:{page_id}", text, url=url, meta={
        "format": "wikitext", "title": title, "page_id": int(page_id),
        "revision_id": int(revision_id) if revision_id.isdigit() else None,
        "timestamp": (rev["timestamp"].text or "").strip() if "timestamp" in rev else "",
        "lang": site.lang, "path": path, "offset": offset})


def _namespace_of(title: str, site: SiteInfo) -> int:
    """Old schemas (before 0.5) have no ``<ns>``: the title's prefix names the namespace."""
    prefix, sep, _ = title.partition(":")
    if sep:
        for key, name in site.namespaces.items():
            if key and name and name.lower() == prefix.strip().lower():
                return key
    return 0


def is_redirect(text: str) -> bool:
    """``#REDIRECT [[Target]]`` in any case, or in the magic word of a language we know."""
    return _REDIRECT_RE.match(text) is not None


def is_disambiguation(text: str, templates: frozenset[str] = DISAMBIGUATION_TEMPLATES) -> bool:
    """A disambiguation template (any case, with or without parameters) or ``__DISAMBIG__``."""
    if _DISAMBIG_MAGIC_RE.search(text):
        return True
    for match in _TEMPLATE_NAME_RE.finditer(text):
        name = " ".join(match.group(1).replace("_", " ").split()).lower()
        if name in templates or _DISAMBIG_SUFFIX_RE.search(name):
            return True
    return False
