"""The crawl's parameters in one validated dataclass; defaults are the polite ones."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from corpus.crawl.robots import product_token

DEFAULT_USER_AGENT = "corpusforge/0.1 (+https://pypi.org/project/corpusforge/)"
DEFAULT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_CONTACT_RE = re.compile(r"https?://\S+|mailto:\S+|[\w.+-]+@[\w-]+\.[\w.-]+")
MIB = 1024 * 1024


@dataclass(frozen=True)
class CrawlConfig:
    """Everything that decides what the crawler requests and what it writes.

    Limits given as ``0`` for ``max_pages`` / ``max_pages_per_host`` mean "no limit".
    """

    user_agent: str = DEFAULT_USER_AGENT
    min_delay: float = 1.0  # seconds between the end of one request to a host and the next
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay above this skips the host
    max_depth: int = 2  # seeds are depth 0
    max_pages: int = 10_000
    max_pages_per_host: int = 1_000
    allow_private_hosts: bool = False
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # per socket read
    max_fetch_seconds: float = 120.0  # the whole body; beyond it the record is truncated ("time")
    max_bytes: int = 10 * MIB  # payload bytes kept; beyond it the record is truncated ("length")
    max_redirects: int = 5
    max_retries: int = 2  # further tries of a URL answered 429 or 503
    max_retry_after: float = 60.0  # longest wait for Retry-After / back-off before giving up the URL
    allowed_types: tuple[str, ...] = DEFAULT_TYPES
    warc_max_bytes: int = 1024 * MIB  # a WARC file is closed and the next one started past this size
    max_links_per_page: int = 1000
    fetch_threads: int = 16  # hosts crawled at once by one worker, each by one thread

    def __post_init__(self) -> None:
        if not isinstance(self.user_agent, str) or not self.user_agent.strip():
            raise ValueError("CrawlConfig.user_agent must be a non-empty string")
        try:
            product_token(self.user_agent)
        except ValueError as e:
            raise ValueError(f"CrawlConfig.user_agent: {e}") from e
        if not _CONTACT_RE.search(self.user_agent):
            raise ValueError(f"CrawlConfig.user_agent must contain a contact URL or e-mail address so site "
                             f"owners can reach you, e.g. 'mybot/1.0 (+https://example.org/bot)'; "
                             f"got {self.user_agent!r}")
        for name in ("min_delay", "max_crawl_delay", "max_retry_after"):
            _check_number(name, getattr(self, name), minimum=0.0)
        for name in ("connect_timeout", "read_timeout", "max_fetch_seconds"):
            _check_number(name, getattr(self, name), minimum=0.0, exclusive=True)
        for name in ("max_depth", "max_pages", "max_pages_per_host", "max_redirects", "max_retries"):
            _check_int(name, getattr(self, name), minimum=0)
        for name in ("max_bytes", "warc_max_bytes", "max_links_per_page", "fetch_threads"):
            _check_int(name, getattr(self, name), minimum=1)
        if not isinstance(self.allow_private_hosts, bool):
            raise ValueError(f"CrawlConfig.allow_private_hosts must be a bool, got {self.allow_private_hosts!r}")
        if (not isinstance(self.allowed_types, tuple) or not self.allowed_types
                or not all(isinstance(t, str) and "/" in t for t in self.allowed_types)):
            raise ValueError(f"CrawlConfig.allowed_types must be a non-empty tuple of media types such as "
                             f"'text/html', got {self.allowed_types!r}")

    @property
    def robots_token(self) -> str:
        return product_token(self.user_agent)

    def type_allowed(self, content_type: str | None) -> bool:
        """Is a response with this Content-Type downloaded? A missing type is (the reader sniffs it)."""
        if not content_type:
            return True
        mime = content_type.split(";", 1)[0].strip().lower()
        return any(mime == t or (t.endswith("/*") and mime.startswith(t[:-1])) for t in self.allowed_types)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["allowed_types"] = list(self.allowed_types)
        return d


def _check_number(name: str, value: Any, minimum: float, exclusive: bool = False) -> None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and (
        value > minimum if exclusive else value >= minimum)
    if not ok:
        bound = f"> {minimum}" if exclusive else f">= {minimum}"
        raise ValueError(f"CrawlConfig.{name} must be a number {bound}, got {value!r}")


def _check_int(name: str, value: Any, minimum: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"CrawlConfig.{name} must be an int >= {minimum}, got {value!r}")
