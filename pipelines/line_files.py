"""Write lines of text as a fixed set of files, idempotently: ``prefix-00000-of-00003.jsonl``.

Used for the corpus's dedup index and for ``rejected/`` instead of ``beam.io.WriteToText``, whose
finalisation (rename the temporary files, then delete them) fails when a runner replays it: Beam's
DaskRunner recomputes shared steps, and the second finalisation finds its sources gone. Here each
file is a pure function of the lines that hash to it: its lines are sorted, written under a unique
temporary name and renamed over the final one. Running a write twice writes the same bytes twice;
nothing is left behind to finalise. Every file's size and sha256 come back as a
:class:`~corpus.shards.manifest.FileEntry`, so the manifest can list them.
"""
from __future__ import annotations

import hashlib
import math
import posixpath
import uuid

import apache_beam as beam

from corpus.shards.files import join
from corpus.shards.manifest import FileEntry
from corpus.shards.split import id_hash64
from pipelines.beam_util import combine_globally
from pipelines.write import BEAM_FILES

# Aim for files of about this many bytes when the number of files follows the data.
TARGET_FILE_BYTES = 64 * 1024 * 1024
_SALT = b"corpusforge/line-files"


def file_name(prefix: str, index: int, count: int, suffix: str) -> str:
    return f"{prefix}-{index:05d}-of-{count:05d}{suffix}"


def write_lines_file(output_dir: str, relpath: str, lines: list[str]) -> FileEntry:
    """Write ``lines`` (sorted, one per line) to ``output_dir/relpath`` through a unique temporary name."""
    data = "".join(f"{line}\n" for line in sorted(lines)).encode("utf-8")
    final = join(output_dir, relpath)
    head, tail = posixpath.split(final)
    tmp = posixpath.join(head, f".{tail}.{uuid.uuid4().hex}.tmp")
    with BEAM_FILES.opener(tmp, "wb") as f:
        f.write(data)
    BEAM_FILES.rename(tmp, final)
    return FileEntry(path=relpath, num_records=len(lines), bytes=len(data), sha256=hashlib.sha256(data).hexdigest())


class WriteLineFiles(beam.PTransform):
    """``(key, line)`` pairs → files ``subdir/prefix-i-of-n.suffix``; yields one FileEntry per file.

    ``num_files=None`` chooses n from the total size (about :data:`TARGET_FILE_BYTES` each) and
    writes no file for an empty input; a fixed ``num_files`` always writes all n files, empty or not.
    Lines are assigned to files by a hash of their key, so the assignment does not depend on the runner.
    """

    def __init__(self, output_dir: str, subdir: str, prefix: str, *, suffix: str = ".jsonl",
                 num_files: int | None = None, target_bytes: int = TARGET_FILE_BYTES) -> None:
        super().__init__()
        if num_files is not None and num_files < 1:
            raise ValueError(f"WriteLineFiles: num_files must be >= 1 or None, got {num_files}")
        self.output_dir, self.subdir, self.prefix, self.suffix = output_dir, subdir, prefix, suffix
        self.num_files, self.target_bytes = num_files, target_bytes

    def expand(self, keyed_lines):
        out, subdir, prefix, suffix = self.output_dir, self.subdir, self.prefix, self.suffix
        if self.num_files is not None:
            n = self.num_files

            def write_all(index, groups):
                lines = dict(groups).get(index, [])
                return write_lines_file(out, f"{subdir}/{file_name(prefix, index, n, suffix)}", list(lines))

            grouped = (keyed_lines
                       | "ToFile" >> beam.Map(lambda kv: (id_hash64(kv[0], _SALT) % n, kv[1]))
                       | "GroupFiles" >> beam.GroupByKey())
            return (keyed_lines.pipeline | "FileIndices" >> beam.Create(list(range(n)))
                    | "WriteFiles" >> beam.Map(write_all, beam.pvalue.AsList(grouped)))

        target = self.target_bytes
        total = beam.pvalue.AsSingleton(
            combine_globally(keyed_lines | "LineBytes" >> beam.Map(lambda kv: len(kv[1]) + 1), sum, "TotalBytes"),
            default_value=0)

        def to_file(kv, total_bytes):
            n = max(1, math.ceil(total_bytes / target))
            return (id_hash64(kv[0], _SALT) % n, n), kv[1]

        def write(element):
            (index, n), lines = element
            return write_lines_file(out, f"{subdir}/{file_name(prefix, index, n, suffix)}", list(lines))

        return (keyed_lines
                | "ToFile" >> beam.Map(to_file, total)
                | "GroupFiles" >> beam.GroupByKey()
                | "WriteFiles" >> beam.Map(write))
