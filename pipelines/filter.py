"""Cleaning, language identification and quality rules as one Beam composite.

Order: clean (Unicode, lines, optional PII) → language (the quality rules pick their
thresholds by language) → quality. Each step is a corpus stage run by
:class:`pipelines.stages.ApplyStage`; a switched-off step (config ``None``) is left out.
"""
from __future__ import annotations

import json
from typing import NamedTuple

import apache_beam as beam

from corpus.clean import CleanConfig, clean
from corpus.filters.ruleset import QualityConfig, apply_quality
from corpus.lang import LangConfig, identify_language
from corpus.rejects import RejectSampleConfig, reject_record, should_keep_reject
from pipelines.stages import DROPPED, KEPT, ApplyStage


def _load_language_models(config: LangConfig) -> None:
    """Once per DoFn instance on a worker: the fastText model and langdetect's profiles."""
    from corpus.lang import fasttext_lid, langdetect_lid

    fasttext_lid.load_model()
    if config.second_opinion:
        langdetect_lid.load_factory()


class FilterResult(NamedTuple):
    kept: beam.PCollection  # Document
    dropped: beam.PCollection  # (Document, reason)
    steps: dict  # step name -> its kept PCollection, for per-stage counts in the report


class CleanAndFilter(beam.PTransform):
    def __init__(self, clean_config: CleanConfig | None = CleanConfig(),
                 lang_config: LangConfig | None = LangConfig(),
                 quality_config: QualityConfig | None = QualityConfig()) -> None:
        super().__init__()
        self.steps = [(name, fn, cfg, setup) for name, fn, cfg, setup in (
            ("Clean", clean, clean_config, None),
            ("Language", identify_language, lang_config, _load_language_models),
            ("Quality", apply_quality, quality_config, None),
        ) if cfg is not None]

    def expand(self, docs):
        dropped, steps = [], {}
        for name, fn, cfg, setup in self.steps:
            result = docs | name >> ApplyStage(fn, cfg, setup)
            docs = steps[name] = result[KEPT]
            dropped.append(result[DROPPED])
        all_dropped = (dropped | "FlattenDropped" >> beam.Flatten() if dropped
                       else docs.pipeline | "NoDrops" >> beam.Create([]))
        return FilterResult(docs, all_dropped, steps)


class SampleRejects(beam.PTransform):
    """(document, reason) pairs → the deterministic per-reason sample, as JSON lines."""

    def __init__(self, config: RejectSampleConfig = RejectSampleConfig()) -> None:
        super().__init__()
        self.config = config

    def expand(self, dropped):
        cfg = self.config
        return (dropped
                | "InSample" >> beam.Filter(lambda dr: should_keep_reject(dr[0].id, dr[1], cfg))
                | "Record" >> beam.Map(lambda dr: json.dumps(reject_record(dr[0], dr[1], cfg),
                                                             ensure_ascii=False, sort_keys=True)))
