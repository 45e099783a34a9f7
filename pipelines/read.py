"""Reading input files in Beam: patterns → files → splits → Documents, Skipped and dead letters.

The readers are the ones in :mod:`corpus.sources`; this module only spreads their work. Big
files are cut into splits (byte ranges of a WARC, runs of streams of a multistream dump) and
``Reshuffle`` spreads the splits of one file across workers instead of leaving them where the
file was matched.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

import apache_beam as beam
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes, FileMetadata
from apache_beam.io.filesystems import FileSystems

from corpus.document import Document
from corpus.sources import SourceConfig, Split, is_companion, plan_splits, read_split
from corpus.sources.base import DeadLetter, Skipped
from pipelines.beam_util import BeamCounter, SplitByTag

DOCUMENTS = "documents"
SKIPPED = "skipped"
DEAD_LETTERS = "dead_letters"


def open_file(path: str) -> BinaryIO:
    """Open any path Beam knows (local, gs://, s3://) as raw bytes: the readers decompress themselves."""
    return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)


def check_patterns(patterns: Sequence[str]) -> None:
    """Raise ValueError naming every pattern that matches no file, before any work is submitted."""
    if not patterns:
        raise ValueError("ReadSources: no input patterns given")
    results = FileSystems.match(list(patterns))
    missing = [p for p, r in zip(patterns, results, strict=True) if not r.metadata_list]
    if missing:
        raise ValueError(f"ReadSources: no input file matches {', '.join(repr(p) for p in missing)}")


def _path_and_size(file: FileMetadata) -> tuple[str, int]:
    return file.path, file.size_in_bytes


class PlanSplitsFn(beam.DoFn):
    """One matched file → the splits it is read in (a multistream index is read with its dump)."""

    def __init__(self, config: SourceConfig) -> None:
        self._config = config
        self._counter = BeamCounter()

    def process(self, file: tuple[str, int]) -> Iterator[Split]:
        path, size = file
        if is_companion(path):
            self._counter("read:companion_files")
            return
        self._counter("read:files")
        yield from plan_splits(path, size, config=self._config, stream_opener=open_file, counter=self._counter)


class ReadSplitFn(beam.DoFn):
    """One split → ``(tag, result)`` pairs: Documents, Skipped and DeadLetters (see SplitByTag)."""

    def __init__(self, config: SourceConfig) -> None:
        self._config = config
        self._counter = BeamCounter()

    def process(self, split: Split) -> Iterable:
        for result in read_split(split, config=self._config, counter=self._counter, opener=open_file):
            if isinstance(result, Document):
                yield DOCUMENTS, result
            elif isinstance(result, Skipped):
                yield SKIPPED, result
            elif isinstance(result, DeadLetter):
                yield DEAD_LETTERS, result
            else:
                raise TypeError(f"{split.path}: reader yielded {type(result).__name__}, "
                                f"expected Document, Skipped or DeadLetter")


class ReadSources(beam.PTransform):
    """Read every file matching ``patterns``; the result has ``documents``, ``skipped`` and ``dead_letters``.

    Patterns are matched once on the launcher so that one that matches nothing fails the
    pipeline at construction, naming the pattern, rather than as an empty corpus.
    """

    def __init__(self, patterns: Sequence[str], config: SourceConfig | None = None, *,
                 label: str | None = None) -> None:
        super().__init__(label)
        if isinstance(patterns, str):
            raise TypeError("ReadSources: patterns must be a list of strings, not one string")
        self._patterns = list(patterns)
        self._config = config or SourceConfig()

    def expand(self, pbegin):
        check_patterns(self._patterns)
        return (
            pbegin
            | "Patterns" >> beam.Create(self._patterns)
            | "MatchFiles" >> fileio.MatchAll(fileio.EmptyMatchTreatment.DISALLOW)
            | "PathAndSize" >> beam.Map(_path_and_size)
            | "OncePerFile" >> beam.Distinct()  # two patterns may match the same file
            | "PlanSplits" >> beam.ParDo(PlanSplitsFn(self._config))
            | "SpreadSplits" >> beam.Reshuffle()
            | "ReadSplits" >> beam.ParDo(ReadSplitFn(self._config))
            | "ByKind" >> SplitByTag((DOCUMENTS, SKIPPED, DEAD_LETTERS))
        )
