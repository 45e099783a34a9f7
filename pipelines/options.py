"""`corpusforge build` options: the one place where the build's parameters are declared.

:class:`BuildOptions` is a Beam ``PipelineOptions`` subclass, so the same flags work on
every runner and in the Dataflow Flex Template (whose metadata.json a test checks against
this class). ``--config FILE.yaml`` supplies the same options from a file; flags given on
the command line win. :func:`build_config` turns the options into validated corpus configs.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from apache_beam.options.pipeline_options import PipelineOptions

from corpus.clean import CleanConfig
from corpus.clean.pii import PiiConfig
from corpus.config_file import read_config_mapping
from corpus.dedup.config import DedupConfig
from corpus.extract import ExtractConfig
from corpus.filters.ruleset import QualityConfig
from corpus.lang import LangConfig
from corpus.rejects import RejectSampleConfig
from corpus.shards.writer import ShardConfig
from corpus.sources import SourceConfig
from corpus.tokenizer.train import TokenizerConfig
from pipelines.beam_util import argument_adder
from pipelines.curate import CurateConfig

SKIPPABLE = ("clean", "quality", "lang", "dedup", "pii")
SHARD_FORMATS = ("arrow", "webdataset", "both")
URL_DEDUP = ("web", "all", "off")


class BuildOptions(PipelineOptions):
    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        add = argument_adder(parser)
        add("--input", action="append", default=None,
            help="Input glob, repeatable: .warc[.gz], .arc[.gz], .wet[.gz], MediaWiki .xml[.bz2] dumps, "
                 ".jsonl[.gz], .parquet, .txt[.gz]; local, gs:// or s3://.")
        add("--output_dir", default=None, help="Corpus directory to write (local, gs:// or s3://).")
        add("--overwrite", action="store_true", default=False,
            help="Rebuild over an existing corpus directory (its manifest is removed first).")
        add("--languages", default="all", help="Comma-separated language codes to keep, or 'all' to keep "
            "every language and only label it.")
        add("--min_lang_score", type=float, default=0.65, help="Minimum language-ID score to keep a document.")
        add("--html_extractor", default="hybrid", help="HTML extractor: hybrid, resiliparse or trafilatura.")
        add("--url_dedup", default="web", help="Which documents are deduplicated by URL (newest capture wins): "
            "web (WARC/ARC/WET captures; rows of JSONL/Parquet/text that share a url are different documents, "
            "deduplicated by text only), all, or off.")
        add("--dedup_threshold", type=float, default=0.8, help="Jaccard threshold of near-duplicate detection.")
        add("--num_perm", type=int, default=128, help="MinHash permutations.")
        add("--dedup_ngram", type=int, default=5, help="Words (or characters in scripts without spaces) "
            "per MinHash shingle.")
        add("--dedup_against", action="append", default=None,
            help="A corpus directory built earlier (repeatable): new documents it already holds, exactly or as "
                 "near duplicates, are dropped as dedup:previous. Its signature parameters must match.")
        add("--dedup_cc_rounds", type=int, default=8, help="Rounds of large-star/small-star when clustering "
            "near duplicates; if more were needed, the edges left are finished with union-find on one worker.")
        add("--vocab_size", type=int, default=32000, help="Vocabulary size of the trained tokenizer.")
        add("--tokenizer_type", default="bpe", help="sentencepiece model type: bpe (default: its Hugging Face export "
            "gives identical ids) or unigram (identical on short texts; see docs/benchmarks.md).")
        add("--tokenizer", default=None, help="Existing sentencepiece model to use instead of training one.")
        add("--shard_format", default="arrow", help="arrow, webdataset or both.")
        add("--shard_bytes", type=int, default=256 * 1024 * 1024, help="Upper bound of a shard's size in bytes.")
        add("--keep_text", action="store_true", default=False, help="Store document text in the shards.")
        add("--validation_fraction", type=float, default=0.005,
            help="Fraction of documents in the validation split (by a hash of the document id).")
        add("--skip", default="", help="Comma-separated stages to switch off: clean, quality, lang, dedup, pii.")
        add("--reject_sample_rate", type=float, default=0.01,
            help="Fraction of dropped documents, per reason, kept under rejected/ for the report.")
        add("--config", default=None, help="YAML file with any of these options (flags given here win).")


def expand_config_file(argv: list[str]) -> list[str]:
    """Replace ``--config FILE`` by the flags it holds, placed first so that later flags win."""
    argv = list(argv)
    path = None
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            path = argv[i + 1]
            del argv[i:i + 2]
            break
        if arg.startswith("--config="):
            path = arg.split("=", 1)[1]
            del argv[i]
            break
    if path is None:
        return argv
    values = read_config_mapping(path)
    flags: list[str] = []
    for key, value in values.items():
        flag = f"--{str(key).lstrip('-')}"
        if isinstance(value, bool):
            flags += [flag] if value else []
        elif isinstance(value, list):
            for v in value:
                flags += [flag, str(v)]
        elif value is not None:
            flags += [flag, str(value)]
    return flags + argv


@dataclass(frozen=True)
class BuildConfig:
    inputs: tuple[str, ...]
    output_dir: str
    overwrite: bool
    curate: CurateConfig
    tokenizer: TokenizerConfig
    tokenizer_path: str | None
    shards: ShardConfig
    keep_text: bool
    rejects: RejectSampleConfig
    skip: tuple[str, ...]
    dedup_against: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The build configuration recorded in the manifest and the report (JSON-ready)."""
        curate = self.curate
        return {
            "inputs": list(self.inputs),
            "skip": list(self.skip),
            "html_extractor": curate.extract.html_method,
            "languages": "all" if curate.lang is None or curate.lang.languages == "all"
            else list(curate.lang.languages),
            "min_lang_score": None if curate.lang is None else curate.lang.min_score,
            "dedup": None if curate.dedup is None else curate.dedup.as_dict(),
            "dedup_against": list(self.dedup_against),
            "tokenizer": self.tokenizer_path or dataclasses.asdict(self.tokenizer),
            "keep_text": self.keep_text,
            "reject_sample_rate": self.rejects.rate,
        }


def _fail(option: str, message: str) -> None:
    raise ValueError(f"--{option}: {message}")


def build_config(opts: BuildOptions) -> BuildConfig:
    """Validated configs from the options; errors name the option."""
    if not opts.input:
        _fail("input", "give at least one input glob")
    if not opts.output_dir:
        _fail("output_dir", "is required")
    skip = tuple(s.strip() for s in (opts.skip or "").split(",") if s.strip())
    unknown = [s for s in skip if s not in SKIPPABLE]
    if unknown:
        _fail("skip", f"unknown stage(s) {unknown}; choose from {', '.join(SKIPPABLE)}")
    if opts.dedup_against and "dedup" in skip:
        _fail("dedup_against", "cannot be used with --skip dedup")
    if opts.url_dedup not in URL_DEDUP:
        _fail("url_dedup", f"must be one of {URL_DEDUP}, got {opts.url_dedup!r}")
    if opts.shard_format not in SHARD_FORMATS:
        _fail("shard_format", f"must be one of {SHARD_FORMATS}, got {opts.shard_format!r}")
    languages: Any = "all" if opts.languages.strip() == "all" else tuple(
        code.strip() for code in opts.languages.split(",") if code.strip())
    try:
        curate = CurateConfig(
            sources=SourceConfig(),
            extract=ExtractConfig(html_method=opts.html_extractor),
            clean=None if "clean" in skip else CleanConfig(pii=None if "pii" in skip else PiiConfig()),
            lang=None if "lang" in skip else LangConfig(languages=languages, min_score=opts.min_lang_score),
            quality=None if "quality" in skip else QualityConfig(),
            dedup=None if "dedup" in skip else DedupConfig(
                url=opts.url_dedup != "off", url_scope="all" if opts.url_dedup == "all" else "web",
                threshold=opts.dedup_threshold, num_perm=opts.num_perm, ngram=opts.dedup_ngram,
                cc_rounds=opts.dedup_cc_rounds),
            dedup_against=tuple(d.rstrip("/") for d in (opts.dedup_against or ())),
        )
        formats = ("arrow", "webdataset") if opts.shard_format == "both" else (opts.shard_format,)
        shards = ShardConfig(formats=formats, shard_bytes=opts.shard_bytes, keep_text=opts.keep_text,
                             validation_fraction=opts.validation_fraction)
        tokenizer = TokenizerConfig(model_type=opts.tokenizer_type, vocab_size=opts.vocab_size)
        rejects = RejectSampleConfig(rate=opts.reject_sample_rate)
    except ValueError as e:
        raise ValueError(f"invalid build options: {e}") from e
    return BuildConfig(inputs=tuple(opts.input), output_dir=opts.output_dir.rstrip("/"), overwrite=opts.overwrite,
                       curate=curate, tokenizer=tokenizer, tokenizer_path=opts.tokenizer, shards=shards,
                       keep_text=opts.keep_text, rejects=rejects, skip=skip,
                       dedup_against=curate.dedup_against)
