"""`corpusforge build` / `python -m pipelines.build`: the whole corpus pipeline in Apache Beam.

    sources → extract → clean → language → quality → dedup → tokenizer (trained once) →
    tokenize → shards → report → manifest.json (last)

``run(argv)`` in the Beam idiom: the build's own options are declared in
:class:`pipelines.options.BuildOptions`; every other flag goes to the runner (``--runner``,
``--project``, ``--region``, ``--temp_location``, ...). Without ``--runner`` the build runs
on the DirectRunner in multi-processing mode with one worker per core.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions

from corpus.dedup.index import check_compatible
from corpus.report.cli import summary
from corpus.shards.manifest import MANIFEST_NAME
from pipelines.beam_util import local_defaults, quiet_worker_option_notices
from pipelines.curate import Curate
from pipelines.dedup import WriteDedupIndex, previous_dedup_parameters
from pipelines.filter import SampleRejects
from pipelines.options import BuildConfig, BuildOptions, build_config, expand_config_file
from pipelines.progress import report_progress
from pipelines.report import WriteReport
from pipelines.tokenize import ExistingTokenizer, TokenizeDocuments, TrainTokenizer
from pipelines.write import WriteShards

EXIT_USAGE = 2
EXIT_EXISTS = 3


def build_pipeline(p: beam.Pipeline, cfg: BuildConfig, progress: bool = False) -> None:
    """Add every step of a build to ``p``; ``progress`` adds per-stage progress lines (local runs)."""
    out = cfg.output_dir
    cur = p | "Curate" >> Curate(cfg.inputs, cfg.curate)
    if cfg.tokenizer_path:
        info = p | "ExistingTokenizer" >> ExistingTokenizer(cfg.tokenizer_path, out, cfg.tokenizer.model_type)
    else:
        info = cur.kept | "TrainTokenizer" >> TrainTokenizer(cfg.tokenizer, out)
    records = cur.kept | "Tokenize" >> TokenizeDocuments(info, keep_text=cfg.keep_text)
    if progress:
        for stage, pcoll in [*cur.stage_outputs.items(), ("tokenize", records)]:
            report_progress(pcoll, stage)

    rejected = cur.dropped | "SampleRejects" >> SampleRejects(cfg.rejects)
    rejected_files = rejected | "WriteRejected" >> beam.io.WriteToText(
        f"{out}/rejected/dropped", file_name_suffix=".jsonl", num_shards=1)
    dead_files = (cur.dead_letters | "DeadLetterJson" >> beam.Map(lambda d: json.dumps(d.as_dict(), sort_keys=True))
                  | "WriteDeadLetters" >> beam.io.WriteToText(f"{out}/rejected/dead_letters",
                                                              file_name_suffix=".jsonl", num_shards=1))
    report = ((cur.stage_outputs["read"], cur.skipped, cur.dead_letters, cur.dropped, cur.kept, records,
               cur.dedup_stats, rejected)
              | "Report" >> WriteReport(out, cfg.as_dict(), cfg.skip, cfg.shards.validation_fraction))
    # The manifest is written last, after the report and rejected/ are complete, so a corpus
    # directory with a manifest is complete. This also makes it the pipeline's one sink, which
    # runners that execute only what the last step depends on (Beam's DaskRunner) need.
    written = [report, rejected_files, dead_files]
    if cfg.curate.dedup is not None:  # lets a later build dedup against this corpus
        written.append(cur.kept | "DedupIndex" >> WriteDedupIndex(out, cfg.curate.dedup))
    done = written | "BeforeManifest" >> beam.Flatten()
    manifest_tokenizer = info | "TokenizerForManifest" >> beam.Map(lambda t: t.for_manifest())
    _ = records | "Shards" >> WriteShards(out, cfg.shards, tokenizer=manifest_tokenizer, build=cfg.as_dict(),
                                         overwrite=cfg.overwrite, after=done)


def run(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        parser = argparse.ArgumentParser(prog="corpusforge build", description=__doc__.splitlines()[0],
                                         epilog="Every other flag is passed to the Beam runner.")
        BuildOptions._add_argparse_args(parser)
        parser.print_help()
        return 0
    try:
        argv = expand_config_file(argv)
        options = PipelineOptions(argv)
        cfg = build_config(options.view_as(BuildOptions))
        for earlier in cfg.dedup_against:
            check_compatible(previous_dedup_parameters(earlier), cfg.curate.dedup, f"--dedup_against {earlier}")
    except (ValueError, OSError) as e:
        print(f"corpusforge build: {e}", file=sys.stderr)
        return EXIT_USAGE
    manifest = f"{cfg.output_dir}/{MANIFEST_NAME}"
    if FileSystems.exists(manifest) and not cfg.overwrite:
        print(f"corpusforge build: {manifest} exists: {cfg.output_dir} is a finished corpus. "
              f"Choose another --output_dir or pass --overwrite to rebuild it.", file=sys.stderr)
        return EXIT_EXISTS
    local_defaults(options, argv, workers=os.cpu_count() or 1)
    direct = options.view_as(DirectOptions)
    print(f"corpusforge build: {len(cfg.inputs)} input pattern(s) -> {cfg.output_dir} "
          f"(runner {options.view_as(StandardOptions).runner or 'DirectRunner'}, "
          f"{direct.direct_running_mode}, {direct.direct_num_workers} workers)", flush=True)
    print("  stages: read -> extract -> clean -> language -> quality -> dedup -> tokenizer -> tokenize -> "
          "shards -> report -> manifest", flush=True)
    local = options.view_as(StandardOptions).runner in (None, "DirectRunner", "direct")
    quiet_worker_option_notices()
    with beam.Pipeline(options=options) as p:
        build_pipeline(p, cfg, progress=local)
    if "://" not in cfg.output_dir:
        with open(f"{cfg.output_dir}/report/report.json", encoding="utf-8") as f:
            print(summary(json.load(f), cfg.output_dir))
        print(f"\nreport: {cfg.output_dir}/report/index.html\nmanifest: {manifest}")
    return 0


def main() -> None:
    logging.getLogger().setLevel(logging.WARNING)
    raise SystemExit(run())


if __name__ == "__main__":
    main()
