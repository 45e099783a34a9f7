"""``report/index.html``: the quality report for people, in one file that opens offline.

Everything is inline: CSS in a ``<style>`` block, charts as SVG drawn by
:mod:`corpus.report.charts`, and no script at all, so the page shows the same on a laptop
without network, in a CI artifact viewer, or as a saved e-mail attachment. Any text that
came from the data (documents, URLs, reasons, errors) is escaped with :func:`html.escape`.
"""
from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from corpus.report.charts import HALF_WIDTH, Bar, column_chart, compact, hbar_chart, histogram_chart
from corpus.report.model import STAGES

STAGE_COLORS = {"read": "#64748b", "extract": "#8b5cf6", "clean": "#0ea5e9", "language": "#14b8a6",
                "quality": "#f59e0b", "dedup": "#ef4444", "tokenize": "#6366f1"}
LANGUAGE_BARS = 15
REASON_BARS = 30

CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f3f5f9;color:#111827;font:14px/1.45 "DejaVu Sans","Segoe UI",Helvetica,Arial,sans-serif}
header{background:linear-gradient(120deg,#1e293b,#334155);color:#f8fafc;padding:22px 32px 26px}
header h1{margin:0 0 2px;font-size:22px;font-weight:600}
header .sub{color:#cbd5e1;font-size:13px}
main{max-width:1140px;margin:0 auto;padding:18px 24px 40px}
.kpis{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin-top:-34px}
.kpi{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 3px rgba(15,23,42,.12)}
.kpi .v{font-size:21px;font-weight:600}
.kpi .l{color:#6b7280;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.ok{color:#15803d}.bad{color:#b91c1c}
section{background:#fff;border-radius:10px;padding:16px 20px;margin-top:16px;
 box-shadow:0 1px 3px rgba(15,23,42,.10)}
section h2{margin:0 0 10px;font-size:16px;font-weight:600}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.grid2 section{margin-top:0}
.row{margin-top:16px}
.chart{max-width:100%;height:auto;display:block}
.legend span{display:inline-block;margin-right:14px;font-size:12px;color:#374151}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
table{border-collapse:collapse;width:100%;font-size:13px}
table.narrow{width:auto;min-width:55%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eef0f4;vertical-align:top}
th{color:#6b7280;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.equation{font:15px "DejaVu Sans Mono",monospace;background:#f8fafc;border-radius:8px;padding:10px 14px}
.mark{font-size:20px;font-weight:700;margin-right:8px}
details{border:1px solid #e5e7eb;border-radius:8px;margin:8px 0;padding:6px 12px}
summary{cursor:pointer;font-weight:600}
summary .count{color:#6b7280;font-weight:400;margin-left:6px}
.doc{border-left:3px solid #cbd5e1;margin:10px 0;padding:2px 10px}
.doc .meta{color:#6b7280;font-size:12px;word-break:break-all}
.doc pre{white-space:pre-wrap;word-wrap:break-word;margin:6px 0 2px;font:12px/1.45 "DejaVu Sans Mono",monospace;
 background:#f8fafc;padding:8px;border-radius:6px;max-height:220px;overflow:auto}
code{font:12px "DejaVu Sans Mono",monospace;background:#f1f5f9;padding:1px 4px;border-radius:4px}
.muted{color:#6b7280}
"""


def _n(value: int) -> str:
    return f"{value:,}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _section(title: str, body: str, *, anchor: str = "") -> str:
    ident = f' id="{escape(anchor)}"' if anchor else ""
    return f"<section{ident}><h2>{escape(title)}</h2>{body}</section>"


def _kpis(report: Mapping[str, Any]) -> str:
    docs, acc = report["documents"], report["accounting"]
    tiles = [("input documents", _n(docs["input"]), ""),
             ("kept", _n(docs["kept"]), _pct(docs["kept"], docs["input"])),
             ("dropped", _n(sum(docs["dropped"].values())), f'{len(docs["dropped"])} reasons'),
             ("dead letters", _n(docs["dead_letters"]), ""),
             ("tokens", compact(report["tokens"]["total"]["tokens"]), ""),
             ("accounting", "✓ holds" if acc["ok"] else "✗ broken", "")]
    cells = []
    for label, value, note in tiles:
        cls = (" ok" if acc["ok"] else " bad") if label == "accounting" else ""
        small = f' <span class="muted" style="font-size:13px">{escape(note)}</span>' if note else ""
        cells.append(f'<div class="kpi"><div class="l">{escape(label)}</div>'
                     f'<div class="v{cls}">{escape(value)}{small}</div></div>')
    return f'<div class="kpis">{"".join(cells)}</div>'


def _legend() -> str:
    items = "".join(f'<span><i style="background:{c}"></i>{escape(s)}</span>' for s, c in STAGE_COLORS.items())
    return f'<div class="legend">{items}</div>'


def _funnel(report: Mapping[str, Any]) -> str:
    stages = report["stages"]
    total = report["documents"]["input"]
    bars = [Bar("input", total, "#334155", "100%")]
    for s in stages:
        label = f"after {s['name']}" + (" (skipped)" if s["skipped"] else "")
        removed = s["in"] - s["out"]
        note = f"{_pct(s['out'], total)}  −{_n(removed)}" if removed else _pct(s["out"], total)
        bars.append(Bar(label, s["out"], STAGE_COLORS.get(s["name"], "#2f6fdf"), note, background=s["in"]))
    chart = hbar_chart("chart-funnel", "documents remaining after each stage", bars, scale_max=total or 1)
    reasons = []
    for s in stages:
        for reason, n in s["removed"].items():
            reasons.append(Bar(reason, n, STAGE_COLORS.get(s["name"], "#2f6fdf"), _pct(n, total)))
        if s["dead_letters"]:
            reasons.append(Bar("dead letters", s["dead_letters"], "#111827", _pct(s["dead_letters"], total)))
    reasons.sort(key=lambda b: (-b.value, b.label))
    reason_chart = hbar_chart("chart-drop-reasons", "documents removed, by rule", reasons[:REASON_BARS])
    more = (f'<p class="muted">{len(reasons) - REASON_BARS} more rules in report.json</p>'
            if len(reasons) > REASON_BARS else "")
    return (_section("Funnel: documents after each stage", chart, anchor="funnel")
            + _section("Removals by rule", _legend() + reason_chart + more, anchor="reasons"))


def _stage_table(report: Mapping[str, Any]) -> str:
    rows = "".join(
        f'<tr><td>{escape(s["name"])}{" <span class=muted>(skipped)</span>" if s["skipped"] else ""}</td>'
        f'<td class="n">{_n(s["in"])}</td><td class="n">{_n(s["out"])}</td>'
        f'<td class="n">{_n(s["in"] - s["out"])}</td><td class="n">{_pct(s["in"] - s["out"], s["in"])}</td></tr>'
        for s in report["stages"])
    return ('<table id="stage-table" class="narrow"><tr><th>stage</th><th class="n">in</th><th class="n">out</th>'
            f'<th class="n">removed</th><th class="n">removed %</th></tr>{rows}</table>')


def _accounting(report: Mapping[str, Any]) -> str:
    docs, acc = report["documents"], report["accounting"]
    mark = '<span class="mark ok">✓</span>' if acc["ok"] else '<span class="mark bad">✗</span>'
    relation = "==" if acc["ok"] else "≠"
    eq = (f'{_n(docs["input"])} {relation} {_n(docs["kept"])} + {_n(sum(docs["dropped"].values()))} '
          f'+ {_n(docs["dead_letters"])}')
    return (f'<div id="accounting" class="equation">{mark}<code>{escape(acc["equation"])}</code><br>'
            f'<span style="margin-left:30px">{escape(eq)}</span></div>')


def _distributions(report: Mapping[str, Any]) -> str:
    kept = report["documents"]["kept"]
    langs = list(report["languages"].items())
    bars = [Bar(code, n, "#14b8a6", _pct(n, kept)) for code, n in langs[:LANGUAGE_BARS]]
    if len(langs) > LANGUAGE_BARS:
        rest = sum(n for _, n in langs[LANGUAGE_BARS:])
        bars.append(Bar(f"{len(langs) - LANGUAGE_BARS} others", rest, "#94a3b8", _pct(rest, kept)))
    sources = [Bar(s, n, "#64748b", _pct(n, kept)) for s, n in report["sources"].items()]
    hist = report["histograms"]
    return (
        '<div class="grid2 row">'
        + _section("Languages (kept documents)", hbar_chart("chart-languages", "kept documents per language", bars, width=HALF_WIDTH))
        + _section("Sources (kept documents)", hbar_chart("chart-sources", "kept documents per source", sources, width=HALF_WIDTH))
        + "</div><div class=\"grid2 row\">"
        + _section("Document length", histogram_chart("chart-document-chars", "kept documents by characters",
                                                      hist["document_chars"], x_title="characters (log bins)"))
        + _section("Tokens per document", histogram_chart("chart-document-tokens", "kept documents by tokens",
                                                          hist["document_tokens"], x_title="tokens (log bins)",
                                                          color="#6366f1"))
        + "</div>")


def _dedup(report: Mapping[str, Any]) -> str:
    d = report["dedup"]
    hist = d["cluster_size_histogram"]
    chart = column_chart("chart-cluster-sizes", "near-duplicate clusters by size", list(hist),
                         list(hist.values()), x_title="documents in cluster", color="#ef4444")
    figures = (f'<p>URL duplicates removed <b>{_n(d["url_removed"])}</b> · exact duplicates removed '
               f'<b>{_n(d["exact_removed"])}</b> · near duplicates removed <b>{_n(d["near_removed"])}</b> '
               f'in <b>{_n(d["clusters"])}</b> clusters</p>')
    params = ", ".join(f"{k}={v}" for k, v in d["parameters"].items())
    examples = []
    for ex in d["examples"]:
        rows = "".join(f'<tr><td>{"survivor" if m["id"] == ex["survivor"] else "dropped"}</td>'
                       f'<td><code>{escape(m["id"][:12])}</code></td><td>{escape(m["url"])}</td>'
                       f'<td>{escape(m["first_line"])}</td></tr>' for m in ex["members"])
        examples.append(f'<details><summary>cluster of {ex["size"]} <span class="count">survivor '
                        f'{escape(ex["survivor"][:12])}</span></summary><table>{rows}</table></details>')
    side = ((f'<p class="muted">{escape(params)}</p>' if params else "")
            + ("<b>Example clusters</b>" + "".join(examples) if examples else ""))
    return _section("Duplicates", figures + f'<div class="grid2"><div>{chart}</div><div>{side}</div></div>',
                    anchor="dedup")


def _domains_and_tokens(report: Mapping[str, Any]) -> str:
    kept = report["documents"]["kept"]
    bars = [Bar(domain or "(no domain)", n, "#0ea5e9", _pct(n, kept)) for domain, n in report["top_domains"]]
    token_rows = "".join(f'<tr><td>{escape(split)}</td><td class="n">{_n(f["documents"])}</td>'
                         f'<td class="n">{_n(f["tokens"])}</td></tr>' for split, f in report["tokens"].items())
    tokens = ('<table id="tokens-table"><tr><th>split</th><th class="n">documents</th><th class="n">tokens</th>'
              f"</tr>{token_rows}</table>")
    return ('<div class="grid2 row">'
            + _section("Top domains (kept documents)", hbar_chart("chart-top-domains", "kept documents per domain",
                                                                  bars, width=HALF_WIDTH))
            + _section("Tokens per split", tokens) + "</div>")


def _doc(sample: Mapping[str, Any]) -> str:
    meta = " · ".join(escape(str(x)) for x in (sample["id"][:16], sample.get("source"), sample.get("language"),
                                               f'{sample.get("chars", 0):,} chars', sample.get("url")) if x)
    more = ' <span class="muted">[…]</span>' if sample.get("truncated") else ""
    return f'<div class="doc"><div class="meta">{meta}</div><pre>{escape(sample["text"])}{more}</pre></div>'


def _samples(report: Mapping[str, Any]) -> str:
    samples = report["samples"]
    kept = "".join(_doc(s) for s in samples["kept"]) or '<p class="muted">no kept samples</p>'
    dropped_counts = report["documents"]["dropped"]
    blocks = []
    # The most frequent reason starts open: the sample a reader most likely came to check.
    first = next((r for r in dropped_counts if r in samples["dropped"]), None)
    for reason in sorted(samples["dropped"], key=lambda r: (-dropped_counts.get(r, 0), r)):
        docs = samples["dropped"][reason]
        count = dropped_counts.get(reason, 0)
        is_open = " open" if reason == first else ""
        blocks.append(f'<details class="reject" data-reason="{escape(reason)}"{is_open}><summary>{escape(reason)}'
                      f'<span class="count">{_n(count)} dropped · {len(docs)} shown</span></summary>'
                      f'{"".join(_doc(d) for d in docs)}</details>')
    dropped = "".join(blocks) or '<p class="muted">no dropped samples</p>'
    return (_section("Sampled kept documents", f"<details open><summary>{len(samples['kept'])} documents</summary>"
                                               f"{kept}</details>", anchor="kept")
            + _section("Sampled dropped documents, by reason", dropped, anchor="dropped"))


def _dead_letters(report: Mapping[str, Any]) -> str:
    rows = "".join(f'<tr><td>{escape(d["path"])}</td><td class="n">{escape(str(d["offset"]))}</td>'
                   f'<td>{escape(d["source"])}</td><td>{escape(d["error"])}</td></tr>'
                   for d in report["dead_letters"])
    body = ('<table id="dead-letters"><tr><th>path</th><th class="n">offset</th><th>source</th><th>error</th>'
            f"</tr>{rows}</table>") if rows else '<p class="muted">no dead letters</p>'
    return _section(f"Dead letters ({_n(report['documents']['dead_letters'])})", body, anchor="dead-letters")


def render_html(report: Mapping[str, Any]) -> str:
    """The whole page for ``report`` (a :func:`corpus.report.model.build_report` dict)."""
    missing = [s for s in STAGES if s not in {st["name"] for st in report["stages"]}]
    note = f" · stages not in this report: {', '.join(missing)}" if missing else ""
    created = escape(str(report.get("created", "")))
    body = (
        f"<header><h1>Corpus quality report</h1><div class=\"sub\">built {created} · report format "
        f"{escape(str(report['format_version']))}{escape(note)}</div></header><main>"
        + _kpis(report)
        + _section("Accounting", _accounting(report) + "<div class=\"row\">" + _stage_table(report) + "</div>",
                   anchor="accounting-section")
        + _funnel(report) + _distributions(report) + _dedup(report) + _domains_and_tokens(report)
        + _samples(report) + _dead_letters(report) + "</main>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Corpus quality report</title><style>{CSS}</style></head><body>{body}</body></html>\n")
