"""manifest.json: what a corpus directory holds, written last so its presence means complete.

Two builds of the same input give the same manifest apart from ``created``. Every path in it
is relative (posix) to the corpus directory, so a corpus can be copied anywhere and read.
Loading validates every field and names the one that is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from corpus.shards.files import LOCAL_FILES, FileOps, join, temp_path
from corpus.shards.split import SPLITS

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
SHARD_FORMATS = ("arrow", "webdataset")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class ManifestError(ValueError):
    """A manifest that cannot be trusted; the message names the field."""


def check_relative_path(path: str, field_name: str) -> None:
    """Refuse absolute paths, backslashes and ``..``: a corpus must not point outside itself."""
    if not isinstance(path, str) or not path:
        raise ManifestError(f"{field_name} must be a non-empty relative path, got {path!r}")
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or re.match(r"^[A-Za-z]:", path) or ".." in parts or "" in parts:
        raise ManifestError(f"{field_name}: {path!r} is not a relative posix path inside the corpus directory")


def _require(cond: bool, field_name: str, expected: str, value: Any) -> None:
    if not cond:
        raise ManifestError(f"manifest field {field_name!r} must be {expected}, got {value!r}")


def _count(d: Mapping, key: str, where: str) -> int:
    value = d.get(key)
    _require(isinstance(value, int) and not isinstance(value, bool) and value >= 0,
             f"{where}.{key}", "a non-negative int", value)
    return value


def _text(d: Mapping, key: str, where: str) -> str:
    value = d.get(key)
    _require(isinstance(value, str) and value != "", f"{where}.{key}", "a non-empty string", value)
    return value


_ENTRY_FIELDS = ("path", "format", "num_documents", "num_tokens", "bytes", "sha256")


def _check_entry(d: Mapping, where: str) -> None:
    check_relative_path(d.get("path"), f"{where}.path")
    _require(d.get("format") in SHARD_FORMATS, f"{where}.format", f"one of {SHARD_FORMATS}", d.get("format"))
    for key in ("num_documents", "num_tokens", "bytes"):
        _count(d, key, where)
    sha = d.get("sha256")
    _require(isinstance(sha, str) and bool(_SHA256_RE.match(sha)), f"{where}.sha256", "64 lowercase hex digits",
             sha)


@dataclass(frozen=True)
class ShardEntry:
    """One shard file: where it is, what it holds, and how to check it."""

    path: str
    format: str
    num_documents: int
    num_tokens: int
    bytes: int
    sha256: str

    def __post_init__(self) -> None:
        _check_entry(self.__dict__, "shard")

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "num_documents": self.num_documents,
                "num_tokens": self.num_tokens, "bytes": self.bytes, "sha256": self.sha256}

    @classmethod
    def from_dict(cls, d: Any, where: str = "shard") -> ShardEntry:
        _require(isinstance(d, Mapping), where, "an object", d)
        _check_entry(d, where)
        return cls(**{key: d[key] for key in _ENTRY_FIELDS})


@dataclass(frozen=True)
class FileEntry:
    """A file that belongs to the corpus beside its shards (the dedup index): path, size, checksum."""

    path: str
    num_records: int
    bytes: int
    sha256: str

    def __post_init__(self) -> None:
        check_relative_path(self.path, "file.path")
        for key in ("num_records", "bytes"):
            _count(self.__dict__, key, "file")
        _require(isinstance(self.sha256, str) and bool(_SHA256_RE.match(self.sha256)), "file.sha256",
                 "64 lowercase hex digits", self.sha256)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "num_records": self.num_records, "bytes": self.bytes, "sha256": self.sha256}

    @classmethod
    def from_dict(cls, d: Any, where: str = "file") -> FileEntry:
        _require(isinstance(d, Mapping), where, "an object", d)
        check_relative_path(d.get("path"), f"{where}.path")
        for key in ("num_records", "bytes"):
            _count(d, key, where)
        return cls(path=d["path"], num_records=d["num_records"], bytes=d["bytes"], sha256=d.get("sha256"))


@dataclass(frozen=True)
class DedupIndexInfo:
    """The MinHash signatures of the kept documents (``dedup/``), for a later ``--dedup_against``."""

    parameters: Mapping[str, Any]
    files: tuple[FileEntry, ...]

    def __post_init__(self) -> None:
        _require(isinstance(self.parameters, Mapping), "dedup_index.parameters", "an object", self.parameters)
        object.__setattr__(self, "parameters", _canonical(dict(self.parameters), "dedup_index.parameters"))
        object.__setattr__(self, "files", tuple(sorted(self.files, key=lambda e: e.path)))
        for i, e in enumerate(self.files):
            _require(isinstance(e, FileEntry), f"dedup_index.files[{i}]", "a FileEntry", e)

    @property
    def num_records(self) -> int:
        return sum(e.num_records for e in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {"parameters": self.parameters, "num_records": self.num_records,
                "files": [e.to_dict() for e in self.files]}

    @classmethod
    def from_dict(cls, d: Any) -> DedupIndexInfo:
        _require(isinstance(d, Mapping), "dedup_index", "an object", d)
        files = d.get("files")
        _require(isinstance(files, list), "dedup_index.files", "a list", files)
        return cls(parameters=d.get("parameters"),
                   files=tuple(FileEntry.from_dict(e, f"dedup_index.files[{i}]") for i, e in enumerate(files)))


@dataclass(frozen=True)
class TokenizerInfo:
    """The tokenizer the token ids belong to; ``path`` is relative to the corpus directory."""

    path: str
    vocab_size: int
    sha256: str
    special_tokens: Mapping[str, int]
    model_type: str

    def __post_init__(self) -> None:
        check_relative_path(self.path, "tokenizer.path")
        _require(isinstance(self.vocab_size, int) and self.vocab_size > 0, "tokenizer.vocab_size",
                 "a positive int", self.vocab_size)
        _require(isinstance(self.sha256, str) and bool(_SHA256_RE.match(self.sha256)), "tokenizer.sha256",
                 "64 lowercase hex digits", self.sha256)
        _require(isinstance(self.special_tokens, Mapping), "tokenizer.special_tokens", "an object",
                 self.special_tokens)
        for name, token_id in self.special_tokens.items():
            _require(isinstance(token_id, int) and 0 <= token_id < self.vocab_size,
                     f"tokenizer.special_tokens.{name}", f"an id in [0, {self.vocab_size})", token_id)
        _require(isinstance(self.model_type, str) and self.model_type != "", "tokenizer.model_type",
                 "a non-empty string", self.model_type)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "vocab_size": self.vocab_size, "sha256": self.sha256,
                "special_tokens": dict(sorted(self.special_tokens.items())), "model_type": self.model_type}

    @classmethod
    def from_dict(cls, d: Any) -> TokenizerInfo:
        _require(isinstance(d, Mapping), "tokenizer", "an object", d)
        return cls(path=d.get("path"), vocab_size=d.get("vocab_size"), sha256=d.get("sha256"),
                   special_tokens=d.get("special_tokens"), model_type=d.get("model_type"))


def _totals(entries) -> dict[str, int]:
    """Files and bytes over every shard; documents and tokens once (formats hold the same documents)."""
    one_format = [e for e in entries if e.format == entries[0].format] if entries else []
    return {"num_shards": len(entries), "num_documents": sum(e.num_documents for e in one_format),
            "num_tokens": sum(e.num_tokens for e in one_format), "bytes": sum(e.bytes for e in entries)}


def _canonical(value: Any, where: str) -> Any:
    """The build config as plain JSON with sorted keys, so equal configs serialise equally."""
    try:
        return json.loads(json.dumps(value, sort_keys=True, allow_nan=False))
    except (TypeError, ValueError) as e:
        raise ManifestError(f"manifest field {where!r} must be JSON-serialisable: {e}") from None


@dataclass(frozen=True)
class Manifest:
    """``splits`` maps each split to its shards (of one or several formats), in reading order.

    A build in which no document survived is a finished, *empty* corpus: no shards and no tokenizer
    (``tokenizer`` is None, ``is_empty`` is True); its report says why everything was dropped.
    """

    tokenizer: TokenizerInfo | None
    splits: Mapping[str, tuple[ShardEntry, ...]]
    build: Mapping[str, Any] = field(default_factory=dict)
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    format_version: int = FORMAT_VERSION
    dedup_index: DedupIndexInfo | None = None

    def __post_init__(self) -> None:
        _require(self.format_version == FORMAT_VERSION, "format_version", str(FORMAT_VERSION),
                 self.format_version)
        _require(isinstance(self.created, str) and self.created != "", "created", "a timestamp string",
                 self.created)
        _require(isinstance(self.splits, Mapping) and set(self.splits) == set(SPLITS), "splits",
                 f"an object with exactly the keys {list(SPLITS)}", self.splits)
        object.__setattr__(self, "splits", {s: tuple(self.splits[s]) for s in SPLITS})
        if self.tokenizer is None:
            _require(self.is_empty, "tokenizer", "a TokenizerInfo (the corpus has shards)", None)
        else:
            _require(isinstance(self.tokenizer, TokenizerInfo), "tokenizer", "a TokenizerInfo or null",
                     self.tokenizer)
        _require(self.dedup_index is None or isinstance(self.dedup_index, DedupIndexInfo), "dedup_index",
                 "a DedupIndexInfo or null", self.dedup_index)
        object.__setattr__(self, "build", _canonical(dict(self.build), "build"))
        seen: set[str] = set()
        for split, entries in self.splits.items():
            per_format: dict[str, tuple[int, int]] = {}
            for i, e in enumerate(entries):
                _require(isinstance(e, ShardEntry), f"splits.{split}.shards[{i}]", "a ShardEntry", e)
                _require(e.path not in seen, f"splits.{split}.shards[{i}].path", "unique", e.path)
                seen.add(e.path)
                docs, toks = per_format.get(e.format, (0, 0))
                per_format[e.format] = (docs + e.num_documents, toks + e.num_tokens)
            # Several formats hold the same documents: their counts must agree.
            _require(len(set(per_format.values())) <= 1, f"splits.{split}",
                     "the same documents and tokens in every format", per_format)

    @property
    def is_empty(self) -> bool:
        """True when no document survived the build (no shards in any split)."""
        return not any(self.splits[s] for s in SPLITS)

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(f for f in SHARD_FORMATS if any(e.format == f for es in self.splits.values() for e in es))

    def totals(self) -> dict[str, int]:
        per_split = [_totals(self.splits[s]) for s in SPLITS]
        return {key: sum(t[key] for t in per_split) for key in per_split[0]}

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "created": self.created,
            "empty": self.is_empty,
            "tokenizer": None if self.tokenizer is None else self.tokenizer.to_dict(),
            "splits": {s: {**_totals(self.splits[s]), "shards": [e.to_dict() for e in self.splits[s]]}
                       for s in SPLITS},
            "totals": self.totals(),
            "dedup_index": None if self.dedup_index is None else self.dedup_index.to_dict(),
            "build": self.build,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, d: Any) -> Manifest:
        _require(isinstance(d, Mapping), "(top level)", "an object", type(d).__name__)
        for key in ("format_version", "created", "tokenizer", "splits", "totals", "build"):
            if key not in d:
                raise ManifestError(f"manifest field {key!r} is missing")
        splits_in = d["splits"]
        _require(isinstance(splits_in, Mapping) and set(splits_in) == set(SPLITS), "splits",
                 f"an object with exactly the keys {list(SPLITS)}", splits_in)
        splits = {}
        for s in SPLITS:
            shards = splits_in[s].get("shards") if isinstance(splits_in[s], Mapping) else None
            _require(isinstance(shards, list), f"splits.{s}.shards", "a list", shards)
            splits[s] = tuple(ShardEntry.from_dict(e, f"splits.{s}.shards[{i}]") for i, e in enumerate(shards))
        _require(isinstance(d["build"], Mapping), "build", "an object", d["build"])
        tokenizer = None if d["tokenizer"] is None else TokenizerInfo.from_dict(d["tokenizer"])
        dedup_index = None if d.get("dedup_index") is None else DedupIndexInfo.from_dict(d["dedup_index"])
        manifest = cls(tokenizer=tokenizer, splits=splits, build=d["build"], created=d["created"],
                       format_version=d["format_version"], dedup_index=dedup_index)
        if "empty" in d:
            _require(d["empty"] is manifest.is_empty, "empty", f"{manifest.is_empty} (no shards in any split)",
                     d["empty"])
        if dedup_index is not None:
            _require(d["dedup_index"].get("num_records") == dedup_index.num_records, "dedup_index.num_records",
                     f"{dedup_index.num_records} (the sum over its files)", d["dedup_index"].get("num_records"))
        for s in SPLITS:
            for key, value in _totals(splits[s]).items():
                _require(splits_in[s].get(key) == value, f"splits.{s}.{key}",
                         f"{value} (the sum over its shards)", splits_in[s].get(key))
        _require(d["totals"] == manifest.totals(), "totals", f"{manifest.totals()} (the sum over all shards)",
                 d["totals"])
        return manifest

    @classmethod
    def from_json(cls, text: str, source: str = MANIFEST_NAME) -> Manifest:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ManifestError(f"{source}: not valid JSON: {e}") from None
        try:
            return cls.from_dict(data)
        except ManifestError as e:
            raise ManifestError(f"{source}: {e}") from None


def write_manifest(corpus_dir: str, manifest: Manifest, files: FileOps = LOCAL_FILES) -> str:
    """Write ``manifest.json`` through a temporary name; call it after every shard is in place."""
    path = join(str(corpus_dir), MANIFEST_NAME)
    tmp = temp_path(path)
    with files.opener(tmp, "wb") as f:
        f.write(manifest.to_json().encode("utf-8"))
    files.rename(tmp, path)
    return path


def read_manifest(corpus_dir: str, files: FileOps = LOCAL_FILES) -> Manifest:
    path = join(str(corpus_dir), MANIFEST_NAME)
    with files.opener(path, "rb") as f:
        return Manifest.from_json(f.read().decode("utf-8"), source=path)
