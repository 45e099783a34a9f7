"""`corpusforge report DIR [--open] [--json]`: a corpus directory's quality report in the terminal."""
from __future__ import annotations

import argparse
import json
import sys
import webbrowser
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from corpus.report.files import REPORT_HTML, read_report

TOP_REASONS = 10
EXIT_MISSING = 1
EXIT_ACCOUNTING_BROKEN = 3
TOP_LANGUAGES = 10


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric_from: int = 1) -> list[str]:
    """Plain aligned columns: text left, numbers right, readable in any terminal and in a log."""
    cells = [list(headers)] + [[f"{c:,}" if isinstance(c, int) else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if i >= numeric_from else c.ljust(w)
                         for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    return [line(cells[0]), line(["-" * w for w in widths])] + [line(r) for r in cells[1:]]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def summary(report: Mapping[str, Any], directory: str = "") -> str:
    """The terminal summary: funnel, top drop reasons, languages, tokens, accounting."""
    docs, acc = report["documents"], report["accounting"]
    dropped = docs["dropped"]
    out = [f"Quality report{f' of {directory}' if directory else ''} (built {report.get('created', '?')})",
           f"{docs['input']:,} documents in: {docs['kept']:,} kept ({_pct(docs['kept'], docs['input'])}), "
           f"{sum(dropped.values()):,} dropped, {docs['dead_letters']:,} dead letters", ""]
    out += ["Funnel"] + _table(["stage", "in", "out", "removed", "removed %"], [
        [s["name"] + (" (skipped)" if s["skipped"] else ""), s["in"], s["out"], s["in"] - s["out"],
         _pct(s["in"] - s["out"], s["in"])] for s in report["stages"]])
    reasons = list(dropped.items())
    out += ["", f"Top drop reasons ({len(reasons)} in all)"]
    out += _table(["reason", "documents", "% of input"],
                  [[r, n, _pct(n, docs["input"])] for r, n in reasons[:TOP_REASONS]]) if reasons else ["  none"]
    langs = list(report["languages"].items())
    out += ["", f"Languages ({len(langs)} in all)"]
    out += _table(["language", "documents", "% of kept"],
                  [[c, n, _pct(n, docs["kept"])] for c, n in langs[:TOP_LANGUAGES]]) if langs else ["  none"]
    out += ["", "Tokens"] + _table(["split", "documents", "tokens"],
                                   [[s, f["documents"], f["tokens"]] for s, f in report["tokens"].items()])
    mark = "OK" if acc["ok"] else "BROKEN"
    out += ["", f"Accounting {mark}: {acc['equation']}: {docs['input']:,} "
                f"{'==' if acc['ok'] else '!='} {docs['kept']:,} + {sum(dropped.values()):,} + "
                f"{docs['dead_letters']:,}"]
    return "\n".join(out) + "\n"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="corpusforge report",
        description="Summarise the quality report of a corpus directory written by `corpusforge build`.",
        epilog=f"Exit status: 0 when the accounting holds, {EXIT_ACCOUNTING_BROKEN} when it does not, "
               f"{EXIT_MISSING} when there is no report.")
    parser.add_argument("directory", metavar="DIR", help="the corpus directory (holding report/report.json)")
    parser.add_argument("--open", action="store_true", help=f"open {REPORT_HTML} in a web browser")
    parser.add_argument("--json", action="store_true", help="print report.json instead of the summary")
    return parser


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    stdout = stdout or sys.stdout
    try:
        report = read_report(args.directory)
    except (FileNotFoundError, ValueError) as e:
        print(f"corpusforge report: {e}", file=sys.stderr)
        return EXIT_MISSING
    if args.json:
        stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        stdout.write(summary(report, args.directory))
    if args.open:
        page = Path(args.directory, REPORT_HTML).resolve()
        if not page.is_file():
            print(f"corpusforge report: no page to open at {page}", file=sys.stderr)
            return EXIT_MISSING
        webbrowser.open(page.as_uri())
        stdout.write(f"opened {page}\n")
    return 0 if report["accounting"]["ok"] else EXIT_ACCOUNTING_BROKEN


if __name__ == "__main__":
    raise SystemExit(main())
