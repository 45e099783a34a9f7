"""Frontier decisions between rounds, as plain functions the Beam pipeline wraps.

A URL is decided once in a crawl: the first round that finds it either logs why it is not
crawled (out of scope, too deep, over the page budget) or sends it to its host's queue. All
three functions are deterministic, so a resumed crawl takes the same decisions again.
"""
from __future__ import annotations

import hashlib
import math
import zlib
from collections.abc import Iterable, Iterator

from corpus.crawl.host import Candidate
from corpus.crawl.log import Entry
from corpus.crawl.urls import Scope, host_key, url_key

LOG, FRONTIER, KEY = "log", "frontier", "key"


def _skip(c: Candidate, reason: str) -> Entry:
    return Entry(url=c.url, host=host_key(c.url), depth=c.depth, outcome="skipped", reason=reason, via=c.via)


def decide(key: str, candidates: Iterable[Candidate], seen: bool, scope: Scope,
           max_depth: int) -> Iterator[tuple[str, object]]:
    """One URL key's candidates of a round → ``(KEY, key)`` and a ``(LOG, Entry)`` or ``(FRONTIER, Candidate)``.

    Nothing when an earlier round decided the key. Of several candidates (the URL found on
    several pages) the shallowest wins; seeds, and where they redirect, ignore the scope.
    """
    candidates = list(candidates)
    if seen or not candidates:
        return
    c = min(candidates, key=lambda c: (c.depth, not c.seed, c.redirects, c.url, c.via or ""))
    yield KEY, key
    if not c.seed and not scope.contains(c.url):
        yield LOG, _skip(c, "scope")
    elif c.depth > max_depth:
        yield LOG, _skip(c, "depth:max_depth")
    else:
        yield FRONTIER, c


def rank(c: Candidate) -> int:
    """A URL's place in the ``--max_pages`` queue: a 63-bit hash of its key, which spreads the
    budget over hosts (Beam's integer coder takes signed 64-bit values)."""
    return int.from_bytes(hashlib.sha1(url_key(c.url).encode()).digest()[:8], "big") >> 1


def within_budget(c: Candidate, smallest: list[int], used: int, max_pages: int) -> Iterator[tuple[str, object]]:
    """``(FRONTIER, c)`` if ``c`` is among the ``max_pages - used`` best-ranked URLs of its round
    (``smallest``: the round's smallest ranks, sorted), else a logged skip."""
    remaining = max_pages - used
    if remaining > 0 and (len(smallest) < remaining or rank(c) <= smallest[remaining - 1]):
        yield FRONTIER, c
    else:
        yield LOG, _skip(c, "budget:max_pages")


def merge_originals(acc: dict, items: Iterable[tuple[str, tuple[str, str, str]]]) -> dict:
    """digest → original record ``(uri, date, record_id)``; where two hosts stored the same payload
    in one round, the smaller wins, so every worker refers to the same one."""
    for digest, original in items:
        original = tuple(original)
        if digest not in acc or original < acc[digest]:
            acc[digest] = original
    return acc


def host_shard(host: str, hosts: int, threads: int) -> int:
    """Which worker batch a host's URLs of a round go to: about ``threads`` hosts per batch, so a
    worker keeps its fetch threads busy, and never a host in two batches (one thread per host)."""
    return zlib.crc32(host.encode()) % max(1, math.ceil(hosts / threads))
