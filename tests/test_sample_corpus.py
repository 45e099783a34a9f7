"""The shipped sample corpus is exactly what scripts/make_sample_corpus.py writes, and planted.json
describes every record, page and line in it."""
from __future__ import annotations

import bz2
import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from corpus import sample

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "make_sample_corpus.py"
DATA_FILES = ["web.warc.gz", "wiki-multistream.xml.bz2", "wiki-multistream-index.txt.bz2", "docs.jsonl",
              "planted.json", "sentiment-train.csv", "sentiment-test.csv", "sentiment-unlabelled.jsonl"]
MW = "{http://www.mediawiki.org/xml/export-0.11/}"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return sample.load_planted()


def test_paths_and_helpers(manifest):
    assert sample.DATA_DIR == Path(sample.__file__).parent / "data"
    for path in (sample.WARC, sample.WIKI_DUMP, sample.WIKI_INDEX, sample.JSONL, sample.PLANTED):
        assert path.is_file(), path
    assert manifest["format_version"] == 1
    assert manifest["generator"] == "scripts/make_sample_corpus.py"
    assert manifest["files"]["wiki-multistream.xml.bz2"]["index"] == sample.WIKI_INDEX.name
    assert len(sample.cases()) == len(manifest["cases"])
    assert sample.cases(sample.WARC, "spam") == sample.cases("web.warc.gz", "spam")
    assert all(c["kind"] == "redirect" and c["file"] == "wiki-multistream.xml.bz2"
               for c in sample.cases("wiki-multistream.xml.bz2", "redirect"))
    assert {c["expect"] for c in manifest["cases"]} <= {"keep", "drop", "dead_letter", "skip"}


def test_generator_reproduces_shipped_files(tmp_path):
    proc = subprocess.run([sys.executable, str(SCRIPT), "--output_dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in DATA_FILES:
        assert (tmp_path / name).read_bytes() == (sample.DATA_DIR / name).read_bytes(), (
            f"{name} differs from what the generator writes; rerun `make sample`")


def _gzip_members(data: bytes, offset: int) -> list[bytes]:
    """Decompressed gzip members from ``offset`` to the end of ``data``."""
    members = []
    while offset < len(data):
        d = zlib.decompressobj(zlib.MAX_WBITS + 16)
        members.append(d.decompress(data[offset:]) + d.flush())
        assert d.eof, f"truncated gzip member at {offset}"
        offset = len(data) - len(d.unused_data)
    return members


def test_manifest_lists_every_warc_record(manifest):
    web = [c for c in manifest["cases"] if c["file"] == "web.warc.gz"]
    ids = [c["record_id"] for c in web]
    assert len(ids) == len(set(ids))
    (bad,) = [c for c in web if c["kind"] == "malformed_record"]
    (after,) = [c for c in web if c.get("after_malformed_record")]
    assert web[-2:] == [bad, after]

    data = sample.WARC.read_bytes()
    seen: dict[str, str] = {}
    types: Counter = Counter()
    with open(sample.WARC, "rb") as f:
        records = ArchiveIterator(f)
        try:
            for record in records:
                if records.offset >= bad["offset"]:
                    break
                types[record.rec_type] += 1
                if record.rec_type == "response":
                    seen[record.rec_headers.get_header("WARC-Record-ID")] = record.rec_headers.get_header(
                        "WARC-Target-URI")
                record.content_stream().read()
        except Exception:  # the malformed record: stopping there is fine
            pass
    assert types["warcinfo"] == 1
    assert types["request"] == types["response"]
    before = {c["record_id"]: c["url"] for c in web[:-2]}
    assert seen == before

    bad_member, last_member = _gzip_members(data, bad["offset"])
    assert b"Content-Length: notanumber" in bad_member
    assert f"WARC-Record-ID: {bad['record_id']}".encode() in bad_member
    (record,) = list(ArchiveIterator(io.BytesIO(last_member)))
    assert record.rec_type == "response"
    assert record.rec_headers.get_header("WARC-Record-ID") == after["record_id"]
    assert record.rec_headers.get_header("WARC-Target-URI") == after["url"]
    assert data[after["offset"]:].startswith(b"\x1f\x8b")

    counts = manifest["files"]["web.warc.gz"]
    assert counts["records"] == sum(types.values()) + 2
    assert counts["responses"] == types["response"] + 1 == len(web) - 1


def test_manifest_lists_every_wiki_page(manifest):
    wiki = [c for c in manifest["cases"] if c["file"] == "wiki-multistream.xml.bz2"]
    pages = []
    with bz2.open(sample.WIKI_DUMP, "rb") as f:  # multistream reads as one stream
        for _, elem in ET.iterparse(f):
            if elem.tag == MW + "page":
                redirect = elem.find(MW + "redirect")
                pages.append({
                    "title": elem.findtext(MW + "title"), "ns": int(elem.findtext(MW + "ns")),
                    "page_id": int(elem.findtext(MW + "id")),
                    "revision_id": int(elem.findtext(f"{MW}revision/{MW}id")),
                    "redirect": redirect.get("title") if redirect is not None else None,
                    "text": elem.findtext(f"{MW}revision/{MW}text"),
                })
                elem.clear()
    assert len(pages) == manifest["files"]["wiki-multistream.xml.bz2"]["pages"] == len(wiki)
    for page, case in zip(pages, wiki, strict=True):
        assert (page["title"], page["ns"], page["page_id"], page["revision_id"]) == (
            case["title"], case["ns"], case["page_id"], case["revision_id"])
        assert (page["redirect"] is not None) == (case["kind"] == "redirect")
        if case["kind"] == "redirect":
            assert page["text"].startswith("#REDIRECT [[")
        if case["kind"] == "article":
            for s in case["must_contain"] + case["must_not_contain"]:
                assert s in page["text"], (case["title"], s)


def test_manifest_lists_every_jsonl_line(manifest):
    docs = [c for c in manifest["cases"] if c["file"] == "docs.jsonl"]
    lines = sample.JSONL.read_text(encoding="utf-8").splitlines()
    assert len(lines) == manifest["files"]["docs.jsonl"]["lines"] == len(docs)
    assert [c["line"] for c in docs] == list(range(1, len(lines) + 1))
    for case in docs:
        line = lines[case["line"] - 1]
        if case["kind"] == "invalid_json":
            with pytest.raises(json.JSONDecodeError):
                json.loads(line)
            continue
        record = json.loads(line)
        assert record["id"] == case["id"]
        if case["kind"] == "missing_text_field":
            assert "text" not in record
        elif case["kind"] == "empty_text":
            assert record["text"] == ""
        else:
            assert record["text"].strip() and record["url"] == case["url"]
    (dup,) = [c for c in docs if c["kind"] == "exact_duplicate"]
    assert any(c["url"] == dup["duplicate_of"] and c["kind"] == "article"
               for c in manifest["cases"] if c["file"] == "web.warc.gz")


def test_minimum_counts(manifest):
    by = Counter((c["file"], c["kind"]) for c in manifest["cases"])
    assert manifest["files"]["web.warc.gz"]["responses"] >= 80
    articles = [c for c in manifest["cases"] if c["file"] == "web.warc.gz" and c["kind"] == "article"]
    languages = Counter(c["language"] for c in articles)
    assert len(languages) >= 6 and languages["en"] >= 15
    assert {"ru", "zh", "ja"} & set(languages)
    assert by["web.warc.gz", "exact_duplicate"] >= 5
    near = [c for c in manifest["cases"] if c["kind"] == "near_duplicate" and c["jaccard"] >= 0.85]
    assert len(near) >= 5
    (chain,) = {json.dumps(c["chain"], sort_keys=True) for c in manifest["cases"] if "chain" in c}
    chain = json.loads(chain)
    assert chain["jaccard_ab"] >= 0.8 and chain["jaccard_bc"] >= 0.8 and chain["jaccard_ac"] < 0.8
    for kind, n in [("spam", 2), ("lorem_ipsum", 2), ("mojibake", 3), ("cookie_notice", 1), ("non_html", 2),
                    ("redirect", 2), ("malformed_record", 1)]:
        assert by["web.warc.gz", kind] >= n, kind
    assert sum(1 for c in articles if c.get("encoding")) >= 3
    assert by["wiki-multistream.xml.bz2", "article"] >= 25
    assert by["wiki-multistream.xml.bz2", "redirect"] >= 4
    assert by["wiki-multistream.xml.bz2", "disambiguation"] >= 2
    assert by["wiki-multistream.xml.bz2", "non_article_namespace"] >= 2


def test_mojibake_is_fixable():
    ftfy = pytest.importorskip("ftfy")
    for case in sample.cases("web.warc.gz", "mojibake"):
        assert case["damaged_first_sentence"] != case["clean_first_sentence"]
        assert ftfy.fix_text(case["damaged_first_sentence"]) == case["clean_first_sentence"]


def test_index_offsets_point_at_streams(manifest):
    data = sample.WIKI_DUMP.read_bytes()
    index = bz2.decompress(sample.WIKI_INDEX.read_bytes()).decode("utf-8").splitlines()
    wiki = [c for c in manifest["cases"] if c["file"] == "wiki-multistream.xml.bz2"]
    assert len(index) == len(wiki)
    streams: dict[int, str] = {}
    for line, case in zip(index, wiki, strict=True):
        offset, page_id, title = line.split(":", 2)
        assert (int(page_id), title) == (case["page_id"], case["title"])
        offset = int(offset)
        assert offset > 0 and data[offset:offset + 3] == b"BZh"
        if offset not in streams:
            d = bz2.BZ2Decompressor()
            streams[offset] = d.decompress(data[offset:]).decode("utf-8")
            assert d.eof
        assert f"<id>{page_id}</id>" in streams[offset]
    assert len(streams) >= 2
    assert all(s.count("<page>") <= 10 for s in streams.values())
    first = bz2.BZ2Decompressor()
    assert "<siteinfo>" in first.decompress(data).decode("utf-8")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def test_sentiment_files_hold_out_words_and_share_no_text(manifest):
    files = manifest["files"]
    train = list(csv.DictReader(sample.SENTIMENT_TRAIN.open(encoding="utf-8", newline="")))
    test = list(csv.DictReader(sample.SENTIMENT_TEST.open(encoding="utf-8", newline="")))
    docs = [json.loads(line) for line in sample.SENTIMENT_UNLABELLED.read_text(encoding="utf-8").splitlines()]
    for rows, name in ((train, "sentiment-train.csv"), (test, "sentiment-test.csv")):
        assert len(rows) == files[name]["rows"]
        assert Counter(r["label"] for r in rows) == files[name]["labels"]
    assert len(docs) == files["sentiment-unlabelled.jsonl"]["lines"] and all("label" not in d for d in docs)

    opinion = files["sentiment-test.csv"]["opinion_words"]
    held_out = files["sentiment-test.csv"]["held_out_words"]
    seen = {label: set(words) - set(held_out[label]) for label, words in opinion.items()}
    every = set(opinion["positive"]) | set(opinion["negative"])
    for r in train:  # only seen words, all of the row's own label
        assert _words(r["text"]) & every and _words(r["text"]) & every <= seen[r["label"]], r
    only_held = [r for r in test if _words(r["text"]) & set(held_out[r["label"]])]
    assert len(only_held) == files["sentiment-test.csv"]["rows_with_held_out_words_only"] == 100
    for r in test:
        words = _words(r["text"]) & every
        assert words and words <= (set(held_out[r["label"]]) if r in only_held else seen[r["label"]]), r
    held_all = set(held_out["positive"]) | set(held_out["negative"])
    unlabelled_words = set().union(*(_words(d["text"]) for d in docs))
    assert held_all <= unlabelled_words  # pretraining on the reviews can teach them

    sentences = {s for d in docs for s in re.split(r"(?<=[.!?]) ", d["text"])}
    texts = [r["text"] for r in train + test]
    assert len(set(texts)) == len(texts) and not sentences & set(texts)


def test_sentiment_words_occur_in_the_corpus_text(manifest):
    corpus = " ".join(member.decode("utf-8", "replace") for member in _gzip_members(sample.WARC.read_bytes(), 0))
    corpus += bz2.decompress(sample.WIKI_DUMP.read_bytes()).decode("utf-8") + sample.JSONL.read_text(encoding="utf-8")
    opinion = manifest["files"]["sentiment-test.csv"]["opinion_words"]
    assert len(opinion["positive"]) == len(opinion["negative"]) == 20
    assert sorted(set(opinion["positive"] + opinion["negative"]) - _words(corpus)) == []
