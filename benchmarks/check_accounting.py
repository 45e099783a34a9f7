"""Check the build's accounting on real input: every input record is kept, dropped, skipped or dead-lettered.

For each file, and for all of them in one build, this runs ``python -m pipelines.build`` (the
DirectRunner in multi-processing mode, as a user runs it) into a temporary directory, reads
``report/report.json`` and asserts, exactly:

* the input count equals a count made without the project's readers (warcio for WARC response
  records, ``xml.etree.iterparse`` for dump ``<page>`` elements), so a record the readers silently
  lose cannot hide;
* ``input == kept + dropped + skipped + dead letters`` (skipped: the reasons the read stage
  removes, e.g. ``wiki:redirect``; dropped: every later stage's reasons);
* the per-file inputs, skipped records and dead letters add up to those of the combined build
  (kept and dropped do not have to: dedup works across files).

Prints a table and exits 1 on any mismatch. Project tests never read ../shared/data; this is a script:

    .venv/bin/python benchmarks/check_accounting.py [FILE ...]
"""
from __future__ import annotations

import argparse
import bz2
import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path("/work/shared/data")
DEFAULT_FILES = (DATA / "cc-2020-34-sample.warc.gz", DATA / "enwiki-shortened.xml.bz2", DATA / "whirlwind.warc.gz")
COLUMNS = ("input (independent)", "input (report)", "kept", "dropped", "skipped", "dead letters", "ok")


def independent_count(path: Path) -> int:
    """Candidate records counted without corpus.sources: WARC/ARC responses, or dump pages."""
    name = path.name.lower()
    if name.endswith((".xml", ".xml.bz2")):
        opener = bz2.open if name.endswith(".bz2") else open
        pages = 0
        with opener(path, "rb") as f:
            for _, elem in ET.iterparse(f, events=("end",)):
                if elem.tag.rsplit("}", 1)[-1] == "page":
                    pages += 1
                    elem.clear()
        return pages
    if name.endswith((".warc", ".warc.gz")):
        from warcio.archiveiterator import ArchiveIterator

        with path.open("rb") as f:
            return sum(rec.rec_type == "response" for rec in ArchiveIterator(f))
    raise ValueError(f"{path}: no independent counter for this kind of file (WARC or MediaWiki dump)")


def run_build(inputs: list[Path], out_dir: Path) -> dict:
    """``python -m pipelines.build`` over ``inputs``; its report.json. Exits with its stderr on failure."""
    cmd = [sys.executable, "-m", "pipelines.build", *(a for p in inputs for a in ("--input", str(p))),
           "--output_dir", str(out_dir), "--languages", "all"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"build failed ({proc.returncode}) on {', '.join(p.name for p in inputs)}:\n{proc.stderr[-4000:]}")
    return json.loads((out_dir / "report" / "report.json").read_text(encoding="utf-8"))


def figures(report: dict, independent: int) -> dict:
    """The accounting of one report, skipped records separated from drops by the stage that removed them."""
    docs = report["documents"]
    stages = {s["name"]: s for s in report["stages"]}
    skipped = sum(stages["read"]["removed"].values())
    dropped = sum(docs["dropped"].values()) - skipped
    accounted = docs["kept"] + dropped + skipped + docs["dead_letters"]
    ok = independent == docs["input"] == accounted
    return {"input (independent)": independent, "input (report)": docs["input"], "kept": docs["kept"],
            "dropped": dropped, "skipped": skipped, "dead letters": docs["dead_letters"], "ok": ok}


def table(rows: dict[str, dict]) -> str:
    lines = ["| input | " + " | ".join(COLUMNS) + " |", "|---|" + "---:|" * len(COLUMNS)]
    for name, row in rows.items():
        lines.append(f"| {name} | " + " | ".join(str(row[c]) for c in COLUMNS) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        parser.error(f"no such file: {', '.join(missing)}")
    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="check-accounting-") as tmp:
        for i, path in enumerate(args.files):
            rows[path.name] = figures(run_build([path], Path(tmp) / f"file-{i}"), independent_count(path))
            print(f"{path.name}: {rows[path.name]}", file=sys.stderr, flush=True)
        total = figures(run_build(list(args.files), Path(tmp) / "all"), sum(r["input (independent)"]
                                                                            for r in rows.values()))
    per_file = {c: sum(r[c] for r in rows.values()) for c in ("input (report)", "skipped", "dead letters")}
    additive = all(per_file[c] == total[c] for c in per_file)
    rows["all files, one build"] = total
    print(table(rows))
    failures = [name for name, row in rows.items() if not row["ok"]]
    if failures:
        print(f"\nFAIL: the accounting does not hold for {', '.join(failures)}", file=sys.stderr)
    if not additive:
        print(f"\nFAIL: per-file sums {per_file} differ from the combined build "
              f"{ {c: total[c] for c in per_file} }", file=sys.stderr)
    if failures or not additive:
        return 1
    print("\nOK: input == kept + dropped + skipped + dead letters, per file and in total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
