"""Readers by input kind, and how a file is cut into splits that workers read independently.

:func:`read_path` reads one file of any kind; :func:`plan_splits` and :func:`read_split` are the
same reading cut into pieces for scale-out: per-record-gzip and uncompressed WARCs into byte
ranges, multistream Wikipedia dumps into runs of bz2 streams found through their index. Reading
every split of a file gives exactly what :func:`read_path` gives.

A file that cannot be read at all (missing, no permission, empty, unknown kind) yields one
DeadLetter: in a build over thousands of files one bad file is accounted for, not fatal.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from corpus.counters import CounterFn, noop_counter
from corpus.sources.base import (
    KINDS,
    DeadLetter,
    ReadResult,
    Skipped,
    iter_documents,
    kind_of,
    open_binary,
)
from corpus.sources.tabular import TableConfig, read_jsonl, read_parquet, read_text
from corpus.sources.warc import WarcConfig, is_splittable, read_warc, split_ranges
from corpus.sources.wikipedia import (
    WikiConfig,
    iter_multistream_index,
    read_dump,
    read_dump_range,
    read_siteinfo,
    stream_ranges,
)

__all__ = [
    "KINDS", "DeadLetter", "ReadResult", "Skipped", "SourceConfig", "Split", "TableConfig", "WarcConfig",
    "WikiConfig", "index_path_of", "is_companion", "iter_documents", "kind_of", "plan_splits", "read_path",
    "read_split",
]

# Byte range per WARC split: big enough that per-split overhead (a resync scan) is noise,
# small enough that one 1 GB Common Crawl file spreads over ~16 workers.
SPLIT_BYTES = 64 * 1024 * 1024
# bz2 streams per Wikipedia split; a multistream dump holds 100 pages per stream.
WIKI_STREAMS_PER_SPLIT = 100
MULTISTREAM_SUFFIX = "-multistream.xml.bz2"
INDEX_SUFFIX = "-multistream-index.txt.bz2"

Opener = Callable[[str], BinaryIO]


@dataclass(frozen=True)
class SourceConfig:
    """Per-kind reader configs and how big a split is."""

    warc: WarcConfig = field(default_factory=WarcConfig)
    wiki: WikiConfig = field(default_factory=WikiConfig)
    table: TableConfig = field(default_factory=TableConfig)
    split_bytes: int = SPLIT_BYTES
    wiki_streams_per_split: int = WIKI_STREAMS_PER_SPLIT

    def __post_init__(self) -> None:
        for name, cls in (("warc", WarcConfig), ("wiki", WikiConfig), ("table", TableConfig)):
            if not isinstance(getattr(self, name), cls):
                raise ValueError(f"SourceConfig.{name} must be a {cls.__name__}, got "
                                 f"{type(getattr(self, name)).__name__}")
        if not isinstance(self.split_bytes, int) or self.split_bytes < 1:
            raise ValueError(f"SourceConfig.split_bytes must be a positive int, got {self.split_bytes!r}")
        if not isinstance(self.wiki_streams_per_split, int) or self.wiki_streams_per_split < 1:
            raise ValueError(f"SourceConfig.wiki_streams_per_split must be a positive int, got "
                             f"{self.wiki_streams_per_split!r}")


@dataclass(frozen=True, slots=True)
class Split:
    """A piece of one file that one worker reads: ``[start, end)``, or the whole file when ``end`` is None."""

    path: str
    kind: str
    start: int = 0
    end: int | None = None
    index_path: str | None = None  # the multistream index a Wikipedia range was planned from

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.end is None


def _kind(path: str) -> str | None:
    try:
        return kind_of(path)
    except ValueError:
        return None


def index_path_of(path: str) -> str | None:
    """The index beside a multistream dump (``X-multistream.xml.bz2`` → ``X-multistream-index.txt.bz2``)."""
    if path.endswith(MULTISTREAM_SUFFIX):
        return path[: -len(MULTISTREAM_SUFFIX)] + INDEX_SUFFIX
    return None


def is_companion(path: str) -> bool:
    """A file read together with another (a multistream index), not an input of its own."""
    return path.endswith(INDEX_SUFFIX)


# --- whole files ------------------------------------------------------------------------------

def _read_stream(kind: str, stream: BinaryIO, path: str, config: SourceConfig,
                 counter: CounterFn) -> Iterator[ReadResult]:
    if kind in ("warc", "wet", "arc"):
        return read_warc(stream, path, config=config.warc, counter=counter)
    if kind == "wikipedia":
        return read_dump(stream, path, config=config.wiki, counter=counter)
    reader = {"jsonl": read_jsonl, "parquet": read_parquet, "text": read_text}[kind]
    return reader(stream, path, config=config.table, counter=counter)


def _dead(path: str, offset: int | None, error: str, source: str, counter: CounterFn) -> DeadLetter:
    counter(f"dead_letter:{source}")
    return DeadLetter(path, offset, error, source, record="file")


def _is_empty(stream: BinaryIO) -> bool:
    """Whether a seekable ``stream`` has no bytes (left at byte 0); the readers see other streams as they are."""
    if not stream.seekable():
        return False
    stream.seek(0)
    empty = not stream.read(1)
    stream.seek(0)
    return empty


def read_path(path: str, *, config: SourceConfig = SourceConfig(), counter: CounterFn = noop_counter,
              stream: BinaryIO | None = None) -> Iterator[ReadResult]:
    """Every record of one file, read by the reader its name calls for.

    ``stream``, when given, is read instead of opening ``path`` (Beam opens files through its
    own filesystems); ``path`` still names the file in ids and dead letters.
    """
    kind = _kind(path)
    if kind is None:
        yield _dead(path, None, f"{path}: unrecognised input kind", "unknown", counter)
        return
    owned = stream is None
    try:
        if stream is None:
            stream = open_binary(path)
        if _is_empty(stream):
            yield _dead(path, 0, "empty file", kind, counter)
            return
        yield from _read_stream(kind, stream, path, config, counter)
    except OSError as e:  # missing, permission denied, a directory, an I/O error part-way
        yield _dead(path, None, f"cannot read {path}: {type(e).__name__}: {e}", kind, counter)
    finally:
        if owned and stream is not None:
            stream.close()


# --- splits -----------------------------------------------------------------------------------

def _wiki_splits(path: str, size: int, config: SourceConfig, opener: Opener,
                 counter: CounterFn) -> list[Split] | None:
    index_path = index_path_of(path)
    if index_path is None:
        return None
    try:
        with opener(index_path) as f:
            ranges = stream_ranges(iter_multistream_index(f), size, config.wiki_streams_per_split)
    except (OSError, EOFError, ValueError):  # no index, or a broken one: read the dump whole
        counter("read:wiki_index_unusable")
        return None
    return [Split(path, "wikipedia", start, end, index_path) for start, end in ranges]


def plan_splits(path: str, size: int, *, config: SourceConfig = SourceConfig(),
                stream_opener: Opener = open_binary, counter: CounterFn = noop_counter) -> list[Split]:
    """Cut one file into splits; files that cannot be cut (or read) are one whole-file split."""
    kind = _kind(path) or "unknown"
    splits: list[Split] | None = None
    if kind in ("warc", "wet", "arc") and size > config.split_bytes:
        try:
            with stream_opener(path) as f:
                splittable = is_splittable(f, path)
        except OSError:
            splittable = False  # read_split will dead-letter the file with the error
        if splittable:
            splits = [Split(path, kind, s, e) for s, e in split_ranges(size, config.split_bytes)]
    elif kind == "wikipedia":
        splits = _wiki_splits(path, size, config, stream_opener, counter)
    splits = splits or [Split(path, kind)]
    counter("read:splits", len(splits))
    return splits


def read_split(split: Split, *, config: SourceConfig = SourceConfig(), counter: CounterFn = noop_counter,
               opener: Opener = open_binary) -> Iterator[ReadResult]:
    """The records of one split: those whose record starts inside ``[start, end)``."""
    try:
        stream = opener(split.path)
    except OSError as e:
        yield _dead(split.path, None, f"cannot open {split.path}: {type(e).__name__}: {e}", split.kind, counter)
        return
    with stream:
        if split.whole:
            yield from read_path(split.path, config=config, counter=counter, stream=stream)
        elif split.kind == "wikipedia":
            try:
                siteinfo = read_siteinfo(stream, split.path)
            except ValueError as e:  # the header is broken: the pages of this range cannot be placed
                yield _dead(split.path, split.start, str(e), "wikipedia", counter)
                return
            yield from read_dump_range(stream, split.path, split.start, split.end, siteinfo=siteinfo,
                                       config=config.wiki, counter=counter)
        else:
            yield from read_warc(stream, split.path, config=config.warc, counter=counter, start=split.start,
                                 end=split.end)
