"""manifest.json: serialisation, validation that names the field, and writing it last."""

from __future__ import annotations

import json

import pytest

from corpus.shards.files import LOCAL_FILES, FileOps
from corpus.shards.manifest import (
    FORMAT_VERSION,
    Manifest,
    ManifestError,
    ShardEntry,
    TokenizerInfo,
    read_manifest,
    write_manifest,
)

SHA = "ab" * 32
TOKENIZER = TokenizerInfo(path="tokenizer/spm.model", vocab_size=8000, sha256=SHA,
                          special_tokens={"pad": 0, "unk": 1, "bos": 2, "eos": 3}, model_type="unigram")


def entry(path: str, fmt: str = "arrow", docs: int = 2, tokens: int = 10, size: int = 100) -> ShardEntry:
    return ShardEntry(path=path, format=fmt, num_documents=docs, num_tokens=tokens, bytes=size, sha256=SHA)


def manifest(**kw) -> Manifest:
    splits = {"train": [entry("train/part-00000.arrow"), entry("train/part-00001.arrow", docs=3)],
              "validation": [entry("validation/part-00000.arrow", docs=1, tokens=4)]}
    return Manifest(tokenizer=TOKENIZER, splits=splits, build={"b": 1, "a": {"z": [1, 2]}},
                    created="2024-01-01T00:00:00+00:00", **kw)


def test_json_round_trip_and_totals():
    m = manifest()
    d = json.loads(m.to_json())
    assert list(d) == ["format_version", "created", "empty", "tokenizer", "splits", "totals", "dedup_index", "build"]
    assert d["empty"] is False and d["dedup_index"] is None
    assert d["format_version"] == FORMAT_VERSION
    assert d["totals"] == {"num_shards": 3, "num_documents": 6, "num_tokens": 24, "bytes": 300}
    assert d["splits"]["validation"] == {"num_shards": 1, "num_documents": 1, "num_tokens": 4, "bytes": 100,
                                         "shards": [entry("validation/part-00000.arrow", docs=1, tokens=4).to_dict()]}
    assert list(d["build"]) == ["a", "b"]
    assert Manifest.from_json(m.to_json()) == m


def test_two_formats_count_documents_once():
    splits = {"train": [entry("train/part-00000.arrow"), entry("train/part-00000.tar", "webdataset", size=700)],
              "validation": []}
    m = Manifest(tokenizer=TOKENIZER, splits=splits)
    assert m.formats == ("arrow", "webdataset")
    assert m.totals() == {"num_shards": 2, "num_documents": 2, "num_tokens": 10, "bytes": 800}


def test_formats_that_disagree_are_refused():
    splits = {"train": [entry("train/part-00000.arrow"), entry("train/part-00000.tar", "webdataset", docs=1)],
              "validation": []}
    with pytest.raises(ManifestError, match="'splits.train' must be the same documents and tokens in every format"):
        Manifest(tokenizer=TOKENIZER, splits=splits)


def _mutated(mutate) -> str:
    d = json.loads(manifest().to_json())
    mutate(d)
    return json.dumps(d)


@pytest.mark.parametrize("mutate, match", [
    (lambda d: d.pop("tokenizer"), "manifest field 'tokenizer' is missing"),
    (lambda d: d.update(format_version=99), "manifest field 'format_version' must be 1, got 99"),
    (lambda d: d["splits"].pop("validation"), "manifest field 'splits' must be an object with exactly the keys"),
    (lambda d: d["splits"]["train"]["shards"][1].update(sha256="xyz"),
     r"'splits.train.shards\[1\].sha256' must be 64 lowercase hex digits, got 'xyz'"),
    (lambda d: d["splits"]["train"]["shards"][0].update(num_tokens=-1),
     r"'splits.train.shards\[0\].num_tokens' must be a non-negative int, got -1"),
    (lambda d: d["splits"]["train"]["shards"][0].update(format="parquet"),
     r"'splits.train.shards\[0\].format' must be one of \('arrow', 'webdataset'\)"),
    (lambda d: d["splits"]["train"]["shards"][0].update(path="/etc/passwd"),
     r"splits.train.shards\[0\].path: '/etc/passwd' is not a relative posix path"),
    (lambda d: d["splits"]["train"]["shards"][0].update(path="train/../../x.arrow"),
     r"splits.train.shards\[0\].path: 'train/\.\./\.\./x\.arrow' is not a relative posix path"),
    (lambda d: d["splits"]["train"]["shards"][1].update(path="train/part-00000.arrow"),
     r"'splits.train.shards\[1\].path' must be unique"),
    (lambda d: d["splits"]["train"].update(num_documents=4), r"'splits.train.num_documents' must be 5"),
    (lambda d: d["totals"].update(bytes=1), "'totals' must be"),
    (lambda d: d["tokenizer"].update(vocab_size=0), "'tokenizer.vocab_size' must be a positive int, got 0"),
    (lambda d: d.update(tokenizer=None), "'tokenizer' must be a TokenizerInfo \\(the corpus has shards\\), got None"),
    (lambda d: d.update(empty=True), "'empty' must be False"),
    (lambda d: d.update(dedup_index={"parameters": {}, "num_records": 1, "files": [
        {"path": "dedup/s.jsonl", "num_records": 2, "bytes": 3, "sha256": SHA}]}),
     "'dedup_index.num_records' must be 2"),
    (lambda d: d.update(dedup_index={"parameters": {}, "num_records": 0, "files": [
        {"path": "../s.jsonl", "num_records": 0, "bytes": 3, "sha256": SHA}]}),
     r"dedup_index.files\[0\].path: '../s.jsonl' is not a relative posix path"),
    (lambda d: d["tokenizer"]["special_tokens"].update(eos=8000),
     r"'tokenizer.special_tokens.eos' must be an id in \[0, 8000\), got 8000"),
])
def test_validation_names_the_field(mutate, match):
    with pytest.raises(ManifestError, match=match):
        Manifest.from_json(_mutated(mutate), source="x/manifest.json")


def test_an_empty_corpus_and_a_dedup_index_round_trip():
    from corpus.shards.manifest import DedupIndexInfo, FileEntry

    empty = Manifest(tokenizer=None, splits={"train": [], "validation": []}, created="2024-01-01T00:00:00+00:00")
    assert empty.is_empty and json.loads(empty.to_json())["empty"] is True
    assert Manifest.from_json(empty.to_json()) == empty
    index = DedupIndexInfo({"num_perm": 128}, (FileEntry("dedup/b.jsonl", 2, 20, SHA), FileEntry("dedup/a.jsonl", 1, 9, SHA)))
    m = manifest(dedup_index=index)
    assert [e.path for e in m.dedup_index.files] == ["dedup/a.jsonl", "dedup/b.jsonl"]
    assert json.loads(m.to_json())["dedup_index"]["num_records"] == 3
    assert Manifest.from_json(m.to_json()) == m


def test_invalid_json_names_the_file():
    with pytest.raises(ManifestError, match="x/manifest.json: not valid JSON"):
        Manifest.from_json("{", source="x/manifest.json")


def test_build_config_must_be_json():
    with pytest.raises(ManifestError, match="manifest field 'build' must be JSON-serialisable"):
        Manifest(tokenizer=TOKENIZER, splits={"train": [], "validation": []}, build={"x": object()})


def test_write_manifest_goes_through_a_temporary_name(tmp_path):
    calls = []

    def opener(path, mode):
        calls.append(("open", path, mode))
        return open(path, mode)

    def rename(src, dst):
        calls.append(("rename", src, dst))
        (tmp_path / "manifest.json").write_bytes(open(src, "rb").read())

    files = FileOps(opener=opener, rename=rename, delete=LOCAL_FILES.delete, exists=LOCAL_FILES.exists)
    path = write_manifest(str(tmp_path), manifest(), files=files)
    tmp = f"{tmp_path}/.manifest.json.tmp"
    assert calls == [("open", tmp, "wb"), ("rename", tmp, f"{tmp_path}/manifest.json")]
    assert path == f"{tmp_path}/manifest.json"
    assert read_manifest(str(tmp_path)) == manifest()
