"""Near-duplicate detection quality, signature speed vs datasketch, and dedup memory.

    .venv/bin/python benchmarks/dedup.py [--data ../shared/data] [--quick]

1. Quality. Base documents from ../shared/data (Wikipedia articles, Shakespeare passages,
   multilingual sentences joined into paragraphs) plus copies with controlled edits
   (word insertions and deletions, swapped paragraphs, changed boilerplate), each edited
   until its exact Jaccard similarity to the original reaches a target drawn from
   [0.5, 1.0]. Ground truth is exact Jaccard of word 5-gram sets over *all* pairs (a sparse
   matrix product). Predictions use the shipped defaults through the same functions as the
   Beam pipeline (signatures → LSH bands → candidate pairs → exact check), and the Beam
   pipeline itself is run for document-level figures.
2. Speed. Signatures/s on paragraphs: datasketch's per-shingle ``MinHash.update`` loop,
   ``update_batch`` and ``MinHash.bulk`` (its default SHA1 hash), against ours; and a check
   that our signatures equal datasketch's for the same seed and hash function.
3. Memory. Peak RSS of the dedup stage (Beam, DirectRunner) at N and 4N documents, each
   in a fresh subprocess.
"""
from __future__ import annotations

import argparse
import bz2
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.dedup import lsh as lshlib  # noqa: E402
from corpus.dedup import minhash  # noqa: E402
from corpus.dedup.config import DedupConfig  # noqa: E402

BOILERPLATE = ["Home | News | Sport | Contact us", "Subscribe to our newsletter for weekly updates.",
               "© 2024 Example Media Group. All rights reserved.", "Share this article: Facebook Twitter Email",
               "Related stories you might have missed"]


# --- base documents ----------------------------------------------------------------------------

def wiki_paragraphs(path: Path) -> list[str]:
    import mwparserfromhell

    text = bz2.open(path, "rt", encoding="utf-8").read()
    out = []
    for page in re.findall(r"<text[^>]*>(.*?)</text>", text, flags=re.S):
        page = page.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
        if page.lstrip().lower().startswith("#redirect"):
            continue
        plain = mwparserfromhell.parse(page).strip_code()
        out.extend(p.strip() for p in plain.split("\n") if len(p.split()) >= 30)
    return out


def shakespeare_passages(path: Path, words: int = 250) -> list[str]:
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    out, cur = [], []
    for b in blocks:
        cur.append(b.strip())
        if sum(len(c.split()) for c in cur) >= words:
            out.append("\n\n".join(cur))
            cur = []
    return out


def lingua_paragraphs(folder: Path, per_doc: int = 12) -> list[str]:
    out = []
    for f in sorted(folder.glob("*.txt")):
        lines = [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
        out.extend(" ".join(lines[i:i + per_doc]) for i in range(0, len(lines) - per_doc + 1, per_doc))
    return out


def base_documents(data: Path, n: int, rng: random.Random) -> list[str]:
    pools = [wiki_paragraphs(data / "enwiki-shortened.xml.bz2"),
             shakespeare_passages(data / "tinyshakespeare.txt"), lingua_paragraphs(data / "lingua")]
    pools = [[t for t in pool if len(minhash.tokenize(t)) >= 60] for pool in pools]
    docs = []
    for pool in pools:
        rng.shuffle(pool)
        docs.extend(pool[: n // len(pools)])
    return docs


# --- controlled edits ------------------------------------------------------------------------

def shingle_set(text: str, n: int = 5) -> set:
    toks = minhash.tokenize(text)
    if len(toks) < n:
        return {tuple(toks)} if toks else set()
    return {tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def edit_once(text: str, op: str, rng: random.Random, vocab: list[str]) -> str:
    paras = text.split("\n\n")
    if op == "swap" and len(paras) > 1:
        i, j = rng.sample(range(len(paras)), 2)
        paras[i], paras[j] = paras[j], paras[i]
        return "\n\n".join(paras)
    if op == "boilerplate":
        line = rng.choice(BOILERPLATE)
        return (line + "\n\n" + text) if rng.random() < 0.5 else (text + "\n\n" + line)
    words = text.split(" ")
    pos = rng.randrange(len(words))
    if op == "insert":
        words[pos:pos] = [rng.choice(vocab) for _ in range(rng.randint(1, 3))]
    else:  # delete
        del words[pos:pos + rng.randint(1, 3)]
    return " ".join(words)


def make_copy(text: str, target: float, rng: random.Random, vocab: list[str]) -> tuple[str, float, list[str]]:
    """Edit ``text`` step by step until its exact Jaccard to the original is <= target."""
    original = shingle_set(text)
    ops: list[str] = []
    cur, j = text, 1.0
    for _ in range(2000):
        if j <= target:
            break
        op = rng.choice(["insert", "delete", "insert", "delete", "swap", "boilerplate"])
        nxt = edit_once(cur, op, rng, vocab)
        nj = jaccard(original, shingle_set(nxt))
        if nj < target - 0.03 and j < 1.0:  # an edit that overshoots the target is not taken
            continue
        cur, j = nxt, nj
        ops.append(op)
    return cur, j, ops


def build_set(data: Path, n_base: int, copies_of: int, seed: int = 0):
    rng = random.Random(seed)
    bases = base_documents(data, n_base, rng)
    vocab = sorted({w for t in bases for w in t.split()[:50]})
    texts, family = list(bases), list(range(len(bases)))
    for fam in rng.sample(range(len(bases)), copies_of):
        for _ in range(2):
            target = rng.uniform(0.5, 1.0)
            copy, _, _ = make_copy(bases[fam], target, rng, vocab)
            texts.append(copy)
            family.append(fam)
    return texts, family


# --- ground truth and prediction ---------------------------------------------------------------

def all_pairs_truth(texts: list[str], threshold: float) -> tuple[set, dict]:
    from scipy import sparse

    vocab: dict = {}
    rows, cols = [], []
    for i, t in enumerate(texts):
        for sh in shingle_set(t):
            rows.append(i)
            cols.append(vocab.setdefault(sh, len(vocab)))
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(texts), len(vocab)))
    inter = (m @ m.T).toarray()
    sizes = np.asarray(m.sum(axis=1)).ravel()
    union = sizes[:, None] + sizes[None, :] - inter
    jac = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
    iu = np.triu_indices(len(texts), k=1)
    pos = {(int(a), int(b)) for a, b in zip(*iu) if jac[a, b] >= threshold}
    return pos, {"jaccard": jac}


def predicted_pairs(texts: list[str], config: DedupConfig) -> tuple[set, int]:
    sigs = minhash.signatures(texts, config.minhash)
    params = config.lsh
    buckets: dict = {}
    for i, sig in enumerate(sigs):
        for key in lshlib.band_keys(sig, params):
            buckets.setdefault(key, []).append(f"{i:06d}")
    candidates = {p for ids in buckets.values() if len(ids) > 1
                  for p in lshlib.bucket_pairs(ids, config.max_bucket_pairs)}
    sets = minhash.shingle_sets(texts, config.ngram)
    out = set()
    for a, b in candidates:
        ia, ib = int(a), int(b)
        if minhash.exact_jaccard(sets[ia], sets[ib]) >= config.threshold:
            out.add((ia, ib))
    return out, len(candidates)


def prf(pred: set, truth: set) -> tuple[float, float, float]:
    tp = len(pred & truth)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(truth) if truth else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def components_drops(n: int, pairs: set) -> set:
    ids = {(a, b) for a, b in pairs}
    labels = lshlib.clusters_union_find((f"{a:06d}", f"{b:06d}") for a, b in ids)
    return {int(node) for node, root in labels.items() if node != root}


def run_pipeline_drops(texts: list[str], config: DedupConfig) -> set:
    import apache_beam as beam

    from corpus.document import Document
    from pipelines.dedup import Deduplicate

    docs = [Document(f"{i:06d}", t, "bench") for i, t in enumerate(texts)]
    dropped: list = []

    class Collect(beam.DoFn):
        def process(self, dr):
            yield dr[0].id

    import tempfile
    out = Path(tempfile.mkdtemp()) / "dropped"
    with beam.Pipeline() as p:
        result = p | beam.Create(docs) | Deduplicate(config)
        (result.dropped | beam.ParDo(Collect()) | beam.io.WriteToText(str(out), shard_name_template=""))
    dropped = out.read_text().split()
    return {int(x) for x in dropped}


def quality(data: Path, quick: bool) -> None:
    n_base, copies = (300, 150) if quick else (900, 400)
    t0 = time.perf_counter()
    texts, family = build_set(data, n_base, copies)
    config = DedupConfig(url=False, exact=False)
    truth, _ = all_pairs_truth(texts, config.threshold)
    pred, n_cand = predicted_pairs(texts, config)
    p, r, f = prf(pred, truth)
    print(f"\n## Near-duplicate detection at the shipped defaults (threshold {config.threshold}, "
          f"{config.num_perm} permutations, {config.lsh.bands} bands x {config.lsh.rows} rows, "
          f"check={config.check})")
    print(f"documents: {len(texts)} ({n_base} originals, {len(texts) - n_base} edited copies); "
          f"true pairs (J >= {config.threshold}): {len(truth)}; candidates checked: {n_cand}; "
          f"built in {time.perf_counter() - t0:.0f} s")
    print("| level | precision | recall | F1 |\n|---|---|---|---|")
    print(f"| pairs | {p:.4f} | {r:.4f} | {f:.4f} |")
    truth_drops = components_drops(len(texts), truth)
    pipe_drops = run_pipeline_drops(texts, config)
    dp, dr, df = prf(pipe_drops, truth_drops)
    print(f"| documents dropped by the Beam pipeline vs the truth graph's non-survivors | {dp:.4f} | {dr:.4f} | "
          f"{df:.4f} |")
    base_cfg = DedupConfig(url=False, exact=False, fp_weight=0.5, fn_weight=0.5)
    bp, _ = predicted_pairs(texts, base_cfg)
    b = prf(bp, truth)
    print(f"| pairs, datasketch's 0.5/0.5 weights ({base_cfg.lsh.bands}x{base_cfg.lsh.rows}) | {b[0]:.4f} | "
          f"{b[1]:.4f} | {b[2]:.4f} |")


# --- speed ---------------------------------------------------------------------------------------

def speed(data: Path, quick: bool) -> None:
    from datasketch import MinHash

    paras = wiki_paragraphs(data / "enwiki-shortened.xml.bz2")
    paras = (paras * (1 + 600 // max(1, len(paras))))[:600]
    shingles = [minhash.shingles_as_bytes(t) for t in paras]
    n = len(paras)

    # equality for the same seed and hash function
    ours = minhash.signatures(paras)
    for sig, sh in list(zip(ours, shingles))[:100]:
        m = MinHash(num_perm=128, seed=1, hashfunc=minhash.shingle_hash)
        m.update_batch(sh)
        assert np.array_equal(m.hashvalues, sig), "signatures differ from datasketch's"

    def loop():
        for sh in shingles:
            m = MinHash(num_perm=128)
            for s in sh:
                m.update(s)

    def batch():
        for sh in shingles:
            m = MinHash(num_perm=128)
            m.update_batch(sh)

    def bulk():
        MinHash.bulk(shingles, num_perm=128)

    def vectorised():
        for i in range(0, n, 256):
            minhash.signatures(paras[i:i + 256])

    rows = []
    for name, fn in [("datasketch MinHash.update per shingle", loop), ("datasketch update_batch", batch),
                     ("datasketch MinHash.bulk", bulk), ("corpusforge signatures (batches of 256)", vectorised)]:
        best = float("inf")
        for _ in range(2 if quick else 3):
            t = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t)
        rows.append((name, n / best))
    ref = {name: r for name, r in rows}
    mean_words = sum(len(t.split()) for t in paras) / n
    print(f"\n## Signatures/s, 128 permutations, {n} Wikipedia paragraphs ({mean_words:.0f} words on average), "
          f"one core; ours equal datasketch's with hashfunc=shingle_hash (checked on 100)")
    print("| method | documents/s | ours is x faster |\n|---|---|---|")
    for name, r in rows:
        print(f"| {name} | {r:,.0f} | {ref['corpusforge signatures (batches of 256)'] / r:.1f} |")


# --- memory --------------------------------------------------------------------------------------

def memory_child(n: int, data: str) -> None:
    """Run the dedup stage alone in multi-processing mode; print per-process peaks.

    The documents are written to a JSONL file first and read back by the pipeline, so the
    worker processes hold only what the dedup stage itself needs.
    """
    import json
    import tempfile

    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from corpus.document import Document
    from pipelines.dedup import Deduplicate

    texts, _ = build_set(Path(data), n, n // 2, seed=1)
    src = Path(tempfile.mkdtemp()) / "docs.jsonl"
    src.write_text("\n".join(json.dumps({"id": f"{i:06d}", "text": t}) for i, t in enumerate(texts)))

    def to_doc(line: str) -> Document:
        row = json.loads(line)
        return Document(row["id"], row["text"], "bench")

    opts = PipelineOptions(["--direct_running_mode", "multi_processing", "--direct_num_workers", "2"])
    t = time.perf_counter()
    with beam.Pipeline(options=opts) as p:
        _ = p | beam.io.ReadFromText(str(src)) | beam.Map(to_doc) | Deduplicate(DedupConfig(url=False))
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{len(texts)} {worker} {own} {time.perf_counter() - t:.1f}")


def memory(data: Path, quick: bool) -> None:
    n = 150 if quick else 300
    print("\n## Peak memory of the dedup stage: DirectRunner, multi-processing, 2 workers; fresh process per size")
    print("| documents | largest worker's peak RSS (MB) | coordinating process peak RSS (MB) | seconds |")
    print("|---|---|---|---|")
    rows = []
    for size in (n, 4 * n):
        out = subprocess.run([sys.executable, __file__, "--memory-child", str(size), "--data", str(data)],
                             capture_output=True, text=True, check=True).stdout.split()
        docs, worker, own, secs = int(out[0]), int(out[1]) / 1024, int(out[2]) / 1024, out[3]
        rows.append((docs, worker, own))
        print(f"| {docs} | {worker:.0f} | {own:.0f} | {secs} |")
    (d1, w1, o1), (d4, w4, o4) = rows
    print(f"\ndocuments x{d4 / d1:.1f}: largest worker x{w4 / w1:.2f}, coordinating process x{o4 / o1:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--quick", action="store_true", help="smaller sets, fewer repeats")
    ap.add_argument("--only", choices=["quality", "speed", "memory"])
    ap.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.data)
        return
    data = Path(args.data)
    for name, fn in [("quality", quality), ("speed", speed), ("memory", memory)]:
        if args.only in (None, name):
            fn(data, args.quick)


if __name__ == "__main__":
    main()
