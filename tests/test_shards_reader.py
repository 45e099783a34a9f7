"""Reading a corpus directory: manifest first, checksums on request, nothing outside the directory."""

from __future__ import annotations

import gc
import json
import os

import numpy as np
import pytest

from corpus.shards import (
    Manifest,
    ManifestError,
    ShardConfig,
    ShardRecord,
    TokenizerInfo,
    open_corpus,
    split_of,
    write_manifest,
    write_shards,
)
from corpus.shards.reader import CorpusError
from corpus.shards.writer import MIN_SHARD_BYTES

TOKENIZER = TokenizerInfo(path="tokenizer/spm.model", vocab_size=1000, sha256="0" * 64,
                          special_tokens={"eos": 2}, model_type="bpe")


def records(n: int = 120) -> list[ShardRecord]:
    return [ShardRecord(f"d{i:04d}", np.full(i % 37 + 1, i % 1000, dtype=np.uint16), url=f"u{i}", source="jsonl",
                        language="en") for i in range(n)]


def build(root, recs, formats=("arrow",)) -> Manifest:
    config = ShardConfig(formats=formats, shard_bytes=MIN_SHARD_BYTES, validation_fraction=0.2)
    splits = {s: write_shards(str(root), s, [r for r in recs if split_of(r.id, 0.2) == s], config)
              for s in ("train", "validation")}
    manifest = Manifest(tokenizer=TOKENIZER, splits=splits, build={"shards": config.as_dict()})
    write_manifest(str(root), manifest)
    return manifest


def test_open_iterate_and_slice(tmp_path):
    recs = records(400)
    build(tmp_path, recs, formats=("arrow", "webdataset"))
    corpus = open_corpus(tmp_path, verify=True)
    assert corpus.formats == ("arrow", "webdataset")
    train = [r for r in recs if split_of(r.id, 0.2) == "train"]
    shards = corpus.shards("train")
    assert len(shards) > 2 and {e.format for e in shards} == {"arrow"}
    assert list(corpus.iter_documents("train")) == train
    assert list(corpus.iter_documents("train", format="webdataset")) == train
    # A rank's share: every other shard; together the two ranks read each document once.
    rank0 = list(corpus.iter_documents("train", slice(0, None, 2)))
    rank1 = list(corpus.iter_documents("train", slice(1, None, 2)))
    assert sorted(r.id for r in rank0 + rank1) == [r.id for r in train]
    assert list(corpus.read_shard(shards[1], verify=True)) == \
        list(corpus.iter_documents("train", slice(1, 2)))


def test_corpus_can_be_moved(tmp_path):
    recs = records(50)
    build(tmp_path / "a", recs)
    os.rename(tmp_path / "a", tmp_path / "b")
    corpus = open_corpus(tmp_path / "b", verify=True)
    assert sorted(list(corpus.iter_documents("train")) + list(corpus.iter_documents("validation")),
                  key=lambda r: r.id) == recs


def test_directory_without_manifest_is_an_incomplete_build(tmp_path):
    write_shards(str(tmp_path), "train", records(5))
    with pytest.raises(CorpusError, match="no manifest.json; the build is incomplete"):
        open_corpus(tmp_path)


def test_unknown_split_and_missing_format(tmp_path):
    build(tmp_path, records(10))
    corpus = open_corpus(tmp_path)
    with pytest.raises(CorpusError, match="no split 'test'"):
        corpus.shards("test")
    with pytest.raises(CorpusError, match=r"has no 'webdataset' shards \(it has \['arrow'\]\)"):
        corpus.shards("train", format="webdataset")


def test_wrong_checksum_is_refused_naming_the_shard(tmp_path):
    manifest = build(tmp_path, records(200))
    victim = manifest.splits["train"][1]
    path = tmp_path / victim.path
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, different content
    path.write_bytes(bytes(data))
    with pytest.raises(CorpusError, match=f"shard {victim.path} has sha256 [0-9a-f]{{64}}, the manifest says"):
        open_corpus(tmp_path, verify=True)
    corpus = open_corpus(tmp_path)  # not verified: opening is cheap and succeeds
    with pytest.raises(CorpusError, match=f"shard {victim.path} has sha256"):
        list(corpus.read_shard(victim, verify=True))
    list(corpus.read_shard(manifest.splits["train"][0], verify=True))  # the others still read


def test_truncated_or_missing_shard_is_refused(tmp_path):
    manifest = build(tmp_path, records(200))
    first, second = manifest.splits["train"][:2]
    (tmp_path / first.path).write_bytes((tmp_path / first.path).read_bytes()[:-10])
    (tmp_path / second.path).unlink()
    corpus = open_corpus(tmp_path)
    with pytest.raises(CorpusError, match=f"shard {first.path} has {first.bytes - 10} bytes, the manifest says "
                                          f"{first.bytes}"):
        corpus.verify_shard(first)
    with pytest.raises(CorpusError, match=f"shard {second.path} is missing"):
        corpus.verify_shard(second)


def test_path_outside_the_corpus_is_refused(tmp_path):
    build(tmp_path / "c", records(20))
    d = json.loads((tmp_path / "c" / "manifest.json").read_text())
    d["splits"]["train"]["shards"][0]["path"] = "../outside.arrow"
    (tmp_path / "c" / "manifest.json").write_text(json.dumps(d))
    with pytest.raises(ManifestError, match=r"'\.\./outside\.arrow' is not a relative posix path"):
        open_corpus(tmp_path / "c")


def test_symlink_escaping_the_corpus_is_refused(tmp_path):
    manifest = build(tmp_path / "c", records(20))
    entry = manifest.splits["train"][0]
    outside = tmp_path / "elsewhere.arrow"
    os.rename(tmp_path / "c" / entry.path, outside)
    os.symlink(outside, tmp_path / "c" / entry.path)
    corpus = open_corpus(tmp_path / "c")
    with pytest.raises(CorpusError, match=f"shard '{entry.path}' resolves to {outside}, outside the corpus"):
        list(corpus.iter_documents("train"))
    # A symlink that stays inside the directory is fine.
    os.unlink(tmp_path / "c" / entry.path)
    os.rename(outside, tmp_path / "c" / "real.arrow")
    os.symlink(tmp_path / "c" / "real.arrow", tmp_path / "c" / entry.path)
    assert len(list(open_corpus(tmp_path / "c", verify=True).iter_documents("train"))) == \
        manifest.totals()["num_documents"] - sum(e.num_documents for e in manifest.splits["validation"])


def test_arrow_tokens_stay_valid_after_the_shard_is_closed(tmp_path):
    recs = records(30)
    build(tmp_path, recs)
    corpus = open_corpus(tmp_path)
    kept = list(corpus.iter_documents("train"))  # generator finished: the memory map is closed

    gc.collect()
    assert kept == [r for r in recs if split_of(r.id, 0.2) == "train"]
