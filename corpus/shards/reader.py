"""Open a corpus directory and read its documents, shard by shard (no torch, no Beam).

Everything is found through manifest.json: a directory without one is an unfinished build and
is refused. Before a shard is opened its path is checked to stay inside the corpus directory
(no absolute paths, no ``..``, no symlink pointing out); with ``verify`` its size and sha256
are checked against the manifest too. Arrow shards are memory-mapped, so opening is cheap.

A corpus in object storage is read through :func:`fetch_shard`: a shard is copied to a local
file (to be memory-mapped) while it is hashed, and a copy that does not match its manifest
entry is deleted and refused; the caller passes a :class:`~corpus.shards.files.FileOps` for the
remote side, so this module stays free of any particular storage library.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus.shards.files import FileOps, join, temp_path
from corpus.shards.manifest import MANIFEST_NAME, Manifest, ShardEntry, check_relative_path
from corpus.shards.record import ShardRecord
from corpus.shards.split import SPLITS
from corpus.shards.writer import FORMATS

# When a corpus holds several formats of the same documents, read this one unless told otherwise.
PREFERRED_FORMATS = ("arrow", "webdataset")
_HASH_CHUNK = 1 << 20


class CorpusError(ValueError):
    """A corpus or shard that must not be read; the message names it."""


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def check_shard(entry: ShardEntry, size: int, digest: str, corpus: str) -> None:
    """Raise :class:`CorpusError` naming the shard and the corpus unless size and sha256 match."""
    if size != entry.bytes:
        raise CorpusError(f"corpus {corpus}: shard {entry.path} has {size} bytes, the manifest says {entry.bytes}")
    if digest != entry.sha256:
        raise CorpusError(f"corpus {corpus}: shard {entry.path} has sha256 {digest}, the manifest says "
                          f"{entry.sha256}")


def fetch_shard(root: str, entry: ShardEntry, files: FileOps, dest: str | os.PathLike) -> Path:
    """Copy ``root/entry.path`` (read through ``files``) to the local file ``dest``, hashing as it goes.

    The copy is written under a temporary name unique to this process and renamed only when it
    matches the manifest, so concurrent readers (data-loader workers) never see a partial file.
    """
    check_relative_path(entry.path, "path")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(temp_path(str(dest)) + f".{os.getpid()}")
    h, size = hashlib.sha256(), 0
    try:
        with files.opener(join(root, entry.path), "rb") as src, open(tmp, "wb") as out:
            while chunk := src.read(_HASH_CHUNK):
                h.update(chunk)
                out.write(chunk)
                size += len(chunk)
        check_shard(entry, size, h.hexdigest(), root)
    except FileNotFoundError:
        tmp.unlink(missing_ok=True)
        raise CorpusError(f"corpus {root}: shard {entry.path} is missing") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, dest)
    return dest


@dataclass(frozen=True)
class Corpus:
    root: Path
    manifest: Manifest

    @property
    def formats(self) -> tuple[str, ...]:
        return self.manifest.formats

    def _format(self, format: str | None) -> str:
        formats = self.formats
        if format is None:
            return next((f for f in PREFERRED_FORMATS if f in formats), PREFERRED_FORMATS[0])
        if format not in formats:
            raise CorpusError(f"corpus {self.root}: has no {format!r} shards (it has {list(formats)})")
        return format

    def shards(self, split: str, format: str | None = None) -> tuple[ShardEntry, ...]:
        """The shards of ``split`` in one format, in manifest order."""
        if split not in SPLITS:
            raise CorpusError(f"corpus {self.root}: no split {split!r}; splits are {list(SPLITS)}")
        fmt = self._format(format)
        return tuple(e for e in self.manifest.splits[split] if e.format == fmt)

    def shard_path(self, entry: ShardEntry) -> Path:
        """The file of ``entry``, refused if it resolves outside the corpus directory."""
        try:
            check_relative_path(entry.path, "path")
        except ValueError as e:
            raise CorpusError(f"corpus {self.root}: shard {entry.path!r} is outside the corpus directory ({e})") \
                from None
        path = self.root / entry.path
        real_root = os.path.realpath(self.root)
        if os.path.commonpath([real_root, os.path.realpath(path)]) != real_root:
            raise CorpusError(f"corpus {self.root}: shard {entry.path!r} resolves to {os.path.realpath(path)}, "
                              "outside the corpus directory")
        return path

    def verify_shard(self, entry: ShardEntry) -> None:
        path = self.shard_path(entry)
        if not path.is_file():
            raise CorpusError(f"corpus {self.root}: shard {entry.path} is missing")
        size = path.stat().st_size
        check_shard(entry, size, file_sha256(path) if size == entry.bytes else "", str(self.root))

    def verify(self) -> None:
        """Check every shard of every split against its manifest entry."""
        for split in SPLITS:
            for entry in self.manifest.splits[split]:
                self.verify_shard(entry)

    def read_shard(self, entry: ShardEntry, verify: bool = False) -> Iterator[ShardRecord]:
        """The documents of one shard, in the order they were written."""
        path = self.shard_path(entry)
        if verify:
            self.verify_shard(entry)
        return FORMATS[entry.format].read(str(path), name=entry.path)

    def iter_documents(self, split: str, shard_slice: slice = slice(None), format: str | None = None,
                       verify: bool = False) -> Iterator[ShardRecord]:
        """Documents of the shards ``shards(split)[shard_slice]`` (e.g. one rank's ``slice(rank, None, world)``)."""
        for entry in self.shards(split, format)[shard_slice]:
            yield from self.read_shard(entry, verify=verify)


def open_corpus(path: str | os.PathLike, verify: bool = False) -> Corpus:
    """Open a finished corpus directory; ``verify=True`` also checks every shard's size and sha256."""
    root = Path(path)
    manifest_path = root / MANIFEST_NAME
    if not root.is_dir():
        raise CorpusError(f"corpus {root}: not a directory")
    if not manifest_path.is_file():
        raise CorpusError(f"corpus {root}: no {MANIFEST_NAME}; the build is incomplete (it is written last)")
    manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8"), source=str(manifest_path))
    corpus = Corpus(root=root, manifest=manifest)
    if verify:
        corpus.verify()
    return corpus
