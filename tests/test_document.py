"""The Document / Verdict contract and the counter protocol."""
from __future__ import annotations

import dataclasses
import pickle

import pytest

from corpus import KEEP, DictCounter, Document, Verdict, make_doc_id, noop_counter
from corpus.counters import drop_counter_name


def test_ids_are_stable_and_distinct():
    a = make_doc_id("warc", "<urn:uuid:1>")
    assert a == make_doc_id("warc", "<urn:uuid:1>")
    assert len(a) == 32 and int(a, 16) >= 0
    assert a != make_doc_id("warc", "<urn:uuid:2>")
    assert a != make_doc_id("jsonl", "<urn:uuid:1>")
    # The separator keeps (source, id) pairs apart that would concatenate equally.
    assert make_doc_id("ab", "c") != make_doc_id("a", "bc")


def test_id_is_a_pinned_value():
    # Changing the id scheme changes every corpus built so far: it must be deliberate.
    assert make_doc_id("jsonl", "42") == "f0458265474136b435fff31e7c6c1ed6"
    assert make_doc_id("jsonl", 42) == make_doc_id("jsonl", "42")


@pytest.mark.parametrize("source,native", [("", "1"), ("warc", ""), ("warc", None)])
def test_id_needs_source_and_native_id(source, native):
    with pytest.raises(ValueError):
        make_doc_id(source, native)


def test_document_is_immutable_and_copies_meta():
    meta = {"title": "T"}
    d = Document.create("jsonl", "1", "hello", url="http://x", meta=meta)
    meta["title"] = "changed"
    assert d.meta["title"] == "T"
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.text = "other"  # type: ignore[misc]
    d2 = d.with_meta(language="en").with_text("bye")
    assert d.meta == {"title": "T"} and d.text == "hello"
    assert d2.meta == {"title": "T", "language": "en"} and d2.text == "bye" and d2.id == d.id


def test_document_is_hashable_and_picklable():
    d = Document.create("jsonl", "1", "hello", meta={"a": [1, 2]})
    assert hash(d) == hash(Document(d.id, "hello", "jsonl", "", {"other": 1}))
    assert pickle.loads(pickle.dumps(d)) == d


@pytest.mark.parametrize("kwargs,exc,match", [
    ({"id": "", "text": "t", "source": "s"}, ValueError, "Document.id"),
    ({"id": "i", "text": b"t", "source": "s"}, TypeError, "Document.text"),
    ({"id": "i", "text": "t", "source": ""}, ValueError, "Document.source"),
    ({"id": "i", "text": "t", "source": "s", "url": None}, TypeError, "Document.url"),
    ({"id": "i", "text": "t", "source": "s", "meta": []}, TypeError, "Document.meta"),
])
def test_document_validation_names_the_field(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        Document(**kwargs)


def test_verdicts():
    assert KEEP.keep and bool(KEEP) and KEEP.reason is None
    v = Verdict.drop("gopher:symbol_ratio")
    assert not v and v.reason == "gopher:symbol_ratio"
    assert drop_counter_name(v.reason) == "dropped:gopher:symbol_ratio"
    for bad in ("", "nocolon", "Gopher:Upper", "gopher:"):
        with pytest.raises(ValueError, match="reason code"):
            Verdict.drop(bad)
    with pytest.raises(ValueError, match="no reason"):
        Verdict(True, "gopher:x")


def test_counters():
    assert noop_counter("x") is None
    c = DictCounter()
    c("b")
    c("a", 3)
    c("b", 2)
    c("zero", 0)
    assert c.as_dict() == {"a": 3, "b": 3}
    assert c["missing"] == 0
