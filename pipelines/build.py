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
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import (
    DirectOptions,
    PipelineOptions,
    StandardOptions,
    WorkerOptions,
)

from corpus.dedup.index import INDEX_DIR, check_compatible
from corpus.report.cli import summary
from corpus.shards.files import join
from corpus.shards.manifest import MANIFEST_NAME
from corpus.tokenizer.train import load_model
from pipelines.curate import Curate
from pipelines.dedup import WriteDedupIndex, previous_dedup_parameters, previous_index_files
from pipelines.filter import SampleRejects
from pipelines.line_files import WriteLineFiles
from pipelines.options import BuildConfig, BuildOptions, build_config, expand_config_file
from pipelines.progress import report_progress
from pipelines.read import check_patterns
from pipelines.report import WriteReport
from pipelines.tokenize import ExistingTokenizer, TokenizeDocuments, TrainTokenizer
from pipelines.write import WriteShards

EXIT_USAGE = 2
EXIT_EXISTS = 3
# The build finished and wrote its report, but no document survived: an empty corpus.
EXIT_EMPTY = 4


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
    rejected_files = (rejected | "KeyRejected" >> beam.Map(lambda line: (line, line))
                      | "WriteRejected" >> WriteLineFiles(out, "rejected", "dropped", num_files=1))
    dead_files = (cur.dead_letters | "DeadLetterJson" >> beam.Map(lambda d: json.dumps(d.as_dict(), sort_keys=True))
                  | "KeyDeadLetters" >> beam.Map(lambda line: (line, line))
                  | "WriteDeadLetters" >> WriteLineFiles(out, "rejected", "dead_letters", num_files=1))
    report = ((cur.stage_outputs["read"], cur.skipped, cur.dead_letters, cur.dropped, cur.kept, records,
               cur.dedup_stats, rejected)
              | "Report" >> WriteReport(out, cfg.as_dict(), cfg.skip, cfg.shards.validation_fraction))
    # The manifest is written last, after the report and rejected/ are complete, so a corpus
    # directory with a manifest is complete. This also makes it the pipeline's one sink, which
    # runners that execute only what the last step depends on (Beam's DaskRunner) need.
    written = [report, rejected_files, dead_files]
    index_files = None
    if cfg.curate.dedup is not None:  # lets a later build dedup against this corpus
        index_files = cur.kept | "DedupIndex" >> WriteDedupIndex(out, cfg.curate.dedup)
        written.append(index_files)
    done = written | "BeforeManifest" >> beam.Flatten()
    manifest_tokenizer = info | "TokenizerForManifest" >> beam.Map(lambda t: t.for_manifest())
    _ = records | "Shards" >> WriteShards(
        out, cfg.shards, tokenizer=manifest_tokenizer, build=cfg.as_dict(), overwrite=cfg.overwrite, after=done,
        index_files=index_files, index_parameters=None if cfg.curate.dedup is None else cfg.curate.dedup.as_dict())


def _local_defaults(options: PipelineOptions, argv: Sequence[str]) -> None:
    """No runner flags given: the DirectRunner in multi-processing mode, one worker per core."""
    if options.view_as(StandardOptions).runner not in (None, "DirectRunner", "direct"):
        return
    given = {a.split("=", 1)[0] for a in argv}
    direct = options.view_as(DirectOptions)
    if "--direct_running_mode" not in given:
        direct.direct_running_mode = "multi_processing"
    if "--direct_num_workers" not in given:
        direct.direct_num_workers = os.cpu_count() or 1
    if "--default_sdk_harness_log_level" not in given:
        # Local workers otherwise log their start-up at INFO on the user's terminal; errors still show.
        options.view_as(WorkerOptions).default_sdk_harness_log_level = "ERROR"


class _DropUnparseableArgsNotice(logging.Filter):
    """Beam's workers re-parse the pipeline options without BuildOptions and log every build
    flag as "unparseable"; the flags were parsed on the launcher, so that notice is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Discarding unparseable args" not in record.getMessage()


def _quiet_worker_option_notices() -> None:
    for name in ("apache_beam.options.pipeline_options", "apache_beam.runners.portability.local_job_service"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DropUnparseableArgsNotice) for f in logger.filters):
            logger.addFilter(_DropUnparseableArgsNotice())


def _remove_temporary_files(output_dir: str) -> list[str]:
    """What a crashed build left in ``output_dir``: temporary files of our writers (``*.tmp``) and
    Beam's ``beam-temp-*`` directories. A rerun over the directory removes them before it starts."""
    dirs = ["", "train", "validation", "tokenizer", "report", "rejected", INDEX_DIR]
    patterns = [join(output_dir, f"{d}/{p}" if d else p) for d in dirs
                for p in ("*.tmp", ".*.tmp", "beam-temp-*/*", "beam-temp-*/.*")]
    found = sorted({m.path for r in FileSystems.match(patterns) for m in r.metadata_list})
    if found:
        FileSystems.delete(found)
    # Local directories of Beam's temporary files are now empty (object stores have no directories).
    for directory in sorted({os.path.dirname(p) for p in found if "://" not in p
                             and os.path.basename(os.path.dirname(p)).startswith("beam-temp-")}):
        os.rmdir(directory)
    return found


def _check_inputs(cfg: BuildConfig) -> None:
    """Usage errors that would otherwise surface while the pipeline is built, as one ValueError each."""
    check_patterns(list(cfg.inputs))
    if cfg.tokenizer_path:
        if not FileSystems.exists(cfg.tokenizer_path):
            raise ValueError(f"--tokenizer {cfg.tokenizer_path}: no such file")
        with FileSystems.open(cfg.tokenizer_path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
            load_model(f.read(), f"--tokenizer {cfg.tokenizer_path}")
    for earlier in cfg.dedup_against:
        check_compatible(previous_dedup_parameters(earlier), cfg.curate.dedup, f"--dedup_against {earlier}")
        previous_index_files(earlier)


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
        _check_inputs(cfg)
    except (ValueError, OSError) as e:
        print(f"corpusforge build: {e}", file=sys.stderr)
        return EXIT_USAGE
    manifest = f"{cfg.output_dir}/{MANIFEST_NAME}"
    if FileSystems.exists(manifest) and not cfg.overwrite:
        print(f"corpusforge build: {manifest} exists: {cfg.output_dir} is a finished corpus. "
              f"Choose another --output_dir or pass --overwrite to rebuild it.", file=sys.stderr)
        return EXIT_EXISTS
    leftovers = _remove_temporary_files(cfg.output_dir)
    if leftovers:
        print(f"corpusforge build: removed {len(leftovers)} temporary file(s) of an earlier, unfinished build "
              f"in {cfg.output_dir}", flush=True)
    _local_defaults(options, argv)
    direct = options.view_as(DirectOptions)
    print(f"corpusforge build: {len(cfg.inputs)} input pattern(s) -> {cfg.output_dir} "
          f"(runner {options.view_as(StandardOptions).runner or 'DirectRunner'}, "
          f"{direct.direct_running_mode}, {direct.direct_num_workers} workers)", flush=True)
    print("  stages: read -> extract -> clean -> language -> quality -> dedup -> tokenizer -> tokenize -> "
          "shards -> report -> manifest", flush=True)
    local = options.view_as(StandardOptions).runner in (None, "DirectRunner", "direct")
    _quiet_worker_option_notices()
    with beam.Pipeline(options=options) as p:
        build_pipeline(p, cfg, progress=local)
    if "://" in cfg.output_dir:
        return 0  # a remote build (Dataflow's launcher does not wait): the report is in the output directory
    with open(f"{cfg.output_dir}/report/report.json", encoding="utf-8") as f:
        report = json.load(f)
    print(summary(report, cfg.output_dir))
    print(f"\nreport: {cfg.output_dir}/report/index.html\nmanifest: {manifest}")
    if report["documents"]["kept"] == 0:
        reasons = sorted(report["documents"]["dropped"].items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        print(f"corpusforge build: no document survived: {report['documents']['input']} read, "
              f"{report['documents']['dead_letters']} dead letters, dropped mostly as "
              f"{', '.join(f'{r} ({n})' for r, n in reasons) or 'nothing'}. The corpus is empty (no shards, no "
              f"tokenizer); the report says why: {cfg.output_dir}/report/index.html", file=sys.stderr)
        return EXIT_EMPTY
    return 0


def main() -> None:
    logging.getLogger().setLevel(logging.WARNING)
    raise SystemExit(run())


if __name__ == "__main__":
    main()
