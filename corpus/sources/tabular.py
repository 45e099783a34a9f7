"""Readers for text that is already text: JSONL (``.jsonl``/``.json`` lines), Parquet, plain ``.txt``.

Every candidate record becomes a Document, a Skipped or a DeadLetter (see ``base``): a bad line
never stops the file, and a file that breaks part-way (a truncated gzip) keeps the records read
before the break and ends with one dead letter saying where it broke.

Memory is bounded by ``TableConfig.max_record_bytes`` per record, not per file: lines are read
with a length limit and an over-long line is skipped in chunks without being held whole, and
Parquet is read one record batch at a time.
"""
from __future__ import annotations

import gzip
import io
import json
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, BinaryIO

from corpus.counters import CounterFn, noop_counter
from corpus.document import Document
from corpus.sources.base import (
    MAX_RECORD_BYTES,
    DeadLetter,
    ReadResult,
    RecordTooLarge,
    Skipped,
    read_bounded,
    snippet_of,
)

__all__ = ["TEXT_UNITS", "TableConfig", "read_jsonl", "read_parquet", "read_text"]

DEFAULT_TEXT_FIELD = "text"
DEFAULT_ID_FIELD = "id"
DEFAULT_URL_FIELD = "url"
TEXT_UNITS = ("file", "paragraph", "line")
# Rows per Parquet record batch: a batch of long documents stays a few MB.
PARQUET_BATCH_ROWS = 1024
# Chunk size for skipping the rest of an over-long line.
_SKIP_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
# What a broken compressed stream raises: truncation (EOFError), bad header/CRC (BadGzipFile is an
# OSError), corrupt deflate data (zlib.error).
_STREAM_ERRORS = (EOFError, OSError, zlib.error)
# ``meta["format"]``: the text needs no HTML extraction.
TEXT_FORMAT = "text"


@dataclass(frozen=True, slots=True)
class TableConfig:
    """Which fields hold what, and how plain text is cut into documents."""

    text_field: str = DEFAULT_TEXT_FIELD
    id_field: str | None = DEFAULT_ID_FIELD
    url_field: str | None = DEFAULT_URL_FIELD
    text_unit: str = "file"
    max_record_bytes: int = MAX_RECORD_BYTES
    parquet_batch_rows: int = PARQUET_BATCH_ROWS

    def __post_init__(self) -> None:
        if not isinstance(self.text_field, str) or not self.text_field:
            raise ValueError(f"TableConfig.text_field must be a non-empty string, got {self.text_field!r}")
        for name in ("id_field", "url_field"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value):
                raise ValueError(f"TableConfig.{name} must be a non-empty string or None, got {value!r}")
        if self.text_unit not in TEXT_UNITS:
            raise ValueError(f"TableConfig.text_unit must be one of {TEXT_UNITS}, got {self.text_unit!r}")
        if self.max_record_bytes < 1:
            raise ValueError(f"TableConfig.max_record_bytes must be >= 1, got {self.max_record_bytes}")
        if self.parquet_batch_rows < 1:
            raise ValueError(f"TableConfig.parquet_batch_rows must be >= 1, got {self.parquet_batch_rows}")


# --- shared helpers ---------------------------------------------------------------------------

class _RawAdapter(io.RawIOBase):
    """Lets ``io.BufferedReader`` wrap any object with ``read``, so we can peek at the magic bytes."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self._stream.read(len(b))
        b[: len(data)] = data
        return len(data)


def _decompressed(stream: BinaryIO, path: str) -> BinaryIO:
    """``stream`` as a buffered binary stream, gunzipped when the name or the magic says gzip."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(_RawAdapter(stream))
    if path.lower().endswith(".gz") or buffered.peek(2)[:2] == _GZIP_MAGIC:
        return gzip.GzipFile(fileobj=buffered, mode="rb")
    return buffered


@dataclass(slots=True)
class _Line:
    number: int  # 1-based
    offset: int  # byte offset of the line's start in the (decompressed) stream
    data: bytes | None  # None: longer than the limit, skipped


class _LineReader:
    """Lines of a stream, each at most ``limit`` bytes (newline excluded).

    Keeps the position of the next line so that a stream error can be reported where it happened.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self.offset = 0
        self.number = 0

    def read(self, stream: BinaryIO) -> Iterator[_Line]:
        while True:
            start = self.offset
            data = stream.readline(self._limit + 1)
            if not data:
                return
            size = len(data)
            if len(data) > self._limit and not data.endswith(b"\n"):
                while not data.endswith(b"\n"):  # skip the rest of the line, chunk by chunk
                    data = stream.readline(_SKIP_CHUNK)
                    if not data:
                        break
                    size += len(data)
                data = None
            self.offset += size
            self.number += 1
            yield _Line(self.number, start, data)


def _json_value(value: Any) -> tuple[bool, Any]:
    """``(True, v)`` with ``v`` a JSON-serialisable form of ``value``, or ``(False, None)``."""
    if value is None or isinstance(value, (bool, int, str)):
        return True, value
    if isinstance(value, float):
        return (True, value) if math.isfinite(value) else (False, None)
    if isinstance(value, (datetime, date, time)):
        return True, value.isoformat()
    if isinstance(value, Decimal):
        return (True, str(value)) if value.is_finite() else (False, None)
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            ok, v = _json_value(item)
            if not ok:
                return False, None
            out.append(v)
        return True, out
    if isinstance(value, dict):
        obj = {}
        for k, item in value.items():
            ok, v = _json_value(item)
            if not ok or not isinstance(k, str):
                return False, None
            obj[k] = v
        return True, obj
    return False, None


class _BadRecord(ValueError):
    """A record whose fields do not fit the configuration; the message names the field."""


def _to_document(record: dict, *, source: str, path: str, position: tuple[str, int],
                 config: TableConfig, counter: CounterFn) -> Document | Skipped:
    """Map one row/object to a Document (or Skipped for empty text); raise _BadRecord when it cannot."""
    where, number = position
    text = record.get(config.text_field)
    if text is None:
        raise _BadRecord(f"missing text field {config.text_field!r}")
    if not isinstance(text, str):
        raise _BadRecord(f"text field {config.text_field!r} must be a string, got {type(text).__name__}")
    # Ids are scoped by the file, as Wikipedia page ids are by their database: two files that each
    # number their records from 1 hold different documents. Only the same file read twice (or a file
    # that repeats an id) gives equal ids, which the build drops as ``dedup:duplicate_id``.
    native_id = f"{path}:{number}"
    record_id = None
    if config.id_field is not None and record.get(config.id_field) is not None:
        value = record[config.id_field]
        if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
            raise _BadRecord(f"id field {config.id_field!r} must be a non-empty string or integer, "
                             f"got {value!r:.80}")
        record_id = str(value)
        native_id = f"{path}#{record_id}"
    url = ""
    if config.url_field is not None and record.get(config.url_field) is not None:
        url = record[config.url_field]
        if not isinstance(url, str):
            raise _BadRecord(f"url field {config.url_field!r} must be a string, got {type(url).__name__}")
    if not text.strip():
        return Skipped(f"{source}:empty_text", path, None, url=url, record=f"{where} {number}")
    meta: dict[str, Any] = {}
    for key, value in record.items():
        if key in (config.text_field, config.id_field, config.url_field):
            continue
        ok, value = _json_value(value)
        if ok:
            meta[key] = value
        else:
            counter(f"{source}:meta_field_dropped")
    meta.update({"format": TEXT_FORMAT, "path": path, where: number})
    if record_id is not None:
        meta["record_id"] = record_id
    return Document.create(source, native_id, text, url=url, meta=meta)


def _emit(result: ReadResult, counter: CounterFn, source: str) -> ReadResult:
    """Count a result as the WARC reader does: ``<source>:documents``, the skip reason, ``dead_letter:<source>``."""
    counter(f"{source}:documents" if isinstance(result, Document) else result.reason)
    return result


# --- JSONL ------------------------------------------------------------------------------------

def read_jsonl(stream: BinaryIO, path: str, *, config: TableConfig = TableConfig(),
               counter: CounterFn = noop_counter) -> Iterator[ReadResult]:
    """One document per JSON object line; offsets are byte offsets in the decompressed stream."""
    source = "jsonl"
    lines = _LineReader(config.max_record_bytes)
    try:
        for line in lines.read(_decompressed(stream, path)):
            result = _jsonl_line(line, path, config, counter)
            if result is not None:
                yield _emit(result, counter, source)
    except _STREAM_ERRORS as e:
        yield _emit(_broken(path, lines, e, source), counter, source)


def _broken(path: str, lines: _LineReader, error: BaseException, source: str) -> DeadLetter:
    """The dead letter for a stream that broke (truncated or corrupt compression) after ``lines``."""
    return DeadLetter(path, lines.offset, f"stream broke after line {lines.number}: "
                      f"{type(error).__name__}: {error}", source, record=f"line {lines.number + 1}")


def _jsonl_line(line: _Line, path: str, config: TableConfig, counter: CounterFn) -> ReadResult | None:
    record = f"line {line.number}"
    if line.data is None:
        return DeadLetter(path, line.offset, f"line longer than {config.max_record_bytes} bytes", "jsonl",
                          record=record)
    if not line.data.strip():
        counter("jsonl:blank_lines")
        return None
    try:
        obj = json.loads(line.data)
    except (ValueError, RecursionError) as e:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return DeadLetter(path, line.offset, f"invalid JSON: {e}", "jsonl", record=record,
                          snippet=snippet_of(line.data))
    if not isinstance(obj, dict):
        return DeadLetter(path, line.offset, f"expected a JSON object, got {type(obj).__name__}", "jsonl",
                          record=record, snippet=snippet_of(line.data))
    try:
        result = _to_document(obj, source="jsonl", path=path, position=("line", line.number),
                              config=config, counter=counter)
    except _BadRecord as e:
        return DeadLetter(path, line.offset, str(e), "jsonl", record=record, snippet=snippet_of(line.data))
    if isinstance(result, Skipped):
        return Skipped(result.reason, path, line.offset, url=result.url, record=record)
    return result


# --- Parquet ----------------------------------------------------------------------------------

def read_parquet(stream: BinaryIO, path: str, *, config: TableConfig = TableConfig(),
                 counter: CounterFn = noop_counter) -> Iterator[ReadResult]:
    """One document per row, read a record batch at a time (Parquet needs a seekable stream)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = "parquet"
    row = 0
    try:
        pfile = pq.ParquetFile(stream)
        field = pfile.schema_arrow.field(config.text_field) if config.text_field in pfile.schema_arrow.names \
            else None
        if field is None or not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            found = "missing" if field is None else f"of type {field.type}"
            yield _emit(DeadLetter(path, None, f"text column {config.text_field!r} is {found}; expected a "
                                   f"string column", source, record="schema"), counter, source)
            return
        for batch in pfile.iter_batches(batch_size=config.parquet_batch_rows):
            for record in batch.to_pylist():
                row += 1
                try:
                    result = _to_document(record, source=source, path=path, position=("row", row),
                                          config=config, counter=counter)
                except _BadRecord as e:
                    result = DeadLetter(path, None, str(e), source, record=f"row {row}")
                yield _emit(result, counter, source)
    except (pa.ArrowException, *_STREAM_ERRORS) as e:  # ArrowInvalid/ArrowIOError: not Parquet, or cut short
        yield _emit(DeadLetter(path, None, f"unreadable Parquet after row {row}: {type(e).__name__}: {e}",
                               source, record=f"row {row + 1}"), counter, source)


# --- plain text -------------------------------------------------------------------------------

def read_text(stream: BinaryIO, path: str, *, config: TableConfig = TableConfig(),
              counter: CounterFn = noop_counter) -> Iterator[ReadResult]:
    """UTF-8 text: one document per file, per paragraph (blank-line separated), or per line."""
    source = "text"
    lines = _LineReader(config.max_record_bytes)
    try:
        data = _decompressed(stream, path)
        if config.text_unit == "file":
            results: Iterator[ReadResult] = _text_file(data, path, config)
        else:
            results = _text_units(lines.read(data), path, config, counter)
        for result in results:
            yield _emit(result, counter, source)
    except _STREAM_ERRORS as e:
        yield _emit(_broken(path, lines, e, source), counter, source)


def _decode(data: bytes, path: str, offset: int, record: str) -> str | DeadLetter:
    try:
        return data.decode("utf-8-sig" if offset == 0 else "utf-8")
    except UnicodeDecodeError as e:
        return DeadLetter(path, offset, f"invalid UTF-8 at byte {offset + e.start}", "text", record=record,
                          snippet=snippet_of(data))


def _text_doc(text: str, path: str, offset: int, number: int, unit: str) -> Document | Skipped:
    record = "file" if unit == "file" else f"line {number}"
    if not text.strip():
        return Skipped("text:empty_text", path, offset, record=record)
    native_id = path if unit == "file" else f"{path}:{number}"
    return Document.create("text", native_id, text, meta={"format": TEXT_FORMAT, "path": path, "line": number})


def _text_file(stream: BinaryIO, path: str, config: TableConfig) -> Iterator[ReadResult]:
    try:
        data = read_bounded(stream, config.max_record_bytes, what=f"{path}: text file")
    except RecordTooLarge as e:
        yield DeadLetter(path, 0, str(e), "text", record="file")
        return
    text = _decode(data, path, 0, "file")
    yield text if isinstance(text, DeadLetter) else _text_doc(text, path, 0, 1, "file")


def _unit(data: bytes, start: _Line, path: str, unit: str) -> ReadResult:
    text = _decode(data, path, start.offset, f"line {start.number}")
    if isinstance(text, DeadLetter):
        return text
    return _text_doc(text.rstrip("\r\n"), path, start.offset, start.number, unit)


def _too_long(start: _Line, path: str, unit: str, limit: int) -> DeadLetter:
    return DeadLetter(path, start.offset, f"{unit} longer than {limit} bytes", "text",
                      record=f"line {start.number}")


def _text_units(lines: Iterator[_Line], path: str, config: TableConfig,
                counter: CounterFn) -> Iterator[ReadResult]:
    """Lines, or paragraphs separated by blank lines; each unit is bounded by ``max_record_bytes``."""
    unit, limit = config.text_unit, config.max_record_bytes
    para: list[bytes] = []
    size = 0
    start: _Line | None = None  # first line of the current paragraph
    for line in lines:
        if line.data is not None and not line.data.strip():
            counter("text:blank_lines")
            if start is not None:  # a blank line ends a paragraph
                yield _unit(b"".join(para), start, path, unit) if size <= limit else \
                    _too_long(start, path, unit, limit)
                para, size, start = [], 0, None
        elif unit == "line":
            yield _unit(line.data, line, path, unit) if line.data is not None else \
                _too_long(line, path, unit, limit)
        else:
            start = start or line
            size += limit + 1 if line.data is None else len(line.data)
            if size <= limit:
                para.append(line.data)
            else:
                para = []  # over the limit: keep counting, stop holding
    if start is not None:
        yield _unit(b"".join(para), start, path, unit) if size <= limit else _too_long(start, path, unit, limit)
