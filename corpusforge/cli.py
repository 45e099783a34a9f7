"""`corpusforge SUBCOMMAND ...`: each subcommand is a module entry point of its engine.

`corpusforge build ...` runs exactly `python -m pipelines.build ...`, and so on. A
subcommand whose module has not been written yet says so and exits with status 2
instead of pretending to work.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass

from corpusforge import __version__


@dataclass(frozen=True)
class Subcommand:
    module: str
    function: str
    help: str


SUBCOMMANDS: dict[str, Subcommand] = {
    "crawl": Subcommand("pipelines.crawl", "main", "crawl web pages politely into WARC files"),
    "build": Subcommand("pipelines.build", "run", "build a corpus directory with Apache Beam"),
    "report": Subcommand("corpus.report.cli", "main", "summarise a corpus directory's quality report"),
    "train": Subcommand("training.pretrain", "main", "pretrain a model (MLM or causal LM) on a corpus"),
    "finetune": Subcommand("training.finetune", "main", "fine-tune a pretrained model for classification"),
    "demo": Subcommand("corpusforge.demo", "main", "run every available stage on the bundled sample corpus"),
}

EXIT_NOT_AVAILABLE = 2


def _usage() -> str:
    width = max(map(len, SUBCOMMANDS))
    lines = [f"usage: corpusforge {{{','.join(SUBCOMMANDS)}}} [options]", "", "subcommands:"]
    for name, sub in SUBCOMMANDS.items():
        mark = "" if is_available(name) else "  (not available yet)"
        lines.append(f"  {name:<{width}}  {sub.help}{mark}")
    lines += ["", "`corpusforge SUBCOMMAND --help` shows a subcommand's options."]
    return "\n".join(lines)


def is_available(name: str) -> bool:
    """True when the subcommand's module exists in this installation."""
    module = SUBCOMMANDS[name].module
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its parent package is missing
        return False


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(_usage())
        return 0 if argv else EXIT_NOT_AVAILABLE
    if argv[0] == "--version":
        print(f"corpusforge {__version__}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in SUBCOMMANDS:
        print(f"corpusforge: unknown subcommand {name!r}\n\n{_usage()}", file=sys.stderr)
        return EXIT_NOT_AVAILABLE
    if not is_available(name):
        sub = SUBCOMMANDS[name]
        print(f"corpusforge {name}: not available yet in this version "
              f"(its module {sub.module} has not landed). Nothing was done.", file=sys.stderr)
        return EXIT_NOT_AVAILABLE
    sub = SUBCOMMANDS[name]
    entry = getattr(importlib.import_module(sub.module), sub.function)
    result = entry(rest)
    return int(result or 0)


if __name__ == "__main__":
    raise SystemExit(main())
