"""Tokens/s per core of the corpus tokenizing step vs the exported Hugging Face fast tokenizer.

Input (../shared/data): the shortened enwiki dump (articles through ``wikitext_to_text``), the lingua
sentences joined into documents of 50 sentences per language, and tinyshakespeare in 5,000-char
documents; all through the cleaning stage's ``fix_unicode`` as in the pipeline. A tokenizer is
trained on every other document, then every document is encoded in batches by

* ours: ``Encoder(num_threads=1).encode_batch`` (what the Beam DoFn runs; one core),
* HF: ``AutoTokenizer.from_pretrained(dir)(batch)`` with TOKENIZERS_PARALLELISM off (one core) and on
  (divided by the cores it may use).

Also prints the HF-vs-sentencepiece id equality rate (must be 100%). Run it with ``-m``: as a script
its file name would shadow the standard library's ``tokenize`` module.

    .venv/bin/python benchmarks/tokenizer_speed.py [--data ../shared/data] [--vocab 32000] [--model unigram]
"""
from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from pathlib import Path

from corpus.clean.unicode import fix_unicode
from corpus.document import Document
from corpus.extract.wikitext import wikitext_to_text
from corpus.sources.wikipedia import read_dump
from corpus.tokenizer import Encoder, TokenizerConfig, train_tokenizer

BATCH = 256
LINGUA_DOC_SENTENCES = 50
SHAKESPEARE_DOC_CHARS = 5_000


def load_texts(data: Path) -> list[str]:
    texts = []
    dump = data / "enwiki-shortened.xml.bz2"
    for result in read_dump(io.BytesIO(dump.read_bytes()), str(dump)):
        if isinstance(result, Document):
            texts.append(wikitext_to_text(result.text))
    for path in sorted((data / "lingua").glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        texts += [" ".join(lines[i:i + LINGUA_DOC_SENTENCES]) for i in range(0, len(lines), LINGUA_DOC_SENTENCES)]
    shakespeare = (data / "tinyshakespeare.txt").read_text(encoding="utf-8")
    texts += [shakespeare[i:i + SHAKESPEARE_DOC_CHARS] for i in range(0, len(shakespeare), SHAKESPEARE_DOC_CHARS)]
    return [t for t in (fix_unicode(t) for t in texts) if t]


def best_of(rounds: int, fn) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--vocab", type=int, default=32_000)
    parser.add_argument("--model", default="unigram", choices=("unigram", "bpe"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    texts = load_texts(args.data)
    batches = [texts[i:i + BATCH] for i in range(0, len(texts), BATCH)]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        info = train_tokenizer(texts[::2], tmp, TokenizerConfig(model_type=args.model, vocab_size=args.vocab))
        train_s = time.perf_counter() - start
        encoder = Encoder(tmp, num_threads=1)
        ours = [a for b in batches for a in encoder.encode_batch(b)]
        num_tokens = sum(len(a) - 1 for a in ours)  # without the eos we append

        os.environ["TOKENIZERS_PARALLELISM"] = "false"
        from transformers import AutoTokenizer  # noqa: PLC0415 (after the env var, as a user would)
        tok = AutoTokenizer.from_pretrained(tmp)
        hf_ids = [ids for b in batches for ids in tok(b)["input_ids"]]
        equal = sum(list(h) == a[:-1].tolist() for h, a in zip(hf_ids, ours))

        ours_s = best_of(args.rounds, lambda: [encoder.encode_batch(b) for b in batches])
        hf_off_s = best_of(args.rounds, lambda: [tok(b) for b in batches])
        os.environ["TOKENIZERS_PARALLELISM"] = "true"
        hf_on_s = best_of(args.rounds, lambda: [tok(b) for b in batches])

    cores = len(os.sched_getaffinity(0))
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} documents, {chars / 1e6:.2f} M chars, {num_tokens} tokens; {args.model} vocab "
          f"{info.vocab_size} (asked {args.vocab}), trained in {train_s:.1f} s on {len(texts[::2])} documents; "
          f"{cores} cores")
    print(f"HF ids == sentencepiece ids: {equal}/{len(texts)} documents ({100 * equal / len(texts):.2f}%)")
    rows = [("ours: Encoder.encode_batch, 1 thread", ours_s, 1),
            ("HF fast, TOKENIZERS_PARALLELISM=false", hf_off_s, 1),
            (f"HF fast, TOKENIZERS_PARALLELISM=true ({cores} cores)", hf_on_s, cores)]
    ours_rate = num_tokens / ours_s
    print(f"{'tokenizer':<48} {'seconds':>8} {'tokens/s/core':>14} {'ours / this':>12}")
    for name, seconds, used in rows:
        rate = num_tokens / seconds / used
        print(f"{name:<48} {seconds:>8.3f} {rate:>14,.0f} {ours_rate / rate:>11.2f}x")


if __name__ == "__main__":
    main()
