"""Small synthetic corpora for the training-data tests, written with the project's own writers.

Text: sentences of a small word list, several per line, several lines per document; a real
sentencepiece tokenizer (corpus.tokenizer) is trained on it, the documents are encoded with eos,
written as Arrow (and optionally tar) shards, and the manifest last — as ``corpusforge build``
does, in well under a second.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import numpy as np

from corpus.shards import Manifest, ShardConfig, ShardRecord, write_manifest, write_shards
from corpus.shards.writer import MIN_SHARD_BYTES
from corpus.tokenizer import Encoder, TokenizerConfig, train_tokenizer
from corpus.tokenizer.train import TokenizerInfo

WORDS = ("the a river town bank road north south green old new people water light house field stone king "
         "queen over under between after before during without harbour mountain seventeen").split()
VOCAB_SIZE = 400


def document_text(rng: random.Random, max_lines: int = 5) -> str:
    def sentence() -> str:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
        return words.capitalize() + rng.choice([".", ".", "!", "?"])
    lines = [" ".join(sentence() for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, max_lines))]
    return "\n".join(lines)


def texts(n: int, seed: int = 0, max_lines: int = 5) -> list[str]:
    rng = random.Random(seed)
    return [document_text(rng, max_lines) for _ in range(n)]


_TOKENIZER_CACHE: dict[str, Path] = {}


def tokenizer_dir(base: Path) -> Path:
    """A tokenizer trained once per test session (the caller passes a session-wide directory)."""
    key = str(base)
    if key not in _TOKENIZER_CACHE:
        out = base / "tokenizer"
        if not (out / "spm.model").is_file():
            train_tokenizer(texts(300, seed=99), out, TokenizerConfig(vocab_size=VOCAB_SIZE, num_threads=1))
        _TOKENIZER_CACHE[key] = out
    return _TOKENIZER_CACHE[key]


def build_corpus(root: Path, tok_dir: Path, *, train_docs: int = 60, validation_docs: int = 8, seed: int = 0,
                 shard_bytes: int = MIN_SHARD_BYTES, formats: tuple[str, ...] = ("arrow",),
                 max_lines: int = 5) -> Manifest:
    """Write a corpus directory at ``root``: tokenizer/, train/ and validation/ shards, manifest.json."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(tok_dir, root / "tokenizer", dirs_exist_ok=True)
    encoder = Encoder(root / "tokenizer")
    model = (root / "tokenizer" / "spm.model").read_bytes()
    info = TokenizerInfo(path=str(root / "tokenizer"), vocab_size=encoder.vocab_size,
                         sha256=hashlib.sha256(model).hexdigest(), model_type="unigram",
                         special_token_ids={"pad": 0, "unk": 1, "bos": 2, "eos": 3, "cls": 4, "sep": 5, "mask": 6})
    config = ShardConfig(formats=formats, shard_bytes=shard_bytes, token_dtype=encoder.dtype.name)
    all_texts = texts(train_docs + validation_docs, seed=seed, max_lines=max_lines)
    splits = {}
    for split, chunk, offset in (("train", all_texts[:train_docs], 0),
                                 ("validation", all_texts[train_docs:], train_docs)):
        arrays = encoder.encode_batch(chunk)
        records = [ShardRecord(id=f"{split[0]}{offset + i:05d}", tokens=a, source="jsonl", language="en")
                   for i, a in enumerate(arrays)]
        splits[split] = write_shards(str(root), split, records, config) if records else []
    manifest = Manifest(tokenizer=info.for_manifest("tokenizer"), splits=splits, build={"test": True},
                        created="2026-01-01T00:00:00+00:00")
    write_manifest(str(root), manifest)
    return manifest


def stored_documents(root: Path, split: str) -> dict[str, np.ndarray]:
    """Document id -> tokens, read back with the corpus reader."""
    from corpus.shards import open_corpus
    return {r.id: np.array(r.tokens) for r in open_corpus(root).iter_documents(split)}
