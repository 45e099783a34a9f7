"""The quality report, computed inside the pipeline so that every runner writes it.

Small aggregates (counts per reason, language, source, domain, histogram bins, a few
samples) are combined in Beam and meet in one final step that builds report.json and
index.html, checks the accounting (the build fails if it does not hold) and writes both
through Beam's filesystems. Dataflow's launcher does not wait for the job, so nothing is
left for the launching machine to do.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from corpus.report import ReportInputs, bin_index, build_report, check_accounting, domain_of, report_files
from corpus.shards.split import split_of
from pipelines.beam_util import combine_globally, combine_per_key

SAMPLES_KEPT = 8
SAMPLES_PER_REASON = 3
DEAD_LETTER_EXAMPLES = 10
# Domain under which documents without a URL (JSONL, text files) are counted.
NO_URL = "(no url)"


def _count_by(pcoll, label: str, key_fn):
    counts = combine_per_key(pcoll | f"{label}Key" >> beam.Map(lambda x: (key_fn(x), 1)), sum, f"{label}Count")
    return beam.pvalue.AsSingleton(combine_globally(counts, beam.combiners.ToDictCombineFn(), f"{label}Dict"),
                                   default_value={})


def _count(pcoll, label: str):
    return beam.pvalue.AsSingleton(combine_globally(pcoll, beam.combiners.CountCombineFn(), f"{label}Count"),
                                   default_value=0)


def _smallest(pcoll, n: int, key, label: str):
    return beam.pvalue.AsSingleton(
        combine_globally(pcoll, beam.combiners.TopCombineFn(n, key=key, reverse=True), label), default_value=[])


def _write(path: str, data: bytes) -> None:
    tmp = f"{path}.tmp"
    with FileSystems.create(tmp, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        f.write(data)
    FileSystems.rename([tmp], [path])


class WriteReport(beam.PTransform):
    """Aggregates → report/report.json + report/index.html; yields the report once written."""

    def __init__(self, output_dir: str, config: Mapping[str, Any], skipped_stages: tuple[str, ...],
                 validation_fraction: float) -> None:
        super().__init__()
        self.output_dir, self.config = output_dir, dict(config)
        self.skipped_stages, self.validation_fraction = skipped_stages, validation_fraction

    def expand(self, pcolls):
        read_docs, skipped, dead, dropped, kept_docs, records, dedup_stats, rejected_rows = pcolls
        vf = self.validation_fraction
        side = {
            "n_read": _count(read_docs, "Read"),
            "n_skipped": _count(skipped, "Skipped"),
            "n_dead": _count(dead, "Dead"),
            "n_kept": _count(records, "Kept"),
            "dropped": _count_by(dropped, "DropReason", lambda dr: dr[1]),
            "skip_reasons": _count_by(skipped, "SkipReason", lambda s: s.reason),
            "languages": _count_by(records, "Lang", lambda r: r.language or "und"),
            "sources": _count_by(records, "Source", lambda r: r.source),
            "domains": _count_by(records, "Domain", lambda r: domain_of(r.url) or NO_URL),
            "split_docs": _count_by(records, "SplitDocs", lambda r: split_of(r.id, vf)),
            "split_tokens": beam.pvalue.AsSingleton(combine_globally(
                combine_per_key(records | "SplitTok" >> beam.Map(lambda r: (split_of(r.id, vf), r.num_tokens)),
                                sum, "SplitTokSum"), beam.combiners.ToDictCombineFn(), "SplitTokDict"),
                default_value={}),
            "chars": _count_by(kept_docs, "CharBins", lambda d: bin_index(len(d.text))),
            "tokens": _count_by(records, "TokBins", lambda r: bin_index(r.num_tokens)),
            "kept_samples": _smallest(kept_docs, SAMPLES_KEPT, lambda d: d.id, "KeptSample"),
            "rejected": beam.pvalue.AsSingleton(combine_globally(
                combine_per_key(rejected_rows | "ParseRejected" >> beam.Map(json.loads)
                                | "ByReason" >> beam.Map(lambda r: (r["reason"], r)),
                                beam.combiners.TopCombineFn(SAMPLES_PER_REASON, key=lambda r: r["id"], reverse=True),
                                "FewPerReason")
                | "RejectedFlat" >> beam.FlatMap(lambda kv: kv[1]),
                beam.combiners.ToListCombineFn(), "RejectedList"), default_value=[]),
            "dead_examples": _smallest(dead, DEAD_LETTER_EXAMPLES, lambda d: (d.path, d.offset or 0), "DeadSample"),
            "dedup": beam.pvalue.AsSingleton(dedup_stats),
        }
        return (read_docs.pipeline | "ReportSeed" >> beam.Create([None])
                | "BuildReport" >> beam.Map(self._build, **side))

    def _build(self, _, *, n_read, n_skipped, n_dead, n_kept, dropped, skip_reasons, languages, sources,
               domains, split_docs, split_tokens, chars, tokens, kept_samples, rejected, dead_examples, dedup):
        all_dropped = dict(dropped)
        for reason, n in skip_reasons.items():
            all_dropped[reason] = all_dropped.get(reason, 0) + n
        splits = {s: {"documents": split_docs.get(s, 0), "tokens": split_tokens.get(s, 0)}
                  for s in ("train", "validation")}
        skipped_stages = tuple({"lang": "language"}.get(s, s) for s in self.skipped_stages if s != "pii")
        report = build_report(ReportInputs(
            input_documents=n_read + n_skipped + n_dead, kept_documents=n_kept, dead_letters=n_dead,
            dropped=all_dropped, splits=splits, languages=languages, sources=sources, domains=domains,
            dedup=dedup, char_histogram=chars, token_histogram=tokens,
            kept_samples=[{"id": d.id, "url": d.url, "language": d.meta.get("language"), "source": d.source,
                           "text": d.text[:1000]} for d in kept_samples],
            rejected_samples=rejected, dead_letter_examples=[d.as_dict() for d in dead_examples],
            skipped_stages=skipped_stages, config=self.config))
        check_accounting(report)
        for name, data in report_files(report).items():
            _write(f"{self.output_dir}/{name}", data)
        return report
