"""Quality filters: documents/s on one core, ours vs datatrove's, and how often they agree.

Input: the HTML responses of a WARC (default: /work/shared/data/cc-2020-34-sample.warc.gz),
extracted with resiliparse (main content), language from langdetect. Ours: every family of
``corpus.filters.ruleset.apply_quality`` (Gopher quality + repetition, C4, FineWeb) with the
per-language rule sets. datatrove: its FineWeb pipeline's filters on the same texts
(GopherRepetition, GopherQuality, C4Quality without the terminal-punctuation line filter,
FineWebQuality), each built with the document's language, run in a second interpreter
because datatrove is not a project dependency:

    python3.11 -m venv benchmarks/.venv-datatrove
    benchmarks/.venv-datatrove/bin/pip install "datatrove[processing]" lxml_html_clean spacy
    .venv/bin/python benchmarks/filters.py [--seconds 3] [WARC ...]

Without that venv only our figures are printed. Both sides loop over the documents for at
least ``--seconds``; the figure is documents per second of filtering alone (extraction not
timed), in one process, so per core.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

DATA = "/work/shared/data"
DEFAULT_WARC = f"{DATA}/cc-2020-34-sample.warc.gz"
HERE = os.path.dirname(os.path.abspath(__file__))
DATATROVE_PY = os.path.join(HERE, ".venv-datatrove", "bin", "python")


def load_docs(paths: list[str]) -> list[dict]:
    import langdetect
    from fastwarc.warc import ArchiveIterator, WarcRecordType
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    langdetect.DetectorFactory.seed = 0
    docs = []
    for path in paths:
        with open(path, "rb") as f:
            for rec in ArchiveIterator(f, record_types=WarcRecordType.response):
                body = rec.reader.read()
                text = extract_plain_text(bytes_to_str(body, detect_encoding(body)), main_content=True)
                if not text.strip():
                    continue
                lang = langdetect.detect(text)
                docs.append({"id": rec.record_id, "url": rec.headers.get("WARC-Target-URI", ""), "text": text,
                             "language": {"zh-cn": "zh", "zh-tw": "zh"}.get(lang, lang)})
    return docs


def time_loop(fn, docs: list, seconds: float) -> tuple[list, float]:
    """Run ``fn`` over all docs until ``seconds`` have passed; (verdicts of a pass, seconds per doc).

    One untimed pass first, so that lazy set-up (spaCy models, regex caches) is not timed.
    """
    verdicts = [fn(d) for d in docs]
    passes, spent = 0, 0.0
    while spent < seconds or passes < 2:
        t0 = time.perf_counter()
        verdicts = [fn(d) for d in docs]
        spent += time.perf_counter() - t0
        passes += 1
    return verdicts, spent / (passes * len(docs))


def run_ours(docs: list[dict], seconds: float) -> tuple[list, float]:
    sys.path.insert(0, os.path.dirname(HERE))
    from corpus.document import Document
    from corpus.filters.ruleset import QualityConfig, apply_quality

    config = QualityConfig()
    documents = [Document(id=d["id"], text=d["text"], source="warc", url=d["url"],
                          meta={"language": d["language"]}) for d in docs]
    verdicts, per_doc = time_loop(lambda doc: apply_quality(doc, config=config), documents, seconds)
    return [v.reason for v in verdicts], per_doc


def run_datatrove(docs: list[dict], seconds: float) -> tuple[list, float]:
    """Runs inside the datatrove venv (``--engine datatrove``)."""
    from datatrove.data import Document
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    pipelines = {}
    for lang in sorted({d["language"] for d in docs}):
        pipelines[lang] = [
            ("gopher_rep", GopherRepetitionFilter(language=lang)),
            ("gopher", GopherQualityFilter(language=lang)),
            ("c4", C4QualityFilter(filter_no_terminal_punct=False, language=lang)),
            ("fineweb", FineWebQualityFilter(language=lang)),
        ]

    def one(d: dict):
        doc = Document(text=d["text"], id=d["id"], metadata={"language": d["language"]})
        for name, step in pipelines[d["language"]]:
            result = step.filter(doc)  # C4QualityFilter rewrites doc.text, as in the FineWeb pipeline
            if result is not True:
                return f"{name}:{result[1] if isinstance(result, tuple) else 'drop'}"
        return None

    return time_loop(one, docs, seconds)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("warcs", nargs="*", default=[DEFAULT_WARC])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--engine", choices=["ours", "datatrove"], default="ours", help=argparse.SUPPRESS)
    parser.add_argument("--docs_json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.engine == "datatrove":
        with open(args.docs_json, encoding="utf-8") as f:
            docs = json.load(f)
        verdicts, per_doc = run_datatrove(docs, args.seconds)
        print(json.dumps({"verdicts": verdicts, "per_doc": per_doc}))
        return

    docs = load_docs(args.warcs)
    ours, ours_per_doc = run_ours(docs, args.seconds)
    theirs = theirs_per_doc = None
    if os.path.exists(DATATROVE_PY):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
            json.dump(docs, f)
        try:
            out = subprocess.run([DATATROVE_PY, os.path.abspath(__file__), "--engine", "datatrove",
                                  "--docs_json", f.name, "--seconds", str(args.seconds)],
                                 check=True, capture_output=True, text=True)
        finally:
            os.unlink(f.name)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        theirs, theirs_per_doc = result["verdicts"], result["per_doc"]

    chars = sum(len(d["text"]) for d in docs)
    print(f"{len(docs)} documents, {chars:,} characters, languages "
          f"{dict(sorted({d['language']: sum(x['language'] == d['language'] for x in docs) for d in docs}.items()))}")
    print(f"{'engine':<12}{'docs/s':>10}{'MB/s':>8}{'kept':>6}")
    rows = [("ours", ours, ours_per_doc)] + ([("datatrove", theirs, theirs_per_doc)] if theirs else [])
    for name, verdicts, per_doc in rows:
        print(f"{name:<12}{1 / per_doc:>10.0f}{chars / len(docs) / per_doc / 1e6:>8.2f}"
              f"{sum(v is None for v in verdicts):>6}")
    if theirs:
        print(f"speed-up ours/datatrove: {theirs_per_doc / ours_per_doc:.1f}x")
        agree = sum((a is None) == (b is None) for a, b in zip(ours, theirs, strict=True))
        print(f"keep/drop agreement: {agree}/{len(docs)}")
        print(f"\n{'url':<52}{'lang':<6}{'ours':<30}datatrove")
        for d, a, b in zip(docs, ours, theirs, strict=True):
            print(f"{d['url'][:50]:<52}{d['language']:<6}{a or 'keep':<30}{b or 'keep'}")


if __name__ == "__main__":
    main()
