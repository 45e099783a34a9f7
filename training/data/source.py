"""Open a corpus for training (a path or an fsspec URL) and read its Arrow shards by random access.

Only what the manifest lists is read, and a corpus without ``manifest.json`` is refused (the build
writes it last). Every shard's size and sha256 are checked the first time a process opens it
(so each data-loader worker checks the shards it reads, once); a mismatch raises
:class:`~corpus.shards.reader.CorpusError` naming the shard and the corpus. A local corpus
(a path or ``file://``) is read in place; a remote one (``gs://``, ``s3://``, ``memory://``, any
fsspec protocol) is copied shard by shard into ``cache_dir`` while it is hashed, then
memory-mapped like a local one. Arrow IPC files memory-map without a copy, so a document's tokens
are found in O(1) from the shard's offsets: this is what makes resuming cost the same anywhere.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import fsspec
import numpy as np
import pyarrow as pa

from corpus.shards.arrow import numpy_view
from corpus.shards.files import FileOps, join
from corpus.shards.manifest import MANIFEST_NAME, Manifest, ShardEntry
from corpus.shards.reader import Corpus, CorpusError, check_shard, fetch_shard, file_sha256
from corpus.tokenizer.encode import MODEL_FILE
from training.data.vocab import VocabTables, tables_from_model_bytes

TRAINING_FORMAT = "arrow"
CACHE_ENV = "CORPUSFORGE_CACHE"
OPEN_SHARDS = 32  # memory maps kept open per process (least recently used are closed)
_VOCAB_CACHE: dict[tuple, VocabTables] = {}
VERIFY_THREADS = 4  # shards hashed (or fetched) at once; hashlib and I/O release the GIL


def is_local(location: str) -> bool:
    return "://" not in location or location.startswith("file://")


def local_path(location: str) -> str:
    return location[len("file://"):] if location.startswith("file://") else location


def fsspec_files(location: str) -> FileOps:
    """:class:`FileOps` over the fsspec filesystem of ``location`` (read side only is used here)."""
    fs, _ = fsspec.core.url_to_fs(location)
    return FileOps(opener=lambda path, mode: fs.open(path, mode), rename=fs.mv, delete=fs.rm, exists=fs.exists)


def default_cache_dir() -> str:
    return os.environ.get(CACHE_ENV) or os.path.join(os.path.expanduser("~"), ".cache", "corpusforge")


@dataclass(frozen=True)
class TrainingCorpus:
    """A finished corpus: its manifest (with its sha256) and where it lives. Cheap to pickle."""

    location: str
    manifest: Manifest
    manifest_sha256: str
    cache_dir: str | None = None

    @property
    def special_ids(self) -> dict[str, int]:
        return dict(self.manifest.tokenizer.special_tokens)

    @property
    def vocab_size(self) -> int:
        return self.manifest.tokenizer.vocab_size

    @property
    def tokenizer_dir(self) -> str:
        """The tokenizer directory (``AutoTokenizer.from_pretrained`` loads it when local)."""
        path = self.manifest.tokenizer.path
        rel = path.rsplit("/", 1)[0] if path.endswith(".model") else path
        return join(local_path(self.location) if is_local(self.location) else self.location, rel)

    def shards(self, split: str) -> tuple[ShardEntry, ...]:
        """The Arrow shards of ``split`` in manifest order; refused when the split is empty."""
        entries = self.manifest.splits.get(split)
        if entries is None:
            raise CorpusError(f"corpus {self.location}: no split {split!r}; splits are {sorted(self.manifest.splits)}")
        arrow = tuple(e for e in entries if e.format == TRAINING_FORMAT)
        if entries and not arrow:
            raise CorpusError(f"corpus {self.location}: split {split!r} has only {sorted({e.format for e in entries})} "
                              "shards; training reads Arrow shards (build with the arrow format)")
        if sum(e.num_documents for e in arrow) == 0:
            raise CorpusError(f"corpus {self.location}: split {split!r} holds no documents")
        return arrow

    def vocab(self) -> VocabTables:
        """The tokenizer's lookup tables; the model file is checked against the manifest's sha256."""
        info = self.manifest.tokenizer
        rel = info.path if info.path.endswith(".model") else f"{info.path}/{MODEL_FILE}"
        with _files(self.location).opener(join(_root(self.location), rel), "rb") as f:
            model = f.read()
        digest = hashlib.sha256(model).hexdigest()
        if digest != info.sha256:
            raise CorpusError(f"corpus {self.location}: tokenizer {rel} has sha256 {digest}, the manifest says "
                              f"{info.sha256}")
        key = (digest, tuple(sorted(info.special_tokens.items())))
        if key not in _VOCAB_CACHE:  # the train and eval loaders of a run share one tokenizer
            _VOCAB_CACHE[key] = tables_from_model_bytes(model, info.special_tokens)
        return _VOCAB_CACHE[key]


def _root(location: str) -> str:
    return local_path(location).rstrip("/") if is_local(location) else location.rstrip("/")


def _files(location: str) -> FileOps:
    from corpus.shards.files import LOCAL_FILES
    return LOCAL_FILES if is_local(location) else fsspec_files(location)


def open_training_corpus(path: str, cache_dir: str | None = None) -> TrainingCorpus:
    """Open the corpus at ``path`` (directory or fsspec URL); refuses an unfinished build or a bad manifest."""
    if not isinstance(path, str) or not path:
        raise CorpusError(f"corpus path must be a non-empty str, got {path!r}")
    root, files = _root(path), _files(path)
    manifest_path = join(root, MANIFEST_NAME)
    if is_local(path) and not Path(root).is_dir():
        raise CorpusError(f"corpus {path}: not a directory")
    try:
        with files.opener(manifest_path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise CorpusError(f"corpus {path}: no {MANIFEST_NAME}; the build did not finish (the manifest is written "
                          "last)") from None
    manifest = Manifest.from_json(raw.decode("utf-8"), source=manifest_path)
    if getattr(manifest, "tokenizer", None) is None:
        raise CorpusError(f"corpus {path}: holds no documents (its manifest has no tokenizer)")
    return TrainingCorpus(location=path, manifest=manifest, manifest_sha256=hashlib.sha256(raw).hexdigest(),
                          cache_dir=cache_dir)


def _cached_copy_matches(entry: ShardEntry, path: Path) -> bool:
    """Whether an earlier process left a good copy (re-hashing locally is cheaper than fetching again)."""
    if not path.is_file() or path.stat().st_size != entry.bytes:
        return False
    try:
        check_shard(entry, entry.bytes, file_sha256(path), str(path))
    except CorpusError:
        return False
    return True


class _Shard:
    """One memory-mapped Arrow shard: tokens by (row, start, end) without copying the file."""

    def __init__(self, path: Path, label: str) -> None:
        self._source = pa.memory_map(str(path), "r")
        try:
            table = pa.ipc.open_file(self._source).read_all()
        except pa.ArrowInvalid as e:
            raise CorpusError(f"shard {label}: not an Arrow IPC file ({e})") from None
        missing = {"id", "tokens", "num_tokens"} - set(table.schema.names)
        if missing:
            raise CorpusError(f"shard {label}: missing columns {sorted(missing)}")
        tokens = table.column("tokens")
        self._offsets = [numpy_view(c.offsets) for c in tokens.chunks]
        self._values = [numpy_view(c.values) for c in tokens.chunks]
        self._id_chunks = table.column("id").chunks
        self._ids: dict[int, list[str]] = {}  # decoded id columns of the record batches in use
        sizes = [len(c) for c in tokens.chunks]
        # The writer makes record batches of equal size (the last one shorter): then a row's batch is a division.
        self._rows = sizes[0] if sizes and all(n == sizes[0] for n in sizes[:-1]) else 0
        self._chunk_start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.lengths = np.concatenate([np.zeros(0, np.int64), *map(numpy_view, table.column("num_tokens").chunks)])

    def _locate(self, row: int) -> tuple[int, int]:
        if self._rows:
            return divmod(row, self._rows)
        k = int(np.searchsorted(self._chunk_start, row, side="right")) - 1
        return k, row - int(self._chunk_start[k])

    def piece(self, row: int, start: int, end: int) -> tuple[np.ndarray, str]:
        """Tokens ``[start, end)`` of document ``row`` (a view of the file) and the document's id."""
        k, j = self._locate(row)
        base = int(self._offsets[k][j])
        ids = self._ids.get(k)
        if ids is None:
            ids = self._ids[k] = self._id_chunks[k].to_pylist()
        return self._values[k][base + start:base + end], ids[j]

    def close(self) -> None:
        self._ids.clear()
        self._source.close()


class ShardReader:
    """Random access to one split's shards in one process; verifies each shard when first opened.

    Create it where it is used (in each data-loader worker): it holds memory maps and open files.
    Shards are numbered as in :meth:`TrainingCorpus.shards`.
    """

    def __init__(self, corpus: TrainingCorpus, split: str) -> None:
        self.corpus, self.split = corpus, split
        self.entries = corpus.shards(split)
        self._open: OrderedDict[int, _Shard] = OrderedDict()
        self._verified: dict[int, Path] = {}
        self._lengths: dict[int, np.ndarray] = {}

    @cached_property
    def _local_corpus(self) -> Corpus:
        return Corpus(root=Path(_root(self.corpus.location)), manifest=self.corpus.manifest)

    def _cache_path(self, entry: ShardEntry) -> Path:
        base = self.corpus.cache_dir or default_cache_dir()
        return Path(base) / "shards" / self.corpus.manifest_sha256[:16] / entry.path

    def _local_file(self, i: int) -> Path:
        """The verified local file of shard ``i`` (checked once per process)."""
        if i in self._verified:
            return self._verified[i]
        entry = self.entries[i]
        if is_local(self.corpus.location):
            self._local_corpus.verify_shard(entry)
            path = self._local_corpus.shard_path(entry)
        else:
            path = self._cache_path(entry)
            if not _cached_copy_matches(entry, path):
                fetch_shard(_root(self.corpus.location), entry, fsspec_files(self.corpus.location), path)
        self._verified[i] = path
        return path

    def prefetch(self, shards: list[int]) -> None:
        """Verify (or fetch) the shards not yet checked in this process, several at a time."""
        todo = [i for i in shards if i not in self._verified]
        if len(todo) > 1:
            with ThreadPoolExecutor(min(VERIFY_THREADS, len(todo))) as pool:
                list(pool.map(self._local_file, todo))

    def shard(self, i: int) -> _Shard:
        shard = self._open.get(i)
        if shard is not None:
            self._open.move_to_end(i)
            return shard
        entry = self.entries[i]
        shard = _Shard(self._local_file(i), f"{entry.path} of corpus {self.corpus.location}")
        if shard.lengths.shape[0] != entry.num_documents or int(shard.lengths.sum()) != entry.num_tokens:
            raise CorpusError(f"corpus {self.corpus.location}: shard {entry.path} holds {shard.lengths.shape[0]} "
                              f"documents / {int(shard.lengths.sum())} tokens, the manifest says "
                              f"{entry.num_documents} / {entry.num_tokens}")
        self._open[i] = shard
        if len(self._open) > OPEN_SHARDS:
            self._open.popitem(last=False)[1].close()
        return shard

    def lengths(self, i: int) -> np.ndarray:
        """Token counts of shard ``i``'s documents (kept: a few bytes per document of the shards in use)."""
        if i not in self._lengths:
            self._lengths[i] = self.shard(i).lengths
            if len(self._lengths) > OPEN_SHARDS:
                self._lengths.pop(next(iter(self._lengths)))
        return self._lengths[i]

    def piece(self, i: int, row: int, start: int, end: int) -> tuple[np.ndarray, str]:
        """Tokens ``[start, end)`` of document ``row`` of shard ``i``, and the document's id."""
        return self.shard(i).piece(row, start, end)

    def close(self) -> None:
        while self._open:
            self._open.popitem()[1].close()
