"""`corpusforge crawl` options: the crawl's flags, the seeds file, and the validated settings.

:class:`CrawlOptions` is a Beam ``PipelineOptions`` subclass like the build's, so every flag
it does not declare goes to the runner. :func:`crawl_settings` reads the seeds file and turns
the options into a :class:`corpus.crawl.config.CrawlConfig`, a scope and the seed candidates;
its errors name the flag.
"""
from __future__ import annotations

from dataclasses import dataclass

from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions, SetupOptions

from corpus.crawl.config import DEFAULT_TYPES, DEFAULT_USER_AGENT, CrawlConfig
from corpus.crawl.host import Candidate
from corpus.crawl.log import Entry
from corpus.crawl.urls import BadUrl, Scope, normalize_url
from pipelines.beam_util import argument_adder

_D = CrawlConfig()


USER_AGENT_HELP = (f"User-Agent header: a product token and a contact URL, e.g. 'mybot/1.0 "
                   f"(+https://example.org/bot)' (default {DEFAULT_USER_AGENT!r}). Beam declares this flag "
                   f"(SetupOptions) for the same purpose; the crawler reads it from there.")


class CrawlOptions(PipelineOptions):
    """The crawl's flags; ``--user_agent`` is Beam's own (``SetupOptions.user_agent``)."""

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        add = argument_adder(parser)
        add("--seeds", default=None, help="File of seed URLs, one per line ('#' starts a comment).")
        add("--output_dir", default=None, help="Directory for the WARC files, crawl log and resume state "
            "(local or a shared POSIX file system). Rerun with the same directory to resume.")
        add("--max_depth", type=int, default=_D.max_depth, help="Links followed from the seeds (seeds are depth 0).")
        add("--max_pages", type=int, default=_D.max_pages, help="URLs fetched in the whole crawl; 0: no limit.")
        add("--max_pages_per_host", type=int, default=_D.max_pages_per_host, help="URLs fetched per host; 0: no limit.")
        add("--scope", default="host", help="Links followed: host (the seeds' hosts, with or without www.), "
            "domain (the seeds' registered domains) or regex:PATTERN (URLs matching it).")
        add("--min_delay", type=float, default=_D.min_delay,
            help="Seconds between requests to one host (a longer robots.txt Crawl-delay wins).")
        add("--allow_private_hosts", action="store_true", default=False,
            help="Crawl hosts that resolve to private, loopback, link-local or multicast addresses (tests, intranets).")
        add("--max_crawl_delay", type=float, default=_D.max_crawl_delay,
            help="Skip hosts whose robots.txt asks for a longer Crawl-delay (seconds).")
        add("--connect_timeout", type=float, default=_D.connect_timeout, help="Seconds to connect.")
        add("--read_timeout", type=float, default=_D.read_timeout, help="Seconds to wait for each read.")
        add("--max_fetch_seconds", type=float, default=_D.max_fetch_seconds,
            help="Seconds for a whole response; the rest is not downloaded (WARC-Truncated: time).")
        add("--max_bytes", type=int, default=_D.max_bytes,
            help="Payload bytes kept per response; the rest is not downloaded (WARC-Truncated: length).")
        add("--max_redirects", type=int, default=_D.max_redirects, help="Redirects followed from one URL.")
        add("--max_retries", type=int, default=_D.max_retries, help="Retries of a URL answered 429 or 503.")
        add("--max_retry_after", type=float, default=_D.max_retry_after,
            help="Longest Retry-After / back-off waited for (seconds); a longer one gives the URL up.")
        add("--allowed_types", default=",".join(DEFAULT_TYPES),
            help="Comma-separated media types whose bodies are downloaded ('text/*' allowed).")
        add("--warc_max_bytes", type=int, default=_D.warc_max_bytes, help="Size at which a WARC file is closed.")
        add("--fetch_threads", type=int, default=_D.fetch_threads,
            help="Hosts a worker crawls at once, each host by one thread (its requests stay one at a time).")


@dataclass(frozen=True)
class CrawlSettings:
    config: CrawlConfig
    output_dir: str
    scope: Scope
    seeds: tuple[Candidate, ...]
    bad_seeds: tuple[Entry, ...]  # lines of the seeds file that are not crawlable URLs


def _fail(option: str, message: str) -> None:
    raise ValueError(f"--{option}: {message}")


def read_seeds(path: str) -> list[str]:
    """The URLs of a seeds file: one per line, blank lines and ``#`` comments ignored."""
    try:
        with FileSystems.open(path) as f:
            text = f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"--seeds: cannot read {path}: {e}") from e
    return [s for s in (line.split("#", 1)[0].strip() for line in text.splitlines()) if s]


def crawl_settings(options: PipelineOptions) -> CrawlSettings:
    opts = options.view_as(CrawlOptions)
    user_agent = options.view_as(SetupOptions).user_agent or DEFAULT_USER_AGENT
    if not opts.seeds:
        _fail("seeds", "is required (a file of seed URLs, one per line)")
    if not opts.output_dir:
        _fail("output_dir", "is required")
    if "://" in opts.output_dir:
        _fail("output_dir", f"must be a local or mounted directory (the resume state uses file locks and "
                            f"appends), got {opts.output_dir!r}")
    try:
        config = CrawlConfig(
            user_agent=user_agent, min_delay=opts.min_delay, max_crawl_delay=opts.max_crawl_delay,
            max_depth=opts.max_depth, max_pages=opts.max_pages, max_pages_per_host=opts.max_pages_per_host,
            allow_private_hosts=opts.allow_private_hosts, connect_timeout=opts.connect_timeout,
            read_timeout=opts.read_timeout, max_fetch_seconds=opts.max_fetch_seconds, max_bytes=opts.max_bytes,
            max_redirects=opts.max_redirects, max_retries=opts.max_retries, max_retry_after=opts.max_retry_after,
            allowed_types=tuple(t.strip() for t in opts.allowed_types.split(",") if t.strip()),
            warc_max_bytes=opts.warc_max_bytes, fetch_threads=opts.fetch_threads)
    except ValueError as e:  # "CrawlConfig.min_delay must be ..." → "--min_delay: ..."
        message = str(e)
        field = message.split(" ", 1)[0].removeprefix("CrawlConfig.").rstrip(":")
        raise ValueError(f"--{field}: {message}") from e
    seeds, bad = [], []
    for line in read_seeds(opts.seeds):
        try:
            seeds.append(normalize_url(line))
        except BadUrl as e:
            bad.append(Entry(url=line, host="", depth=0, outcome="skipped", reason=e.reason))
    if not seeds:
        _fail("seeds", f"{opts.seeds} holds no http(s) URL")
    scope = Scope.parse(opts.scope, seeds)
    return CrawlSettings(config=config, output_dir=opts.output_dir.rstrip("/") or "/", scope=scope,
                         seeds=tuple(Candidate(s, 0, seed=True) for s in dict.fromkeys(seeds)),
                         bad_seeds=tuple(bad))

