"""Small adapters between the corpus protocols and Beam, and the local-run defaults of our entry points."""
from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.options.pipeline_options import (
    DirectOptions,
    PipelineOptions,
    StandardOptions,
    WorkerOptions,
)

# Namespace of every corpus counter in Beam's metrics (the report reads them back by it).
CORPUS_NAMESPACE = "corpus"


class BeamCounter:
    """The corpus counter protocol (``counter(name, n=1)``) backed by Beam ``Metrics`` counters.

    Counter objects are created once per name and cached; the cache is not pickled, so a DoFn
    holding one ships only the namespace to its workers.
    """

    def __init__(self, namespace: str = CORPUS_NAMESPACE) -> None:
        if not namespace:
            raise ValueError("BeamCounter: namespace must be a non-empty string")
        self.namespace = namespace
        self._counters: dict = {}

    def __call__(self, name: str, n: int = 1) -> None:
        counter = self._counters.get(name)
        if counter is None:
            counter = self._counters[name] = Metrics.counter(self.namespace, name)
        counter.inc(n)

    def __getstate__(self) -> dict:
        return {"namespace": self.namespace}

    def __setstate__(self, state: dict) -> None:
        self.namespace = state["namespace"]
        self._counters = {}


class SplitByTag(beam.PTransform):
    """``(tag, value)`` pairs → ``{tag: PCollection of values}``, one filter per tag.

    Our DoFns emit tagged pairs on their single output instead of using ``TaggedOutput``
    with ``with_outputs``: Beam's DaskRunner keys its collections by the producing
    transform and so does not keep a multi-output ParDo's outputs apart (as of Beam 2.77).
    One filter per tag is correct on every runner, and the runners that fuse steps
    (Dataflow, Flink, the DirectRunner) fuse these filters with the DoFn before them.
    """

    def __init__(self, tags: tuple[str, ...]) -> None:
        super().__init__()
        if len(set(tags)) != len(tags) or not tags:
            raise ValueError(f"SplitByTag: tags must be distinct and non-empty, got {tags!r}")
        self.tags = tuple(tags)

    def expand(self, pcoll):
        known = frozenset(self.tags)

        def check(pair):
            if pair[0] not in known:
                raise ValueError(f"SplitByTag: unknown tag {pair[0]!r}; expected one of {sorted(known)}")
            return pair

        checked = pcoll | "CheckTags" >> beam.Map(check)
        return {tag: checked | f"Only_{tag}" >> beam.FlatMap(lambda pair, t=tag: [pair[1]] if pair[0] == t else [])
                for tag in self.tags}


def _combine_values(values, combine_fn):
    fn = combine_fn if isinstance(combine_fn, beam.CombineFn) else beam.CombineFn.from_callable(combine_fn)
    acc = fn.create_accumulator()
    for v in values:
        acc = fn.add_input(acc, v)
    return fn.extract_output(acc)


def combine_per_key(pcoll, combine_fn, label: str):
    """``beam.CombinePerKey`` everywhere except on Beam's DaskRunner.

    There (as of 2.77) a combine over an input of several partitions emits nothing, while
    ``GroupByKey`` is correct; so on Dask the values are grouped and combined after the
    shuffle. Elsewhere ``CombinePerKey`` keeps its combiner lifting (partial combines on
    the workers before the shuffle), which matters at scale.
    """
    if on_dask(pcoll.pipeline):
        return (pcoll
                | f"{label}Group" >> beam.GroupByKey()
                | f"{label}Combine" >> beam.MapTuple(lambda k, vs: (k, _combine_values(vs, combine_fn))))
    return pcoll | f"{label}Combine" >> beam.CombinePerKey(combine_fn)


def combine_globally(pcoll, combine_fn, label: str):
    """At most one element: ``combine_fn`` over all of ``pcoll`` (none when it is empty).

    Used instead of ``beam.CombineGlobally`` and the ``beam.combiners`` shortcuts built on it:
    their default-value injection produces nothing on Beam's DaskRunner (as of 2.77). A
    single key means the same on every runner; consumers read the result as
    ``AsSingleton(..., default_value=...)``, which covers the empty case.
    """
    keyed = pcoll | f"{label}Key" >> beam.Map(lambda x: (None, x))
    return combine_per_key(keyed, combine_fn, label) | f"{label}Value" >> beam.Values()


def on_dask(pipeline) -> bool:
    """True when ``pipeline`` runs on Beam's DaskRunner (whose quirks docs/engines.md lists)."""
    from apache_beam.options.pipeline_options import StandardOptions

    runner = pipeline.options.view_as(StandardOptions).runner if pipeline.options else None
    return "dask" in str(runner or "").lower()


def batch_elements(pcoll, min_batch_size: int, max_batch_size: int, label: str = "Batch"):
    """Lists of elements for steps that work on a batch at once (numpy, sentencepiece).

    ``beam.BatchElements`` everywhere except on Beam's DaskRunner, which drops what a DoFn
    emits from ``finish_bundle`` (as of 2.77) and so would lose each bundle's last partial
    batch; there every element is its own batch, which is slower but loses nothing.
    """
    if on_dask(pcoll.pipeline):
        return pcoll | f"{label}One" >> beam.Map(lambda x: [x])
    return pcoll | label >> beam.BatchElements(min_batch_size=min_batch_size, max_batch_size=max_batch_size)


def local_defaults(options: PipelineOptions, argv: Sequence[str], workers: int,
                   mode: str = "multi_processing") -> None:
    """No runner flags given: the DirectRunner in ``mode`` with ``workers`` workers, unless the flags say otherwise."""
    if options.view_as(StandardOptions).runner not in (None, "DirectRunner", "direct"):
        return
    given = {a.split("=", 1)[0] for a in argv}
    direct = options.view_as(DirectOptions)
    if "--direct_running_mode" not in given:
        direct.direct_running_mode = mode
    if "--direct_num_workers" not in given:
        direct.direct_num_workers = workers
    if "--default_sdk_harness_log_level" not in given:
        # Local workers otherwise log their start-up at INFO on the user's terminal; errors still show.
        options.view_as(WorkerOptions).default_sdk_harness_log_level = "ERROR"


class _DropUnparseableArgsNotice(logging.Filter):
    """Beam's workers re-parse the pipeline options without our options class and log each of
    our flags as "unparseable"; the flags were parsed on the launcher, so that notice is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Discarding unparseable args" not in record.getMessage()


def quiet_worker_option_notices() -> None:
    for name in ("apache_beam.options.pipeline_options", "apache_beam.runners.portability.local_job_service"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DropUnparseableArgsNotice) for f in logger.filters):
            logger.addFilter(_DropUnparseableArgsNotice())


def argument_adder(parser: argparse.ArgumentParser):
    """``parser.add_argument`` that leaves out a flag another options class already declared.

    Beam parses the flags of every ``PipelineOptions`` subclass loaded in the process with one
    parser (``get_all_options``), so two entry points used in one process (the demo crawls, then
    builds) would fail on a flag both declare, such as ``--output_dir``. Such a shared flag must
    mean the same in both classes; each class's own view still lists it.
    """
    def add(*names, **kwargs) -> None:
        try:
            parser.add_argument(*names, **kwargs)
        except argparse.ArgumentError:
            if not any(n in parser._option_string_actions for n in names):
                raise

    return add
