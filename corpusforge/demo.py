"""`corpusforge demo`: every stage that exists, run on the sample corpus shipped in the package.

Each stage prints what it did. Later stages are appended here as they land, so the demo
is always the shortest honest tour of what the system does today.
"""
from __future__ import annotations

import argparse
from collections import Counter

from corpus import sample


def _section(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 70 - len(title)))


def _table(rows: list[tuple], header: tuple) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in [header, *rows]:
        print("  " + "  ".join(str(x).ljust(w) for x, w in zip(row, widths)))


def show_sample() -> dict:
    """The sample corpus and its planted cases."""
    _section("sample corpus")
    planted = sample.load_planted()
    print(f"  {sample.DATA_DIR}")
    for name in sorted(planted["files"]):
        size = (sample.DATA_DIR / name).stat().st_size
        print(f"  {name:<32} {size:>9,} bytes  {planted['files'][name]}")
    kinds = Counter((c["file"], c["kind"], c["expect"]) for c in planted["cases"])
    _table([(f, k, e, n) for (f, k, e), n in sorted(kinds.items())], ("file", "planted kind", "expect", "cases"))
    return planted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="corpusforge demo", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    show_sample()
    print("\nStages that have not landed yet (see README status): reading, cleaning, filtering, dedup, "
          "tokenizing, shards, training.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
