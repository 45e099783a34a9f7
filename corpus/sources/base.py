"""What every reader yields, how input kinds are recognised, and bounded I/O.

A reader turns one file into a stream of three kinds of result:

* :class:`~corpus.document.Document` - a record that carries text;
* :class:`Skipped` - a record that is well-formed but carries no document
  (a non-HTML response, a redirect, a talk page), with a reason code;
* :class:`DeadLetter` - a record that could not be parsed, with file, offset and error.

Every candidate record becomes exactly one of the three, so the build can account
for all input: ``input == documents + skipped + dead letters``.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from corpus.document import Document

# Decompressed bytes we are willing to read from one record before giving up on it:
# no unbounded memory from a decompression bomb or a runaway record.
MAX_RECORD_BYTES = 64 * 1024 * 1024
# How much of a bad record's raw bytes a dead letter keeps for inspection.
SNIPPET_BYTES = 256


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """An unparseable record: where it was, and why it failed."""

    path: str
    offset: int | None
    error: str
    source: str
    record: str = ""
    snippet: str = ""

    @property
    def reason(self) -> str:
        return f"dead_letter:{self.source}"

    def as_dict(self) -> dict:
        return {"path": self.path, "offset": self.offset, "error": self.error, "source": self.source,
                "record": self.record, "snippet": self.snippet}


@dataclass(frozen=True, slots=True)
class Skipped:
    """A well-formed record that is not a document (counted under ``reason``)."""

    reason: str
    path: str
    offset: int | None
    url: str = ""
    record: str = ""

    def as_dict(self) -> dict:
        return {"reason": self.reason, "path": self.path, "offset": self.offset, "url": self.url,
                "record": self.record}


ReadResult = Document | Skipped | DeadLetter


def snippet_of(data: bytes | str, limit: int = SNIPPET_BYTES) -> str:
    """A short printable excerpt of raw input for a dead letter."""
    if isinstance(data, bytes):
        data = data[:limit].decode("utf-8", errors="backslashreplace")
    return data[:limit]


# --- input kinds -------------------------------------------------------------------------------

KINDS = ("warc", "arc", "wet", "wikipedia", "jsonl", "parquet", "text")

_KIND_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("wet", re.compile(r"\.warc\.wet(\.gz)?$|\.wet(\.gz)?$")),
    ("warc", re.compile(r"\.warc(\.gz)?$")),
    ("arc", re.compile(r"\.arc(\.gz)?$")),
    ("wikipedia", re.compile(r"\.xml(\.bz2)?$")),
    ("jsonl", re.compile(r"\.jsonl(\.gz)?$")),
    ("parquet", re.compile(r"\.parquet$")),
    ("text", re.compile(r"\.txt(\.gz)?$")),
]


def kind_of(path: str) -> str:
    """The input kind of ``path``, recognised by its name (see shared/DESIGN.md)."""
    name = path.rsplit("/", 1)[-1].lower()
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(name):
            return kind
    raise ValueError(
        f"{path}: unrecognised input kind; expected a name ending in .warc[.gz], .arc[.gz], "
        f".wet[.gz], .xml[.bz2], .jsonl[.gz], .parquet or .txt[.gz]")


# --- bounded reading ---------------------------------------------------------------------------

class RecordTooLarge(Exception):
    """A record (or a decompressed stream) went past the byte limit."""


class BoundedReader(io.RawIOBase):
    """Wraps a binary stream and raises :class:`RecordTooLarge` past ``limit`` bytes.

    Used around decompressors so that a bomb fails with a dead letter instead of
    exhausting memory.
    """

    def __init__(self, raw: BinaryIO, limit: int, what: str = "stream") -> None:
        self._raw = raw
        self._limit = limit
        self._seen = 0
        self._what = what

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self._raw.read(len(b))
        if not data:
            return 0
        self._seen += len(data)
        if self._seen > self._limit:
            raise RecordTooLarge(f"{self._what} exceeds {self._limit} bytes")
        b[: len(data)] = data
        return len(data)


def read_bounded(stream: BinaryIO, limit: int = MAX_RECORD_BYTES, what: str = "record") -> bytes:
    """Read all of ``stream`` but at most ``limit`` bytes; raise :class:`RecordTooLarge` beyond."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise RecordTooLarge(f"{what} exceeds {limit} bytes")
    return data


def open_binary(path: str) -> BinaryIO:
    """Open a local path, or a remote one (gs://, s3://, ...) through fsspec when it is installed.

    Inside Beam the pipelines open files through Beam's own filesystems and hand the
    stream to the readers; this is for local tools and tests.
    """
    if "://" in path and not path.startswith("file://"):
        try:
            import fsspec  # optional: only for remote paths outside Beam
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError(f"{path}: reading remote paths outside Beam needs `pip install fsspec`") from e
        return fsspec.open(path, "rb").open()
    return open(path.removeprefix("file://"), "rb")


def iter_documents(results: Iterator[ReadResult]) -> Iterator[Document]:
    """Only the documents of a reader's results (for tools that do not account)."""
    for r in results:
        if isinstance(r, Document):
            yield r
