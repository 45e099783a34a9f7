"""WriteShards in Beam: shards and manifest, the same for any number of workers, and reruns."""

from __future__ import annotations

import json

import apache_beam as beam
import numpy as np
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to

from corpus.shards import ShardConfig, ShardRecord, TokenizerInfo, open_corpus, read_manifest, split_of
from corpus.shards.writer import MIN_SHARD_BYTES
from pipelines.write import WriteShards

TOKENIZER = TokenizerInfo(path="tokenizer/spm.model", vocab_size=32000, sha256="1" * 64,
                          special_tokens={"pad": 0, "unk": 1, "bos": 2, "eos": 3}, model_type="unigram")
CONFIG = ShardConfig(formats=("arrow", "webdataset"), shard_bytes=MIN_SHARD_BYTES * 2, validation_fraction=0.1)


def make_records(n: int = 300) -> list[ShardRecord]:
    rng = np.random.default_rng(3)
    return [ShardRecord(f"{i * 7919 % 100003:06d}", rng.integers(0, 32000, int(rng.integers(1, 300)), dtype=np.uint16),
                        url=f"https://example.org/{i}", source="warc", language="en") for i in range(n)]


def run(out, records, config=CONFIG, options=None, **kw):
    with beam.Pipeline(options=PipelineOptions(options or [])) as p:
        p | beam.Create(records) | WriteShards(str(out), config, tokenizer=TOKENIZER, build={"input": "x"}, **kw)


def manifest_without_created(out) -> dict:
    d = json.loads((out / "manifest.json").read_text())
    d.pop("created")
    return d


def test_write_shards_writes_a_readable_corpus(tmp_path):
    records = make_records()
    with BeamTestPipeline() as p:
        manifests = (p | beam.Create(records)
                     | WriteShards(str(tmp_path), CONFIG, tokenizer=TOKENIZER, build={"input": "x"}))
        assert_that(manifests | beam.Map(lambda m: (m.totals()["num_documents"], m.build)),
                    equal_to([(300, {"input": "x", "shards": CONFIG.as_dict()})]))
    corpus = open_corpus(tmp_path, verify=True)
    assert corpus.manifest.tokenizer == TOKENIZER
    for split in ("train", "validation"):
        expected = sorted((r for r in records if split_of(r.id, 0.1) == split), key=lambda r: r.id)
        for fmt in ("arrow", "webdataset"):
            shards = corpus.shards(split, fmt)
            ext = ".arrow" if fmt == "arrow" else ".tar"
            assert [e.path for e in shards] == [f"{split}/part-{i:05d}{ext}" for i in range(len(shards))]
            assert all(e.bytes <= CONFIG.shard_bytes for e in shards)
            got = list(corpus.iter_documents(split, format=fmt))
            assert sorted(got, key=lambda r: r.id) == expected
    assert len(corpus.shards("train")) > 2
    # Nothing but shards and the manifest: no temporary files left behind.
    names = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert names == sorted(["manifest.json"] + [e.path for s in corpus.manifest.splits.values() for e in s])


def test_same_manifest_and_bytes_with_one_and_two_workers(tmp_path):
    records = make_records(200)
    run(tmp_path / "one", records)
    run(tmp_path / "two", records[::-1],
        options=["--direct_num_workers=2", "--direct_running_mode=multi_processing"])
    one, two = manifest_without_created(tmp_path / "one"), manifest_without_created(tmp_path / "two")
    assert one == two
    for split in one["splits"].values():
        for shard in split["shards"]:
            assert (tmp_path / "one" / shard["path"]).read_bytes() == (tmp_path / "two" / shard["path"]).read_bytes()


def test_existing_manifest_is_refused_unless_overwrite(tmp_path):
    records = make_records(120)
    run(tmp_path, records)
    first = manifest_without_created(tmp_path)
    with pytest.raises(FileExistsError, match="manifest.json exists .* pass overwrite=True"):
        run(tmp_path, records)
    stale = tmp_path / "train" / "part-00099.arrow"
    stale.write_bytes(b"left by an earlier, larger build")
    run(tmp_path, records, overwrite=True)
    assert manifest_without_created(tmp_path) == first
    assert not stale.exists()


def test_tokenizer_as_side_input_and_empty_input(tmp_path):
    with BeamTestPipeline() as p:
        tokenizer = p | "Tok" >> beam.Create([TOKENIZER])
        p | beam.Create([]) | WriteShards(str(tmp_path), ShardConfig(), tokenizer=tokenizer)
    manifest = read_manifest(str(tmp_path))
    assert manifest.tokenizer == TOKENIZER
    assert manifest.splits == {"train": (), "validation": ()}
    assert manifest.totals() == {"num_shards": 0, "num_documents": 0, "num_tokens": 0, "bytes": 0}


def test_duplicate_ids_are_refused(tmp_path):
    record = make_records(1)[0]
    with pytest.raises(Exception, match=f"document id '{record.id}' occurs twice"):
        run(tmp_path, [record, record], config=ShardConfig())
    assert not (tmp_path / "manifest.json").exists()


def test_bad_arguments():
    with pytest.raises(TypeError, match="config must be a ShardConfig"):
        WriteShards("out", {"shard_bytes": 1}, tokenizer=TOKENIZER)
    with pytest.raises(TypeError, match="tokenizer must be a TokenizerInfo or a PCollection"):
        with BeamTestPipeline() as p:
            p | beam.Create([]) | WriteShards("/nonexistent/out", ShardConfig(), tokenizer={"path": "x"})
