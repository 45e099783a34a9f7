"""Stage progress for local runs: each worker process reports what its stages have seen.

The DirectRunner runs the pipeline to completion inside one call, so the launching process
cannot poll counters; instead a counting step on each stage's output writes a line to
stderr when the stage starts in a process and then at most every ``interval`` seconds.
Counts are per worker process (the final per-stage totals are in the report).
"""
from __future__ import annotations

import os
import sys
import time

import apache_beam as beam

PROGRESS_INTERVAL_S = 5.0


class _Progress(beam.DoFn):
    def __init__(self, stage: str, interval: float) -> None:
        self.stage, self.interval = stage, interval
        self.seen = 0
        self.last = None

    def process(self, element):
        self.seen += 1
        now = time.monotonic()
        if self.last is None or now - self.last >= self.interval:
            state = "started" if self.last is None else f"{self.seen:,} documents so far"
            print(f"  [build] {self.stage}: {state} (worker {os.getpid()})", file=sys.stderr, flush=True)
            self.last = now
        return []


def report_progress(pcoll, stage: str, interval: float = PROGRESS_INTERVAL_S) -> None:
    """Attach a progress reporter to ``pcoll`` (a side branch: the data flows on unchanged)."""
    _ = pcoll | f"Progress_{stage}" >> beam.ParDo(_Progress(stage, interval))
