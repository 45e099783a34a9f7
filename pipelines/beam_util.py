"""Small adapters between the corpus protocols and Beam."""
from __future__ import annotations

from apache_beam.metrics import Metrics

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
