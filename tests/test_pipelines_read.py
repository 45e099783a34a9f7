"""ReadSources in a TestPipeline: the three outputs match read_path, file by file."""
from __future__ import annotations

import os
import re
from collections import Counter

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from test_sources_dispatch import jsonl_bytes, warc_bytes, wiki_xml

from corpus import sample
from corpus.document import Document
from corpus.sources import DeadLetter, Skipped, SourceConfig, read_path
from pipelines.read import DEAD_LETTERS, DOCUMENTS, SKIPPED, ReadSources


def _expected(paths, config):
    results = [r for p in paths for r in read_path(str(p), config=config)]
    return ([r for r in results if isinstance(r, Document)], [r for r in results if isinstance(r, Skipped)],
            [r for r in results if isinstance(r, DeadLetter)])


def test_mixed_input_gives_the_same_three_outputs_as_read_path(tmp_path):
    (tmp_path / "a.warc.gz").write_bytes(warc_bytes(5))
    (tmp_path / "b.jsonl").write_bytes(jsonl_bytes(4))
    (tmp_path / "c.xml").write_bytes(wiki_xml(3))
    config = SourceConfig()
    docs, skipped, dead = _expected(sorted(tmp_path.iterdir()), config)
    assert (len(docs), len(skipped), len(dead)) == (12, 1, 1)
    with TestPipeline() as p:
        # The jsonl file matches both patterns and is still read once.
        out = p | "Read" >> ReadSources([str(tmp_path / "*"), str(tmp_path / "*.jsonl")], config)
        assert_that(out[DOCUMENTS], equal_to(docs), label="Documents")
        assert_that(out[SKIPPED], equal_to(skipped), label="Skipped")
        assert_that(out[DEAD_LETTERS], equal_to(dead), label="DeadLetters")


def test_split_warc_reads_the_same_documents_as_read_path(tmp_path):
    path = tmp_path / "big.warc.gz"
    path.write_bytes(warc_bytes(30))
    config = SourceConfig(split_bytes=path.stat().st_size // 5)
    docs, skipped, _ = _expected([path], config)
    with TestPipeline() as p:
        out = p | "Read" >> ReadSources([str(path)], config)
        assert_that(out[DOCUMENTS] | "Ids" >> beam.Map(lambda d: d.id), equal_to([d.id for d in docs]),
                    label="SameIds")
        assert_that(out[SKIPPED], equal_to(skipped), label="Skipped")
        assert_that(out[DEAD_LETTERS], equal_to([]), label="NoDeadLetters")


def test_a_pattern_matching_nothing_fails_naming_it(tmp_path):
    (tmp_path / "b.jsonl").write_bytes(jsonl_bytes(1))
    missing = str(tmp_path / "nothing-*.warc.gz")
    with pytest.raises(ValueError, match=re.escape(f"ReadSources: no input file matches {missing!r}")):
        with TestPipeline() as p:
            _ = p | "Read" >> ReadSources([str(tmp_path / "b.jsonl"), missing])


def test_patterns_must_be_a_list():
    with pytest.raises(TypeError, match="ReadSources: patterns must be a list"):
        ReadSources("data/*.warc.gz")


def _file_and_outcome(outcome: str):
    def key(result) -> tuple[str, str]:
        path = result.meta["path"] if isinstance(result, Document) else result.path
        return os.path.basename(path), outcome
    return key


def test_sample_corpus_outputs_agree_with_planted_cases():
    """Every planted case lands where planted.json says: keep/drop → document, skip, dead_letter."""
    outcome = {"keep": "document", "drop": "document", "skip": "skipped", "dead_letter": "dead_letter"}
    expected = Counter((case["file"], outcome[case["expect"]]) for case in sample.cases())
    # Small splits so that the WARC and the multistream dump are read in several pieces.
    config = SourceConfig(split_bytes=40_000, wiki_streams_per_split=1)
    patterns = [str(sample.DATA_DIR / "*.warc.gz"), str(sample.DATA_DIR / "wiki-multistream*.bz2"),
                str(sample.JSONL), *(str(path) for path in sample.THREADS)]
    with TestPipeline() as p:
        out = p | "Read" >> ReadSources(patterns, config)
        keyed = [out[DOCUMENTS] | "KeyDocs" >> beam.Map(_file_and_outcome("document")),
                 out[SKIPPED] | "KeySkipped" >> beam.Map(_file_and_outcome("skipped")),
                 out[DEAD_LETTERS] | "KeyDead" >> beam.Map(_file_and_outcome("dead_letter"))]
        counts = tuple(keyed) | "All" >> beam.Flatten() | "Count" >> beam.combiners.Count.PerElement()
        assert_that(counts, equal_to(list(expected.items())))
