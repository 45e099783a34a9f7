"""`corpusforge crawl` / `python -m pipelines.crawl`: a polite crawler in Apache Beam that writes WARC files.

    seeds → [decide: new? in scope? within budget?] → group by host → fetch the host's URLs
          sequentially (robots.txt, delay, limits) → WARC + journal → links → next round ...

One round per depth, up to ``--max_depth``; after the last, the links found are only logged.
Each host's URLs of a round go to one worker (``GroupByKey`` on the host), which fetches them
one after another with the host's delay (``corpus.crawl.host``). URLs are deduplicated across
rounds, and each host's journal on disk makes the crawl resumable: rerun with the same
``--output_dir`` and what was written is replayed, not fetched. The crawl log
(``crawl-log.jsonl``) is written at the end, then ``summary.json``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from corpus.crawl.config import CrawlConfig
from corpus.crawl.host import DIGEST, LINK, LOG, TAGS, Candidate, HostCrawler
from corpus.crawl.log import Entry, format_summary, summarize
from corpus.crawl.state import recover_all
from corpus.crawl.urls import Scope, host_key, url_key
from pipelines.beam_util import (
    BeamCounter,
    SplitByTag,
    combine_globally,
    local_defaults,
    quiet_worker_option_notices,
)
from pipelines.crawl_options import USER_AGENT_HELP, CrawlOptions, CrawlSettings, crawl_settings

EXIT_USAGE = 2
EXIT_NOTHING = 1
LOG_NAME = "crawl-log.jsonl"
SUMMARY_NAME = "summary.json"
# Local runs: hosts are fetched in parallel by this many worker processes (crawling waits on the network).
LOCAL_WORKERS = 8
CRAWL_NAMESPACE = "crawl"


def _decide(element, scope: Scope, max_depth: int):
    """One URL key's candidates of a round → ``("log", Entry)`` / ``("frontier", Candidate)`` and ``("key", key)``."""
    key, groups = element
    candidates, seen = list(groups["cand"]), list(groups["seen"])
    if seen or not candidates:
        return  # decided in an earlier round (and logged then)
    c = min(candidates, key=lambda c: (c.depth, not c.seed, c.redirects, c.url, c.via or ""))
    yield "key", key
    if not c.seed and not scope.contains(c.url):
        yield "log", Entry(url=c.url, host=host_key(c.url), depth=c.depth, outcome="skipped", reason="scope",
                           via=c.via)
    elif c.depth > max_depth:
        yield "log", Entry(url=c.url, host=host_key(c.url), depth=c.depth, outcome="skipped",
                           reason="depth:max_depth", via=c.via)
    else:
        yield "frontier", c


def _rank(c: Candidate) -> int:
    """A URL's place in the --max_pages queue: a hash, so the budget is spread over hosts."""
    return int.from_bytes(hashlib.sha1(url_key(c.url).encode()).digest()[:8], "big") >> 1  # VarIntCoder: 63 bits


def _budget(c: Candidate, smallest: list[int], used: int, max_pages: int):
    """Within the budget → ``("frontier", c)``; past it → a logged skip."""
    remaining = max_pages - used
    if remaining > 0 and (len(smallest) < remaining or _rank(c) <= smallest[remaining - 1]):
        yield "frontier", c
    else:
        yield "log", Entry(url=c.url, host=host_key(c.url), depth=c.depth, outcome="skipped",
                           reason="budget:max_pages", via=c.via)


class _MergeOriginals(beam.CombineFn):
    """digest → the original record (uri, date, record id): the smallest when two hosts stored one payload."""

    def create_accumulator(self):
        return {}

    def add_input(self, acc, item):
        digest, original = item
        if digest not in acc or tuple(original) < tuple(acc[digest]):
            acc[digest] = tuple(original)
        return acc

    def merge_accumulators(self, accs):
        out: dict = {}
        for acc in accs:
            for item in acc.items():
                self.add_input(out, item)
        return out

    def extract_output(self, acc):
        return acc


class CrawlHost(beam.DoFn):
    """``(host, candidates)`` → the host crawler's ``(tag, value)`` events."""

    def __init__(self, config: CrawlConfig, output_dir: str, run_id: str, round_: int) -> None:
        self.config, self.output_dir, self.run_id, self.round = config, output_dir, run_id, round_
        self.counter = BeamCounter(CRAWL_NAMESPACE)

    def process(self, element, originals):
        host, candidates = element
        crawler = HostCrawler(self.config, self.output_dir, host, self.run_id,
                              originals=originals, warc_info={"isPartOf": f"corpusforge crawl {self.run_id}"})
        events = crawler.crawl(list(candidates))
        outcomes: dict[str, int] = {}
        for tag, value in events:
            if tag == LOG:
                outcomes[value.outcome] = outcomes.get(value.outcome, 0) + 1
                self.counter(f"{value.outcome}")
        print(f"  [crawl] round {self.round} {host}: " + ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())),
              file=sys.stderr, flush=True)
        yield from events


def crawl_pipeline(p: beam.Pipeline, settings: CrawlSettings, run_id: str) -> None:
    cfg, scope = settings.config, settings.scope
    # Create gets plain values: Beam would try (and fail) to infer a schema from the dataclasses.
    logs = [p | "BadSeeds" >> beam.Create([e.as_dict() for e in settings.bad_seeds])
            | "BadSeedEntries" >> beam.Map(Entry.from_dict)]
    decided = [p | "NothingSeen" >> beam.Create([])]
    digests = [p | "NoDigests" >> beam.Create([])]
    selected = []
    candidates = (p | "Seeds" >> beam.Create([c.url for c in settings.seeds])
                  | "SeedCandidates" >> beam.Map(lambda url: Candidate(url, 0, seed=True)))
    for r in range(cfg.max_depth + 2):
        tag = f"R{r}"
        seen = decided | f"{tag}Seen" >> beam.Flatten() | f"{tag}SeenKey" >> beam.Map(lambda k: (k, None))
        keyed = candidates | f"{tag}Key" >> beam.Map(lambda c: (url_key(c.url), c))
        parts = ({"cand": keyed, "seen": seen} | f"{tag}Group" >> beam.CoGroupByKey()
                 | f"{tag}Decide" >> beam.FlatMap(_decide, scope, cfg.max_depth)
                 | f"{tag}Split" >> SplitByTag(("log", "frontier", "key")))
        logs.append(parts["log"])
        decided.append(parts["key"])
        if r > cfg.max_depth:
            break
        frontier = parts["frontier"]
        if cfg.max_pages:
            frontier = _within_budget(frontier, selected, cfg.max_pages, tag, logs)
            selected.append(frontier)
        originals = beam.pvalue.AsSingleton(combine_globally(
            digests | f"{tag}Digests" >> beam.Flatten(), _MergeOriginals(), f"{tag}Originals"), default_value={})
        events = (frontier | f"{tag}ByHost" >> beam.Map(lambda c: (host_key(c.url), c))
                  | f"{tag}GroupHost" >> beam.GroupByKey()
                  | f"{tag}Fetch" >> beam.ParDo(CrawlHost(cfg, settings.output_dir, run_id, r), originals)
                  | f"{tag}Events" >> SplitByTag(TAGS))
        logs.append(events[LOG])
        decided.append(events[LOG] | f"{tag}Fetched" >> beam.Map(lambda e: url_key(e.url)))
        digests.append(events[DIGEST])
        candidates = events[LINK]
    _ = (logs | "Logs" >> beam.Flatten()
         | "LogKey" >> beam.Map(lambda e: (url_key(e.url) if e.host else e.url, e))
         | "LogGroup" >> beam.GroupByKey()  # a replayed or re-executed step logs a URL again
         | "LogOne" >> beam.MapTuple(lambda _, es: min(es, key=Entry.sort_key))
         | "LogJson" >> beam.Map(lambda e: json.dumps(e.as_dict(), ensure_ascii=False, sort_keys=True))
         | "WriteLog" >> beam.io.WriteToText(os.path.join(settings.output_dir, LOG_NAME), shard_name_template=""))


def _within_budget(frontier, selected, max_pages: int, tag: str, logs: list):
    used = beam.pvalue.AsSingleton(combine_globally(
        (selected or [frontier.pipeline | f"{tag}NoneUsed" >> beam.Create([])]) | f"{tag}Used" >> beam.Flatten(),
        beam.combiners.CountCombineFn(), f"{tag}UsedCount"), default_value=0)
    smallest = beam.pvalue.AsSingleton(combine_globally(
        frontier | f"{tag}Rank" >> beam.Map(_rank), beam.combiners.TopCombineFn(max_pages, reverse=True),
        f"{tag}Smallest"), default_value=[])
    parts = (frontier | f"{tag}Budget" >> beam.FlatMap(_budget, smallest, used, max_pages)
             | f"{tag}BudgetSplit" >> SplitByTag(("log", "frontier")))
    logs.append(parts["log"])
    return parts["frontier"]


def read_log(output_dir: str | Path) -> list[dict]:
    with open(Path(output_dir) / LOG_NAME, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _write_summary(settings: CrawlSettings, run_id: str, started: float) -> dict:
    out = Path(settings.output_dir)
    summary = {"run": run_id, "seconds": round(time.time() - started, 2), "seeds": len(settings.seeds),
               "scope": settings.scope.kind if settings.scope.kind != "regex" else f"regex:{settings.scope.pattern}",
               "config": settings.config.as_dict(), **summarize(read_log(out))}
    tmp = out / (SUMMARY_NAME + ".tmp")
    tmp.write_text(json.dumps(summary, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, out / SUMMARY_NAME)
    return summary


def _refusals(summary: dict) -> str | None:
    private = {r: n for r, n in summary["reasons"].items() if r.startswith("private_address:")}
    if not private:
        return None
    kinds = ", ".join(f"{r.split(':', 1)[1]} ({n})" for r, n in sorted(private.items()))
    return (f"corpusforge crawl: refused {sum(private.values())} URL(s) whose host resolves to a non-public "
            f"address: {kinds}. The crawler does not crawl private, loopback, link-local or multicast "
            f"addresses unless --allow_private_hosts is given.")


def run(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        parser = argparse.ArgumentParser(prog="corpusforge crawl", description=__doc__.splitlines()[0],
                                         epilog="Every other flag is passed to the Beam runner.")
        CrawlOptions._add_argparse_args(parser)
        parser.add_argument("--user_agent", help=USER_AGENT_HELP)
        parser.print_help()
        return 0
    try:
        options = PipelineOptions(argv)
        settings = crawl_settings(options)
    except ValueError as e:
        print(f"corpusforge crawl: {e}", file=sys.stderr)
        return EXIT_USAGE
    out = Path(settings.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    salvaged = recover_all(out)
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    started = time.time()
    local_defaults(options, argv, workers=LOCAL_WORKERS)
    quiet_worker_option_notices()
    cfg = settings.config
    print(f"corpusforge crawl: {len(settings.seeds)} seed(s) -> {out} (depth <= {cfg.max_depth}, scope "
          f"{settings.scope.kind}, delay >= {cfg.min_delay:g}s per host, user agent {cfg.user_agent!r})", flush=True)
    if salvaged:
        print(f"  resuming: completed {len(salvaged)} WARC file(s) left open by an interrupted run", flush=True)
    with beam.Pipeline(options=options) as p:
        crawl_pipeline(p, settings, run_id)
    summary = _write_summary(settings, run_id, started)
    print(format_summary(summary))
    print(f"\nWARC files: {out}/*.warc.gz\ncrawl log: {out / LOG_NAME}\nsummary: {out / SUMMARY_NAME}")
    refused = _refusals(summary)
    if refused:
        print(refused, file=sys.stderr)
    if summary["pages"] == 0:
        print("corpusforge crawl: no page was fetched; see the reasons above and the crawl log.", file=sys.stderr)
        return EXIT_NOTHING
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    logging.getLogger().setLevel(logging.WARNING)
    return run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
