"""The crawler's WARC writer and resume state: records, revisits, rotation, salvage after a kill."""
from __future__ import annotations

import threading
import time

import pytest
from warcio.archiveiterator import ArchiveIterator

from corpus.crawl.fetch import Response
from corpus.crawl.log import Entry
from corpus.crawl.state import Journal, JournalRecord, host_lock, recover_all, recover_host
from corpus.crawl.writer import HostWarcWriter, Original, payload_digest, warc_date
from corpus.sources.warc import read_warc

SLUG = "h.test"
T0 = 1_700_000_000.25


def response(path: str, body: bytes, status: int = 200, truncated: str | None = None) -> Response:
    return Response(url=f"http://h.test{path}", ip="203.0.113.7", status=status, reason="OK", protocol="HTTP/1.1",
                    headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                    body=body, request_line=f"GET {path} HTTP/1.1",
                    request_headers=[("Host", "h.test"), ("User-Agent", "corpusforge/0.1 (+https://x.org)")],
                    started=T0, elapsed=0.01, truncated=truncated)


def page(i: int) -> bytes:
    return f"<html><body><h1>Page {i}</h1><p>{'words ' * 200}</p></body></html>".encode()


def read(path) -> list:
    with open(path, "rb") as f:
        return [(r.rec_type, r.rec_headers, r.content_stream().read()) for r in ArchiveIterator(f, check_digests="raise")]


def test_records_of_one_exchange(tmp_path):
    body = page(1)
    with HostWarcWriter(tmp_path, SLUG, 1 << 30, {"isPartOf": "test"}) as w:
        written = w.write(response("/a", body), payload_digest(body))
    assert [p.name for p in tmp_path.iterdir()] == ["crawl-h.test-00000.warc.gz"]
    (info_t, info_h, info_b), (req_t, req_h, req_b), (resp_t, resp_h, resp_b) = read(tmp_path / written.warc)
    assert (info_t, req_t, resp_t) == ("warcinfo", "request", "response")
    assert b"isPartOf: test" in info_b and b"conformsTo:" in info_b and b"format: WARC File Format 1.1" in info_b
    assert req_h.get_header("WARC-Concurrent-To") == resp_h.get_header("WARC-Record-ID") == written.record_id
    for h in (req_h, resp_h):
        assert h.get_header("WARC-Target-URI") == "http://h.test/a"
        assert h.get_header("WARC-Date") == warc_date(T0) == "2023-11-14T22:13:20.250000Z"
        assert h.get_header("WARC-IP-Address") == "203.0.113.7"
        assert h.get_header("WARC-Block-Digest").startswith("sha1:")
    assert resp_h.get_header("WARC-Payload-Digest") == payload_digest(body) == written.digest
    assert resp_b == body and resp_h.get_header("WARC-Truncated") is None


def test_revisit_and_truncated_records(tmp_path):
    body = page(1)
    with HostWarcWriter(tmp_path, SLUG, 1 << 30, {}) as w:
        first = w.write(response("/a", body), payload_digest(body))
        original = Original("http://h.test/a", warc_date(T0), first.record_id)
        second = w.write(response("/b", body), payload_digest(body), original)
        w.write(response("/big", body[:100], truncated="length"), payload_digest(body[:100]))
    records = read(tmp_path / first.warc)
    revisit = [h for t, h, _ in records if t == "revisit"]
    assert len(revisit) == 1
    h = revisit[0]
    assert h.get_header("WARC-Record-ID") == second.record_id
    assert h.get_header("WARC-Profile") == "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    assert h.get_header("WARC-Refers-To") == first.record_id
    assert h.get_header("WARC-Refers-To-Target-URI") == "http://h.test/a"
    assert h.get_header("WARC-Refers-To-Date") == warc_date(T0)
    assert h.get_header("WARC-Payload-Digest") == payload_digest(body)
    truncated = [h for t, h, _ in records if t == "response" and h.get_header("WARC-Target-URI").endswith("/big")]
    assert truncated[0].get_header("WARC-Truncated") == "length"


def test_rotation_by_size_and_the_project_reader(tmp_path):
    with HostWarcWriter(tmp_path, SLUG, 1200, {}) as w:
        for i in range(6):
            w.write(response(f"/p{i}", page(i)), payload_digest(page(i)))
            assert len(list(tmp_path.glob("*.open"))) <= 1
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"crawl-h.test-{i:05d}.warc.gz" for i in range(len(names))] and len(names) >= 3
    docs = []
    for path in sorted(tmp_path.glob("*.warc.gz")):
        assert read(path)[0][0] == "warcinfo"
        with open(path, "rb") as f:
            docs += [r for r in read_warc(f, str(path)) if type(r).__name__ == "Document"]
    assert sorted(d.url for d in docs) == [f"http://h.test/p{i}" for i in range(6)]


def _journal(tmp_path, written, path):
    e = Entry(url=f"http://h.test{path}", host="h.test", depth=0, outcome="fetched", warc=written.warc,
              offset=written.offset, length=written.length, record_id=written.record_id, digest=written.digest)
    Journal(tmp_path, SLUG).append(JournalRecord(key=e.url, entry=e))


def test_recover_cuts_the_open_file_after_the_last_journaled_exchange(tmp_path):
    w = HostWarcWriter(tmp_path, SLUG, 1 << 30, {})
    for i in range(3):
        _journal(tmp_path, w.write(response(f"/p{i}", page(i)), payload_digest(page(i))), f"/p{i}")
    lost = w.write(response("/p3", page(3)), payload_digest(page(3)))  # written, but the kill came before its journal line
    w._file.write(b"\x1f\x8b\x08\x00half a record")  # and the next record was cut short
    w._file.flush()
    (open_file,) = tmp_path.glob("*.warc.gz.open")
    assert list(tmp_path.glob("*.warc.gz")) == []  # a half-written file never looks complete
    with open(Journal(tmp_path, SLUG).path, "a") as f:
        f.write('{"key": "http://h.test/p4", "entr')  # the journal line being written at the kill
    assert recover_all(tmp_path) == ["crawl-h.test-00000.warc.gz"]
    assert not open_file.exists()
    records = read(tmp_path / "crawl-h.test-00000.warc.gz")
    uris = [h.get_header("WARC-Target-URI") for t, h, _ in records if t == "response"]
    assert uris == ["http://h.test/p0", "http://h.test/p1", "http://h.test/p2"]
    assert (tmp_path / "crawl-h.test-00000.warc.gz").stat().st_size == lost.offset
    assert sorted(Journal(tmp_path, SLUG).load()) == ["http://h.test/p0", "http://h.test/p1", "http://h.test/p2"]
    with HostWarcWriter(tmp_path, SLUG, 1 << 30, {}) as w2:  # the resumed crawl writes the next file
        assert w2.write(response("/p3", page(3)), payload_digest(page(3))).warc == "crawl-h.test-00001.warc.gz"


def test_recover_drops_journal_lines_past_the_end_and_empty_open_files(tmp_path):
    w = HostWarcWriter(tmp_path, SLUG, 1 << 30, {})
    written = w.write(response("/p0", page(0)), payload_digest(page(0)))
    _journal(tmp_path, written, "/p0")
    w._file.close()
    with open(tmp_path / (written.warc + ".open"), "r+b") as f:  # lost with the process (power cut)
        f.truncate(written.offset + 10)
    (tmp_path / "crawl-h.test-00007.warc.gz.open").write_bytes(b"")
    assert recover_host(tmp_path, SLUG) == []
    assert list(tmp_path.glob("crawl-*")) == []
    assert Journal(tmp_path, SLUG).load() == {}


def test_journal_refuses_a_corrupt_line_in_the_middle(tmp_path):
    j = Journal(tmp_path, SLUG)
    e = Entry(url="http://h.test/a", host="h.test", depth=0, outcome="failed", reason="fetch:dns")
    j.append(JournalRecord(key="a", entry=e))
    j.close()
    with open(j.path, "a") as f:
        f.write("not json\n")
    j.append(JournalRecord(key="b", entry=e))
    with pytest.raises(ValueError, match=r"h.test.journal.jsonl: line 2 is not a journal record"):
        j.load()


@pytest.mark.timeout(30)
def test_host_lock_excludes_a_second_holder(tmp_path):
    order = []
    held = threading.Event()

    def first():
        with host_lock(tmp_path, SLUG):
            held.set()
            time.sleep(0.3)
            order.append("first done")

    t = threading.Thread(target=first)
    t.start()
    held.wait(5)
    with host_lock(tmp_path, SLUG):
        order.append("second in")
    t.join()
    assert order == ["first done", "second in"]
