"""The peers of benchmarks/loader.py, run in benchmarks/.venv-peers: MosaicML streaming and litdata.

Reads ``WORKDIR/tokens.npy`` and ``offsets.npy`` (the benchmark corpus, document by document, in
the corpus's order), writes them once as MDS shards and as litdata chunks, and prints one JSON
line: tokens/s and resume-to-first-batch seconds per loader and batch shape. Not for use on its own.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loader_common import Packer, _close, collate_blocks, measure  # noqa: E402

CONFIGS = ((8, 512), (32, 128))
SHARD_BYTES = "8mb"


def documents(workdir: Path):
    tokens = np.load(workdir / "tokens.npy", mmap_mode="r")
    offsets = np.load(workdir / "offsets.npy")
    return tokens, offsets


def write_mds(workdir: Path) -> Path:
    from streaming import MDSWriter
    out = workdir / "mds"
    if (out / "index.json").is_file():
        return out
    shutil.rmtree(out, ignore_errors=True)
    tokens, offsets = documents(workdir)
    with MDSWriter(out=str(out), columns={"tokens": "ndarray:uint16"}, size_limit=SHARD_BYTES) as writer:
        for i in range(len(offsets) - 1):
            writer.write({"tokens": np.asarray(tokens[offsets[i]:offsets[i + 1]])})
    return out


def _lit_item(i: int, workdir: str):
    tokens, offsets = documents(Path(workdir))
    return np.asarray(tokens[offsets[i]:offsets[i + 1]])


def write_litdata(workdir: Path) -> Path:
    from litdata import TokensLoader, optimize
    out = workdir / "litdata"
    if (out / "index.json").is_file():
        return out
    shutil.rmtree(out, ignore_errors=True)
    _, offsets = documents(workdir)
    optimize(fn=functools.partial(_lit_item, workdir=str(workdir)), inputs=list(range(len(offsets) - 1)),
             output_dir=str(out), chunk_bytes=SHARD_BYTES, item_loader=TokensLoader(), num_workers=1,
             mode="overwrite")
    return out


def mosaic(mds: Path, batch: int, seq_len: int, workers: int, sample: int = 0):
    from streaming import StreamingDataset
    from streaming.base.util import clean_stale_shared_memory
    clean_stale_shared_memory()
    ds = StreamingDataset(local=str(mds), shuffle=True, shuffle_seed=0, batch_size=batch)
    if sample:
        ds.load_state_dict(ds.state_dict(sample, from_beginning=True))
    return iter(DataLoader(Packer(ds, batch, seq_len, key="tokens"), batch_size=None, num_workers=workers))


def lit_dataset(lit: Path, seq_len: int):
    from litdata import StreamingDataset, TokensLoader
    return StreamingDataset(input_dir=str(lit), item_loader=TokensLoader(block_size=seq_len), shuffle=True, seed=0)


def lit_loader(lit: Path, batch: int, seq_len: int, workers: int, state: dict | None = None):
    """litdata's loader (with ``state``: resumed there), as an iterator."""
    from litdata import StreamingDataLoader
    loader = StreamingDataLoader(lit_dataset(lit, seq_len), batch_size=batch, num_workers=workers,
                                 collate_fn=functools.partial(collate_blocks, batch=batch, seq_len=seq_len))
    if state is not None:
        loader.load_state_dict(state)
    return iter(loader)


def lit_state_at(lit: Path, batch: int, seq_len: int, workers: int, batches: int) -> dict:
    """A real checkpoint: litdata's loader state after ``batches`` batches (replayed, not timed)."""
    from litdata import StreamingDataLoader
    loader = StreamingDataLoader(lit_dataset(lit, seq_len), batch_size=batch, num_workers=workers,
                                 collate_fn=functools.partial(collate_blocks, batch=batch, seq_len=seq_len))
    it = iter(loader)
    for _ in range(batches):
        next(it)
    state = loader.state_dict()
    _close(it)
    return state


def lit_resumed(lit: Path, batch: int, seq_len: int, workers: int, states: dict, position) -> object:
    """litdata's loader from the start (``position`` 0) or from the saved state named ``position``."""
    return lit_loader(lit, batch, seq_len, workers, states[position] if position else None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(1)
    mds, lit = write_mds(args.workdir), write_litdata(args.workdir)
    _, offsets = documents(args.workdir)
    num_docs, num_tokens = len(offsets) - 1, int(offsets[-1])
    w, reps = args.workers, args.repeats
    results = {}
    for batch, seq_len in CONFIGS:
        batches = num_tokens // (batch * seq_len) - 2 * w * 4  # leave each worker's partial tail out
        positions = {f"resume_{p}": int(p / 100 * num_docs) for p in (10, 90)}
        results[f"mosaicml-streaming {batch}x{seq_len}"] = measure(
            functools.partial(mosaic, mds, batch, seq_len, w), batches, positions, reps)
        lit_batches = len(lit_dataset(lit, seq_len)) // batch - 2 * w
        states = {f"resume_{p}": lit_state_at(lit, batch, seq_len, w, int(p / 100 * lit_batches)) for p in (10, 90)}
        results[f"litdata {batch}x{seq_len}"] = measure(
            functools.partial(lit_resumed, lit, batch, seq_len, w, states), lit_batches, {k: k for k in states}, reps)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
