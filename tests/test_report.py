"""The quality report: figures from fixture inputs, accounting, histograms, the page, the CLI."""
from __future__ import annotations

import json
import math
from statistics import NormalDist

import pytest

from corpus.report import (
    BINS,
    AccountingError,
    ReportInputs,
    bin_counts,
    bin_index,
    build_report,
    check_accounting,
    cli,
    domain_of,
    drops_from_counters,
    histogram,
    histogram_from_counts,
    merge_counts,
    render_html,
    write_report,
)

CREATED = "2026-01-02T03:04:05+00:00"
DROPPED = {"warc:non_html": 5, "wiki:redirect": 3, "extract:empty": 4, "lines:empty": 2,
           "lang:score_below_threshold": 6, "gopher:symbol_ratio": 7, "c4:lorem_ipsum": 1,
           "dedup:url": 2, "dedup:exact": 3, "dedup:near": 4}
# 61 kept documents' lengths, log-normal as real pages are: quantiles, so no randomness.
CHARS = [int(2500 * math.exp(1.1 * NormalDist().inv_cdf((i + 0.5) / 61))) for i in range(61)]
TOKENS = [c // 4 for c in CHARS]
EVIL = "<script>document.title='pwned'</script><b>bold?</b> & done"


def fixture_inputs(**changes) -> ReportInputs:
    """100 records in: 2 dead letters, 37 drops under 10 reasons, 61 kept in two splits."""
    fields = dict(
        input_documents=100, kept_documents=61, dead_letters=2, dropped=DROPPED,
        splits={"validation": {"documents": 6, "tokens": 4200}, "train": {"documents": 55, "tokens": 40000}},
        languages={"de": 8, "en": 50, "fr": 3}, sources={"wikipedia": 20, "warc": 41},
        domains={"en.wikipedia.org": 20, "example.com": 10, "blog.example.org": 10, "a.test": 1},
        dedup={"parameters": {"threshold": 0.8, "num_perm": 128, "bands": 16, "rows": 8},
               "clusters": 3, "cluster_size_histogram": {3: 1, 2: 2},
               "examples": [{"survivor": "aa01", "size": 3, "members": [
                   {"id": "aa01", "url": "https://example.com/a", "first_line": "Same story <i>"},
                   {"id": "aa02", "url": "https://example.com/b", "first_line": "Same story <i>"},
                   {"id": "aa03", "url": "https://example.com/c", "first_line": "Same story"}]}]},
        char_histogram=bin_counts(CHARS), token_histogram=bin_counts(TOKENS),
        kept_samples=[{"id": "k2", "url": "https://example.com/k2", "language": "en", "source": "warc",
                       "text": "A kept page about rivers.\nSecond line."},
                      {"id": "k1", "url": "https://en.wikipedia.org/wiki/X", "language": "de",
                       "source": "wikipedia", "text": "x" * 700}],
        rejected_samples=[
            {"reason": "gopher:symbol_ratio", "id": f"g{i}", "source": "warc", "url": f"https://a.test/{i}",
             "language": None, "chars": 30, "text": "#### $$$ ####", "truncated": False} for i in (4, 1, 3, 2)
        ] + [{"reason": "c4:lorem_ipsum", "id": "c1", "source": "warc", "url": "https://a.test/evil",
              "language": "en", "chars": len(EVIL), "text": EVIL, "truncated": False}],
        dead_letter_examples=[{"path": "b.warc.gz", "offset": 7, "error": "bad gzip <member>", "source": "warc"},
                              {"path": "a.warc.gz", "offset": 99, "error": "truncated record", "source": "warc"}],
        config={"languages": "all", "dedup_threshold": 0.8},
        created=CREATED,
    )
    fields.update(changes)
    return ReportInputs(**fields)


def fixture_report(**changes) -> dict:
    return build_report(fixture_inputs(**changes))


# --- the figures -------------------------------------------------------------------------------

def test_documents_and_accounting_figures():
    report = fixture_report()
    assert report["documents"] == {
        "input": 100, "kept": 61, "dead_letters": 2,
        "dropped": {"gopher:symbol_ratio": 7, "lang:score_below_threshold": 6, "warc:non_html": 5,
                    "dedup:near": 4, "extract:empty": 4, "dedup:exact": 3, "wiki:redirect": 3,
                    "dedup:url": 2, "lines:empty": 2, "c4:lorem_ipsum": 1}}
    assert list(report["documents"]["dropped"]) == list(sorted(DROPPED, key=lambda r: (-DROPPED[r], r)))
    assert report["accounting"] == {"ok": True, "equation": "input == kept + sum(dropped) + dead_letters",
                                    "input": 100, "accounted": 100}
    assert list(report) == ["format_version", "created", "documents", "accounting", "stages", "languages",
                            "sources", "top_domains", "dedup", "tokens", "histograms", "samples",
                            "dead_letters", "config"]
    assert report["format_version"] == 1 and report["created"] == CREATED


def test_stages_chain_from_input_to_kept():
    stages = fixture_report()["stages"]
    assert [(s["name"], s["in"], s["out"]) for s in stages] == [
        ("read", 100, 90), ("extract", 90, 86), ("clean", 86, 84), ("language", 84, 78),
        ("quality", 78, 70), ("dedup", 70, 61), ("tokenize", 61, 61)]
    assert stages[0]["removed"] == {"warc:non_html": 5, "wiki:redirect": 3} and stages[0]["dead_letters"] == 2
    assert stages[5]["removed"] == {"dedup:near": 4, "dedup:exact": 3, "dedup:url": 2}
    assert all(a["out"] == b["in"] for a, b in zip(stages, stages[1:]))


def test_distributions_dedup_tokens_samples():
    report = fixture_report()
    assert report["languages"] == {"en": 50, "de": 8, "fr": 3}
    assert list(report["sources"].items()) == [("warc", 41), ("wikipedia", 20)]
    assert report["top_domains"] == [["en.wikipedia.org", 20], ["blog.example.org", 10], ["example.com", 10],
                                     ["a.test", 1]]
    dedup = report["dedup"]
    assert (dedup["url_removed"], dedup["exact_removed"], dedup["near_removed"], dedup["clusters"]) == (2, 3, 4, 3)
    assert dedup["cluster_size_histogram"] == {"2": 2, "3": 1}
    assert [m["id"] for m in dedup["examples"][0]["members"]] == ["aa01", "aa02", "aa03"]
    assert dedup["parameters"]["num_perm"] == 128
    assert report["tokens"] == {"train": {"documents": 55, "tokens": 40000},
                                "validation": {"documents": 6, "tokens": 4200},
                                "total": {"documents": 61, "tokens": 44200}}
    kept = report["samples"]["kept"]
    assert [s["id"] for s in kept] == ["k1", "k2"]
    assert (len(kept[0]["text"]), kept[0]["chars"], kept[0]["truncated"]) == (600, 700, True)
    dropped = report["samples"]["dropped"]
    assert list(dropped) == ["c4:lorem_ipsum", "gopher:symbol_ratio"]
    assert [s["id"] for s in dropped["gopher:symbol_ratio"]] == ["g1", "g2", "g3"]  # 3 per reason, by id
    assert [d["path"] for d in report["dead_letters"]] == ["a.warc.gz", "b.warc.gz"]
    assert sum(report["histograms"]["document_chars"]["counts"]) == 61


def test_report_is_json_and_deterministic():
    report = fixture_report()
    text = json.dumps(report)
    assert json.loads(text) == report
    assert json.dumps(fixture_report()) == text


def test_skipped_stage_and_stage_override():
    report = fixture_report(dropped={**DROPPED, "pii:too_much": 0, "custom:rule": 0},
                            stage_of_reason={"custom:rule": "quality"}, skipped_stages=("clean",))
    clean = report["stages"][2]
    assert clean["skipped"] is True and report["stages"][4]["removed"]["c4:lorem_ipsum"] == 1
    with pytest.raises(ValueError, match=r"no stage known for reason 'custom:rule' .*stage_of_reason"):
        fixture_inputs(dropped={**DROPPED, "custom:rule": 1})


# --- accounting --------------------------------------------------------------------------------

def test_check_accounting_passes_and_fails_with_the_numbers():
    check_accounting(fixture_report())
    broken = fixture_report(kept_documents=60, splits={"train": {"documents": 60, "tokens": 1}},
                            languages={}, sources={}, char_histogram={}, token_histogram={})
    assert broken["accounting"]["ok"] is False and broken["accounting"]["accounted"] == 99
    with pytest.raises(AccountingError, match=r"100 != 60 \+ 37 \+ 2 = 99 \(\+1 documents unaccounted for\)"):
        check_accounting(broken)


def test_check_accounting_recomputes_instead_of_trusting_the_flag():
    report = fixture_report()
    report["documents"]["dropped"]["gopher:symbol_ratio"] = 8
    with pytest.raises(AccountingError, match="accounting does not hold"):
        check_accounting(report)
    report = fixture_report()
    report["stages"][3]["in"] = 83
    with pytest.raises(AccountingError, match="stages do not chain: clean out 84 != language in 83"):
        check_accounting(report)


def test_drops_from_counters():
    counters = {"dropped:gopher:symbol_ratio": 3, "dropped:dedup:near": 0, "dead_letter:warc": 2,
                "dead_letter:wikipedia": 1, "read:files": 4}
    assert drops_from_counters(counters) == ({"gopher:symbol_ratio": 3}, 3)


@pytest.mark.parametrize(("changes", "message"), [
    ({"input_documents": -1}, r"ReportInputs.input_documents must be a non-negative int, got -1"),
    ({"dead_letters": True}, r"ReportInputs.dead_letters must be a non-negative int"),
    ({"dropped": {"Bad Reason": 1}}, r"'Bad Reason' is not a reason code"),
    ({"dropped": {"gopher:x": 1.5}}, r"ReportInputs.dropped\['gopher:x'\] must be a non-negative int"),
    ({"splits": {"train": {"documents": 61}}}, r"splits\['train'\] must have exactly 'documents' and 'tokens'"),
    ({"splits": {"train": {"documents": 60, "tokens": 5}}}, r"splits: documents add up to 60, but kept"),
    ({"languages": {"en": 1}}, r"ReportInputs.languages: documents add up to 1, but kept_documents is 61"),
    ({"char_histogram": {3: 1}}, r"ReportInputs.char_histogram: counts add up to 1"),
    ({"token_histogram": {999: 1}}, r"bin index 999 out of range"),
    ({"skipped_stages": ("cleaning",)}, r"unknown stage 'cleaning'"),
    ({"rejected_samples": [{"reason": "c4:x", "id": "1"}]}, r"rejected_samples\[0\] lacks \['text'\]"),
])
def test_inputs_are_validated_with_the_field_named(changes, message):
    with pytest.raises(ValueError, match=message):
        fixture_inputs(**changes)


def test_domain_of():
    assert [domain_of(u) for u in ("https://WWW.Example.com:8080/x", "http://en.wikipedia.org/wiki/A", "", "x")] \
        == ["example.com", "en.wikipedia.org", "", ""]


# --- histograms --------------------------------------------------------------------------------

def test_bins_are_log_spaced_and_fixed():
    assert BINS[:12] == (0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70)
    assert [bin_index(v) for v in (0, 0.5, 1, 1.99, 2, 14, 15, 10**12)] == [0, 0, 1, 1, 2, 6, 7, len(BINS) - 2]
    with pytest.raises(ValueError, match="non-negative"):
        bin_index(-1)


def test_histogram_trims_to_occupied_bins_and_keeps_gaps():
    assert histogram([3, 4, 12, 60]) == {"edges": [3, 5, 7, 10, 15, 20, 30, 50, 70],
                                         "counts": [2, 0, 0, 1, 0, 0, 0, 1]}
    assert histogram([]) == {"edges": [], "counts": []}


def test_counts_merge_like_a_combine():
    values = [1, 5, 5, 100, 2000, 7, 99999]
    parts = [bin_counts(values[:3]), bin_counts(values[3:5]), bin_counts(values[5:])]
    assert merge_counts(*parts) == bin_counts(values)
    assert histogram_from_counts(merge_counts(*reversed(parts))) == histogram(values)
    dense = [0] * (len(BINS) - 1)
    for i, n in bin_counts(values).items():
        dense[i] = n
    assert histogram_from_counts(dense) == histogram(values)
    assert histogram_from_counts({str(k): v for k, v in bin_counts(values).items()}) == histogram(values)


# --- the page ----------------------------------------------------------------------------------

CHART_IDS = ["chart-funnel", "chart-drop-reasons", "chart-languages", "chart-sources", "chart-document-chars",
             "chart-document-tokens", "chart-cluster-sizes", "chart-top-domains"]


def test_html_has_every_chart_and_no_external_resource():
    page = render_html(fixture_report())
    for chart in CHART_IDS:
        assert f'id="{chart}" data-chart="{chart}"' in page
    assert page.count("<svg") == len(CHART_IDS)
    assert "<script" not in page and "http://www.w3.org/2000/svg" in page
    assert "<link" not in page and "src=" not in page and "@import" not in page
    assert 'id="accounting"' in page and "✓" in page and "100 == 61 + 37 + 2" in page


def test_html_escapes_document_text_and_data():
    page = render_html(fixture_report())
    assert EVIL not in page and "<b>bold?</b>" not in page
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;&lt;b&gt;bold?&lt;/b&gt; &amp; done" in page
    assert "bad gzip &lt;member&gt;" in page and "Same story &lt;i&gt;" in page


def test_html_shows_broken_accounting():
    page = render_html(fixture_report(kept_documents=60, splits={"train": {"documents": 60, "tokens": 1}},
                                      languages={}, sources={}, char_histogram={}, token_histogram={}))
    assert "✗" in page and "100 ≠ 60 + 37 + 2" in page
    assert 'id="chart-languages" data-chart="chart-languages"' in page and "nothing to show" in page


# --- the command -------------------------------------------------------------------------------

def test_cli_summary(tmp_path, capsys):
    write_report(tmp_path, fixture_report())
    assert cli.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "100 documents in: 61 kept (61.0%), 37 dropped, 2 dead letters" in out
    assert """Funnel
stage      in  out  removed  removed %
--------  ---  ---  -------  ---------
read      100   90       10      10.0%
extract    90   86        4       4.4%
clean      86   84        2       2.3%
language   84   78        6       7.1%
quality    78   70        8      10.3%
dedup      70   61        9      12.9%
tokenize   61   61        0       0.0%
""" in out
    assert "gopher:symbol_ratio                 7        7.0%" in out
    assert "en               50      82.0%" in out
    assert "train              55  40,000" in out and "total              61  44,200" in out
    assert ("Accounting OK: input == kept + sum(dropped) + dead_letters: 100 == 61 + 37 + 2") in out


def test_cli_json_and_open(tmp_path, capsys, monkeypatch):
    write_report(tmp_path, fixture_report())
    assert cli.main([str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == fixture_report()
    opened = []
    monkeypatch.setattr(cli.webbrowser, "open", opened.append)
    assert cli.main([str(tmp_path), "--open"]) == 0
    assert opened == [(tmp_path / "report" / "index.html").resolve().as_uri()]


def test_write_report_leaves_only_the_two_files(tmp_path):
    written = write_report(tmp_path, fixture_report())
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == ["index.html", "report.json"]
    assert json.loads(written["report/report.json"].read_text()) == fixture_report()


def test_cli_missing_report_names_path_and_manifest(tmp_path, capsys):
    assert cli.main([str(tmp_path / "nowhere")]) == 1
    assert f"the directory {tmp_path / 'nowhere'} does not exist" in capsys.readouterr().err
    assert cli.main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"no quality report at {tmp_path / 'report' / 'report.json'}" in err
    assert "there is no manifest.json either" in err
    (tmp_path / "manifest.json").write_text("{}")
    assert cli.main([str(tmp_path)]) == 1
    assert "manifest.json exists, so the build finished but wrote no report" in capsys.readouterr().err


def test_cli_broken_accounting_exit_status(tmp_path, capsys):
    write_report(tmp_path, fixture_report(kept_documents=60, splits={"train": {"documents": 60, "tokens": 1}},
                                          languages={}, sources={}, char_histogram={}, token_histogram={}))
    assert cli.main([str(tmp_path)]) == cli.EXIT_ACCOUNTING_BROKEN
    assert "Accounting BROKEN" in capsys.readouterr().out


def test_cli_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("usage: corpusforge report [-h] [--open] [--json] DIR")
