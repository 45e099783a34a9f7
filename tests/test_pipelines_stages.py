from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to

from corpus import KEEP, DictCounter, Document, Verdict
from corpus.stage import run_stage
from pipelines.stages import DROPPED, KEPT, ApplyStage


def upper_or_drop(doc, *, config, counter):
    if config["drop_word"] in doc.text:
        return Verdict.drop("test:has_word")
    counter("test:uppered")
    return doc.with_text(doc.text.upper())


def short_filter(doc, *, config, counter):
    return KEEP if len(doc.text) <= config else Verdict.drop("test:too_long")


def test_run_stage_counts_each_drop_once():
    counter = DictCounter()
    docs = [Document("a", "keep me", "t"), Document("b", "spam here", "t")]
    results = [run_stage(upper_or_drop, d, config={"drop_word": "spam"}, counter=counter) for d in docs]
    assert results[0].text == "KEEP ME" and results[1] == Verdict.drop("test:has_word")
    assert counter.as_dict() == {"dropped:test:has_word": 1, "test:uppered": 1}
    # A filter's KEEP passes the same document on.
    assert run_stage(short_filter, docs[0], config=10) is docs[0]


def test_run_stage_rejects_a_wrong_return_type():
    with pytest.raises(TypeError, match="expected a Document or a Verdict"):
        run_stage(lambda d, config, counter: None, Document("a", "x", "t"), config=None)


def test_apply_stage_in_beam():
    docs = [Document("a", "fine", "t"), Document("b", "spam", "t"), Document("c", "much too long text", "t")]
    with BeamTestPipeline() as p:
        pc = p | beam.Create(docs)
        first = pc | "Upper" >> ApplyStage(upper_or_drop, {"drop_word": "spam"})
        second = first[KEPT] | "Short" >> ApplyStage(short_filter, 10)
        assert_that(second[KEPT] | beam.Map(lambda d: (d.id, d.text)), equal_to([("a", "FINE")]), label="kept")
        dropped = (first[DROPPED], second[DROPPED]) | beam.Flatten()
        assert_that(dropped | beam.Map(lambda dr: (dr[0].id, dr[1])),
                    equal_to([("b", "test:has_word"), ("c", "test:too_long")]), label="dropped")


def test_split_by_tag_refuses_an_unknown_tag():
    from pipelines.beam_util import SplitByTag

    with pytest.raises(Exception, match="unknown tag 'other'"):
        with BeamTestPipeline() as p:
            _ = p | beam.Create([("a", 1), ("other", 2)]) | SplitByTag(("a", "b"))
