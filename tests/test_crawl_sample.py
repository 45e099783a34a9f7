"""Crawling the sample corpus served locally gives back the sample's documents, and builds."""
from __future__ import annotations

import json

import pytest

from corpus import sample
from corpus.crawl.serve import recorded_responses, serve_warc
from corpus.sources.warc import read_warc
from pipelines import crawl

IN_PROCESS = ["--direct_running_mode", "in_memory", "--direct_num_workers", "1"]


def documents(paths) -> dict:
    docs = {}
    for path in paths:
        with open(path, "rb") as f:
            for r in read_warc(f, str(path)):
                if type(r).__name__ == "Document":
                    docs.setdefault(r.url, r)
    return docs


def test_replay_serves_each_recorded_response():
    recorded = recorded_responses(sample.WARC)
    assert len(recorded) == 86  # every response record of web.warc.gz but the malformed one
    with serve_warc(sample.WARC) as sites:
        assert len(sites.seeds) == len({r.url.split("/")[2] for r in recorded})
        import urllib3

        http = urllib3.PoolManager()
        for rec in recorded[:5]:
            resp = http.request("GET", sites.local(rec.url), redirect=False)
            assert (resp.status, resp.data) == (rec.page.status, rec.page.body)


@pytest.fixture(scope="module")
def sample_crawl(tmp_path_factory):
    """What the demo does (crawl.crawl_replayed_warc): crawl the sample's pages served locally."""
    out = tmp_path_factory.mktemp("sample") / "crawl"
    with serve_warc(sample.WARC) as sites:
        code = crawl.crawl_sites(sites, out, *IN_PROCESS)
        yield {"code": code, "out": out, "sites": sites}


def test_crawled_documents_equal_the_sample_documents(sample_crawl):
    assert sample_crawl["code"] == 0
    sites, out = sample_crawl["sites"], sample_crawl["out"]
    original = documents([sample.WARC])
    crawled = documents(sorted(out.glob("*.warc.gz")))
    # Each page of the sample is crawled once at its local address: the same text comes out.
    expected = {}
    for url, doc in original.items():
        expected.setdefault(sites.local(url), doc)  # http:// and https:// of one path are one local page
    assert len(expected) >= 70
    log = {e["url"]: e for e in crawl.read_log(out)}
    by_record = {e["record_id"]: e["url"] for e in log.values() if e["record_id"]}
    revisits = 0
    for local, doc in expected.items():
        if log[local]["outcome"] == "revisit":  # an exact duplicate: stored once, read once
            revisits += 1
            assert local not in crawled and crawled[by_record[log[local]["refers_to"]]].text == doc.text, local
        else:
            assert crawled[local].text == doc.text, local
    assert revisits == sum(1 for e in log.values() if e["outcome"] == "revisit") > 0
    # Besides the sample's pages, only the index pages the replay server adds at "/" are documents.
    recorded_roots = {sites.local(r.url) for r in sites.recorded if r.url.split("/", 3)[3:] in ([], [""])}
    assert set(crawled) - set(expected) == {s.url("/") for s in sites.servers.values()} - recorded_roots


def test_sample_crawl_log_accounts_for_non_html_and_redirects(sample_crawl):
    log = crawl.read_log(sample_crawl["out"])
    reasons = {}
    for e in log:
        reasons[e["reason"]] = reasons.get(e["reason"], 0) + 1
    assert reasons["content_type:image/png"] == 1
    assert reasons["content_type:application/pdf"] == 1
    assert reasons["content_type:application/json"] == 1
    assert not any(e["outcome"] == "failed" for e in log)
    summary = json.loads((sample_crawl["out"] / "summary.json").read_text())
    assert summary["hosts"] == len(sample_crawl["sites"].servers)
    sites = sample_crawl["sites"]
    (redirect,) = [e for e in log if e["url"] == sites.servers["riverside-gazette.example"].url("/")]
    assert (redirect["outcome"], redirect["reason"]) == ("fetched", "http:301")
    assert redirect["location"] == sites.servers["www.riverside-gazette.example"].url("/")


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_demo_crawls_the_sample_and_builds_from_its_warc(tmp_path):
    """The demo's two steps: crawl.crawl_replayed_warc, then `corpusforge build --input 'DIR/*.warc.gz'`."""
    from pipelines import build

    assert crawl.crawl_replayed_warc(sample.WARC, tmp_path / "crawl", *IN_PROCESS) == 0
    corpus = tmp_path / "corpus"
    code = build.run(["--input", str(tmp_path / "crawl" / "*.warc.gz"), "--output_dir", str(corpus),
                      "--vocab_size", "2000", *IN_PROCESS])
    assert code == 0
    docs = json.loads((corpus / "report" / "report.json").read_text())["documents"]
    # the report counts redirect records as input dropped by warc:redirect; the rest are the documents
    assert docs["input"] - docs["dropped"]["warc:redirect"] == len(documents(sorted((tmp_path / "crawl").glob(
        "*.warc.gz"))))
    assert docs["dead_letters"] == 0 and docs["kept"] > 0
    manifest = json.loads((corpus / "manifest.json").read_text())
    assert manifest["totals"]["num_documents"] == docs["kept"]
