"""When the next request to a host may start: the per-host delay, Crawl-delay and back-off.

The delay runs from the *end* of one request to the start of the next, so the gap a server
sees between two requests is at least the delay plus the time it took to answer. Times are
Unix times so that the schedule can be saved with the host's state and honoured by the next
round or a resumed crawl, in another process.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP-date), or None."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


def backoff_seconds(retry_after: float | None, attempt: int, delay: float) -> float:
    """How long to wait before retrying a 429/503: the server's ``Retry-After`` when given, else
    exponential back-off from the host's delay (at least 1 s): 1x, 2x, 4x..."""
    if retry_after is not None:
        return retry_after
    return max(delay, 1.0) * 2 ** attempt


@dataclass
class HostClock:
    """The politeness schedule of one host: ``wait()`` before a request, ``done()`` after it."""

    delay: float
    next_at: float = 0.0  # Unix time before which no request may start
    clock: Callable[[], float] = field(default=time.time, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def wait(self) -> None:
        pause = self.next_at - self.clock()
        if pause > 0:
            self.sleep(pause)

    def done(self, at_least: float = 0.0) -> None:
        """A request just ended; the next one waits the delay, or ``at_least`` if longer (back-off)."""
        self.next_at = self.clock() + max(self.delay, at_least)

    def slow_down(self, delay: float) -> None:
        """Raise the host's delay (a robots.txt Crawl-delay longer than the configured minimum)."""
        if delay > self.delay:
            self.next_at += delay - self.delay
            self.delay = delay
