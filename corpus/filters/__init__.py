"""Document quality rules: Gopher quality and repetition, C4, FineWeb, and their runner.

Each family is a pure filter ``fn(doc, *, config, counter) -> Verdict`` that does not count
its own drops; :func:`corpus.filters.ruleset.apply_quality` runs them in a fixed order with
per-language thresholds and counts exactly one reason per dropped document.
"""
