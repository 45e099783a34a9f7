"""HTML main-content extraction: quality on a hand-written gold set, speed on gold + real pages.

Quality is word-shingle F1 against the gold text of each page in benchmarks/extraction_gold/
(multiset precision/recall of 1-gram and 3-gram shingles over lowercase words; Chinese
and Japanese characters are one token each), macro-averaged over pages. Speed is ms/page
after a warm-up round; rounds alternate between methods so machine load hits all alike.

    .venv/bin/python benchmarks/extraction.py [--rounds 5] [--warc FILE] [--per-page] [--split all|tune|heldout]

The gold pages are split deterministically by sorted name: even positions are the tuning half
(the only pages rules may be tuned on), odd positions the held-out half (checked, never tuned on);
the table reports F1 on both halves so overfitting to the tuning half shows.
"""
from __future__ import annotations

import argparse
import io
import pathlib
import re
import statistics
import sys
import time
from collections import Counter

import warcio.archiveiterator

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from corpus.extract.html import METHODS, extract_with, tokens  # noqa: E402

GOLD_DIR = pathlib.Path(__file__).resolve().parent / "extraction_gold"
DEFAULT_WARC = "/work/shared/data/cc-2020-34-sample.warc.gz"
_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)


def shingles(toks: list[str], n: int) -> Counter:
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def prf(pred: str, gold: str, n: int) -> tuple[float, float, float]:
    """Multiset precision, recall and F1 of n-gram shingles; an empty side scores 0 (both empty: 1)."""
    p, g = shingles(tokens(pred), n), shingles(tokens(gold), n)
    if not p and not g:
        return 1.0, 1.0, 1.0
    common = sum((p & g).values())
    prec = common / sum(p.values()) if p else 0.0
    rec = common / sum(g.values()) if g else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


SPLITS = ("all", "tune", "heldout")


def load_gold(split: str = "all") -> list[tuple[str, str, str]]:
    """(name, html, gold text) of the gold pages of ``split``: tune = even sorted positions, heldout = odd."""
    pages = []
    for i, html_path in enumerate(sorted(GOLD_DIR.glob("*.html"))):
        if split != "all" and (i % 2 == 0) != (split == "tune"):
            continue
        gold = html_path.with_suffix(".txt").read_text(encoding="utf-8")
        pages.append((html_path.stem, html_path.read_text(encoding="utf-8"), gold))
    return pages


def _charset(content_type: str | None, body: bytes) -> str:
    if content_type and "charset=" in content_type.lower():
        return content_type.lower().split("charset=")[-1].split(";")[0].strip(" \"'")
    m = _META_CHARSET_RE.search(body[:4096])
    return m.group(1).decode("ascii") if m else "utf-8"


def load_warc_html(path: str) -> list[str]:
    """HTML responses of a WARC file, decoded by header/meta charset (utf-8 with replacement otherwise)."""
    pages = []
    with open(path, "rb") as f:
        data = f.read()
    for rec in warcio.archiveiterator.ArchiveIterator(io.BytesIO(data)):
        if rec.rec_type != "response" or rec.http_headers is None:
            continue
        ctype = rec.http_headers.get_header("Content-Type") or ""
        if "html" not in ctype.lower():
            continue
        body = rec.content_stream().read()
        try:
            pages.append(body.decode(_charset(ctype, body), errors="replace"))
        except LookupError:
            pages.append(body.decode("utf-8", errors="replace"))
    return pages


def time_method(method: str, pages: list[str], rounds: int) -> list[float]:
    """Per-page seconds, the best of ``rounds`` runs for each page (after one warm-up run)."""
    for html in pages:
        extract_with(html, method)
    best = [float("inf")] * len(pages)
    for _ in range(rounds):
        for i, html in enumerate(pages):
            t0 = time.perf_counter()
            extract_with(html, method)
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds per page (best is kept)")
    ap.add_argument("--warc", default=DEFAULT_WARC, help="real WARC for the speed column")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--per-page", action="store_true", help="print 1-gram F1 of every page and method")
    ap.add_argument("--split", choices=SPLITS, default="all", help="gold pages to measure and list")
    args = ap.parse_args(argv)
    methods = args.methods.split(",")
    gold = load_gold(args.split)
    tune = {name for name, _, _ in load_gold("tune")}
    warc_pages = load_warc_html(args.warc) if args.warc else []
    print(f"gold pages: {len(gold)}; real HTML pages from {args.warc}: {len(warc_pages)}")

    rows, per_page = [], {}
    for method in methods:
        outs = [extract_with(html, method) for _, html, _ in gold]
        s1 = [prf(text, g, 1) for (text, _), (_, _, g) in zip(outs, gold, strict=True)]
        s3 = [prf(text, g, 3) for (text, _), (_, _, g) in zip(outs, gold, strict=True)]
        per_page[method] = [s[2] for s in s1]
        fallback = sum(used != "resiliparse" for _, used in outs) if method == "hybrid" else None
        t_gold = time_method(method, [html for _, html, _ in gold], args.rounds)
        t_warc = time_method(method, warc_pages, args.rounds) if warc_pages else []
        halves = [[s[2] for s, (name, _, _) in zip(s1, gold, strict=True) if (name in tune) == want]
                  for want in (True, False)]
        rows.append((method, *(statistics.mean(s[k] for s in s1) for k in range(3)),
                     *(statistics.mean(h) if h else float("nan") for h in halves),
                     statistics.mean(s[2] for s in s3),
                     1000 * statistics.median(t_gold), 1000 * statistics.mean(t_gold),
                     len(t_gold) / sum(t_gold),
                     1000 * statistics.median(t_warc) if t_warc else float("nan"),
                     1000 * statistics.mean(t_warc) if t_warc else float("nan"),
                     fallback))

    head = ("method", "P1", "R1", "F1", "F1 tune", "F1 held-out", "F1(3g)", "gold ms med", "gold ms mean", "gold pages/s",
            "warc ms med", "warc ms mean", "fallbacks")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = [r[0]] + [f"{x:.3f}" for x in r[1:7]] + [f"{x:.2f}" for x in r[7:9]] + [f"{r[9]:.0f}"] \
            + [f"{x:.2f}" for x in r[10:12]] + ["" if r[12] is None else f"{r[12]}/{len(gold)}"]
        print("| " + " | ".join(cells) + " |")
    if args.per_page:
        print("\npage " + " ".join(f"{m:>12s}" for m in methods))
        for i, (name, _, _) in enumerate(gold):
            print(f"{name:32s} " + " ".join(f"{per_page[m][i]:12.3f}" for m in methods))


if __name__ == "__main__":
    main()
