"""The crawl log: one JSON line per URL the crawl decided about, and the summary made from it.

``outcome`` is one of :data:`OUTCOMES`; ``reason`` says why a URL is not a plain, complete
2xx page (``robots:disallowed``, ``scope``, ``http:404``, ``fetch:read_timeout``,
``truncated:length``...), and is None only for those. The same entries, with the page's
outlinks, form each host's journal (``corpus.crawl.state``), which is what makes a crawl
resumable; :func:`summarize` turns a log into ``summary.json``.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# fetched: a response record was written; revisit: a revisit record (same payload as an earlier
# response); skipped: not requested, or its body not downloaded; failed: requested, no response.
OUTCOMES = ("fetched", "revisit", "skipped", "failed")


@dataclass(frozen=True)
class Entry:
    url: str
    host: str
    depth: int
    outcome: str
    reason: str | None = None
    status: int | None = None
    bytes: int = 0  # payload bytes stored in the WARC
    time: str | None = None  # when the request was sent (the record's WARC-Date)
    elapsed: float | None = None  # seconds the request took
    tries: int = 0
    ip: str | None = None
    content_type: str | None = None
    warc: str | None = None  # the file holding the record
    offset: int | None = None  # where the exchange (request, then response or revisit) starts
    length: int | None = None  # its bytes in the file
    record_id: str | None = None  # WARC-Record-ID of the response or revisit
    digest: str | None = None  # WARC-Payload-Digest
    refers_to: str | None = None  # a revisit's original record
    truncated: str | None = None  # WARC-Truncated
    location: str | None = None  # a redirect's target
    via: str | None = None  # the page the URL was found on, or that redirected to it
    links: int = 0  # links found on the page
    run: str | None = None  # the run that requested it (a resumed crawl replays earlier runs' entries)

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"Entry.outcome must be one of {OUTCOMES}, got {self.outcome!r}")
        if self.outcome in ("skipped", "failed") and not self.reason:
            raise ValueError(f"Entry.reason is required when outcome is {self.outcome!r} ({self.url})")

    def as_dict(self) -> dict[str, Any]:
        # Every field is a plain value: a shallow dict, without dataclasses.asdict's deep copies (hot path).
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entry:
        return cls(**{k: v for k, v in d.items() if k in _FIELDS})

    def sort_key(self) -> tuple:
        """Which of two entries for one URL the log keeps: the shallower, then the earlier run."""
        return (self.depth, self.run or "", self.time or "", self.outcome, self.reason or "")


_FIELDS = tuple(f.name for f in dataclasses.fields(Entry))


def summarize(entries: Iterable[Entry | dict[str, Any]]) -> dict[str, Any]:
    """Counts of a crawl log by outcome, reason and status; pages, bytes, hosts and WARC files."""
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    hosts: set[str] = set()
    warcs: set[str] = set()
    runs: set[str] = set()
    total_bytes = 0
    for e in entries:
        d = e.as_dict() if isinstance(e, Entry) else e
        outcomes[d["outcome"]] += 1
        if d.get("reason"):
            reasons[d["reason"]] += 1
        if d.get("status") is not None:
            statuses[str(d["status"])] += 1
        if d["outcome"] in ("fetched", "revisit"):
            hosts.add(d["host"])
            warcs.add(d["warc"])
            total_bytes += d.get("bytes") or 0
        if d.get("run"):
            runs.add(d["run"])
    return {
        "urls": sum(outcomes.values()),
        "pages": outcomes["fetched"] + outcomes["revisit"],
        "outcomes": {k: outcomes[k] for k in OUTCOMES},
        "reasons": dict(sorted(reasons.items())),
        "statuses": dict(sorted(statuses.items())),
        "payload_bytes": total_bytes,
        "hosts": len(hosts),
        "warc_files": sorted(warcs),
        "runs": sorted(runs),
    }


def format_summary(summary: dict[str, Any]) -> str:
    """A few lines for the terminal."""
    o = summary["outcomes"]
    lines = [f"  {summary['pages']:,} pages from {summary['hosts']} host(s) in {len(summary['warc_files'])} WARC "
             f"file(s), {summary['payload_bytes']:,} payload bytes; {summary['urls']:,} URLs in the log",
             f"  fetched {o['fetched']:,}  revisit {o['revisit']:,}  skipped {o['skipped']:,}  "
             f"failed {o['failed']:,}"]
    if summary["reasons"]:
        width = max(map(len, summary["reasons"]))
        lines.append("  reasons:")
        lines += [f"    {r:<{width}}  {n:,}" for r, n in summary["reasons"].items()]
    return "\n".join(lines)
