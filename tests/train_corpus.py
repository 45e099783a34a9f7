"""Small corpus directories for the trainer's tests, written with the project's own writers.

The texts are the bundled sample corpus's JSONL documents (the lines that parse) cut into
paragraph-sized documents, plus seeded sentences of a small grammar (the sample alone is too
small to train a tokenizer on), so a tiny model's loss has something to fall on in a few steps.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from corpus.sample import __file__ as _sample_init
from corpus.shards import Manifest, ShardConfig, ShardRecord, split_of, write_manifest, write_shards
from corpus.tokenizer import Encoder, TokenizerConfig, train_tokenizer

SAMPLE_JSONL = Path(_sample_init).parent / "data" / "docs.jsonl"


def sample_texts() -> list[str]:
    """Sentences of the sample corpus's readable documents, grouped three by three into documents."""
    texts = []
    for line in SAMPLE_JSONL.read_text(encoding="utf-8").splitlines():
        try:
            text = json.loads(line, strict=False).get("text")
        except (json.JSONDecodeError, AttributeError):
            continue
        if isinstance(text, str) and len(text) > 200:
            sentences = [s.strip() + "." for s in text.split(".") if len(s.strip()) > 10]
            texts += [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    return texts


_SUBJECTS = ("the miller", "a river", "the old kettle", "my neighbour", "the harbour", "a small boat", "the teacher")
_VERBS = ("carries", "watches", "cleans", "finds", "paints", "remembers", "follows")
_OBJECTS = ("the morning bread", "a green lantern", "seven stones", "the quiet road", "a letter from home",
            "the winter garden")
_ENDINGS = ("before the rain.", "every Sunday.", "with great care.", "and then sleeps.", "near the bridge.")


def grammar_texts(n: int, seed: int = 0) -> list[str]:
    """``n`` documents of 3–8 sentences from a tiny grammar (deterministic)."""
    rng = random.Random(seed)
    return [" ".join(f"{rng.choice(_SUBJECTS).capitalize()} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
                     f"{rng.choice(_ENDINGS)}" for _ in range(rng.randint(3, 8))) for _ in range(n)]


def build_corpus(root: Path, texts: list[str] | None = None, *, vocab_size: int = 400,
                 validation_fraction: float = 0.15, shard_bytes: int = 1 << 14) -> Path:
    """Tokenizer, train/validation Arrow shards and manifest under ``root``; returns ``root``."""
    texts = sample_texts() + grammar_texts(300) if texts is None else texts
    root.mkdir(parents=True, exist_ok=True)
    info = train_tokenizer(texts, root / "tokenizer", TokenizerConfig(model_type="bpe", vocab_size=vocab_size))
    encoder = Encoder(root / "tokenizer")
    records = [ShardRecord(f"doc-{i:05d}", tokens, url=f"https://example.org/{i}", source="jsonl", language="en")
               for i, tokens in enumerate(encoder.encode_batch(texts))]
    config = ShardConfig(formats=("arrow",), shard_bytes=shard_bytes, validation_fraction=validation_fraction)
    splits = {s: write_shards(str(root), s, [r for r in records if split_of(r.id, validation_fraction) == s], config)
              for s in ("train", "validation")}
    write_manifest(str(root), Manifest(tokenizer=info.for_manifest(), splits=splits,
                                       build={"shards": config.as_dict()}))
    return root
