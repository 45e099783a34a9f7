from __future__ import annotations

import pytest

from corpus import Document
from corpus.rejects import RejectSampleConfig, reject_record, should_keep_reject


def test_sampling_is_deterministic_and_near_the_rate():
    cfg = RejectSampleConfig(rate=0.1)
    ids = [f"doc{i}" for i in range(20000)]
    first = [should_keep_reject(i, "gopher:symbol_ratio", cfg) for i in ids]
    assert first == [should_keep_reject(i, "gopher:symbol_ratio", cfg) for i in ids]
    assert 0.09 < sum(first) / len(ids) < 0.11
    # A different reason samples different documents.
    other = [should_keep_reject(i, "c4:lorem_ipsum", cfg) for i in ids]
    assert other != first


def test_rates_zero_one_and_per_reason_override():
    cfg = RejectSampleConfig(rate=0.0, rate_by_reason={"dedup:exact": 1.0})
    assert not any(should_keep_reject(f"d{i}", "gopher:x", cfg) for i in range(1000))
    assert all(should_keep_reject(f"d{i}", "dedup:exact", cfg) for i in range(1000))


@pytest.mark.parametrize("kwargs,field", [({"rate": 1.5}, "rate"), ({"rate": -0.1}, "rate"),
                                          ({"rate_by_reason": {"a:b": 2}}, "rate_by_reason"),
                                          ({"max_text_chars": -1}, "max_text_chars")])
def test_config_validation_names_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"RejectSampleConfig.{field}"):
        RejectSampleConfig(**kwargs)


def test_reject_record_truncates_text():
    doc = Document.create("jsonl", "1", "x" * 50, url="http://a", meta={"language": "en"})
    rec = reject_record(doc, "c4:curly_brace", RejectSampleConfig(max_text_chars=10))
    assert rec == {"reason": "c4:curly_brace", "id": doc.id, "source": "jsonl", "url": "http://a",
                   "language": "en", "chars": 50, "text": "x" * 10, "truncated": True, "detail": None}


def test_extractor_failures_are_all_kept_with_their_error():
    from corpus.rejects import should_keep_reject

    config = RejectSampleConfig(rate=0.0)
    assert all(should_keep_reject(f"id{i}", "extract:error", config) for i in range(50))
    doc = Document.create("warc", "1", "<html>", meta={"drop_detail": "trafilatura: ValueError: bad"})
    assert reject_record(doc, "extract:error", config)["detail"] == "trafilatura: ValueError: bad"
