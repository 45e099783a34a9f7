"""What a crawl keeps on disk to resume: per host, a journal, a small state file and a lock.

``OUT/state/HOST.journal.jsonl`` has one line per URL requested from the host (the crawl log
entry plus the page's outlinks and redirect hop), appended right after the WARC exchange it
describes is flushed. A restarted crawl replays these lines instead of fetching again, so it
fetches nothing twice and still follows every link it found. ``HOST.json`` holds the cached
robots.txt answers and when the next request may start; ``HOST.lock`` (``flock``) makes sure
one process works on a host at a time, also when a runner re-executes a step.

:func:`recover_host` turns what a killed crawl left behind into a consistent state: the
``.open`` WARC file is cut after the last exchange its journal recorded and renamed to its
final name (or removed when it holds none), and journal lines pointing past the end of a file
are dropped. The output directory must be a local or shared POSIX directory.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.crawl.log import Entry
from corpus.crawl.robots import RobotsRules
from corpus.crawl.writer import OPEN_SUFFIX, PREFIX, host_files

STATE_DIR = "state"


def state_dir(out_dir: Path) -> Path:
    d = Path(out_dir) / STATE_DIR
    d.mkdir(parents=True, exist_ok=True)
    return d


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@contextlib.contextmanager
def host_lock(out_dir: Path, slug: str) -> Iterator[None]:
    """Hold the host's lock (blocking); released when the process dies, too."""
    with open(state_dir(out_dir) / f"{slug}.lock", "a") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


@dataclass(frozen=True)
class JournalRecord:
    """One requested URL: its log entry, the links found on it, and its redirect hop (0 for a frontier URL)."""

    key: str
    entry: Entry
    outlinks: tuple[str, ...] = ()
    hop: int = 0
    ended_at: float = 0.0  # Unix time the request ended

    def to_json(self) -> str:
        return json.dumps({"key": self.key, "hop": self.hop, "ended_at": self.ended_at,
                           "outlinks": list(self.outlinks), "entry": self.entry.as_dict()},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> JournalRecord:
        d = json.loads(line)
        return cls(key=d["key"], entry=Entry.from_dict(d["entry"]), outlinks=tuple(d.get("outlinks", ())),
                   hop=int(d.get("hop", 0)), ended_at=float(d.get("ended_at", 0.0)))


class Journal:
    """A host's append-only journal."""

    def __init__(self, out_dir: Path, slug: str) -> None:
        self.path = state_dir(out_dir) / f"{slug}.journal.jsonl"
        self._f = None

    def load(self) -> dict[str, JournalRecord]:
        """Records by URL key; a last line cut short by a kill is ignored."""
        records: dict[str, JournalRecord] = {}
        if not self.path.exists():
            return records
        with open(self.path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                rec = JournalRecord.from_json(line)
            except (ValueError, KeyError, TypeError) as e:
                if i >= len(lines) - 2:  # the line being written when the process died
                    continue
                raise ValueError(f"{self.path}: line {i + 1} is not a journal record: {e}") from e
            records.setdefault(rec.key, rec)
        return records

    def append(self, record: JournalRecord) -> None:
        if self._f is None:
            self._f = open(self.path, "a", encoding="utf-8")
        self._f.write(record.to_json() + "\n")
        self._f.flush()

    def rewrite(self, records: list[JournalRecord]) -> None:
        self.close()
        _write_atomic(self.path, "".join(r.to_json() + "\n" for r in records))

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None


@dataclass
class HostState:
    """Cached robots.txt answers (by origin) and when the next request to the host may start."""

    robots: dict[str, RobotsRules] = field(default_factory=dict)
    next_at: float = 0.0

    @classmethod
    def load(cls, out_dir: Path, slug: str) -> HostState:
        path = state_dir(out_dir) / f"{slug}.json"
        if not path.exists():
            return cls()
        d = json.loads(path.read_text(encoding="utf-8"))
        return cls(robots={o: RobotsRules.from_dict(r) for o, r in d.get("robots", {}).items()},
                   next_at=float(d.get("next_at", 0.0)))

    def save(self, out_dir: Path, slug: str) -> None:
        d: dict[str, Any] = {"robots": {o: r.as_dict() for o, r in sorted(self.robots.items())},
                             "next_at": self.next_at}
        _write_atomic(state_dir(out_dir) / f"{slug}.json", json.dumps(d, indent=1, sort_keys=True))


def recover_host(out_dir: Path, slug: str) -> list[str]:
    """Salvage the host's ``.open`` WARC files after a kill (call with the host's lock held).

    Returns the names of the files made complete. Journal lines that point into bytes a file
    does not have (lost with the process) are removed, so those URLs are fetched again.
    """
    out_dir = Path(out_dir)
    open_files = [p for _, p in host_files(out_dir, slug) if p.name.endswith(OPEN_SUFFIX)]
    if not open_files:
        return []
    journal = Journal(out_dir, slug)
    records = list(journal.load().values())
    sizes = {p.name[: -len(OPEN_SUFFIX)]: p.stat().st_size for p in open_files}
    keep, ends = [], {}
    for rec in records:
        name, e = rec.entry.warc, rec.entry
        if name in sizes and e.record_id is not None:
            end = e.offset + e.length
            if end > sizes[name]:
                continue  # its bytes did not reach the file
            ends[name] = max(ends.get(name, 0), end)
        keep.append(rec)
    if len(keep) != len(records):
        journal.rewrite(keep)
    done = []
    for p in open_files:
        name = p.name[: -len(OPEN_SUFFIX)]
        if name not in ends:
            p.unlink()  # nothing in it that the journal knows of
            continue
        with open(p, "r+b") as f:
            f.truncate(ends[name])
            f.flush()
            os.fsync(f.fileno())
        os.replace(p, out_dir / name)
        done.append(name)
    return done


def open_file_slugs(out_dir: Path) -> set[str]:
    """Slugs of hosts that have ``.open`` WARC files (a crawl was killed while writing them)."""
    slugs = set()
    for p in Path(out_dir).glob(f"{PREFIX}-*.warc.gz{OPEN_SUFFIX}"):
        stem = p.name[len(PREFIX) + 1: -len(".warc.gz" + OPEN_SUFFIX)]
        slugs.add(stem.rsplit("-", 1)[0])
    return slugs


def recover_all(out_dir: Path) -> list[str]:
    """:func:`recover_host` for every host with ``.open`` files; the crawl's launcher calls it first."""
    done = []
    for slug in sorted(open_file_slugs(out_dir)):
        with host_lock(out_dir, slug):
            done += recover_host(out_dir, slug)
    return done
