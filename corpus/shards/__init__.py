"""Shards of tokenized documents: writers, readers, the train/validation split and the manifest.

A corpus directory is read with :func:`open_corpus`; a build writes shards with
:class:`ShardWriter` (or :func:`write_shards`) and the manifest last with :func:`write_manifest`.
"""

from corpus.shards.manifest import (
    Manifest,
    ManifestError,
    ShardEntry,
    TokenizerInfo,
    read_manifest,
    write_manifest,
)
from corpus.shards.reader import Corpus, CorpusError, open_corpus
from corpus.shards.record import ShardRecord
from corpus.shards.split import SPLITS, TRAIN, VALIDATION, split_of
from corpus.shards.writer import ShardConfig, ShardWriter, write_shards

__all__ = [
    "SPLITS", "TRAIN", "VALIDATION", "Corpus", "CorpusError", "Manifest", "ManifestError", "ShardConfig",
    "ShardEntry", "ShardRecord", "ShardWriter", "TokenizerInfo", "open_corpus", "read_manifest", "split_of",
    "write_manifest", "write_shards",
]
