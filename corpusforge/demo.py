"""`corpusforge demo`: every stage that exists, run on the sample corpus shipped in the package.

Each stage prints what it did. Later stages are appended here as they land, so the demo
is always the shortest honest tour of what the system does today.
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from corpus import sample

# Small enough for the sample corpus; large enough for its Chinese and Japanese characters.
DEMO_VOCAB_SIZE = 2000


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


def run_build(output_dir: Path) -> int:
    """`corpusforge build` on the sample corpus: every stage, the report, the manifest."""
    from pipelines import build

    _section("corpusforge build on the sample corpus (Apache Beam, DirectRunner)")
    inputs = [arg for path in sample.INPUTS for arg in ("--input", str(path))]
    return build.run([*inputs, "--output_dir", str(output_dir), "--overwrite", "--vocab_size", str(DEMO_VOCAB_SIZE)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="corpusforge demo", description=__doc__.splitlines()[0])
    parser.add_argument("--output_dir", default="out/demo", help="Where the demo corpus is built (default: out/demo).")
    args = parser.parse_args(argv)
    show_sample()
    code = run_build(Path(args.output_dir))
    if code == 0:
        print(f"\nOpen the quality report: {Path(args.output_dir).resolve() / 'report' / 'index.html'}"
              f"\nor summarise it again with: corpusforge report {args.output_dir}")
        print("\nNot in the demo yet (see README status): training and fine-tuning.")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
