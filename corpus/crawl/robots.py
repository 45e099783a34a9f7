"""robots.txt as RFC 9309 says, parsed by protego.

What the answer to ``GET /robots.txt`` means (RFC 9309, 2.3.1):

* 2xx: the rules in the body (the first 500 KiB are parsed, as the RFC's minimum asks);
* 3xx: the fetcher follows up to five redirects; more means "unavailable";
* 4xx ("unavailable"): everything is allowed. 429 is the exception: a server asking us to
  slow down is treated like 5xx, as Google does, because crawling it would be impolite;
* 5xx, or no answer at all ("unreachable"): nothing on the host may be crawled.

``Crawl-delay`` (not in the RFC, but widely used) comes from protego for the crawler's group.
A :class:`RobotsRules` is small and JSON-serialisable so that the crawl state on disk can keep
it: robots.txt is fetched once per host and scheme and reused for 24 hours, also across a resume.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

from protego import Protego

# RFC 9309, 2.5: crawlers must parse at least 500 kibibytes.
MAX_ROBOTS_BYTES = 500 * 1024
# RFC 9309, 2.4: a cached robots.txt should not be used for more than 24 hours.
ROBOTS_TTL_S = 24 * 3600.0
_TOKEN_RE = re.compile(r"^[A-Za-z_-]+")


def product_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against (RFC 9309, 2.2.1): the leading
    ``[A-Za-z_-]+`` of the user agent, e.g. ``corpusforge`` for ``corpusforge/0.1 (+https://...)``."""
    m = _TOKEN_RE.match(user_agent.strip())
    if not m:
        raise ValueError(f"user agent {user_agent!r} does not start with a product token ([A-Za-z_-]+)")
    return m.group(0)


@dataclass(frozen=True)
class RobotsRules:
    """The outcome of fetching one origin's robots.txt.

    ``status`` is the final HTTP status (None when the server could not be reached, with the
    reason in ``error``); ``body`` the text of a 2xx answer; ``fetched_at`` a Unix time.
    """

    status: int | None
    body: str = ""
    error: str | None = None
    fetched_at: float = 0.0

    @classmethod
    def from_response(cls, status: int | None, body: bytes = b"", error: str | None = None,
                      fetched_at: float = 0.0) -> RobotsRules:
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace").lstrip("\ufeff") if status else ""
        return cls(status=status, body=text if status is not None and 200 <= status < 300 else "",
                   error=error, fetched_at=fetched_at)

    @property
    def policy(self) -> str:
        """``rules`` (parse the body), ``allow_all`` (unavailable) or ``disallow_all`` (unreachable)."""
        if self.status is None or self.status >= 500 or self.status == 429:
            return "disallow_all"
        if 200 <= self.status < 300:
            return "rules"
        return "allow_all"  # 4xx, or redirects that did not end in an answer

    @cached_property
    def _parser(self) -> Protego | None:
        return Protego.parse(self.body) if self.policy == "rules" else None

    def allowed(self, url: str, token: str) -> bool:
        """May the crawler whose product token is ``token`` fetch ``url``?"""
        policy = self.policy
        if policy != "rules":
            return policy == "allow_all"
        return bool(self._parser.can_fetch(url, token))

    def crawl_delay(self, token: str) -> float | None:
        """The ``Crawl-delay`` of the group matching ``token``, in seconds, or None."""
        if self.policy != "rules":
            return None
        delay = self._parser.crawl_delay(token)
        return None if delay is None else float(delay)

    def reason(self) -> str:
        """The crawl log's reason for a URL this robots.txt forbids."""
        if self.policy == "disallow_all":
            return f"robots:unreachable:{self.status}" if self.status is not None else "robots:unreachable"
        return "robots:disallowed"

    def is_fresh(self, now: float, ttl: float = ROBOTS_TTL_S) -> bool:
        return now - self.fetched_at < ttl

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RobotsRules:
        return cls(status=d["status"], body=d.get("body", ""), error=d.get("error"),
                   fetched_at=float(d.get("fetched_at", 0.0)))
