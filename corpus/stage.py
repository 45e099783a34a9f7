"""Running a stage: the one place where a dropped document is counted.

Stages and filters never count their own drop. A transform returns a new Document or a
drop Verdict; a filter returns a Verdict. :func:`run_stage` turns either into "the
document to pass on" or "the drop", and counts the drop under ``dropped:<reason>``
exactly once. The Beam wrapper (pipelines/stages.py) and local tools both go through it,
so a reason is counted the same way everywhere.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from corpus.counters import CounterFn, drop_counter_name, noop_counter
from corpus.document import Document, Verdict

StageFn = Callable[..., Document | Verdict]


def run_stage(fn: StageFn, doc: Document, *, config: Any, counter: CounterFn = noop_counter
              ) -> Document | Verdict:
    """``doc`` after ``fn``: a Document to pass on, or the drop Verdict (counted here)."""
    result = fn(doc, config=config, counter=counter)
    if isinstance(result, Document):
        return result
    if isinstance(result, Verdict):
        if result.keep:
            return doc
        counter(drop_counter_name(result.reason))
        return result
    raise TypeError(f"stage {getattr(fn, '__name__', fn)!r} returned {type(result).__name__} for document "
                    f"{doc.id}; expected a Document or a Verdict")
