"""Language identification side by side: fastText lid.176 alone, langdetect alone, the shipped detector.

On lingua (one sentence per line, file name = language): sentence accuracy, per-language accuracy,
accuracy on documents of 10 (and 3) consecutive sentences of one file, and sentences/s. Then a
held-out check on data that is not lingua (Shakespeare paragraphs, English Wikipedia articles,
Common Crawl pages labelled by CLD2) to see that the combination does not hurt there.

    .venv/bin/python benchmarks/langid.py [--data /work/shared/data]
"""
from __future__ import annotations

import argparse
import bz2
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import mwparserfromhell
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import bytes_to_str, detect_encoding
from warcio.archiveiterator import ArchiveIterator

from corpus.lang import fasttext_lid, langdetect_lid
from corpus.lang.detect import LangConfig, identify

Labelled = list[tuple[str, str]]  # (expected language, text)
MIN_HELDOUT_LETTERS = 100


def fasttext_alone(text: str) -> str:
    pairs = fasttext_lid.predict(fasttext_lid.load_model(), text, k=1)
    return pairs[0][0] if pairs else "und"


def langdetect_alone(text: str) -> str:
    pairs = langdetect_lid.predict(text)
    return pairs[0][0] if pairs else "und"


def shipped(config: LangConfig) -> Callable[[str], str]:
    return lambda text: identify(text, config)[0]


def lingua(data: Path) -> Labelled:
    return [(path.stem, line.strip()) for path in sorted((data / "lingua").glob("*.txt"))
            for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def documents(sentences: Labelled, size: int) -> Labelled:
    """Consecutive sentences of one file joined by spaces, ``size`` at a time (the last may be shorter)."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    for lang, text in sentences:
        by_lang[lang].append(text)
    return [(lang, " ".join(texts[i:i + size])) for lang, texts in by_lang.items()
            for i in range(0, len(texts), size)]


def heldout(data: Path) -> dict[str, Labelled]:
    sets: dict[str, Labelled] = {}
    paragraphs = (data / "tinyshakespeare.txt").read_text(encoding="utf-8").split("\n\n")
    sets["shakespeare paragraphs (en)"] = [("en", p) for p in paragraphs if len(p) >= MIN_HELDOUT_LETTERS]
    dump = bz2.open(data / "enwiki-shortened.xml.bz2", "rt", encoding="utf-8").read()
    articles = [mwparserfromhell.parse(m).strip_code()
                for m in re.findall(r"<text[^>]*>(.*?)</text>", dump, flags=re.S)
                if not m.lstrip().upper().startswith("#REDIRECT")]
    sets["enwiki articles (en)"] = [("en", a) for a in articles if len(a) >= MIN_HELDOUT_LETTERS]
    sets["CC-2020-34 pages (CLD2 label)"] = cc_pages(data / "cc-2020-34-sample.warc.gz")
    return sets


def cc_pages(path: Path) -> Labelled:
    """Main text of each response whose CLD2 metadata is reliable and covers >= 90% of the page."""
    html: dict[str, bytes] = {}
    labels: dict[str, str] = {}
    with path.open("rb") as f:
        for rec in ArchiveIterator(f):
            uri = rec.rec_headers.get_header("WARC-Target-URI")
            body = rec.content_stream().read()
            if rec.rec_type == "response":
                html[uri] = body
            elif rec.rec_type == "metadata":
                m = re.search(rb"languages-cld2: (\{.*\})", body)
                cld2 = json.loads(m.group(1)) if m else {}
                langs = cld2.get("languages", [])
                if cld2.get("reliable") and langs and langs[0]["text-covered"] >= 0.9:
                    labels[uri] = langs[0]["code"]
    out = []
    for uri, lang in sorted(labels.items()):
        if uri in html:
            text = extract_plain_text(bytes_to_str(html[uri], detect_encoding(html[uri])), main_content=True)
            if len(text) >= MIN_HELDOUT_LETTERS:
                out.append((lang.split("-")[0].lower(), text))
    return out


def evaluate(fn: Callable[[str], str], items: Labelled) -> tuple[float, dict[str, float], float, list]:
    """Accuracy, per-language accuracy, items/s, and the misses."""
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    misses = []
    t0 = time.perf_counter()
    for lang, text in items:
        got = fn(text)
        total[lang] += 1
        if got == lang:
            right[lang] += 1
        else:
            misses.append((lang, got, text[:70]))
    seconds = time.perf_counter() - t0
    per_lang = {lang: right[lang] / total[lang] for lang in sorted(total)}
    return sum(right.values()) / len(items), per_lang, len(items) / seconds, misses


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--show-misses", action="store_true", help="print the shipped detector's misses")
    args = parser.parse_args(argv)
    fasttext_lid.load_model()
    langdetect_lid.load_factory()
    detectors = {
        "fastText lid.176": fasttext_alone,
        "langdetect": langdetect_alone,
        "shipped": shipped(LangConfig()),
        "shipped, no 2nd opinion": shipped(LangConfig(second_opinion=False)),
        "shipped, chunks of 400": shipped(LangConfig(chunk_chars=400)),
    }
    sentences = lingua(args.data)
    sets = {"sentences": sentences, "docs of 10": documents(sentences, 10), "docs of 3": documents(sentences, 3)}
    langs = sorted({lang for lang, _ in sentences})
    print(f"lingua: {len(sentences)} sentences, {len(sets['docs of 10'])} docs of 10, "
          f"{len(sets['docs of 3'])} docs of 3")
    print(f"{'detector':<25} {'sent acc':>8} {'docs10':>7} {'docs3':>7} {'sent/s':>8}  "
          + " ".join(f"{lang:>5}" for lang in langs))
    misses = []
    for name, fn in detectors.items():
        acc, per_lang, rate, miss = evaluate(fn, sentences)
        doc10 = evaluate(fn, sets["docs of 10"])[0]
        doc3 = evaluate(fn, sets["docs of 3"])[0]
        print(f"{name:<25} {acc:8.4f} {doc10:7.4f} {doc3:7.4f} {rate:8.0f}  "
              + " ".join(f"{per_lang[lang]:5.3f}" for lang in langs))
        if name == "shipped":
            misses = miss
    if args.show_misses:
        for lang, got, text in misses:
            print(f"  miss {lang}->{got}: {text}")
    print("\nheld-out (not lingua): accuracy against the expected language")
    print(f"{'set':<32} {'n':>4} " + " ".join(f"{name:>24}" for name in detectors))
    for set_name, items in heldout(args.data).items():
        accs = [evaluate(fn, items)[0] for fn in detectors.values()]
        print(f"{set_name:<32} {len(items):>4} " + " ".join(f"{a:24.4f}" for a in accs))


if __name__ == "__main__":
    main()
