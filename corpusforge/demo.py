"""`corpusforge demo`: every stage that exists, run on the sample corpus shipped in the package.

Each stage prints what it did. Later stages are appended here as they land, so the demo
is always the shortest honest tour of what the system does today.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

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


def run_curation(work_dir: Path) -> list[list]:
    """Read → extract → clean → language → quality → dedup on the sample, with Beam's DirectRunner."""
    import apache_beam as beam

    from pipelines.curate import STAGES, Curate, CurateConfig

    patterns = [str(sample.WARC), str(sample.WIKI_DUMP), str(sample.JSONL)]
    with beam.Pipeline() as p:
        res = p | Curate(patterns, CurateConfig())
        rows = [res.dropped | "Dropped" >> beam.Map(lambda dr: ["dropped", dr[1], dr[0].meta.get("language")]),
                res.skipped | "Skipped" >> beam.Map(lambda s: ["skipped", s.reason, None]),
                res.dead_letters | "Dead" >> beam.Map(lambda d: ["dead_letter", d.source, f"{d.path}@{d.offset}"]),
                res.kept | "Kept" >> beam.Map(lambda d: ["kept", d.meta.get("language"), d.source])]
        rows += [res.stage_outputs[name] | f"Out{name}" >> beam.Map(lambda d, n=name: ["stage", n, None])
                 for name in STAGES]
        (rows | beam.Flatten() | beam.Map(json.dumps)
         | beam.io.WriteToText(str(work_dir / "rows"), shard_name_template=""))
    return [json.loads(line) for line in (work_dir / "rows").read_text().splitlines()]


def show_curation(rows: list[list]) -> None:
    from pipelines.curate import STAGES

    _section("curation: read → extract → clean → language → quality → dedup (Apache Beam, DirectRunner)")
    read_in = sum(1 for r in rows if r[0] in ("kept", "dropped", "skipped", "dead_letter"))
    out = Counter(r[1] for r in rows if r[0] == "stage")
    prev = read_in
    stage_rows = []
    for name in STAGES:
        stage_rows.append((name, prev, out[name], prev - out[name]))
        prev = out[name]
    _table(stage_rows, ("stage", "in", "out", "removed"))
    reasons = Counter((r[0], r[1]) for r in rows if r[0] in ("dropped", "skipped", "dead_letter"))
    print()
    _table([(k, reason, n) for (k, reason), n in sorted(reasons.items())], ("outcome", "reason", "records"))
    kept = [r for r in rows if r[0] == "kept"]
    langs = Counter(r[1] for r in kept)
    print(f"\n  kept {len(kept)} documents; languages: " + ", ".join(f"{k} {v}" for k, v in langs.most_common()))
    total = len(kept) + sum(reasons.values())
    print(f"  accounting: input {read_in} = kept {len(kept)} + dropped/skipped/dead letters {sum(reasons.values())}"
          f" -> {'ok' if total == read_in else 'MISMATCH'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="corpusforge demo", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    show_sample()
    with tempfile.TemporaryDirectory(prefix="corpusforge-demo-") as tmp:
        show_curation(run_curation(Path(tmp)))
    print("\nNot in the demo yet (see README status): tokenizer and shards, the build command and its "
          "report, training.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
