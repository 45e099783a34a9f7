"""The quality report's figures: what a build must hand over, and ``report.json`` built from it.

The build gathers counts (Beam metrics, combines, the ``rejected/`` sample) and passes them
as one :class:`ReportInputs`; :func:`build_report` turns them into a plain, deterministic
dict that ``report.json`` stores and ``index.html`` and ``corpusforge report`` display.
Per-stage figures are *derived* from the drop reasons, not reported separately, so the
funnel cannot disagree with the reason table: stage k's out is stage k+1's in by
construction, and the accounting equation is the one place where the independently counted
kept documents meet the drops.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from corpus.document import is_reason_code
from corpus.report.histogram import histogram_from_counts

FORMAT_VERSION = 1
ACCOUNTING_EQUATION = "input == kept + sum(dropped) + dead_letters"

STAGES: tuple[str, ...] = ("read", "extract", "clean", "language", "quality", "dedup", "tokenize")

# Which stage drops a document under a reason family (the part before the first colon).
STAGE_OF_FAMILY: dict[str, str] = {
    **dict.fromkeys(("read", "warc", "arc", "wet", "wiki", "wikipedia", "jsonl", "parquet", "txt",
                     "text", "tabular"), "read"),
    **dict.fromkeys(("extract", "html", "wikitext"), "extract"),
    **dict.fromkeys(("clean", "lines", "unicode", "pii"), "clean"),
    "lang": "language",
    **dict.fromkeys(("gopher", "gopher_rep", "c4", "fineweb", "quality"), "quality"),
    "dedup": "dedup",
    **dict.fromkeys(("tokenize", "tokens", "shard"), "tokenize"),
}

TOP_DOMAINS = 20
KEPT_SAMPLES = 8
SAMPLES_PER_REASON = 3
DEAD_LETTER_EXAMPLES = 10
DEDUP_EXAMPLE_CLUSTERS = 5
EXCERPT_CHARS = 600



class AccountingError(ValueError):
    """The documents that went in do not equal the documents kept, dropped and dead-lettered."""


def _check_count(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"ReportInputs.{name} must be a non-negative int, got {value!r}")


def _check_counts(name: str, mapping: Any) -> None:
    if not isinstance(mapping, Mapping):
        raise ValueError(f"ReportInputs.{name} must be a mapping of str to count, got {type(mapping).__name__}")
    for key, n in mapping.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"ReportInputs.{name}: keys must be non-empty str, got {key!r}")
        _check_count(f"{name}[{key!r}]", n)


@dataclass(frozen=True)
class ReportInputs:
    """Everything the build hands to :func:`build_report`.

    Counts are documents. ``input_documents`` counts every record a reader produced
    (documents, skipped records and dead letters); ``kept_documents`` counts what the shard
    writers wrote, independently of the drops, so the accounting equation can fail.
    """

    input_documents: int
    kept_documents: int
    dead_letters: int
    # reason code -> documents dropped under it, reader skips included ("warc:non_html").
    dropped: Mapping[str, int]
    # split -> {"documents": n, "tokens": n}; documents over all splits == kept_documents.
    splits: Mapping[str, Mapping[str, int]]
    # Kept documents per language code / source kind / URL domain (see domain_of).
    languages: Mapping[str, int] = field(default_factory=dict)
    sources: Mapping[str, int] = field(default_factory=dict)
    domains: Mapping[str, int] = field(default_factory=dict)
    # The stats dict of pipelines.dedup.Deduplicate: parameters, clusters,
    # cluster_size_histogram {size: clusters}, examples [{survivor, size, members}].
    dedup: Mapping[str, Any] = field(default_factory=dict)
    # Sparse {bin: count} (or dense) over histogram.BINS, of kept documents.
    char_histogram: Mapping[int, int] | Sequence[int] = field(default_factory=dict)
    token_histogram: Mapping[int, int] | Sequence[int] = field(default_factory=dict)
    # Kept documents: dicts with id, url, language, source, text.
    kept_samples: Sequence[Mapping[str, Any]] = ()
    # Rows of rejected/ (corpus.rejects.reject_record): reason, id, source, url, language, chars, text.
    rejected_samples: Sequence[Mapping[str, Any]] = ()
    # DeadLetter.as_dict() rows: path, offset, error, source, ...
    dead_letter_examples: Sequence[Mapping[str, Any]] = ()
    # Stages switched off (--skip); their in equals their out.
    skipped_stages: Sequence[str] = ()
    # reason -> stage, for reasons whose family is not in STAGE_OF_FAMILY.
    stage_of_reason: Mapping[str, str] = field(default_factory=dict)
    # The build configuration, shown as is.
    config: Mapping[str, Any] = field(default_factory=dict)
    # ISO timestamp; now (UTC) when None. Tests pass one so the report is reproducible.
    created: str | None = None

    def __post_init__(self) -> None:
        for name in ("input_documents", "kept_documents", "dead_letters"):
            _check_count(name, getattr(self, name))
        for name in ("dropped", "languages", "sources", "domains"):
            _check_counts(name, getattr(self, name))
        for reason in self.dropped:
            if not is_reason_code(reason):
                raise ValueError(f"ReportInputs.dropped: {reason!r} is not a reason code like 'gopher:symbol_ratio'")
            self.stage_of(reason)  # raises for an unplaceable reason
        for stage in (*self.skipped_stages, *self.stage_of_reason.values()):
            if stage not in STAGES:
                raise ValueError(f"ReportInputs: unknown stage {stage!r}; stages are {', '.join(STAGES)}")
        if not isinstance(self.splits, Mapping):
            raise ValueError(f"ReportInputs.splits must be a mapping split -> counts, got {self.splits!r}")
        for split, figures in self.splits.items():
            if not isinstance(figures, Mapping) or set(figures) != {"documents", "tokens"}:
                raise ValueError(f"ReportInputs.splits[{split!r}] must have exactly 'documents' and 'tokens'")
            for key in ("documents", "tokens"):
                _check_count(f"splits[{split!r}][{key!r}]", figures[key])
        for name in ("splits", "languages", "sources"):
            values = getattr(self, name)
            total = (sum(f["documents"] for f in values.values()) if name == "splits"
                     else sum(values.values()))
            if values and total != self.kept_documents:
                raise ValueError(f"ReportInputs.{name}: documents add up to {total}, "
                                 f"but kept_documents is {self.kept_documents}")
        for name in ("char_histogram", "token_histogram"):
            total = sum(histogram_from_counts(getattr(self, name))["counts"])  # validates the bins too
            if total and total != self.kept_documents:
                raise ValueError(f"ReportInputs.{name}: counts add up to {total}, "
                                 f"but kept_documents is {self.kept_documents}")
        for i, row in enumerate(self.rejected_samples):
            missing = {"reason", "id", "text"} - set(row)
            if missing:
                raise ValueError(f"ReportInputs.rejected_samples[{i}] lacks {sorted(missing)}")
        if self.created is not None and not isinstance(self.created, str):
            raise ValueError(f"ReportInputs.created must be an ISO timestamp str, got {self.created!r}")

    def stage_of(self, reason: str) -> str:
        """The stage that drops documents under ``reason``."""
        if reason in self.stage_of_reason:
            return self.stage_of_reason[reason]
        family = reason.split(":", 1)[0]
        if family not in STAGE_OF_FAMILY:
            raise ValueError(f"ReportInputs.dropped: no stage known for reason {reason!r} (family {family!r}); "
                             f"pass it in stage_of_reason, e.g. {{{reason!r}: 'quality'}}")
        return STAGE_OF_FAMILY[family]


# --- helpers the build uses to gather inputs ---------------------------------------------------

def domain_of(url: str) -> str:
    """The host of ``url``, lower case, without ``www.``; ``""`` when there is none."""
    host = (urlsplit(url).hostname or "") if url else ""
    return host[4:] if host.startswith("www.") else host


def drops_from_counters(counters: Mapping[str, int]) -> tuple[dict[str, int], int]:
    """``(dropped, dead_letters)`` from counters named ``dropped:<reason>`` and ``dead_letter:<source>``."""
    dropped = {name[len("dropped:"):]: n for name, n in counters.items() if name.startswith("dropped:") and n}
    dead = sum(n for name, n in counters.items() if name.startswith("dead_letter:"))
    return dict(sorted(dropped.items())), dead


# --- building the report -----------------------------------------------------------------------

def _sorted_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Largest first, ties by name: the order a reader wants and a diff can rely on."""
    return {k: counts[k] for k in sorted(counts, key=lambda k: (-counts[k], k)) if counts[k]}


def _excerpt(text: str) -> tuple[str, bool]:
    return text[:EXCERPT_CHARS], len(text) > EXCERPT_CHARS


def _stages(inputs: ReportInputs) -> list[dict[str, Any]]:
    removed: dict[str, dict[str, int]] = {s: {} for s in STAGES}
    for reason, n in inputs.dropped.items():
        removed[inputs.stage_of(reason)][reason] = n
    rows, current = [], inputs.input_documents
    for stage in STAGES:
        dead = inputs.dead_letters if stage == "read" else 0
        out = current - sum(removed[stage].values()) - dead
        rows.append({"name": stage, "in": current, "out": out, "removed": _sorted_counts(removed[stage]),
                     "dead_letters": dead, "skipped": stage in inputs.skipped_stages})
        current = out
    return rows


def _dedup(inputs: ReportInputs) -> dict[str, Any]:
    stats = inputs.dedup
    hist = {str(k): v for k, v in sorted(stats.get("cluster_size_histogram", {}).items(),
                                         key=lambda kv: int(kv[0]))}
    examples = [{"survivor": ex["survivor"], "size": ex.get("size", len(ex["members"])),
                 "members": [{"id": m["id"], "url": m.get("url", ""), "first_line": m.get("first_line", "")}
                             for m in ex["members"]]}
                for ex in stats.get("examples", [])[:DEDUP_EXAMPLE_CLUSTERS]]
    return {
        "url_removed": inputs.dropped.get("dedup:url", 0),
        "exact_removed": inputs.dropped.get("dedup:exact", 0),
        "near_removed": inputs.dropped.get("dedup:near", 0),
        "clusters": stats.get("clusters", sum(hist.values())),
        "cluster_size_histogram": hist,
        "examples": examples,
        "parameters": dict(stats.get("parameters", {})),
    }


def _tokens(inputs: ReportInputs) -> dict[str, dict[str, int]]:
    out = {split: {"documents": f["documents"], "tokens": f["tokens"]} for split, f in sorted(inputs.splits.items())}
    out["total"] = {"documents": sum(f["documents"] for f in inputs.splits.values()),
                    "tokens": sum(f["tokens"] for f in inputs.splits.values())}
    return out


def _kept_samples(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    samples = []
    for row in sorted(rows, key=lambda r: r["id"])[:KEPT_SAMPLES]:
        text, truncated = _excerpt(row.get("text", ""))
        samples.append({"id": row["id"], "url": row.get("url", ""), "source": row.get("source", ""),
                        "language": row.get("language"), "chars": len(row.get("text", "")),
                        "text": text, "truncated": truncated})
    return samples


def _dropped_samples(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_reason: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_reason.setdefault(row["reason"], []).append(row)
    samples = {}
    for reason in sorted(by_reason):
        picked = []
        for row in sorted(by_reason[reason], key=lambda r: r["id"])[:SAMPLES_PER_REASON]:
            text, cut = _excerpt(row["text"])
            picked.append({"id": row["id"], "url": row.get("url", ""), "source": row.get("source", ""),
                           "language": row.get("language"), "chars": row.get("chars", len(row["text"])),
                           "text": text, "truncated": cut or bool(row.get("truncated", False))})
        samples[reason] = picked
    return samples


def _dead_letters(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    keyed = sorted(rows, key=lambda r: (str(r.get("path", "")), r.get("offset") or 0))
    return [{"path": r.get("path", ""), "offset": r.get("offset"), "error": r.get("error", ""),
             "source": r.get("source", "")} for r in keyed[:DEAD_LETTER_EXAMPLES]]


def accounting(input_documents: int, kept: int, dropped: Mapping[str, int], dead_letters: int) -> dict[str, Any]:
    accounted = kept + sum(dropped.values()) + dead_letters
    return {"ok": input_documents == accounted, "equation": ACCOUNTING_EQUATION,
            "input": input_documents, "accounted": accounted}


def build_report(inputs: ReportInputs) -> dict[str, Any]:
    """``report.json`` as a dict: JSON-serialisable, keys in a fixed order, lists sorted."""
    created = inputs.created or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    top_domains = [[d, n] for d, n in _sorted_counts(inputs.domains).items()][:TOP_DOMAINS]
    return {
        "format_version": FORMAT_VERSION,
        "created": created,
        "documents": {
            "input": inputs.input_documents,
            "kept": inputs.kept_documents,
            "dead_letters": inputs.dead_letters,
            "dropped": _sorted_counts(inputs.dropped),
        },
        "accounting": accounting(inputs.input_documents, inputs.kept_documents, inputs.dropped,
                                 inputs.dead_letters),
        "stages": _stages(inputs),
        "languages": _sorted_counts(inputs.languages),
        "sources": _sorted_counts(inputs.sources),
        "top_domains": top_domains,
        "dedup": _dedup(inputs),
        "tokens": _tokens(inputs),
        "histograms": {"document_chars": histogram_from_counts(inputs.char_histogram),
                       "document_tokens": histogram_from_counts(inputs.token_histogram)},
        "samples": {"kept": _kept_samples(inputs.kept_samples),
                    "dropped": _dropped_samples(inputs.rejected_samples)},
        "dead_letters": _dead_letters(inputs.dead_letter_examples),
        "config": dict(inputs.config),
    }


def check_accounting(report: Mapping[str, Any]) -> None:
    """Raise :class:`AccountingError` unless every document is kept, dropped or dead-lettered.

    It recomputes from ``documents`` rather than trusting ``accounting.ok``, and checks that
    the stages chain (out of one == in of the next, ending at the kept documents).
    """
    docs = report["documents"]
    acc = accounting(docs["input"], docs["kept"], docs["dropped"], docs["dead_letters"])
    if not acc["ok"]:
        dropped = sum(docs["dropped"].values())
        raise AccountingError(
            f"accounting does not hold: {ACCOUNTING_EQUATION} gives {docs['input']} != "
            f"{docs['kept']} + {dropped} + {docs['dead_letters']} = {acc['accounted']} "
            f"({docs['input'] - acc['accounted']:+d} documents unaccounted for)")
    stages = report["stages"]
    for prev, nxt in zip(stages, stages[1:]):
        if prev["out"] != nxt["in"]:
            raise AccountingError(f"stages do not chain: {prev['name']} out {prev['out']} != "
                                  f"{nxt['name']} in {nxt['in']}")
    if stages and (stages[0]["in"] != docs["input"] or stages[-1]["out"] != docs["kept"]):
        raise AccountingError(f"stages run from {stages[0]['in']} to {stages[-1]['out']} documents, "
                              f"but the report says input {docs['input']} and kept {docs['kept']}")
