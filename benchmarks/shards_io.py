"""Shard write/read throughput, Arrow vs WebDataset tar, on synthetic token ids (no tokenizer needed).

Run: .venv/bin/python benchmarks/shards_io.py
"""
import shutil
import tempfile
import time

import numpy as np

from corpus.shards import ShardConfig, ShardRecord, arrow, webdataset, write_shards

rng = np.random.default_rng(0)
N = 40000
recs = [ShardRecord(f"{i:032x}", rng.integers(0, 32000, int(rng.integers(200, 1800)), dtype=np.uint16),
                    url=f"https://example.org/{i}", source="warc", language="en") for i in range(N)]
tokens = sum(r.num_tokens for r in recs)
print(f"{N} docs, {tokens} tokens ({tokens*2/1e6:.0f} MB of uint16 ids)")
print(f"{'format':<11} {'shards':>6} {'MB':>7} {'write s':>8} {'Mtok/s w':>9} {'read s':>7} {'Mtok/s r':>9}")
for fmt, mod in (("arrow", arrow), ("webdataset", webdataset)):
    d = tempfile.mkdtemp(dir="/tmp")
    t = time.perf_counter()
    es = write_shards(d, "train", recs, ShardConfig(formats=(fmt,), shard_bytes=32 * 2**20))
    tw = time.perf_counter() - t
    t = time.perf_counter()
    n = 0
    for e in es:
        for r in mod.read(f"{d}/{e.path}"):
            n += r.num_tokens
    tr = time.perf_counter() - t
    assert n == tokens
    mb = sum(e.bytes for e in es) / 2**20
    print(f"{fmt:<11} {len(es):>6} {mb:>7.1f} {tw:>8.2f} {tokens/tw/1e6:>9.1f} {tr:>7.2f} {tokens/tr/1e6:>9.1f}")
    shutil.rmtree(d)
