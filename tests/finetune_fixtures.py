"""Fixtures for the fine-tuning tests: labelled sentences and a tiny hand-off directory.

The hand-off directory has the shape `corpusforge train` writes to OUT/final (save_pretrained
safetensors + config + the corpus tokenizer's files), made here without the training loop: a
sentencepiece BPE tokenizer trained with ``corpus.tokenizer`` on the fixture text, a tiny
transformers model built from a config and, for BERT, a few dozen steps of masked-LM pretraining in
plain PyTorch, so the fine-tuning tests start from weights that have seen text.
"""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import torch
from transformers import (
    AutoTokenizer,
    BertConfig,
    BertForMaskedLM,
    GPT2Config,
    GPT2LMHeadModel,
    LlamaConfig,
    LlamaForCausalLM,
)

from corpus.tokenizer.encode import SPECIAL_TOKENS
from corpus.tokenizer.train import TokenizerConfig, train_tokenizer

POSITIVE = ["good", "great", "excellent", "wonderful", "lovely", "delightful", "superb", "pleasant"]
NEGATIVE = ["bad", "awful", "terrible", "dreadful", "poor", "horrible", "dull", "boring"]
NEUTRAL = ["ordinary", "average", "typical", "standard", "usual", "plain", "regular", "common"]
SUBJECTS = ["the film", "the meal", "the new bridge", "the concert", "the night train", "the bakery",
            "the book", "the garden", "the museum", "the hotel", "the river walk", "the market"]
TEMPLATES = ["{s} was {w}.", "we thought {s} was {w}.", "honestly, {s} is {w}!", "everyone said {s} felt {w}.",
             "{s} turned out {w} in the end.", "my friends found {s} {w}.", "a {w} visit: {s} again."]
FILLER = ("The town council met on Tuesday to discuss the budget for the coming year. "
          "Volunteers counted birds at the estuary and the train left the station on time. "
          "The bakery on the high street sells bread made with slow fermentation. ")

VOCAB_SIZE = 1000
SEQ_LEN = 32


def sentences(n: int, labels: dict[str, list[str]], seed: int) -> list[tuple[str, str]]:
    """``n`` (text, label) pairs: a subject, a template and a word whose list names the label."""
    rng = random.Random(seed)
    names = sorted(labels)
    out = []
    for i in range(n):
        label = names[i % len(names)]
        text = rng.choice(TEMPLATES).format(s=rng.choice(SUBJECTS), w=rng.choice(labels[label]))
        out.append((text[0].upper() + text[1:], label))
    rng.shuffle(out)
    return out


BINARY = {"neg": NEGATIVE, "pos": POSITIVE}
THREE = {"negative": NEGATIVE, "neutral": NEUTRAL, "positive": POSITIVE}


def write_csv(path: Path, rows: list[tuple[str, str]], header=("text", "label"), delimiter=",") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL if delimiter == "," else csv.QUOTE_NONE,
                            escapechar=None if delimiter == "," else "\\", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def pretraining_text() -> list[str]:
    """What the tokenizer and the fixture pretraining see: the labelled vocabulary in context, and filler."""
    rows = sentences(400, {**BINARY, "neutral": NEUTRAL}, seed=7)
    return [" ".join(text for text, _ in rows[i:i + 8]) + " " + FILLER for i in range(0, len(rows), 8)]


def build_tokenizer(out: Path) -> None:
    train_tokenizer(pretraining_text(), out, TokenizerConfig(model_type="bpe", vocab_size=VOCAB_SIZE, num_threads=1))


def _model(arch: str, vocab_size: int) -> torch.nn.Module:
    ids = {name: i for name, (_, i) in SPECIAL_TOKENS.items()}
    if arch == "bert":
        return BertForMaskedLM(BertConfig(vocab_size=vocab_size, hidden_size=64, num_hidden_layers=2,
                                          num_attention_heads=2, intermediate_size=128, max_position_embeddings=64,
                                          pad_token_id=ids["pad"], hidden_dropout_prob=0.0,
                                          attention_probs_dropout_prob=0.0))
    if arch == "gpt2":
        return GPT2LMHeadModel(GPT2Config(vocab_size=vocab_size, n_embd=64, n_layer=2, n_head=2, n_positions=64,
                                          pad_token_id=ids["pad"], bos_token_id=ids["bos"],
                                          eos_token_id=ids["eos"]))
    if arch == "llama":
        return LlamaForCausalLM(LlamaConfig(vocab_size=vocab_size, hidden_size=64, num_hidden_layers=2,
                                            num_attention_heads=2, num_key_value_heads=2, intermediate_size=128,
                                            max_position_embeddings=64, pad_token_id=ids["pad"],
                                            bos_token_id=ids["bos"], eos_token_id=ids["eos"]))
    raise ValueError(arch)


def _mlm_pretrain(model: BertForMaskedLM, tokenizer, steps: int, seed: int) -> None:
    """A few steps of masked-LM on the fixture text: 15% of tokens masked, predicted, AdamW."""
    ids = [i for text in pretraining_text() for i in tokenizer(text)["input_ids"] + [tokenizer.eos_token_id]]
    blocks = torch.tensor(ids[:len(ids) // SEQ_LEN * SEQ_LEN]).view(-1, SEQ_LEN)
    gen = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(steps):
        batch = blocks[torch.randint(len(blocks), (16,), generator=gen)]
        mask = torch.rand(batch.shape, generator=gen) < 0.15
        labels = torch.where(mask, batch, torch.full_like(batch, -100))
        loss = model(input_ids=torch.where(mask, tokenizer.mask_token_id, batch), labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.eval()


def make_handoff(out: Path, arch: str = "bert", *, pretrain_steps: int = 0, seed: int = 0) -> Path:
    """A directory shaped like `corpusforge train`'s OUT/final, for ``arch`` in bert, gpt2, llama."""
    out.mkdir(parents=True, exist_ok=True)
    build_tokenizer(out)
    tokenizer = AutoTokenizer.from_pretrained(str(out))
    torch.manual_seed(seed)
    model = _model(arch, len(tokenizer))
    if pretrain_steps:
        if arch != "bert":
            raise ValueError("make_handoff: the fixture pretrains BERT only")
        _mlm_pretrain(model, tokenizer, pretrain_steps, seed)
    model.save_pretrained(str(out))
    (out / "README.md").write_text(f"# fixture {arch}\n\nPretrained for {pretrain_steps} steps.\n", encoding="utf-8")
    return out
