"""Opening a corpus for training: local paths and fsspec URLs, through the verifying reader."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import fsspec
import pytest
from _data_corpus import build_corpus, tokenizer_dir

from corpus.shards.reader import CorpusError
from training.data import DataConfig, build_train_loader, open_training_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("source")
    build_corpus(base / "corpus", tokenizer_dir(base), train_docs=150, validation_docs=6)
    return base / "corpus"


def to_memory(local: Path, url: str) -> str:
    fs = fsspec.filesystem("memory")
    for path in local.rglob("*"):
        if path.is_file():
            fs.pipe(f"{url}/{path.relative_to(local).as_posix()}", path.read_bytes())
    return url


def first_batches(path: str, n: int = 3, **kw) -> list:
    cfg = DataConfig(path=path, seq_len=32, shuffle_window=8, **kw)
    loader = build_train_loader(cfg, batch_size=2)
    return [(b["records"], b["input_ids"].tolist()) for b in itertools.islice(iter(loader), n)]


@pytest.mark.timeout(120)
def test_local_path_file_url_and_memory_url_read_the_same(corpus, tmp_path):
    expected = first_batches(str(corpus))
    assert first_batches(f"file://{corpus}") == expected
    url = to_memory(corpus, "memory://same/corpus")
    cache = tmp_path / "cache"
    assert first_batches(url, cache_dir=str(cache), num_workers=2) == expected
    copied = sorted(p.name for p in cache.rglob("*.arrow"))
    assert copied and not list(cache.rglob("*.tmp*"))  # fetched, verified and renamed; no partial copies
    info = open_training_corpus(url, cache_dir=str(cache))
    assert info.tokenizer_dir == "memory://same/corpus/tokenizer"
    assert open_training_corpus(str(corpus)).tokenizer_dir == f"{corpus}/tokenizer"
    assert info.special_ids == {"pad": 0, "unk": 1, "bos": 2, "eos": 3, "cls": 4, "sep": 5, "mask": 6}
    assert info.vocab_size == open_training_corpus(str(corpus)).vocab_size
    assert info.manifest_sha256 == open_training_corpus(str(corpus)).manifest_sha256


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def whole_epoch(path: str, **kw) -> None:
    cfg = DataConfig(path=path, seq_len=32, shuffle_window=8, **kw)
    loader = build_train_loader(cfg, batch_size=2)
    for _ in itertools.islice(iter(loader), loader.stats.micro_batches):
        pass


@pytest.mark.timeout(120)
def test_corrupted_shard_is_refused_with_its_name(corpus, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(corpus, bad)
    manifest = json.loads((bad / "manifest.json").read_text())
    shards = [s["path"] for s in manifest["splits"]["train"]["shards"]]
    assert len(shards) >= 2
    victim = shards[1]
    corrupt(bad / victim)
    pattern = rf"corpus {bad}: shard {victim} has sha256 [0-9a-f]{{64}}, the manifest says"
    with pytest.raises(CorpusError, match=pattern):
        whole_epoch(str(bad))
    with pytest.raises(CorpusError, match=pattern):  # the same with a data-loader worker
        whole_epoch(str(bad), num_workers=1)
    url = to_memory(bad, "memory://bad/corpus")
    with pytest.raises(CorpusError, match=rf"corpus memory://bad/corpus: shard {victim} has sha256"):
        whole_epoch(url, cache_dir=str(tmp_path / "cache"))
    cached = {p.relative_to(p.parents[1]).as_posix() for p in (tmp_path / "cache").rglob("*.arrow*")}
    assert victim not in cached and not any(".tmp" in p for p in cached)  # a refused copy is deleted


def test_a_bad_cached_copy_is_fetched_again(corpus, tmp_path):
    url = to_memory(corpus, "memory://recache/corpus")
    cache = tmp_path / "cache"
    expected = first_batches(url, cache_dir=str(cache))
    for path in cache.rglob("*.arrow"):
        corrupt(path)
    assert first_batches(url, cache_dir=str(cache)) == expected


def test_unfinished_or_empty_corpus_is_refused(corpus, tmp_path):
    unfinished = tmp_path / "unfinished"
    shutil.copytree(corpus, unfinished)
    (unfinished / "manifest.json").unlink()
    with pytest.raises(CorpusError, match=rf"corpus {unfinished}: no manifest.json; the build did not finish"):
        open_training_corpus(str(unfinished))
    with pytest.raises(CorpusError, match=r"corpus memory://nothing/here: no manifest.json; the build did not finish"):
        open_training_corpus("memory://nothing/here")
    with pytest.raises(CorpusError, match=r"not a directory"):
        open_training_corpus(str(tmp_path / "absent"))
    empty = tmp_path / "empty"
    build_corpus(empty, tokenizer_dir(corpus.parent), train_docs=5, validation_docs=0)
    with pytest.raises(CorpusError, match=rf"corpus {empty}: split 'validation' holds no documents"):
        build_train_loader(DataConfig(path=str(empty), split="validation", seq_len=32), batch_size=1)


def test_webdataset_only_corpus_and_wrong_tokenizer_are_refused(corpus, tmp_path):
    tar_only = tmp_path / "tar"
    build_corpus(tar_only, tokenizer_dir(corpus.parent), train_docs=5, validation_docs=1, formats=("webdataset",))
    with pytest.raises(CorpusError, match=r"split 'train' has only \['webdataset'\] shards; training reads Arrow"):
        build_train_loader(DataConfig(path=str(tar_only), seq_len=32), batch_size=1)
    wrong = tmp_path / "wrong"
    shutil.copytree(corpus, wrong)
    corrupt(wrong / "tokenizer" / "spm.model")
    with pytest.raises(CorpusError, match=r"tokenizer tokenizer/spm.model has sha256 [0-9a-f]{64}, the manifest says"):
        open_training_corpus(str(wrong)).vocab()


@pytest.mark.timeout(120)
def test_reading_batches_does_not_import_pandas(corpus):
    """pyarrow's ``to_numpy`` imports pandas on first use (~0.3 s on every run's first batch); the shard reader
    takes its NumPy views from the buffers instead (corpus.shards.arrow.numpy_view)."""
    code = ("import sys; from training.data import DataConfig, build_train_loader; "
            f"batch = next(iter(build_train_loader(DataConfig(path={str(corpus)!r}, seq_len=32), batch_size=2))); "
            "assert batch['input_ids'].shape == (2, 32); print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
