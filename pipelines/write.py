"""Write tokenized documents as shards and manifest.json in Beam, the same on any runner.

split by id hash → total estimated bytes per split (global combine, side input) → bucket count
``ceil(total / (shard_bytes * BUCKET_FILL))`` → bucket by id hash → GroupByKey(split, bucket) →
records sorted by id → each group's shards. How many shards each group needs is planned from
the size estimates first, so every shard gets its final, contiguous name (``train/part-00007``)
before it is written, and is renamed from a temporary name only when complete. Last, one step
gathers the shard entries (one per shard) and writes manifest.json. Nothing depends on bundle
boundaries or worker count, so reruns give the same shards and the same manifest.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from corpus.dedup.index import INDEX_DIR, INDEX_PREFIX
from corpus.shards.files import FileOps, join
from corpus.shards.manifest import MANIFEST_NAME, DedupIndexInfo, Manifest, TokenizerInfo, write_manifest
from corpus.shards.record import ShardRecord
from corpus.shards.split import SPLITS, id_hash64, split_of
from corpus.shards.writer import FORMATS, ShardConfig, ShardWriter, count_parts, shard_name
from corpus.tokenizer.encode import token_dtype
from pipelines.beam_util import BeamCounter, combine_globally, combine_per_key

# Buckets aim at this fraction of the shard bound, so hash imbalance rarely spills into a second part.
BUCKET_FILL = 0.8
_BUCKET_SALT = b"corpusforge/bucket"


def _beam_open(path: str, mode: str):
    if "w" in mode:
        return FileSystems.create(path, compression_type=CompressionTypes.UNCOMPRESSED)
    return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)


BEAM_FILES = FileOps(opener=_beam_open, rename=lambda src, dst: FileSystems.rename([src], [dst]),
                     delete=lambda path: FileSystems.delete([path]), exists=FileSystems.exists)


def estimated_bytes(record: ShardRecord, config: ShardConfig) -> int:
    """The largest size estimate over the configured formats: buckets must fit every format."""
    return max(FORMATS[f].record_bytes(record, config.keep_text) for f in config.formats)


def num_buckets(total_bytes: int, shard_bytes: int) -> int:
    return max(1, math.ceil(total_bytes / (shard_bytes * BUCKET_FILL)))


def bucket_of(doc_id: str, buckets: int) -> int:
    return id_hash64(doc_id, _BUCKET_SALT) % buckets


def _sorted_group(records, key) -> list[ShardRecord]:
    ordered = sorted(records, key=lambda r: r.id)
    for a, b in zip(ordered, ordered[1:]):
        if a.id == b.id:
            raise ValueError(f"WriteShards: document id {a.id!r} occurs twice in {key}; ids must be unique")
    return ordered


def _plan_group(element, config: ShardConfig):
    """How many shards of each format this (split, bucket) group will fill."""
    key, records = element
    sizes = [(r.id, {f: FORMATS[f].record_bytes(r, config.keep_text) for f in config.formats}) for r in records]
    sizes.sort(key=lambda t: t[0])
    return key, {f: count_parts((s[f] for _, s in sizes), f, config.shard_bytes) for f in config.formats}


def _first_indices(plans: list) -> dict:
    """(split, bucket, format) -> index of the group's first shard: groups numbered in bucket order."""
    first, next_index = {}, {}
    for (split, bucket), parts in sorted(plans):
        for fmt, n in sorted(parts.items()):
            start = next_index.get((split, fmt), 0)
            first[(split, bucket, fmt)] = start
            next_index[(split, fmt)] = start + n
    return first


class _WriteGroup(beam.DoFn):
    """Writes one (split, bucket) group, sorted by id, as the planned shards of every format."""

    def __init__(self, output_dir: str, config: ShardConfig) -> None:
        self.output_dir, self.config = output_dir, config
        self.counter = BeamCounter()

    def process(self, element, first_indices, tokenizer):
        (split, bucket), records = element
        ordered = _sorted_group(records, (split, bucket))
        config = _with_token_dtype(self.config, tokenizer)
        for fmt in config.formats:
            start = first_indices[(split, bucket, fmt)]
            writer = ShardWriter(self.output_dir, split, fmt, config, files=BEAM_FILES, counter=self.counter,
                                 name_fn=lambda k, s=start, f=fmt, sp=split: shard_name(sp, s + k, f))
            with writer:
                for record in ordered:
                    writer.write(record)
            expected = _plan_group(((split, bucket), ordered), config)[1][fmt]
            if len(writer.entries) != expected:
                raise RuntimeError(f"WriteShards: group {(split, bucket)} wrote {len(writer.entries)} {fmt} shards, "
                                   f"planned {expected}")
            yield from writer.entries


def remove_other_files(output_dir: str, pattern: str, keep: set[str]) -> list[str]:
    """Delete files matching ``output_dir/pattern`` whose relative path is not in ``keep`` (an earlier build's)."""
    matches = FileSystems.match([join(output_dir, pattern)])[0].metadata_list
    root = output_dir.rstrip("/") + "/"
    stale = [m.path for m in matches if m.path[len(root):] not in keep]
    if stale:
        FileSystems.delete(stale)
    return stale


def _with_token_dtype(config: ShardConfig, tokenizer: TokenizerInfo | None) -> ShardConfig:
    """The one decision of the token dtype: from the vocabulary of the tokenizer actually used
    (the same function the encoder uses), never from the options."""
    if tokenizer is None:
        return config
    return dataclasses.replace(config, token_dtype=token_dtype(tokenizer.vocab_size).name)


def _remove_stale_shards(output_dir: str, keep: set[str]) -> None:
    """Shards of an earlier build in the same directory that this build did not rewrite."""
    for split in SPLITS:
        for fmt in FORMATS.values():
            remove_other_files(output_dir, f"{split}/part-*{fmt.EXTENSION}", keep)


def _finish(entries: list, output_dir: str, tokenizer: TokenizerInfo | None, build: Mapping[str, Any],
            config: ShardConfig, index_files: list | None, index_parameters: Mapping[str, Any] | None,
            _after: Any = None) -> Manifest:
    splits = {s: sorted((e for e in entries if e.path.startswith(f"{s}/")), key=lambda e: (e.format, e.path))
              for s in SPLITS}
    if entries and tokenizer is None:
        raise RuntimeError("WriteShards: shards were written but no tokenizer came to the manifest")
    build = {**dict(build), "shards": _with_token_dtype(config, tokenizer).as_dict()}
    dedup_index = None if index_files is None else DedupIndexInfo(index_parameters or {}, tuple(index_files))
    manifest = Manifest(tokenizer=tokenizer, splits=splits, build=build, dedup_index=dedup_index)
    _remove_stale_shards(output_dir, {e.path for e in entries})
    # The dedup index of an earlier build in this directory is replaced, or removed with dedup off.
    remove_other_files(output_dir, f"{INDEX_DIR}/{INDEX_PREFIX}-*", {e.path for e in index_files or ()})
    write_manifest(output_dir, manifest, files=BEAM_FILES)
    return manifest


class WriteShards(beam.PTransform):
    """``records | WriteShards(out, config, tokenizer=...)`` → a PCollection of the one Manifest written.

    ``tokenizer`` is a :class:`TokenizerInfo` or a PCollection holding one (e.g. from the step that
    trained it; empty when no document survived, which gives an empty corpus). ``index_files`` is a
    PCollection of the dedup index's FileEntry rows (None: the build keeps no index) and
    ``index_parameters`` the dedup parameters they were made with. An existing manifest.json is
    refused unless ``overwrite``; then it is deleted before anything is written, so a failed rebuild
    leaves no manifest behind.
    """

    def __init__(self, output_dir: str, config: ShardConfig = ShardConfig(), *, tokenizer,
                 build: Mapping[str, Any] | None = None, overwrite: bool = False,
                 after: beam.PCollection | None = None, index_files: beam.PCollection | None = None,
                 index_parameters: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        if not isinstance(config, ShardConfig):
            raise TypeError(f"WriteShards: config must be a ShardConfig, got {type(config).__name__}")
        self.output_dir, self.config, self.tokenizer = str(output_dir), config, tokenizer
        self.build = dict(build or {})
        self.overwrite = overwrite
        # The manifest is written only once ``after`` (e.g. the written report) is complete.
        self.after = after
        self.index_files, self.index_parameters = index_files, index_parameters

    def _claim_output(self) -> None:
        manifest_path = join(self.output_dir, MANIFEST_NAME)
        if FileSystems.exists(manifest_path):
            if not self.overwrite:
                raise FileExistsError(f"WriteShards: {manifest_path} exists (a finished corpus); "
                                      "choose another output_dir or pass overwrite=True")
            FileSystems.delete([manifest_path])

    def expand(self, records):
        self._claim_output()
        config = self.config
        keyed = records | "Split" >> beam.Map(lambda r: (split_of(r.id, config.validation_fraction), r))
        totals = combine_per_key(
            keyed | "EstimateBytes" >> beam.Map(lambda kv: (kv[0], estimated_bytes(kv[1], config))), sum, "TotalBytes")
        groups = (keyed
                  | "Bucket" >> beam.Map(
                      lambda kv, t: ((kv[0], bucket_of(kv[1].id, num_buckets(t[kv[0]], config.shard_bytes))), kv[1]),
                      t=beam.pvalue.AsDict(totals))
                  | "GroupBuckets" >> beam.GroupByKey())
        first_indices = (combine_globally(groups | "Plan" >> beam.Map(_plan_group, config),
                                          beam.combiners.ToListCombineFn(), "GatherPlans")
                         | "Number" >> beam.Map(_first_indices))
        tokenizer = self.tokenizer
        if isinstance(tokenizer, beam.pvalue.PCollection):
            tokenizer = beam.pvalue.AsSingleton(tokenizer, default_value=None)
        elif not isinstance(tokenizer, TokenizerInfo):
            raise TypeError(f"WriteShards: tokenizer must be a TokenizerInfo or a PCollection of one, "
                            f"got {type(tokenizer).__name__}")
        entries = groups | "WriteGroups" >> beam.ParDo(
            _WriteGroup(self.output_dir, config), first_indices=beam.pvalue.AsSingleton(first_indices,
                                                                                       default_value={}),
            tokenizer=tokenizer)
        after = beam.pvalue.AsList(self.after) if self.after is not None else None
        gathered = beam.pvalue.AsSingleton(
            combine_globally(entries, beam.combiners.ToListCombineFn(), "GatherEntries"), default_value=[])
        index_files = None if self.index_files is None else beam.pvalue.AsList(self.index_files)
        # Seeded by one element so that an empty corpus still gets its manifest.
        return (records.pipeline | "ManifestSeed" >> beam.Create([None])
                | "WriteManifest" >> beam.Map(lambda _, entries, *args: _finish(entries, *args), gathered,
                                              self.output_dir, tokenizer, self.build, config, index_files,
                                              self.index_parameters, after))
