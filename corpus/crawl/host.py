"""One host's share of a crawl round, fetched sequentially and politely: the crawler's core loop.

For each URL, in a fixed order: already in the host's journal → replay it (its log entry,
links and digest) without a request; otherwise check the address, robots.txt (fetched once
and cached in the host's state), ``Crawl-delay`` and the per-host page budget, wait for the
host's turn, GET it (retrying 429/503 with bounded back-off), write the exchange to the WARC
(a revisit when the payload was already stored), journal it, and extract its links. A redirect
to the same host is followed at once through the same checks (at most ``max_redirects`` hops,
never to a URL of the same chain); one to another host becomes a link of the next round, so
that host's own queue, robots.txt and delay apply.

Everything runs under the host's lock, so a runner that executes a step twice (Beam's
DaskRunner does) or a crawl restarted after a kill only replays what is already written.
"""
from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from corpus.crawl.config import CrawlConfig
from corpus.crawl.fetch import Fetcher, FetchError, Response
from corpus.crawl.links import extract_links
from corpus.crawl.log import Entry
from corpus.crawl.politeness import HostClock, backoff_seconds, parse_retry_after
from corpus.crawl.robots import MAX_ROBOTS_BYTES, RobotsRules
from corpus.crawl.state import HostState, Journal, JournalRecord, host_lock, recover_host
from corpus.crawl.urls import BadUrl, host_key, host_slug, normalize_url, origin, url_key
from corpus.crawl.writer import HostWarcWriter, Original, payload_digest, warc_date

LOG, LINK, DIGEST = "log", "link", "digest"
TAGS = (LOG, LINK, DIGEST)
RETRY_STATUSES = (429, 503)


@dataclass(frozen=True)
class Candidate:
    """A URL to crawl: how deep it is, where it was found, and the redirect chain that led to it."""

    url: str
    depth: int
    via: str | None = None
    redirects: int = 0
    chain: tuple[str, ...] = ()  # URL keys of the redirect chain so far
    seed: bool = False  # a seed, or where a seed redirected to: fetched whatever the scope


@dataclass
class _Ctx:
    """The redirect chain being followed for one frontier URL."""

    depth: int
    via: str | None
    redirects: int
    chain: list[str]


class HostCrawler:
    """Crawls one host's candidates of one round; see the module docstring."""

    def __init__(self, config: CrawlConfig, out_dir: str | Path, host: str, run_id: str,
                 originals: Mapping[str, tuple[str, str, str]] | None = None,
                 fetcher_factory: Callable[[CrawlConfig], Fetcher] = Fetcher,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 warc_info: dict[str, str] | None = None) -> None:
        self.cfg, self.out, self.host, self.run_id = config, Path(out_dir), host, run_id
        self.slug = host_slug(host)
        self.originals = originals or {}
        self.fetcher_factory, self.now, self.sleep = fetcher_factory, clock, sleep
        self.warc_info = warc_info or {}
        self.token = config.robots_token

    # --- the batch ---------------------------------------------------------------------------

    def crawl(self, candidates: Iterable[Candidate]) -> list[tuple[str, object]]:
        """``(tag, value)`` events: ``log`` Entries, ``link`` Candidates, ``digest`` (digest, original)."""
        cfg = self.cfg
        events: list[tuple[str, object]] = []
        with host_lock(self.out, self.slug):
            recover_host(self.out, self.slug)
            self.journal = Journal(self.out, self.slug)
            self.done = self.journal.load()
            self.state = HostState.load(self.out, self.slug)
            last_end = max((r.ended_at for r in self.done.values()), default=0.0)
            self.clock = HostClock(delay=cfg.min_delay, next_at=max(self.state.next_at, last_end + cfg.min_delay),
                                   clock=self.now, sleep=self.sleep)
            self.local: dict[str, Original] = {}
            for rec in self.done.values():
                self._remember(rec.entry)
            self.requested = sum(1 for r in self.done.values() if r.hop == 0)
            self.fetcher = self.fetcher_factory(cfg)
            try:
                with HostWarcWriter(self.out, self.slug, cfg.warc_max_bytes,
                                    {**self.warc_info, "robots": "obey",
                                     "http-header-user-agent": cfg.user_agent}) as self.writer:
                    for cand in sorted(candidates, key=lambda c: (c.url, c.depth)):
                        events += self._crawl_one(cand)
            finally:
                self.fetcher.close()
                self.journal.close()
            self.state.next_at = self.clock.next_at
            self.state.save(self.out, self.slug)
        return events

    def _crawl_one(self, cand: Candidate) -> list[tuple[str, object]]:
        events: list[tuple[str, object]] = []
        ctx = _Ctx(cand.depth, cand.via, cand.redirects, list(cand.chain))
        url, hop = cand.url, 0
        while True:
            key = url_key(url)
            ctx.chain.append(key)
            rec = self.done.get(key)
            if rec is not None:
                events += self._events(rec)  # already requested: replay it
            else:
                if hop == 0 and self.cfg.max_pages_per_host and self.requested >= self.cfg.max_pages_per_host:
                    events.append((LOG, self._entry(url, ctx, "skipped", "budget:max_pages_per_host")))
                    return events
                rec, more = self._request(url, ctx, hop)
                events += more
                if rec is None:
                    return events
            target = rec.entry.location
            if target is None or rec.entry.reason in ("redirect:loop", "redirect:too_many"):
                return events
            ctx.redirects += 1
            if host_key(target) != self.host:
                events.append((LINK, Candidate(target, ctx.depth + 1, via=url, redirects=ctx.redirects,
                                               chain=tuple(ctx.chain), seed=cand.seed)))
                return events
            ctx.via, url, hop = url, target, hop + 1

    # --- one URL -----------------------------------------------------------------------------

    def _entry(self, url: str, ctx: _Ctx, outcome: str, reason: str | None, **kw) -> Entry:
        return Entry(url=url, host=self.host, depth=ctx.depth, outcome=outcome, reason=reason, via=ctx.via,
                     run=self.run_id, **kw)

    def _request(self, url: str, ctx: _Ctx, hop: int) -> tuple[JournalRecord | None, list]:
        cfg = self.cfg
        try:
            self.fetcher.resolve(url)
        except FetchError as e:  # not requested: nothing to journal, a restart checks again
            outcome = "skipped" if e.reason.startswith("private_address") else "failed"
            return None, [(LOG, self._entry(url, ctx, outcome, e.reason, ip=e.ip))]
        robots = self._robots(origin(url))
        if not robots.allowed(url, self.token):
            return None, [(LOG, self._entry(url, ctx, "skipped", robots.reason()))]
        delay = robots.crawl_delay(self.token)
        if delay is not None and delay > cfg.max_crawl_delay:
            return None, [(LOG, self._entry(url, ctx, "skipped", "robots:crawl_delay_too_long"))]
        if delay is not None:
            self.clock.slow_down(delay)
        if hop == 0:
            self.requested += 1
        resp, error, tries = self._fetch(url)
        if resp is None:
            entry = self._entry(url, ctx, "failed", error.reason, tries=tries, ip=error.ip,
                                time=warc_date(self.now()))
            return self._journal(url, entry, (), hop), [(LOG, entry)]
        common = dict(status=resp.status, time=warc_date(resp.started), elapsed=round(resp.elapsed, 4), tries=tries,
                      ip=resp.ip, content_type=resp.content_type)
        if resp.type_refused is not None:
            entry = self._entry(url, ctx, "skipped", f"content_type:{resp.type_refused}", **common)
            return self._journal(url, entry, (), hop), [(LOG, entry)]
        digest = payload_digest(resp.body)
        original = self._original(digest) if _dedupable(resp) else None
        written = self.writer.write(resp, digest, original)
        location, reason = self._verdict(resp, ctx)
        links = extract_links(resp.body, url, resp.content_type, cfg.max_links_per_page) \
            if 200 <= resp.status < 300 else []
        entry = self._entry(url, ctx, "revisit" if original else "fetched", reason, bytes=len(resp.body),
                            warc=written.warc, offset=written.offset, length=written.length,
                            record_id=written.record_id, digest=digest, truncated=resp.truncated,
                            refers_to=original.record_id if original else None, location=location,
                            links=len(links), **common)
        rec = self._journal(url, entry, tuple(links), hop)
        return rec, self._events(rec)

    def _verdict(self, resp: Response, ctx: _Ctx) -> tuple[str | None, str | None]:
        """The redirect target (normalised) and the entry's reason."""
        if resp.truncated:
            return None, f"truncated:{resp.truncated}"
        if 200 <= resp.status < 300:
            return None, None
        if not 300 <= resp.status < 400 or not resp.header("Location"):
            return None, f"http:{resp.status}"
        try:
            target = normalize_url(resp.header("Location"), base=resp.url)
        except BadUrl as e:
            return None, f"redirect:{e.reason.split(':', 1)[1]}"
        if url_key(target) in ctx.chain:
            return target, "redirect:loop"
        if ctx.redirects + 1 > self.cfg.max_redirects:
            return target, "redirect:too_many"
        return target, f"http:{resp.status}"

    def _journal(self, url: str, entry: Entry, outlinks: tuple[str, ...], hop: int) -> JournalRecord:
        rec = JournalRecord(key=url_key(url), entry=entry, outlinks=outlinks, hop=hop, ended_at=self.now())
        self.journal.append(rec)
        self.done[rec.key] = rec
        return rec

    def _events(self, rec: JournalRecord) -> list[tuple[str, object]]:
        e = rec.entry
        events: list[tuple[str, object]] = [(LOG, e)]
        events += [(LINK, Candidate(link, e.depth + 1, via=e.url)) for link in rec.outlinks]
        original = self._remember(e)
        if original is not None:
            events.append((DIGEST, (e.digest, (original.uri, original.date, original.record_id))))
        return events

    # --- digests, robots, fetching -----------------------------------------------------------

    def _remember(self, e: Entry) -> Original | None:
        """Note a stored full payload as the original of later identical ones; returns it."""
        if e.outcome != "fetched" or e.status != 200 or e.truncated or not e.bytes or not e.digest:
            return None
        original = self.local.setdefault(e.digest, Original(e.url, e.time, e.record_id))
        return original if original.record_id == e.record_id else None

    def _original(self, digest: str) -> Original | None:
        if digest in self.local:
            return self.local[digest]
        known = self.originals.get(digest)
        return Original(*known) if known else None

    def _robots(self, site: str) -> RobotsRules:
        cached = self.state.robots.get(site)
        if cached is not None and cached.is_fresh(self.now()):
            return cached
        url, status, body, error = f"{site}/robots.txt", None, b"", None
        self.clock.wait()
        for _ in range(self.cfg.max_redirects + 1):  # RFC 9309: follow at least five redirects
            try:
                resp = self.fetcher.get(url, check_type=False, max_bytes=MAX_ROBOTS_BYTES)
            except FetchError as e:
                status, body, error = None, b"", e.reason
                break
            status, body = resp.status, resp.body
            location = resp.header("Location")
            if not (300 <= status < 400 and location):
                break
            try:
                url = normalize_url(location, base=url)
            except BadUrl:
                break
        self.clock.done()
        rules = RobotsRules.from_response(status, body, error, fetched_at=self.now())
        self.state.robots[site] = rules
        self.state.next_at = self.clock.next_at
        self.state.save(self.out, self.slug)
        return rules

    def _fetch(self, url: str) -> tuple[Response | None, FetchError | None, int]:
        """GET with the host's schedule; 429/503 are retried after Retry-After or back-off, within bounds."""
        cfg = self.cfg
        attempt = 0
        while True:
            self.clock.wait()
            try:
                resp = self.fetcher.get(url)
            except FetchError as e:
                self.clock.done()
                return None, e, attempt + 1
            if resp.status not in RETRY_STATUSES or attempt >= cfg.max_retries:
                self.clock.done()
                return resp, None, attempt + 1
            wait = backoff_seconds(parse_retry_after(resp.header("Retry-After"), self.now()), attempt,
                                   self.clock.delay)
            if wait > cfg.max_retry_after:  # the server asks for longer than we wait: give up this URL
                self.clock.done(cfg.max_retry_after)
                return resp, None, attempt + 1
            self.clock.done(wait)
            attempt += 1


def crawl_hosts(config: CrawlConfig, out_dir: str | Path, run_id: str, candidates: Iterable[Candidate],
                originals: Mapping[str, tuple[str, str, str]] | None = None,
                warc_info: dict[str, str] | None = None) -> Iterator[tuple[str, list[tuple[str, object]]]]:
    """``(host, events)`` for each host among ``candidates``, crawled ``config.fetch_threads`` at a time.

    Each host goes to one thread, which fetches its URLs one after another with the host's
    delay (:class:`HostCrawler`); waiting on one host's delay or answers does not hold up the
    others, as in Heritrix's per-host queues served by a pool of threads.
    """
    by_host: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_host[host_key(c.url)].append(c)
    hosts = sorted(by_host)
    if not hosts:
        return

    def one(host: str) -> tuple[str, list[tuple[str, object]]]:
        crawler = HostCrawler(config, out_dir, host, run_id, originals=originals, warc_info=warc_info)
        return host, crawler.crawl(by_host[host])

    with ThreadPoolExecutor(max_workers=min(config.fetch_threads, len(hosts)), thread_name_prefix="crawl") as pool:
        yield from pool.map(one, hosts)


def _dedupable(resp: Response) -> bool:
    """Only complete 200 responses with a body are stored once and revisited after (as Heritrix does)."""
    return resp.status == 200 and not resp.truncated and bool(resp.body)

