"""Beam tokenizer stage: trained once on the deterministic sample, ids equal to direct encoding."""
from __future__ import annotations

import apache_beam as beam
import numpy as np
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from corpus.document import Document
from corpus.shards.record import ShardRecord
from corpus.tokenizer import Encoder, TokenizerConfig, select_sample, train_tokenizer
from pipelines.tokenize import ExistingTokenizer, TokenizeDocuments, TrainTokenizer

WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau "
         "upsilon phi chi psi omega Straße Größe Москва столица 東京 京都").split()
DOCS = [Document(id=f"d{i:03d}", source="jsonl", url=f"https://example.org/{i}",
                 meta={"language": "en"} if i % 2 else {},
                 text="\n".join(" ".join(WORDS[(i * k + j) % len(WORDS)] for j in range(12)) for k in range(1, 4)))
        for i in range(40)]
CONFIG = TokenizerConfig(vocab_size=400, sample_documents=25, sample_chars=5_000, num_threads=2)


def _counter(result, name: str) -> int:
    metrics = result.metrics().query(MetricsFilter().with_name(name))["counters"]
    return sum(m.committed for m in metrics)


def _expected(tokenizer_dir, keep_text: bool) -> list[ShardRecord]:
    arrays = Encoder(tokenizer_dir).encode_batch([d.text for d in DOCS])
    return [ShardRecord(id=d.id, tokens=a, url=d.url, source=d.source, language=d.meta.get("language", ""),
                        text=d.text if keep_text else None) for d, a in zip(DOCS, arrays)]


def test_train_once_and_tokenize(tmp_path):
    reference = train_tokenizer(select_sample(DOCS, CONFIG), tmp_path / "direct", CONFIG)
    expected = _expected(tmp_path / "direct", keep_text=True)
    work = str(tmp_path / "work")
    p = TestPipeline()
    docs = p | beam.Create(DOCS)
    info = docs | TrainTokenizer(CONFIG, work)
    records = docs | TokenizeDocuments(info, keep_text=True, min_batch=3, max_batch=7)
    assert_that(info | beam.Map(lambda i: (i.sha256, i.vocab_size, i.path)),
                equal_to([(reference.sha256, reference.vocab_size, str(tmp_path / "work" / "tokenizer"))]),
                label="info")
    assert_that(records, equal_to(expected), label="records")
    result = p.run()
    result.wait_until_finish()
    assert _counter(result, "tokenizer:trained") == 1
    assert _counter(result, "tokenizer:sample_documents") == len(select_sample(DOCS, CONFIG))
    assert _counter(result, "tokenize:documents") == len(DOCS)
    assert 1 <= _counter(result, "tokenize:model_loads") <= 2  # once per DoFn instance, not per batch
    assert (tmp_path / "work" / "tokenizer" / "spm.model").read_bytes() == (
        tmp_path / "direct" / "spm.model").read_bytes()
    assert sorted(f.name for f in (tmp_path / "work" / "tokenizer").iterdir()) == [
        "special_tokens_map.json", "spm.model", "spm.vocab", "tokenizer.json", "tokenizer_config.json"]


def test_existing_tokenizer_is_not_retrained(tmp_path):
    train_tokenizer([d.text for d in DOCS], tmp_path / "given", CONFIG)
    expected = _expected(tmp_path / "given", keep_text=False)
    p = TestPipeline()
    info = p | ExistingTokenizer(str(tmp_path / "given" / "spm.model"), str(tmp_path / "work"))
    records = p | "Docs" >> beam.Create(DOCS) | TokenizeDocuments(info)
    assert_that(records, equal_to(expected))
    assert_that(records | beam.Map(lambda r: (r.text, r.tokens.dtype, int(r.tokens[-1]))),
                equal_to([(None, np.dtype(np.uint16), 3)] * len(DOCS)), label="eos")
    result = p.run()
    result.wait_until_finish()
    assert _counter(result, "tokenizer:trained") == 0
    assert (tmp_path / "work" / "tokenizer" / "spm.model").read_bytes() == (
        tmp_path / "given" / "spm.model").read_bytes()
