"""read_path picks the reader by kind; plan_splits/read_split read every record exactly once.

The fixture writers here (a WARC through warcio, a MediaWiki dump and a multistream dump with
its index) are also used by the pipeline and fuzz tests.
"""
from __future__ import annotations

import bz2
import gzip
import io
import json
import os
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus.counters import DictCounter
from corpus.document import Document
from corpus.sources import (
    DeadLetter,
    SourceConfig,
    Split,
    TableConfig,
    index_path_of,
    is_companion,
    kind_of,
    plan_splits,
    read_path,
    read_split,
)

# --- fixture writers --------------------------------------------------------------------------

def warc_bytes(pages: int = 6, *, gzip_records: bool = True, body_words: int = 20) -> bytes:
    """``pages`` HTML responses, then one redirect (Skipped), with fixed record ids and dates."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip_records)
    for i in range(pages + 1):
        redirect = i == pages
        body = b"" if redirect else (f"<html><head><title>Page {i}</title></head><body><p>"
                                     + " ".join(f"word{i}x{j}" for j in range(body_words))
                                     + "</p></body></html>").encode()
        http = StatusAndHeaders("302 Found" if redirect else "200 OK",
                                [("Content-Type", "text/html; charset=utf-8"),
                                 ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"http://example.com/{i}", "response", payload=io.BytesIO(body), http_headers=http,
            warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{i:012d}>",
                               "WARC-Date": "2024-05-01T00:00:00Z"})
        writer.write_record(record)
    return buf.getvalue()


SITEINFO = """  <siteinfo>
    <sitename>Wikipedia</sitename>
    <dbname>testwiki</dbname>
    <base>https://test.wikipedia.org/wiki/Main_Page</base>
    <generator>MediaWiki 1.42</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Talk</namespace>
    </namespaces>
  </siteinfo>
"""
HEADER = ('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">\n'
          + SITEINFO)
FOOTER = "</mediawiki>\n"


def wiki_page(page_id: int, title: str, text: str, ns: int = 0) -> str:
    return (f"  <page>\n    <title>{title}</title>\n    <ns>{ns}</ns>\n    <id>{page_id}</id>\n"
            f"    <revision>\n      <id>{page_id * 10}</id>\n      <timestamp>2024-01-01T00:00:00Z</timestamp>\n"
            f"      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
            f'      <text bytes="{len(text)}" xml:space="preserve">{text}</text>\n    </revision>\n  </page>\n')


def wiki_pages(n: int) -> list[tuple[int, str, str]]:
    return [(i, f"Article {i}", f"'''Article {i}''' is a [[test]] page about topic {i}. " * 3)
            for i in range(1, n + 1)]


def wiki_xml(n: int = 4) -> bytes:
    return (HEADER + "".join(wiki_page(*p) for p in wiki_pages(n)) + FOOTER).encode()


def write_multistream(directory: Path, n: int = 10, per_stream: int = 2, name: str = "testwiki") -> Path:
    """A multistream dump (header stream, streams of ``per_stream`` pages, footer stream) and its index."""
    pages = wiki_pages(n)
    streams = [bz2.compress(HEADER.encode())]
    index = []
    offset = len(streams[0])
    for s in range(0, n, per_stream):
        chunk = pages[s:s + per_stream]
        index += [f"{offset}:{pid}:{title}" for pid, title, _ in chunk]
        streams.append(bz2.compress("".join(wiki_page(*p) for p in chunk).encode()))
        offset += len(streams[-1])
    streams.append(bz2.compress(FOOTER.encode()))
    dump = directory / f"{name}-multistream.xml.bz2"
    dump.write_bytes(b"".join(streams))
    (directory / f"{name}-multistream-index.txt.bz2").write_bytes(bz2.compress(("\n".join(index) + "\n").encode()))
    return dump


def jsonl_bytes(n: int = 3) -> bytes:
    lines = [json.dumps({"text": f"json doc {i}", "id": f"j{i}"}) for i in range(n)]
    return ("\n".join(lines) + "\n{broken\n").encode()


def write_inputs(d: Path) -> dict[str, Path]:
    """One small file of every kind."""
    files = {
        "warc": d / "a.warc.gz", "jsonl": d / "b.jsonl", "wikipedia": d / "c.xml", "text": d / "d.txt",
        "parquet": d / "e.parquet",
    }
    files["warc"].write_bytes(warc_bytes())
    files["jsonl"].write_bytes(jsonl_bytes())
    files["wikipedia"].write_bytes(wiki_xml())
    files["text"].write_text("Some plain text.\n", encoding="utf-8")
    pq.write_table(pa.table({"text": ["p0", "p1"]}), files["parquet"])
    return files


def kinds(results) -> Counter:
    return Counter(type(r).__name__ for r in results)


# --- kinds and read_path ----------------------------------------------------------------------

@pytest.mark.parametrize("name, kind", [
    ("x.warc", "warc"), ("x.warc.gz", "warc"), ("x.arc.gz", "arc"), ("x.warc.wet.gz", "wet"), ("x.wet", "wet"),
    ("enwiki-multistream.xml.bz2", "wikipedia"), ("d.xml", "wikipedia"), ("d.jsonl.gz", "jsonl"),
    ("gs://b/p/d.parquet", "parquet"), ("t.txt.gz", "text"), ("T.TXT", "text"),
])
def test_kind_of(name, kind):
    assert kind_of(name) == kind


@pytest.mark.parametrize("name", ["planted.json", "x.html", "README", "x.xml.gz"])
def test_unknown_kinds_are_refused_by_name(name):
    with pytest.raises(ValueError, match="unrecognised input kind"):
        kind_of(name)


def test_companion_and_index_names():
    assert index_path_of("gs://b/enwiki-multistream.xml.bz2") == "gs://b/enwiki-multistream-index.txt.bz2"
    assert index_path_of("enwiki.xml.bz2") is None
    assert is_companion("enwiki-multistream-index.txt.bz2") and not is_companion("enwiki-multistream.xml.bz2")


def test_read_path_each_kind(tmp_path):
    files = write_inputs(tmp_path)
    expected = {"warc": {"Document": 6, "Skipped": 1}, "jsonl": {"Document": 3, "DeadLetter": 1},
                "wikipedia": {"Document": 4}, "text": {"Document": 1}, "parquet": {"Document": 2}}
    for kind, path in files.items():
        counter = DictCounter()
        results = list(read_path(str(path), counter=counter))
        assert kinds(results) == expected[kind], kind
        assert {r.source for r in results if isinstance(r, Document)} == {kind}
    counter = DictCounter()
    docs = [r for r in read_path(str(files["jsonl"]), counter=counter) if isinstance(r, Document)]
    assert [d.text for d in docs] == ["json doc 0", "json doc 1", "json doc 2"]
    assert counter.as_dict() == {"dead_letter:jsonl": 1, "jsonl:documents": 3}


def test_read_path_uses_the_given_stream_and_config(tmp_path):
    data = b'{"body": "from the stream"}\n'
    config = SourceConfig(table=TableConfig(text_field="body"))
    (doc,) = read_path("gs://bucket/never-opened.jsonl", config=config, stream=io.BytesIO(data))
    assert doc.text == "from the stream" and doc.meta["path"] == "gs://bucket/never-opened.jsonl"


def test_unreadable_files_are_one_dead_letter(tmp_path):
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    locked = tmp_path / "locked.jsonl"
    locked.write_text('{"text": "x"}\n')
    locked.chmod(0)
    counter = DictCounter()
    results = [list(read_path(str(p), counter=counter)) for p in
               (tmp_path / "missing.jsonl", empty, tmp_path / "notes.md", tmp_path)]
    missing, empty_r, unknown, directory = results
    assert missing == [DeadLetter(str(tmp_path / "missing.jsonl"), None,
                                  f"cannot read {tmp_path / 'missing.jsonl'}: FileNotFoundError: [Errno 2] No such "
                                  f"file or directory: '{tmp_path / 'missing.jsonl'}'", "jsonl", "file")]
    assert empty_r == [DeadLetter(str(empty), 0, "empty file", "warc", "file")]
    assert unknown == [DeadLetter(str(tmp_path / "notes.md"), None, f"{tmp_path / 'notes.md'}: unrecognised "
                                  "input kind", "unknown", "file")]
    assert len(directory) == 1 and directory[0].source == "unknown"
    assert counter.as_dict() == {"dead_letter:jsonl": 1, "dead_letter:unknown": 2, "dead_letter:warc": 1}
    if os.geteuid() != 0:  # root reads a file whatever its mode
        (locked_r,) = read_path(str(locked))
        assert isinstance(locked_r, DeadLetter) and "PermissionError" in locked_r.error


# --- splits -----------------------------------------------------------------------------------

def _read_all(splits, config):
    return [r for s in splits for r in read_split(s, config=config)]


def _ids(results):
    return [r.id for r in results if isinstance(r, Document)]


@pytest.mark.parametrize("gzip_records", [True, False])
def test_warc_splits_cover_each_record_once(tmp_path, gzip_records):
    path = tmp_path / ("w.warc.gz" if gzip_records else "w.warc")
    path.write_bytes(warc_bytes(40, gzip_records=gzip_records))
    size = path.stat().st_size
    config = SourceConfig(split_bytes=size // 7)
    counter = DictCounter()
    splits = plan_splits(str(path), size, config=config, counter=counter)
    assert len(splits) == 8 and counter.as_dict() == {"read:splits": 8}
    assert [(s.start, s.end) for s in splits] == [(i * (size // 7), min((i + 1) * (size // 7), size))
                                                   for i in range(8)]
    whole = list(read_path(str(path), config=config))
    pieces = _read_all(splits, config)
    assert kinds(whole) == {"Document": 40, "Skipped": 1}
    assert sorted(_ids(pieces)) == sorted(_ids(whole)) and len(set(_ids(pieces))) == 40
    assert kinds(pieces) == kinds(whole)


def test_whole_file_gzip_warc_and_small_files_are_one_split(tmp_path):
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(warc_bytes(30, gzip_records=False)))
    size = path.stat().st_size
    config = SourceConfig(split_bytes=size // 4)
    assert plan_splits(str(path), size, config=config) == [Split(str(path), "warc")]
    assert kinds(_read_all(plan_splits(str(path), size, config=config), config)) == {"Document": 30,
                                                                                     "Skipped": 1}
    small = tmp_path / "s.jsonl"
    small.write_bytes(jsonl_bytes())
    assert plan_splits(str(small), 10**12) == [Split(str(small), "jsonl")]


def test_multistream_dump_splits_by_index(tmp_path):
    dump = write_multistream(tmp_path, n=10, per_stream=2)
    size = dump.stat().st_size
    config = SourceConfig(wiki_streams_per_split=2)
    splits = plan_splits(str(dump), size, config=config)
    assert len(splits) == 3
    assert {s.index_path for s in splits} == {str(tmp_path / "testwiki-multistream-index.txt.bz2")}
    assert splits[0].start > 0 and splits[-1].end <= size
    assert all(a.end == b.start for a, b in zip(splits, splits[1:], strict=False))
    whole = list(read_path(str(dump), config=config))
    pieces = _read_all(splits, config)
    assert kinds(whole) == {"Document": 10}
    assert _ids(pieces) == _ids(whole)
    assert [d.text for d in pieces] == [d.text for d in whole]


def test_multistream_dump_without_index_is_one_split(tmp_path):
    dump = write_multistream(tmp_path, n=4)
    (tmp_path / "testwiki-multistream-index.txt.bz2").unlink()
    counter = DictCounter()
    assert plan_splits(str(dump), dump.stat().st_size, counter=counter) == [Split(str(dump), "wikipedia")]
    assert counter.as_dict() == {"read:splits": 1, "read:wiki_index_unusable": 1}


def test_read_split_of_a_vanished_file_is_a_dead_letter(tmp_path):
    split = Split(str(tmp_path / "gone.warc"), "warc", 100, 200)
    (dead,) = read_split(split)
    assert dead.path == split.path and dead.source == "warc" and "FileNotFoundError" in dead.error


def test_source_config_validates_fields():
    with pytest.raises(ValueError, match="SourceConfig.split_bytes"):
        SourceConfig(split_bytes=0)
    with pytest.raises(ValueError, match="SourceConfig.wiki_streams_per_split"):
        SourceConfig(wiki_streams_per_split=0)
    with pytest.raises(ValueError, match="SourceConfig.table"):
        SourceConfig(table={"text_field": "x"})

