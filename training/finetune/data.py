"""Labelled examples from CSV, TSV, JSONL or Parquet, with errors that name the file and line.

Why our own readers rather than ``datasets.load_dataset``: a labelled file is small, and what a user
needs from this layer is a message like ``train.csv:17: no field 'label'`` — the line of the bad
record — which the generic loaders do not give. The standard library's ``csv`` and ``json`` read
the text formats; pyarrow reads Parquet (where "line" is the 1-based row number).

Formats, recognised by name (``.gz`` allowed on the text formats):

* ``.csv``: a header row, RFC 4180 quoting; ``.tsv``: a header row, tab-separated, no quoting (quotes
  are text, as in GLUE's files). A row with more or fewer fields than the header is malformed.
* ``.jsonl`` / ``.json``: one JSON object per line; blank lines are skipped.
* ``.parquet``: one row per example.

Labels are read as strings (a JSON number ``1`` and a CSV ``1`` are the same label), then mapped
once to ids: sorted, numerically when every label is an integer, so the mapping does not depend on
which label happens to come first.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from training.finetune.config import InputError

FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".json": "jsonl", ".parquet": "parquet"}


class DataError(InputError):
    """Bad labelled input; the message starts with ``FILE:LINE:`` (or ``FILE:`` for the whole file)."""


@dataclass(frozen=True)
class Example:
    """One record: its text(s), its label (None when the file has none, e.g. for prediction), where it was."""

    text: str
    text_pair: str | None
    label: str | None
    path: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Fields:
    """Which field holds what; ``label=None`` reads no label."""

    text: str = "text"
    text_pair: str | None = None
    label: str | None = "label"


def file_format(path: str | Path) -> str:
    """``csv``, ``tsv``, ``jsonl`` or ``parquet`` from the file name."""
    name = Path(path).name.lower()
    stem = name[:-3] if name.endswith(".gz") else name
    suffix = Path(stem).suffix
    if suffix not in FORMATS or (name.endswith(".gz") and FORMATS[suffix] == "parquet"):
        raise DataError(f"{path}: unknown file type; expected one of .csv .tsv .jsonl .json .parquet "
                        f"(.gz allowed except for .parquet)")
    return FORMATS[suffix]


def read_records(path: str | Path) -> Iterator[tuple[int, dict]]:
    """``(line, record)`` pairs of a labelled file; a malformed record raises :class:`DataError`."""
    path = str(path)
    kind = file_format(path)
    if not Path(path).is_file():
        raise DataError(f"{path}: no such file")
    if kind == "parquet":
        yield from _parquet_records(path)
        return
    with _open_text(path) as f:
        if kind == "jsonl":
            yield from _jsonl_records(f, path)
        else:
            yield from _delimited_records(f, path, delimiter="," if kind == "csv" else "\t", quoted=kind == "csv")


def _open_text(path: str) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


def _jsonl_records(f: io.TextIOBase, path: str) -> Iterator[tuple[int, dict]]:
    try:
        for line_no, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise DataError(f"{path}:{line_no}: malformed line, not valid JSON ({err.msg} at column "
                                f"{err.colno})") from None
            if not isinstance(record, dict):
                raise DataError(f"{path}:{line_no}: malformed line, expected a JSON object, "
                                f"got {type(record).__name__}")
            yield line_no, record
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start} of a chunk)") from None


def _delimited_records(f: io.TextIOBase, path: str, *, delimiter: str, quoted: bool) -> Iterator[tuple[int, dict]]:
    reader = csv.reader(f, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE,
                        strict=quoted)
    start = 1
    try:
        header = next(reader, None)
        if header is None:
            return
        if len(set(header)) != len(header):
            dups = sorted(name for name, n in Counter(header).items() if n > 1)
            raise DataError(f"{path}:1: header names a column twice: {', '.join(dups)}")
        start = reader.line_num + 1
        for row in reader:
            if not row:  # a blank line
                start = reader.line_num + 1
                continue
            if len(row) != len(header):
                raise DataError(f"{path}:{start}: malformed line, {len(row)} fields where the header has "
                                f"{len(header)} ({', '.join(header)})")
            yield start, dict(zip(header, row))
            start = reader.line_num + 1
    except csv.Error as err:
        raise DataError(f"{path}:{start}: malformed line ({err})") from None
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 text ({err.reason})") from None


def _parquet_records(path: str) -> Iterator[tuple[int, dict]]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as err:  # pyarrow raises several types for a file that is not Parquet
        raise DataError(f"{path}: not a readable Parquet file ({type(err).__name__}: {err})") from None
    yield from enumerate(table.to_pylist(), start=1)


def _string(value, *, path: str, line: int, field: str, what: str) -> str:
    if value is None:
        raise DataError(f"{path}:{line}: field {field!r} ({what}) is empty (null)")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    if isinstance(value, str | float):
        return str(value)
    raise DataError(f"{path}:{line}: field {field!r} ({what}) must be a string or number, "
                    f"got {type(value).__name__}")


def read_examples(path: str | Path, fields: Fields, *, require_label: bool = True) -> list[Example]:
    """Every example of ``path``; a missing field, an empty label or an empty file raises :class:`DataError`."""
    path = str(path)
    examples = []
    wanted = [(fields.text, "text"), (fields.text_pair, "text pair")]
    if fields.label is not None:
        wanted.append((fields.label, "label"))
    for line, record in read_records(path):
        values = {}
        for name, what in wanted:
            if name is None:
                continue
            if name not in record:
                if what == "label" and not require_label:
                    continue
                have = ", ".join(sorted(map(str, record))) or "none"
                raise DataError(f"{path}:{line}: no field {name!r} ({what}); the record has: {have}")
            values[what] = _string(record[name], path=path, line=line, field=name, what=what)
        label = values.get("label")
        if label is not None and not label.strip():
            raise DataError(f"{path}:{line}: field {fields.label!r} (label) is an empty string")
        examples.append(Example(values["text"], values.get("text pair"), label, path, line))
    if not examples:
        raise DataError(f"{path}: empty file, no examples")
    return examples


def label_names(examples: Sequence[Example]) -> list[str]:
    """The labels of the training examples, sorted (numerically when all are integers)."""
    names = {e.label for e in examples}
    if None in names:
        raise DataError(f"{examples[0].path}: every training example needs a label")

    def is_int(s: str) -> bool:
        try:
            int(s)
        except ValueError:
            return False
        return True

    if all(is_int(n) for n in names):
        return sorted(names, key=lambda n: (int(n), n))
    return sorted(names)


def check_labels(examples: Sequence[Example], labels: Sequence[str], train_path: str) -> None:
    """Every labelled example's label occurs in training; the first that does not raises :class:`DataError`."""
    known = set(labels)
    for e in examples:
        if e.label is not None and e.label not in known:
            raise DataError(f"{e.where}: label {e.label!r} does not occur in the training data ({train_path}); "
                            f"training labels: {', '.join(labels)}")


def split_validation(examples: Sequence[Example], fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Hold out ``fraction`` of ``examples``, stratified by label, the same for the same seed and file.

    Each label's examples (in file order) are shuffled with their own seeded generator and the first
    ``round(fraction * n)`` are held out (at least one when the label has two or more examples), so a
    label keeps its share in both parts and the split does not move when another label's examples change.
    """
    by_label: dict[str | None, list[int]] = {}
    for i, e in enumerate(examples):
        by_label.setdefault(e.label, []).append(i)
    held: set[int] = set()
    for label, idx in sorted(by_label.items(), key=lambda kv: str(kv[0])):
        idx = list(idx)
        random.Random(f"{seed}:{label}").shuffle(idx)
        n = round(fraction * len(idx))
        if len(idx) >= 2:
            n = min(max(n, 1), len(idx) - 1)
        else:
            n = 0
        held.update(idx[:n])
    train = [e for i, e in enumerate(examples) if i not in held]
    validation = [e for i, e in enumerate(examples) if i in held]
    if not validation:
        raise DataError(f"{examples[0].path}: validation_fraction {fraction} holds out no example; "
                        f"give a larger fraction or a --validation file")
    return train, validation
