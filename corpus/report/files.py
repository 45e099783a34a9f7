"""Where the report lives in a corpus directory, and writing it so a crash leaves no half file.

The build writes through Beam's filesystems (local, ``gs://``, ``s3://``), so
:func:`report_files` only encodes; :func:`write_report` is the local-disk writer that tools
and tests use, with the temporary-name-then-rename rule of the corpus directory.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from corpus.report.html import render_html

REPORT_DIR = "report"
REPORT_JSON = f"{REPORT_DIR}/report.json"
REPORT_HTML = f"{REPORT_DIR}/index.html"


def report_json(report: Mapping[str, Any]) -> str:
    """The exact text of ``report.json``: key order kept, so reruns give the same bytes."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def report_files(report: Mapping[str, Any]) -> dict[str, bytes]:
    """``{relative path: content}`` for the report files of a corpus directory."""
    return {REPORT_JSON: report_json(report).encode("utf-8"),
            REPORT_HTML: render_html(report).encode("utf-8")}


def write_report(output_dir: str | os.PathLike, report: Mapping[str, Any]) -> dict[str, Path]:
    """Write ``report/report.json`` and ``report/index.html`` under a local ``output_dir``."""
    written = {}
    for rel, data in report_files(report).items():
        path = Path(output_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        written[rel] = path
    return written


def read_report(output_dir: str | os.PathLike) -> dict[str, Any]:
    """``report/report.json`` of a corpus directory; FileNotFoundError says what is there instead."""
    path = Path(output_dir) / REPORT_JSON
    if not path.is_file():
        manifest = Path(output_dir) / "manifest.json"
        if not Path(output_dir).is_dir():
            raise FileNotFoundError(f"no quality report at {path}: the directory {output_dir} does not exist")
        state = ("manifest.json exists, so the build finished but wrote no report"
                 if manifest.is_file() else "there is no manifest.json either, so this is not a finished "
                 "corpus directory (the build did not run or did not complete)")
        raise FileNotFoundError(f"no quality report at {path}: {state}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: not valid JSON ({e})") from e
