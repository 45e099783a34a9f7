"""Documents/s per core of the cleaning + language + quality stage (issue 6).

    .venv/bin/python benchmarks/stages.py [--data ../shared/data] [--rounds 3]

Documents are read and extracted first (untimed), then each step is timed over the same
documents on one core, in one process, through the same ``run_stage`` the Beam wrapper uses.
Inputs: the sample corpus shipped in corpus/sample and the WARC files in ../shared/data.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus import Document, sample  # noqa: E402
from corpus.clean import CleanConfig, clean  # noqa: E402
from corpus.document import Verdict  # noqa: E402
from corpus.extract import ExtractConfig, extract  # noqa: E402
from corpus.filters.ruleset import QualityConfig, apply_quality  # noqa: E402
from corpus.lang import LangConfig, fasttext_lid, identify_language, langdetect_lid  # noqa: E402
from corpus.sources import read_path  # noqa: E402
from corpus.stage import run_stage  # noqa: E402

STEPS = [("clean", clean, CleanConfig()), ("language", identify_language, LangConfig()),
         ("quality", apply_quality, QualityConfig())]


def extracted(paths: list[str]) -> list[Document]:
    docs = []
    for path in paths:
        for r in read_path(path):
            if isinstance(r, Document):
                out = run_stage(extract, r, config=ExtractConfig())
                if isinstance(out, Document):
                    docs.append(out)
    return docs


def time_steps(docs: list[Document], rounds: int) -> dict[str, float]:
    """Best-of-rounds seconds per step, each step fed the previous step's survivors."""
    times = {}
    current = docs
    for name, fn, cfg in STEPS:
        best, survivors = float("inf"), []
        for _ in range(rounds):
            t = time.perf_counter()
            out = [run_stage(fn, d, config=cfg) for d in current]
            best = min(best, time.perf_counter() - t)
            survivors = [d for d in out if not isinstance(d, Verdict)]
        times[name] = (best, len(current))
        current = survivors
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    fasttext_lid.load_model()
    langdetect_lid.load_factory()
    inputs = {"sample corpus (corpus/sample)": [str(sample.WARC), str(sample.WIKI_DUMP), str(sample.JSONL)],
              "WARC samples (../shared/data)": [str(p) for p in sorted(Path(args.data).glob("*.warc.gz"))]}
    print("| input | documents | clean docs/s | language docs/s | quality docs/s | whole stage docs/s per core |")
    print("|---|---|---|---|---|---|")
    for name, paths in inputs.items():
        docs = extracted(paths)
        times = time_steps(docs, args.rounds)
        total = sum(t for t, _ in times.values())
        rates = [f"{n / t:,.0f}" if t else "-" for t, n in times.values()]
        print(f"| {name} | {len(docs)} | {' | '.join(rates)} | {len(docs) / total:,.0f} |")


if __name__ == "__main__":
    main()
