"""`corpusforge train` against its peers, side by side on this machine.

(a) Training throughput against the Hugging Face ``Trainer``: the same model (built from the same
    config with the same seed), optimizer (AdamW, same rate, decay, betas, clipping, warmup +
    cosine), batch, sequence length and tokens — the Trainer is fed the very batches our loader
    makes, materialised in memory. Tokens/s of the training loop (our loop's own clock, the
    Trainer's ``train_runtime``), best of ``--repeats``, for gpt2-tiny (clm) and bert-mini (mlm).
(b) Learning per second on Tiny Shakespeare: nanoGPT's ``shakespeare_char`` CPU recipe
    re-implemented below as a plain PyTorch script (character GPT, 4 layers, 4 heads, 128 wide,
    block 64, batch 12, lr 1e-3 → 1e-4 cosine, 100 warmup, beta2 0.99, weight decay 0.1, no dropout,
    2,000 iterations; validation = the last 10% of the text), timed; then `corpusforge train` on a
    corpus built with `corpusforge build` from the first 90% of the text, with ``--max_time`` = the
    recipe's training time, evaluated in bits per byte on a corpus built from the last 10% with the
    same tokenizer (``--eval_data``).

    python benchmarks/train.py                 # everything (~10 minutes on 2 cores)
    python benchmarks/train.py --only race     # or --only trainer
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHAKESPEARE = REPO.parent.parent / "shared" / "data" / "tinyshakespeare.txt"
if not SHAKESPEARE.is_file():
    SHAKESPEARE = Path("/work/shared/data/tinyshakespeare.txt")
CORPUSFORGE = [sys.executable, "-m", "corpusforge.cli"]
CHUNK_CHARS = 1500  # paragraphs grouped into documents of about this size (see split_documents)


# --- data -------------------------------------------------------------------------------------

def split_documents(text: str, chunk_chars: int = CHUNK_CHARS) -> list[str]:
    """Consecutive blank-line-separated paragraphs, grouped into documents of ~``chunk_chars``.

    A .txt input is one document; one 1 MB document would be packed in reading order, Act 1 before
    Act 2, every epoch. Documents of a few speeches let the loader shuffle them, as nanoGPT's random
    windows do. The blank line between two documents becomes the eos token.
    """
    docs, current = [], []
    for para in text.split("\n\n"):
        current.append(para)
        if sum(len(p) + 2 for p in current) >= chunk_chars:
            docs.append("\n\n".join(current))
            current = []
    if current:
        docs.append("\n\n".join(current))
    return docs


def build_corpora(work: Path, vocab_size: int) -> tuple[Path, Path]:
    """`corpusforge build` of the first 90% (train) and of the last 10% with its tokenizer (validation)."""
    text = SHAKESPEARE.read_text(encoding="utf-8")
    n = int(len(text) * 0.9)
    train_dir, val_dir = work / f"corpus-{vocab_size}", work / f"val-{vocab_size}"
    common = ["--skip", "clean,quality,lang,dedup,pii", "--validation_fraction", "0", "--overwrite"]
    for name, part in (("train", text[:n]), ("val", text[n:])):
        path = work / f"shakespeare-{name}.jsonl"
        if not path.exists():
            path.write_text("".join(json.dumps({"id": f"{name}-{i}", "text": d}) + "\n"
                                    for i, d in enumerate(split_documents(part))), encoding="utf-8")
    if not (train_dir / "manifest.json").exists():
        subprocess.run(CORPUSFORGE + ["build", "--input", str(work / "shakespeare-train.jsonl"), "--output_dir",
                                      str(train_dir), "--vocab_size", str(vocab_size), *common], check=True)
    if not (val_dir / "manifest.json").exists():
        subprocess.run(CORPUSFORGE + ["build", "--input", str(work / "shakespeare-val.jsonl"), "--output_dir",
                                      str(val_dir), "--tokenizer", str(train_dir / "tokenizer/spm.model"), *common],
                       check=True)
    return train_dir, val_dir


# --- (b) nanoGPT's shakespeare_char recipe, as a plain PyTorch script --------------------------

class Block(nn.Module):
    def __init__(self, d: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.ln_1, self.ln_2 = nn.LayerNorm(d, bias=False), nn.LayerNorm(d, bias=False)
        self.c_attn, self.c_proj = nn.Linear(d, 3 * d, bias=False), nn.Linear(d, d, bias=False)
        self.c_fc, self.mlp_proj = nn.Linear(d, 4 * d, bias=False), nn.Linear(4 * d, d, bias=False)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, c)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class NanoGPT(nn.Module):
    """nanoGPT's model.py: learned positions, pre-LN blocks, no biases, tied embeddings, its init."""

    def __init__(self, vocab: int, block: int, layers: int = 4, heads: int = 4, d: int = 128) -> None:
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(block, d)
        self.h = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d, bias=False)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith(("c_proj.weight", "mlp_proj.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1)))
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))


def nanogpt_recipe(iters: int = 2000, seed: int = 1337) -> dict:
    """Train the recipe; returns its training seconds and validation nats/char and bits/byte."""
    torch.manual_seed(seed)
    text = SHAKESPEARE.read_text(encoding="utf-8")
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(len(data) * 0.9)
    train, val = data[:n], data[n:]
    block, batch = 64, 12
    model = NanoGPT(len(chars), block)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.99), foreach=True)

    def lr_at(it: int) -> float:  # nanoGPT's get_lr: warmup 100, cosine to 1e-4 at lr_decay_iters = iters
        if it < 100:
            return 1e-3 * (it + 1) / 101
        ratio = (it - 100) / (iters - 100)
        return 1e-4 + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (1e-3 - 1e-4)

    start = time.perf_counter()
    for it in range(iters):
        for g in opt.param_groups:
            g["lr"] = lr_at(it)
        ix = torch.randint(len(train) - block, (batch,))
        x = torch.stack([train[i:i + block] for i in ix])
        y = torch.stack([train[i + 1:i + 1 + block] for i in ix])
        loss = F.cross_entropy(model(x).view(-1, len(chars)), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    seconds = time.perf_counter() - start
    # Every character of the last 10% predicted once: windows of 64 with their own context.
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        windows = (len(val) - 1) // block
        x = val[: windows * block].view(windows, block)
        y = val[1: windows * block + 1].view(windows, block)
        for i in range(0, windows, 256):
            logits = model(x[i:i + 256])
            total += F.cross_entropy(logits.reshape(-1, len(chars)), y[i:i + 256].reshape(-1), reduction="sum").item()
            count += y[i:i + 256].numel()
    nats = total / count
    return {"seconds": seconds, "val_nats_per_char": nats, "val_bpb": nats / math.log(2), "train_loss": loss.item()}


def corpusforge_race(corpus: Path, val: Path, out: Path, budget: float, extra: list[str]) -> dict:
    """`corpusforge train --max_time budget` (and ``extra`` flags); its final validation bits per byte."""
    cmd = CORPUSFORGE + ["train", "--data", str(corpus), "--eval_data", str(val), "--objective", "clm",
                         "--output_dir", str(out), "--max_time", f"{budget:.1f}", "--overwrite", "--no-progress",
                         *extra]
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": str(torch.get_num_threads())}
    subprocess.run(cmd, check=True, env=env)
    wall = time.perf_counter() - start
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    train_rows = [r for r in rows if "loss" in r]
    return {"val_bpb": rows[-1]["val_bpb"], "val_loss": rows[-1]["val_loss"], "steps": train_rows[-1]["step"],
            "tokens": train_rows[-1]["tokens"], "train_seconds": train_rows[-1]["elapsed"], "process_seconds": wall,
            "flags": " ".join(extra)}


# --- (a) throughput against the Hugging Face Trainer -------------------------------------------

def trainer_race(corpus: Path, val: Path, work: Path, model_name: str, objective: str, steps: int,
                 batch: int, seq_len: int, repeats: int) -> dict:
    from transformers import Trainer, TrainingArguments

    from training.config import TrainConfig
    from training.data import NON_MODEL_KEYS, DataConfig, build_train_loader, open_training_corpus
    from training.models import build_model, prepare_model_config
    from training.pretrain import train

    cfg = TrainConfig(data=str(corpus), eval_data=str(val), objective=objective, model=model_name,
                      output_dir=str(work / f"ours-{model_name}"), seq_len=seq_len, batch_size=batch, max_steps=steps,
                      warmup_steps=10, log_every=steps, save_every=0, progress=False, overwrite=True)
    corp = open_training_corpus(str(corpus))
    spec = prepare_model_config(model_name, objective=objective, vocab_size=corp.vocab_size,
                                special_ids=corp.special_ids, seq_len=seq_len)
    loader = iter(build_train_loader(DataConfig(path=str(corpus), seq_len=seq_len, objective=objective),
                                     batch_size=batch))
    rows = []
    for _ in range(steps):
        b = next(loader)
        for i in range(batch):
            rows.append({k: v[i] for k, v in b.items() if k not in NON_MODEL_KEYS})
    tokens = steps * batch * seq_len

    import training.pretrain as loop

    def cpu_excluding(names: tuple[str, ...]):
        """Patch ``loop.<name>`` to count its CPU seconds, so they can be left out of the loop's."""
        spent = [0.0]
        for name in names:
            fn = getattr(loop, name)

            def timed(*a, _fn=fn, **k):
                t = time.process_time()
                try:
                    return _fn(*a, **k)
                finally:
                    spent[0] += time.process_time() - t
            setattr(loop, name, timed)
        return spent

    def ours() -> tuple[float, float]:
        originals = {n: getattr(loop, n) for n in ("evaluate", "save", "write_handoff")}
        spent = cpu_excluding(tuple(originals))
        cpu = time.process_time()
        try:
            train(cfg)
        finally:
            for n, fn in originals.items():
                setattr(loop, n, fn)
        cpu = time.process_time() - cpu - spent[0]
        last = [json.loads(line) for line in (Path(cfg.output_dir) / "metrics.jsonl").read_text().splitlines()
                if '"loss"' in line][-1]
        return last["elapsed"], cpu

    def hf() -> tuple[float, float]:
        args = TrainingArguments(
            output_dir=str(work / f"hf-{model_name}"), per_device_train_batch_size=batch, max_steps=steps,
            learning_rate=cfg.lr, weight_decay=cfg.weight_decay, adam_beta1=cfg.adam_beta1,
            adam_beta2=cfg.adam_beta2, max_grad_norm=cfg.clip_grad, warmup_steps=cfg.warmup_steps,
            lr_scheduler_type="cosine", optim="adamw_torch_fused", logging_steps=steps, save_strategy="no",
            report_to=[], use_cpu=True, dataloader_num_workers=0, seed=cfg.seed, disable_tqdm=True)
        model = build_model(spec.config, objective, cfg.seed)
        cpu = time.process_time()
        result = Trainer(model=model, args=args, train_dataset=rows).train()
        return result.metrics["train_runtime"], time.process_time() - cpu

    best = {"ours": [math.inf, math.inf], "hf": [math.inf, math.inf]}
    for _ in range(repeats):  # interleaved; the best of each, as the machine is shared
        for side, run in (("hf", hf), ("ours", ours)):
            wall, cpu = run()
            best[side] = [min(best[side][0], wall), min(best[side][1], cpu)]
    return {"model": model_name, "objective": objective, "tokens": tokens,
            "ours_tok_s": tokens / best["ours"][0], "hf_tok_s": tokens / best["hf"][0],
            "ratio": best["hf"][0] / best["ours"][0], "ours_tok_cpu": tokens / best["ours"][1],
            "hf_tok_cpu": tokens / best["hf"][1], "cpu_ratio": best["hf"][1] / best["ours"][1]}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "corpusforge-bench-train"))
    parser.add_argument("--only", choices=("trainer", "race"), default=None)
    parser.add_argument("--iters", type=int, default=2000, help="nanoGPT recipe iterations")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                        help="torch threads on both sides (1 is faster when other work shares the cores)")
    parser.add_argument("--race_flags", action="append", default=None,
                        help="extra `corpusforge train` flags of a tuned race entry (repeatable, one string each)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    corpus, val = build_corpora(work, 4096)
    print(f"load average before: {load()}; torch threads: {args.threads}", flush=True)
    if args.only in (None, "trainer"):
        print("\n(a) training tokens/s, corpusforge train vs Hugging Face Trainer (same model, optimizer, batches)")
        print(f"{'model':<10} {'objective':<6} {'tokens':>8} {'ours tok/s':>11} {'HF tok/s':>9} {'ratio':>6} "
              f"{'ours tok/CPU-s':>15} {'HF tok/CPU-s':>13} {'ratio':>6}")
        for name, objective, steps in (("gpt2-tiny", "clm", 30), ("bert-mini", "mlm", 16)):
            r = trainer_race(corpus, val, work, name, objective, steps, batch=16, seq_len=128, repeats=args.repeats)
            print(f"{name:<10} {objective:<6} {r['tokens']:>8} {r['ours_tok_s']:>11.0f} {r['hf_tok_s']:>9.0f} "
                  f"{r['ratio']:>5.2f}x {r['ours_tok_cpu']:>15.0f} {r['hf_tok_cpu']:>13.0f} {r['cpu_ratio']:>5.2f}x  "
                  f"(load {load()})", flush=True)
        print(f"load average: {load()}")
    if args.only in (None, "race"):
        print("\n(b) Tiny Shakespeare race: validation bits per byte within nanoGPT's wall time", flush=True)
        nano = nanogpt_recipe(args.iters)
        print(f"nanoGPT shakespeare_char recipe: {args.iters} iters in {nano['seconds']:.1f} s, "
              f"val {nano['val_nats_per_char']:.4f} nats/char = {nano['val_bpb']:.4f} bits/byte "
              f"(load {load()})", flush=True)
        entries = [["--model", "gpt2-tiny"]] + [f.split() for f in (args.race_flags or [])]
        print(f"{'corpusforge train flags':<58} {'steps':>6} {'tokens':>8} {'train s':>8} {'val bpb':>8} {'wins':>5}")
        for i, flags in enumerate(entries):
            r = corpusforge_race(corpus, val, work / f"race-{i}", nano["seconds"], flags)
            print(f"{r['flags'] + ' --max_time ' + format(nano['seconds'], '.0f'):<58} {r['steps']:>6} "
                  f"{r['tokens']:>8} {r['train_seconds']:>8.1f} {r['val_bpb']:>8.4f} "
                  f"{'yes' if r['val_bpb'] < nano['val_bpb'] else 'no':>5}  (load {load()})", flush=True)


if __name__ == "__main__":
    main()
