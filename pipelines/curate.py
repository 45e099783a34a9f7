"""Sources to curated documents: read → extract → clean → language → quality → dedup.

The first half of ``build`` as one composite, so the build, the demo and the tests run
exactly the same steps. Every input record leaves as exactly one of: a kept document, a
dropped ``(document, reason)``, a :class:`~corpus.sources.base.Skipped` or a
:class:`~corpus.sources.base.DeadLetter`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import apache_beam as beam

from corpus.clean import CleanConfig
from corpus.dedup.config import DedupConfig
from corpus.dedup.exact import same_id_survivor_key
from corpus.extract import ExtractConfig, extract
from corpus.filters.ruleset import QualityConfig
from corpus.lang import LangConfig
from corpus.sources import SourceConfig
from pipelines.dedup import Deduplicate, KeepOnePerKey
from pipelines.filter import CleanAndFilter
from pipelines.read import DEAD_LETTERS, DOCUMENTS, SKIPPED, ReadSources
from pipelines.stages import DROPPED, KEPT, ApplyStage

# Stage names in order, as the report shows them.
STAGES = ("read", "extract", "clean", "language", "quality", "dedup")
DUPLICATE_ID_REASON = "dedup:duplicate_id"


@dataclass(frozen=True)
class CurateConfig:
    """Each step's config; ``None`` switches a step off (extraction and reading always run)."""

    sources: SourceConfig = field(default_factory=SourceConfig)
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    clean: CleanConfig | None = field(default_factory=CleanConfig)
    lang: LangConfig | None = field(default_factory=LangConfig)
    quality: QualityConfig | None = field(default_factory=QualityConfig)
    dedup: DedupConfig | None = field(default_factory=DedupConfig)
    # Earlier corpus directories whose documents new ones are deduplicated against.
    dedup_against: tuple[str, ...] = ()


class CurateResult(NamedTuple):
    kept: beam.PCollection  # Document
    dropped: beam.PCollection  # (Document, reason)
    skipped: beam.PCollection  # Skipped
    dead_letters: beam.PCollection  # DeadLetter
    dedup_stats: beam.PCollection  # one dict
    stage_outputs: dict  # stage name -> PCollection of the documents that stage passed on


class Curate(beam.PTransform):
    def __init__(self, patterns: Sequence[str], config: CurateConfig = CurateConfig()) -> None:
        super().__init__()
        self.patterns = list(patterns)
        self.config = config

    def expand(self, pbegin):
        cfg = self.config
        read = pbegin | "Read" >> ReadSources(self.patterns, cfg.sources)
        extracted = read[DOCUMENTS] | "Extract" >> ApplyStage(extract, cfg.extract)
        filtered = extracted[KEPT] | "Filter" >> CleanAndFilter(cfg.clean, cfg.lang, cfg.quality)
        outputs = {"read": read[DOCUMENTS], "extract": extracted[KEPT]}
        outputs.update({name.lower(): pc for name, pc in filtered.steps.items()})
        dropped = [extracted[DROPPED], filtered.dropped]
        # One document per id, whatever else is switched off: ids are unique across inputs by
        # construction, so equal ids mean the same record was read twice (one file at two paths).
        unique = filtered.kept | "UniqueIds" >> KeepOnePerKey(lambda d: d.id, same_id_survivor_key,
                                                              DUPLICATE_ID_REASON)
        docs = unique[KEPT]
        dropped.append(unique[DROPPED])
        if cfg.dedup is not None:
            deduped = docs | "Dedup" >> Deduplicate(cfg.dedup, cfg.dedup_against)
            docs, stats = deduped.kept, deduped.stats
            dropped.append(deduped.dropped)
        else:
            stats = pbegin | "NoDedupStats" >> beam.Create([{"clusters": 0, "cluster_size_histogram": {},
                                                              "examples": [], "parameters": {}}])
        outputs["dedup"] = docs
        all_dropped = dropped | "FlattenDropped" >> beam.Flatten()
        return CurateResult(docs, all_dropped, read[SKIPPED], read[DEAD_LETTERS], stats, outputs)
