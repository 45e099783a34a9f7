"""`corpusforge crawl` / `python -m pipelines.crawl`: a polite crawler in Apache Beam that writes WARC files.

    seeds → [decide: new? in scope? within budget?] → group by host → fetch the host's URLs
          sequentially (robots.txt, delay, limits) → WARC + journal → links → next round ...

One round per depth, up to ``--max_depth``; after the last, the links found are only logged.
Each host's URLs of a round go to one worker and there to one thread, which fetches them one
after another with the host's delay (``corpus.crawl.host``): a ``GroupByKey`` on batches of
whole hosts, about ``--fetch_threads`` hosts per batch. URLs are deduplicated across
rounds, and each host's journal on disk makes the crawl resumable: rerun with the same
``--output_dir`` and what was written is replayed, not fetched. The crawl log
(``crawl-log.jsonl``) is written at the end, then ``summary.json``.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from corpus.crawl.config import DEFAULT_USER_AGENT, CrawlConfig
from corpus.crawl.frontier import FRONTIER, KEY, LOG, decide, host_shard, merge_originals, rank, within_budget
from corpus.crawl.host import DIGEST, LINK, TAGS, Candidate, crawl_hosts
from corpus.crawl.log import Entry, format_summary, summarize
from corpus.crawl.serve import ReplaySites, serve_warc
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
# Local runs: one in-process worker, whose fetch threads crawl the hosts in parallel (docs/crawl.md has
# the measurements: Beam's multi-processing mode spreads the hosts of a round badly and costs more CPU).
LOCAL_MODE, LOCAL_WORKERS = "in_memory", 1
CRAWL_NAMESPACE = "crawl"


class _MergeOriginals(beam.CombineFn):
    """The payload digests stored so far → their original records (``frontier.merge_originals``)."""

    def create_accumulator(self):
        return {}

    def add_input(self, acc, item):
        return merge_originals(acc, [item])

    def merge_accumulators(self, accs):
        out: dict = {}
        for acc in accs:
            merge_originals(out, acc.items())
        return out

    def extract_output(self, acc):
        return acc


class CrawlHosts(beam.DoFn):
    """``(shard, candidates)`` → the host crawlers' ``(tag, value)`` events (``corpus.crawl.host.crawl_hosts``)."""

    def __init__(self, config: CrawlConfig, output_dir: str, run_id: str, round_: int) -> None:
        self.config, self.output_dir, self.run_id, self.round = config, output_dir, run_id, round_
        self.counter = BeamCounter(CRAWL_NAMESPACE)

    def process(self, element, originals):
        _, candidates = element
        info = {"isPartOf": f"corpusforge crawl {self.run_id}"}
        for host, events in crawl_hosts(self.config, self.output_dir, self.run_id, candidates, originals, info):
            outcomes: dict[str, int] = {}
            for tag, value in events:
                if tag == LOG:
                    outcomes[value.outcome] = outcomes.get(value.outcome, 0) + 1
                    self.counter(value.outcome)
            print(f"  [crawl] round {self.round} {host}: " + ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())),
                  file=sys.stderr, flush=True)
            yield from events


class _Distinct(beam.CombineFn):
    def create_accumulator(self):
        return set()

    def add_input(self, acc, item):
        acc.add(item)
        return acc

    def merge_accumulators(self, accs):
        return set().union(*accs)

    def extract_output(self, acc):
        return len(acc)


def _decide(element, scope: Scope, max_depth: int):
    key, groups = element
    return decide(key, groups["cand"], bool(list(groups["seen"])), scope, max_depth)


class Decide(beam.PTransform):
    """``(candidates, keys decided in earlier rounds)`` → ``{"log", "frontier", "key"}``: each URL once."""

    def __init__(self, scope: Scope, max_depth: int) -> None:
        super().__init__()
        self.scope, self.max_depth = scope, max_depth

    def expand(self, pcolls):
        candidates, decided = pcolls
        seen = decided | "SeenKey" >> beam.Map(lambda k: (k, None))
        keyed = candidates | "Key" >> beam.Map(lambda c: (url_key(c.url), c))
        return ({"cand": keyed, "seen": seen} | "Group" >> beam.CoGroupByKey()
                | "Decide" >> beam.FlatMap(_decide, self.scope, self.max_depth)
                | "Split" >> SplitByTag((LOG, FRONTIER, KEY)))


class WithinBudget(beam.PTransform):
    """``(frontier, URLs taken in earlier rounds)`` → ``{"frontier", "log"}`` within ``--max_pages``."""

    def __init__(self, max_pages: int) -> None:
        super().__init__()
        self.max_pages = max_pages

    def expand(self, pcolls):
        frontier, earlier = pcolls
        used = beam.pvalue.AsSingleton(combine_globally(earlier, beam.combiners.CountCombineFn(), "Used"),
                                       default_value=0)
        smallest = beam.pvalue.AsSingleton(combine_globally(
            frontier | "Rank" >> beam.Map(rank), beam.combiners.TopCombineFn(self.max_pages, reverse=True),
            "Smallest"), default_value=[])
        return (frontier | "Budget" >> beam.FlatMap(within_budget, smallest, used, self.max_pages)
                | "Split" >> SplitByTag((LOG, FRONTIER)))


class FetchRound(beam.PTransform):
    """``(frontier, digest events of earlier rounds)`` → the host crawlers' events, split by tag."""

    def __init__(self, config: CrawlConfig, output_dir: str, run_id: str, round_: int) -> None:
        super().__init__()
        self.config, self.output_dir, self.run_id, self.round = config, output_dir, run_id, round_

    def expand(self, pcolls):
        frontier, digests = pcolls
        originals = beam.pvalue.AsSingleton(combine_globally(digests, _MergeOriginals(), "Originals"),
                                            default_value={})
        hosts = beam.pvalue.AsSingleton(combine_globally(
            frontier | "Host" >> beam.Map(lambda c: host_key(c.url)), _Distinct(), "Hosts"), default_value=0)
        threads = self.config.fetch_threads
        # A host's URLs all go to one batch: one worker, one thread, one request at a time.
        return (frontier | "ByHost" >> beam.Map(lambda c, n: (host_shard(host_key(c.url), n, threads), c), hosts)
                | "GroupHosts" >> beam.GroupByKey()
                | "Fetch" >> beam.ParDo(CrawlHosts(self.config, self.output_dir, self.run_id, self.round), originals)
                | "Events" >> SplitByTag(TAGS))


class WriteLog(beam.PTransform):
    """Log entries → ``crawl-log.jsonl``, one line per URL (a replayed or re-executed step logs a URL again)."""

    def __init__(self, output_dir: str) -> None:
        super().__init__()
        self.output_dir = output_dir

    def expand(self, logs):
        return (logs
                | "Key" >> beam.Map(lambda e: (url_key(e.url) if e.host else e.url, e))
                | "Group" >> beam.GroupByKey()
                | "One" >> beam.MapTuple(lambda _, es: min(es, key=Entry.sort_key))
                | "Json" >> beam.Map(lambda e: json.dumps(e.as_dict(), ensure_ascii=False, sort_keys=True))
                | "Write" >> beam.io.WriteToText(os.path.join(self.output_dir, LOG_NAME), shard_name_template=""))


def crawl_pipeline(p: beam.Pipeline, settings: CrawlSettings, run_id: str) -> None:
    """Rounds 0..max_depth fetch; the round after only logs the links it was given as too deep."""
    cfg = settings.config
    # Create gets plain values: Beam would try (and fail) to infer a schema from the dataclasses.
    logs = [p | "BadSeeds" >> beam.Create([e.as_dict() for e in settings.bad_seeds])
            | "BadSeedEntries" >> beam.Map(Entry.from_dict)]
    decided = [p | "NothingDecided" >> beam.Create([])]
    digests = [p | "NoDigests" >> beam.Create([])]
    taken = [p | "NothingTaken" >> beam.Create([])]
    candidates = (p | "Seeds" >> beam.Create([c.url for c in settings.seeds])
                  | "SeedCandidates" >> beam.Map(lambda url: Candidate(url, 0, seed=True)))
    for r in range(cfg.max_depth + 2):
        seen = decided | f"R{r}Decided" >> beam.Flatten()
        parts = (candidates, seen) | f"R{r}Decide" >> Decide(settings.scope, cfg.max_depth)
        logs.append(parts[LOG])
        decided.append(parts[KEY])
        if r > cfg.max_depth:
            break
        frontier = parts[FRONTIER]
        if cfg.max_pages:
            earlier = taken | f"R{r}Taken" >> beam.Flatten()
            budget = (frontier, earlier) | f"R{r}Budget" >> WithinBudget(cfg.max_pages)
            logs.append(budget[LOG])
            frontier = budget[FRONTIER]
            taken.append(frontier)
        stored = digests | f"R{r}Stored" >> beam.Flatten()
        events = (frontier, stored) | f"R{r}Fetch" >> FetchRound(cfg, settings.output_dir, run_id, r)
        logs.append(events[LOG])
        decided.append(events[LOG] | f"R{r}Requested" >> beam.Map(lambda e: url_key(e.url)))
        digests.append(events[DIGEST])
        candidates = events[LINK]
    _ = logs | "Logs" >> beam.Flatten() | "Log" >> WriteLog(settings.output_dir)


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
    local_defaults(options, argv, workers=LOCAL_WORKERS, mode=LOCAL_MODE)
    quiet_worker_option_notices()
    cfg = settings.config
    print(f"corpusforge crawl: {len(settings.seeds)} seed(s) -> {out} (depth <= {cfg.max_depth}, scope "
          f"{settings.scope.kind}, delay >= {cfg.min_delay:g}s per host, user agent {cfg.user_agent!r})", flush=True)
    if cfg.user_agent == DEFAULT_USER_AGENT:
        print("  note: the default user agent names this project, not you; give site owners your contact with "
              "--user_agent 'yourbot/1.0 (+https://your.site/bot)'", file=sys.stderr, flush=True)
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


def crawl_replayed_warc(warc: str | Path, output_dir: str | Path, *extra: str) -> int:
    """Serve the pages recorded in ``warc`` on 127.0.0.1 (``corpus.crawl.serve.serve_warc``) and crawl them
    into ``output_dir``; for the demo. ``extra``: more crawl flags."""
    with serve_warc(warc) as sites:
        return crawl_sites(sites, output_dir, *extra)


def crawl_sites(sites: ReplaySites, output_dir: str | Path, *extra: str) -> int:
    """Crawl locally served sites from each host's index page, depth 1, no delay."""
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds.txt"
        seeds.write_text("".join(f"{s}\n" for s in sites.seeds), encoding="utf-8")
        return run(["--seeds", str(seeds), "--output_dir", str(output_dir), "--allow_private_hosts",
                    "--max_depth", "1", "--min_delay", "0", *extra])


def main(argv: Sequence[str] | None = None) -> int:
    logging.getLogger().setLevel(logging.WARNING)
    return run(argv)


if __name__ == "__main__":
    raise SystemExit(main())
