"""`make bench`: every benchmark that needs only this project's environment, one after another.

    .venv/bin/python benchmarks/run_all.py [--only NAME ...] [--with-peers]

The inputs are the real data in ../shared/data (see its SOURCES.md). The comparisons with
datatrove (benchmarks/pipeline.py) and with MosaicML streaming and litdata (benchmarks/loader.py)
build their own virtual environments under benchmarks/ and take minutes; they run with --with-peers. Figures and their commands: docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data"

BENCHMARKS = [
    ("read_warc", ["read_warc.py", "--seconds", "1"]),
    ("extraction", ["extraction.py", "--rounds", "3"]),
    ("wikipedia", ["check_wikipedia.py", "--rounds", "1"]),
    ("ftfy", ["ftfy_wild.py", "--repeat", "1"]),
    ("langid", ["langid.py"]),
    ("filters", ["filters.py", "--seconds", "2"]),
    ("stages", ["stages.py", "--rounds", "1"]),
    ("dedup", ["dedup.py", "--quick"]),
    ("tokenize", ["tokenizer_speed.py", "--model", "bpe", "--rounds", "1"]),
    ("shards", ["shards_io.py"]),
    ("accounting", ["check_accounting.py"]),
    ("crawl", ["crawl.py", "--pages", "50,200"]),
]
PEERS = [("pipeline", ["pipeline.py", "--n", "128", "--files", "8"]), ("loader", ["loader.py", "--repeats", "1"])]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="names to run: " + ", ".join(n for n, _ in BENCHMARKS + PEERS))
    ap.add_argument("--with-peers", action="store_true", help="also the datatrove and loader comparisons (minutes)")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"benchmarks need the shared data at {DATA} (see README); not found", file=sys.stderr)
        return 2
    selected = BENCHMARKS + (PEERS if args.with_peers or args.only else [])
    if args.only:
        unknown = set(args.only) - {n for n, _ in selected}
        if unknown:
            print(f"unknown benchmark(s): {sorted(unknown)}", file=sys.stderr)
            return 2
        selected = [(n, c) for n, c in selected if n in args.only]
    failed = []
    for name, command in selected:
        print(f"\n==== {name}: python benchmarks/{' '.join(command)}", flush=True)
        t = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / command[0]), *command[1:]], cwd=HERE.parent)
        print(f"==== {name}: exit {code} in {time.perf_counter() - t:.0f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
