"""The contract every stage speaks: an immutable Document and a filter's Verdict.

Stages never mutate a Document; they return a new one with ``dataclasses.replace``
(or :meth:`Document.with_meta`), so a document seen by two branches of a pipeline
cannot change under either of them.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Reason codes look like ``gopher:symbol_ratio``: a rule family, a colon, a rule.
_REASON_RE = re.compile(r"^[a-z0-9_]+(:[a-z0-9_.\-]+)+$")

ID_DIGEST_BYTES = 16


def is_reason_code(reason: object) -> bool:
    """True for a reason code like ``gopher:symbol_ratio`` (family, colon, rule; lower case)."""
    return isinstance(reason, str) and bool(_REASON_RE.match(reason))


def make_doc_id(source: str, native_id: str) -> str:
    """A stable id: the same source and native id give the same id on every rerun.

    ``native_id`` is whatever identifies the record where it came from: a WARC
    record id, a Wikipedia page id, a JSONL ``id`` field, or ``path:line``.
    """
    if not source:
        raise ValueError("make_doc_id: source must be a non-empty string")
    if native_id is None or native_id == "":
        raise ValueError(f"make_doc_id: native_id must be non-empty (source={source!r})")
    h = hashlib.blake2b(digest_size=ID_DIGEST_BYTES)
    h.update(source.encode("utf-8"))
    h.update(b"\x00")
    h.update(str(native_id).encode("utf-8"))
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Document:
    """One text with its provenance.

    ``meta`` holds everything else a stage learns or a reader knows: language and
    score, WARC record id and offset, crawl date, title, page id, ...
    It takes no part in hashing so that a Document stays hashable.
    """

    id: str
    text: str
    source: str
    url: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"Document.id must be a non-empty str, got {self.id!r}")
        if not isinstance(self.text, str):
            raise TypeError(f"Document.text must be str, got {type(self.text).__name__} (id={self.id})")
        if not isinstance(self.source, str) or not self.source:
            raise ValueError(f"Document.source must be a non-empty str (id={self.id})")
        if not isinstance(self.url, str):
            raise TypeError(f"Document.url must be str, got {type(self.url).__name__} (id={self.id})")
        if not isinstance(self.meta, Mapping):
            raise TypeError(f"Document.meta must be a mapping, got {type(self.meta).__name__} (id={self.id})")

    @classmethod
    def create(cls, source: str, native_id: str, text: str, url: str = "",
               meta: Mapping[str, Any] | None = None) -> Document:
        """Build a Document whose id is derived from ``source`` and ``native_id``."""
        return cls(id=make_doc_id(source, native_id), text=text, source=source, url=url,
                   meta=dict(meta or {}))

    def with_text(self, text: str) -> Document:
        return dataclasses.replace(self, text=text)

    def with_meta(self, **updates: Any) -> Document:
        """A copy whose meta has ``updates`` merged in; this one is left as it was."""
        merged = dict(self.meta)
        merged.update(updates)
        return dataclasses.replace(self, meta=merged)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a filter decides: keep, or drop with one reason code."""

    keep: bool
    reason: str | None = None
    # What went wrong, for people (an extractor's exception): written beside the reason in rejected/,
    # never counted; reasons are the counted part.
    detail: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.keep and (self.reason is not None or self.detail is not None):
            raise ValueError(f"Verdict: a kept document has no reason, got {self.reason!r}")
        if not self.keep:
            if not is_reason_code(self.reason):
                raise ValueError(
                    f"Verdict: a drop needs a reason code like 'gopher:symbol_ratio', got {self.reason!r}")

    def __bool__(self) -> bool:
        return self.keep

    @staticmethod
    def drop(reason: str, detail: str | None = None) -> Verdict:
        return Verdict(False, reason, detail)


KEEP = Verdict(True)
