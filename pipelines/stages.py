"""One Beam wrapper for every corpus stage: documents in, kept and dropped out.

A stage is a plain function ``fn(doc, *, config, counter) -> Document | Verdict`` from
corpus/. :class:`ApplyStage` runs it through :func:`corpus.stage.run_stage` (which counts
the drop under ``dropped:<reason>``) and returns ``{KEPT: documents, DROPPED: (document,
reason) pairs}``. Expensive set-up (a model) belongs in the
``setup`` hook, which runs once per DoFn instance on a worker, never per document.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import apache_beam as beam

from corpus.document import Document, Verdict
from corpus.stage import StageFn, run_stage
from pipelines.beam_util import BeamCounter, SplitByTag

KEPT, DROPPED = "kept", "dropped"


class _StageDoFn(beam.DoFn):
    def __init__(self, fn: StageFn, config: Any, setup: Callable[[Any], None] | None) -> None:
        self.fn = fn
        self.config = config
        self.setup_hook = setup
        self.counter = BeamCounter()

    def setup(self) -> None:
        if self.setup_hook is not None:
            self.setup_hook(self.config)

    def process(self, doc: Document):
        result = run_stage(self.fn, doc, config=self.config, counter=self.counter)
        if isinstance(result, Verdict):
            yield DROPPED, (doc if result.detail is None else doc.with_meta(drop_detail=result.detail), result.reason)
        else:
            yield KEPT, result


class ApplyStage(beam.PTransform):
    """``docs | ApplyStage(fn, config)`` → a result with ``[KEPT]`` and ``[DROPPED]``."""

    def __init__(self, fn: StageFn, config: Any, setup: Callable[[Any], None] | None = None) -> None:
        super().__init__()
        self.fn, self.config, self.setup = fn, config, setup

    def expand(self, docs):
        return (docs | "Apply" >> beam.ParDo(_StageDoFn(self.fn, self.config, self.setup))
                | "Split" >> SplitByTag((KEPT, DROPPED)))
