"""Training-data loaders side by side: tokens/s of packed batches, and time to first batch on resume.

The same real tokens (Shakespeare, Wikipedia and the lingua sentences from /work/shared/data,
tokenized with a corpus tokenizer trained on them, repeated with new ids until ``--tokens``) are
stored as (a) this project's Arrow shards, (b) MosaicML streaming MDS shards, (c) litdata chunks
and (d) this project's WebDataset tar shards. Each loader makes packed causal-LM batches (documents
concatenated with eos and cut into ``seq_len`` tokens; input ids, labels, position ids restarting
at each document) with 2 DataLoader workers and shuffling on. Resume: a loader built at 10% / 90%
of the epoch, timed from construction to its first batch (worker start-up included).

(a) and (d) run here (``.venv``); (b) and (c) run in their own virtual environment, because
mosaicml-streaming needs a torchvision that does not load beside this project's torch. The script
creates it when it is missing; by hand:

    python3 -m venv benchmarks/.venv-peers
    benchmarks/.venv-peers/bin/pip install torch==2.14.1 torchvision==0.29.1 mosaicml-streaming litdata

Run (repository root):

    .venv/bin/python benchmarks/loader.py            # --tokens 16000000 --repeats 3 [--skip-peers]

The corpus and the peers' copies are built once under ``--workdir`` and reused.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader

from corpus.shards import Manifest, ShardConfig, ShardRecord, write_manifest, write_shards
from corpus.sources import iter_documents, read_path
from corpus.tokenizer import Encoder, TokenizerConfig, train_tokenizer
from training.data import DataConfig, DataPosition, build_train_loader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loader_common import Packer, measure  # noqa: E402  (shared with the peers)

ROOT = Path(__file__).resolve().parents[1]
DATA = Path("/work/shared/data")
PEER_VENV = ROOT / "benchmarks" / ".venv-peers"
PEER_PYTHON = PEER_VENV / "bin" / "python"
PEER_REQUIREMENTS = ["torch==2.14.1", "torchvision==0.29.1", "mosaicml-streaming", "litdata"]
CONFIGS = ((8, 512), (32, 128))
WORKERS = 2
SHARD_BYTES = 8 * 2**20


# --- the corpus -----------------------------------------------------------------------------------
def real_texts() -> list[str]:
    """Documents of real text: Shakespeare in runs of 20 paragraphs, Wikipedia articles, 25 sentences."""
    out = []
    paragraphs = [p for p in (DATA / "tinyshakespeare.txt").read_text().split("\n\n") if p.strip()]
    out += ["\n\n".join(paragraphs[i:i + 20]) for i in range(0, len(paragraphs), 20)]
    out += [d.text for d in iter_documents(read_path(str(DATA / "enwiki-shortened.xml.bz2"))) if d.text.strip()]
    for path in sorted((DATA / "lingua").glob("*.txt")):
        lines = [s for s in path.read_text().splitlines() if s.strip()]
        out += [" ".join(lines[i:i + 25]) for i in range(0, len(lines), 25)]
    return out


def build(workdir: Path, target_tokens: int) -> dict:
    """The corpus directory (Arrow + tar shards) and a flat token file for the peers; cached."""
    meta_path = workdir / "meta.json"
    if meta_path.is_file() and json.loads(meta_path.read_text())["target_tokens"] == target_tokens:
        return json.loads(meta_path.read_text())
    corpus = workdir / "corpus"
    texts = real_texts()
    tok = train_tokenizer(texts, corpus / "tokenizer", TokenizerConfig(vocab_size=8000, num_threads=2))
    arrays = Encoder(corpus / "tokenizer", num_threads=2).encode_batch(texts)
    base_tokens = sum(len(a) for a in arrays)
    copies = -(-target_tokens // base_tokens)
    rng = np.random.default_rng(0)
    records = []
    for c in range(copies):  # each copy in its own order, so repeats are not adjacent
        for i in rng.permutation(len(arrays)):
            records.append(ShardRecord(id=f"c{c:03d}d{i:06d}", tokens=arrays[i], source="text", language="xx"))
    config = ShardConfig(formats=("arrow", "webdataset"), shard_bytes=SHARD_BYTES, token_dtype="uint16")
    splits = {"train": write_shards(str(corpus), "train", records, config), "validation": []}
    write_manifest(str(corpus), Manifest(tokenizer=tok.for_manifest("tokenizer"), splits=splits,
                                         build={"benchmark": "loader"}))
    lengths = np.array([r.num_tokens for r in records], dtype=np.int64)
    np.save(workdir / "tokens.npy", np.concatenate([r.tokens for r in records]))
    np.save(workdir / "offsets.npy", np.concatenate([[0], np.cumsum(lengths)]))
    meta = {"target_tokens": target_tokens, "documents": len(records), "tokens": int(lengths.sum()),
            "base_documents": len(arrays), "base_tokens": base_tokens, "copies": copies,
            "arrow_shards": sum(e.format == "arrow" for e in splits["train"]),
            "tar_shards": sum(e.format == "webdataset" for e in splits["train"]),
            "tokens_sha256": hashlib.sha256(np.load(workdir / "tokens.npy").tobytes()).hexdigest()[:16]}
    meta_path.write_text(json.dumps(meta, indent=1))
    return meta


# --- (a) this project ---------------------------------------------------------------------------
def ours(corpus: Path, batch: int, seq_len: int, cursor: int = 0):
    cfg = DataConfig(path=str(corpus), seq_len=seq_len, objective="clm", num_workers=WORKERS)
    return iter(build_train_loader(cfg, batch_size=batch, position=DataPosition(epoch=0, cursor=cursor)))


def measure_ours(corpus: Path, batch: int, seq_len: int, repeats: int) -> dict:
    stats = build_train_loader(DataConfig(path=str(corpus), seq_len=seq_len), batch_size=batch).stats
    positions = {"resume_10": int(0.1 * stats.sequences), "resume_90": int(0.9 * stats.sequences)}
    return measure(functools.partial(ours, corpus, batch, seq_len), stats.micro_batches, positions, repeats)


# --- (d) webdataset over our tar shards -------------------------------------------------------------
def wds_loader(corpus: Path, batch: int, seq_len: int, skip: int = 0):
    import webdataset as wds
    urls = sorted(str(p) for p in (corpus / "train").glob("*.tar"))
    docs = (wds.WebDataset(urls, shardshuffle=len(urls), nodesplitter=wds.single_node_only, seed=0)
            .shuffle(1000).decode().map(lambda s: s["tokens.npy"]))
    return iter(DataLoader(Packer(docs, batch, seq_len, skip), batch_size=None, num_workers=WORKERS))


def measure_wds(corpus: Path, meta: dict, batch: int, seq_len: int, repeats: int) -> dict:
    batches = meta["tokens"] // (batch * seq_len) - 2 * WORKERS * 4  # a worker's last partial batch is lost
    # webdataset has no resume: each worker skips its share of the documents before the position.
    positions = {f"resume_{p}": int(p / 100 * meta["documents"] / WORKERS) for p in (10, 90)}
    return measure(functools.partial(wds_loader, corpus, batch, seq_len), batches, positions, repeats)


# --- (b) and (c), in the peers' virtual environment ---------------------------------------------
def ensure_peer_venv() -> None:
    """Create benchmarks/.venv-peers when it is missing; exit with the commands if that fails."""
    if PEER_PYTHON.is_file():
        return
    commands = [["python3", "-m", "venv", str(PEER_VENV)],
                [str(PEER_VENV / "bin" / "pip"), "install", *PEER_REQUIREMENTS]]
    for cmd in commands:
        if subprocess.call(cmd) != 0:
            sys.exit("could not create the peers' venv; run:\n    " + "\n    ".join(" ".join(c) for c in commands))


def measure_peers(workdir: Path, repeats: int) -> dict:
    ensure_peer_venv()
    cmd = [str(PEER_PYTHON), str(ROOT / "benchmarks" / "loader_peers.py"), "--workdir", str(workdir),
           "--repeats", str(repeats), "--workers", str(WORKERS)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=workdir)
    if proc.returncode != 0:
        sys.exit(f"peer benchmark failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokens", type=int, default=16_000_000, help="tokens in the corpus (real text repeated)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/corpusforge-loader-bench"))
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure; the best is kept")
    parser.add_argument("--skip-peers", action="store_true", help="only this project's loader and webdataset")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    meta = build(args.workdir, args.tokens)
    corpus = args.workdir / "corpus"
    print(f"corpus: {meta['documents']:,} documents, {meta['tokens']:,} tokens ({meta['base_documents']} real "
          f"documents x {meta['copies']}), {meta['arrow_shards']} Arrow / {meta['tar_shards']} tar shards; "
          f"load average {os.getloadavg()[0]:.2f}")
    results: dict[str, dict] = {}
    for batch, seq_len in CONFIGS:
        results[f"corpusforge {batch}x{seq_len}"] = measure_ours(corpus, batch, seq_len, args.repeats)
        results[f"webdataset {batch}x{seq_len}"] = measure_wds(corpus, meta, batch, seq_len, args.repeats)
    if not args.skip_peers:
        results.update(measure_peers(args.workdir, args.repeats))
    print(f"\n{'loader':<32} {'Mtok/s':>7} {'ours/x':>7} {'resume 10%':>11} {'resume 90%':>11} {'90/10':>6}")
    for batch, seq_len in CONFIGS:
        mine = results[f"corpusforge {batch}x{seq_len}"]["tokens_per_s"]
        for name in ("corpusforge", "mosaicml-streaming", "litdata", "webdataset"):
            r = results.get(f"{name} {batch}x{seq_len}")
            if r is None:
                continue
            print(f"{name + f' {batch}x{seq_len}':<32} {r['tokens_per_s'] / 1e6:>7.2f} "
                  f"{mine / r['tokens_per_s']:>7.2f} {r['resume_10']:>10.2f}s {r['resume_90']:>10.2f}s "
                  f"{r['resume_90'] / r['resume_10']:>6.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    (args.workdir / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
