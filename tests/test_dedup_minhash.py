"""Vectorised MinHash signatures equal datasketch's for the same seed and hash function."""
from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHash

from corpus.dedup import minhash as mh
from corpus.dedup.minhash import MinHashParams, jaccard_estimate, shingle_hash, shingles_as_bytes, signatures

TEXTS = [
    "The quick brown fox jumps over the lazy dog, again and again, until the dog wakes up.",
    "",
    "...!!! ,,,",
    "two words",
    "Ünïcödé wörds ärë fïnë; Straße, CAFÉ and café fold to the same tokens.",
    "猫が好きです。東京は大きい都市です。毎日電車で会社に行きます。",
    "中文没有空格，所以每个字都是一个词元。这是第二句话。",
    "Mixed 日本語 and English text with numbers 123 and 4567.",
]


def reference(text: str, params: MinHashParams) -> np.ndarray:
    m = MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=shingle_hash)
    for shingle in shingles_as_bytes(text, params.ngram):
        m.update(shingle)
    return m.hashvalues


@pytest.mark.parametrize("params", [MinHashParams(), MinHashParams(num_perm=64, seed=7, ngram=3),
                                    MinHashParams(num_perm=256, ngram=1)])
def test_signatures_equal_datasketch(params):
    sigs = signatures(TEXTS, params)
    assert sigs.shape == (len(TEXTS), params.num_perm) and sigs.dtype == np.uint32
    for text, sig in zip(TEXTS, sigs):
        assert np.array_equal(sig, reference(text, params)), text


def test_batches_across_block_boundaries_equal_one_at_a_time(monkeypatch):
    monkeypatch.setattr(mh, "_BLOCK_ROWS", 7)  # force documents to straddle blocks
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(300)]
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 40))) for _ in range(30)]
    batch = signatures(texts)
    for text, sig in zip(texts, batch):
        assert np.array_equal(sig, signatures([text])[0])
        assert np.array_equal(sig, reference(text, MinHashParams()))


def test_empty_text_has_the_empty_signature():
    assert (signatures([""])[0] == np.uint32(0xFFFFFFFF)).all()
    assert np.array_equal(signatures([""])[0], MinHash(num_perm=128, seed=1).hashvalues)


def test_tokenize_folds_case_and_punctuation_and_splits_cjk():
    assert mh.tokenize("Hello, WORLD! it's") == ["hello", "world", "it", "s"]
    assert mh.tokenize("東京は大きい") == ["東", "京", "は", "大", "き", "い"]
    assert mh.tokenize("snake_case x") == ["snake", "case", "x"]


def test_estimate_tracks_true_jaccard():
    rng = random.Random(0)
    vocab = [f"w{i}" for i in range(5000)]
    base = [rng.choice(vocab) for _ in range(400)]
    edited = list(base)
    for i in rng.sample(range(400), 12):
        edited[i] = "changed"
    a, b = signatures([" ".join(base), " ".join(edited)], MinHashParams(num_perm=256))

    def shingles(words):
        return {tuple(words[i:i + 5]) for i in range(len(words) - 4)}

    true = len(shingles(base) & shingles(edited)) / len(shingles(base) | shingles(edited))
    assert abs(jaccard_estimate(a, b) - true) < 0.08


@pytest.mark.parametrize("kwargs,field", [({"num_perm": 0}, "num_perm"), ({"seed": -1}, "seed"),
                                          ({"ngram": 0}, "ngram"), ({"num_perm": 1.5}, "num_perm")])
def test_params_validation_names_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"MinHashParams.{field}"):
        MinHashParams(**kwargs)


def test_shingle_sets_and_exact_jaccard():
    a = "one two three four five six seven eight nine ten"
    b = "one two three four five six seven eight nine eleven"
    sa, sb, se = mh.shingle_sets([a, b, ""])
    assert len(sa) == 6 and len(sb) == 6 and len(se) == 0
    assert list(sa) == sorted(set(sa))
    assert mh.exact_jaccard(sa, sb) == pytest.approx(5 / 7)
    assert mh.exact_jaccard(sa, sa) == 1.0
    # texts without shingles are never near duplicates of anything, not even of each other
    assert mh.exact_jaccard(se, se) == 0.0 and mh.exact_jaccard(sa, se) == 0.0


def test_empty_signatures_never_match():
    from corpus.dedup.lsh import LshParams, band_keys, similar

    empty, also_empty, text = mh.signatures(["...", "!!! ???", "one two three four five six"])
    assert mh.is_empty_signature(empty) and mh.is_empty_signature(also_empty)
    assert not mh.is_empty_signature(text)
    params = LshParams.optimal()
    assert band_keys(empty, params) == [] and len(band_keys(text, params)) == params.bands
    assert not similar(empty, also_empty, 0.8) and similar(text, text, 0.8)
