"""WARC/WET/ARC reading: documents, skips, dead letters, charsets, resynchronisation, byte ranges."""
from __future__ import annotations

import gzip
import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus.counters import DictCounter
from corpus.document import Document
from corpus.sources.base import DeadLetter, Skipped
from corpus.sources.charset import Decoded, charset_from_meta, decode_html, normalize_charset
from corpus.sources.warc import WarcConfig, is_splittable, next_record_start, read_warc, split_ranges

HTML = b"<!doctype html><html><body><p>Hello %d</p></body></html>"
DATE = "2020-08-08T17:27:41Z"


def _response(w: WARCWriter, uri: str, body: bytes, status: str = "200 OK",
              headers: list[tuple[str, str]] | None = None):
    hh = StatusAndHeaders(status, headers if headers is not None else [("Content-Type", "text/html")],
                          protocol="HTTP/1.1")
    return w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=hh,
                                warc_headers_dict={"WARC-Record-ID": f"<urn:rec:{uri}>", "WARC-Date": DATE})


def build(specs: list, gz: bool = True) -> tuple[bytes, list[int]]:
    """A WARC of per-record gzip members (or uncompressed) and the start offset of each record."""
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    offsets = []
    for spec in specs:
        offsets.append(buf.tell())
        if isinstance(spec, bytes):  # raw bytes spliced in as they are
            buf.write(spec)
            continue
        w.write_record(spec(w) if callable(spec) else _response(w, *spec))
    return buf.getvalue(), offsets


def read(data: bytes, path: str = "t.warc.gz", **kw) -> tuple[list, dict]:
    c = DictCounter()
    return list(read_warc(io.BytesIO(data), path, counter=c, **kw)), c.as_dict()


def html_specs(n: int) -> list:
    return [(f"http://ex.com/{i}", HTML % i) for i in range(n)]


def brief(results: list) -> list:
    out = []
    for r in results:
        if isinstance(r, Document):
            out.append(("doc", r.url, r.meta["offset"]))
        elif isinstance(r, Skipped):
            out.append(("skip", r.reason, r.offset))
        else:
            out.append(("dead", r.offset, r.error))
    return out


# --- documents ------------------------------------------------------------------------------------

def test_html_response_becomes_document_with_exact_meta():
    data, offsets = build([("http://ex.com/a", HTML % 1, "200 OK", [("Content-Type", "text/html; charset=UTF-8")])])
    results, counts = read(data)
    assert len(results) == 1
    doc = results[0]
    assert doc.text == (HTML % 1).decode()
    assert doc.url == "http://ex.com/a" and doc.source == "warc"
    assert doc == Document.create("warc", "<urn:rec:http://ex.com/a>", doc.text, url=doc.url, meta=doc.meta)
    assert dict(doc.meta) == {
        "format": "html", "warc_record_id": "<urn:rec:http://ex.com/a>", "warc_date": DATE,
        "path": "t.warc.gz", "offset": 0, "content_type": "text/html; charset=UTF-8",
        "charset": "utf-8", "charset_source": "http"}
    assert counts == {"warc:documents:html": 1, "warc:records:response": 1}


@pytest.mark.parametrize("compression", ["record", "whole", "none"])
def test_all_compressions_give_the_same_documents(compression):
    plain, offsets = build(html_specs(3), gz=False)
    if compression == "record":
        data, _ = build(html_specs(3))
    elif compression == "whole":
        data = gzip.compress(plain)
    else:
        data = plain
    results, counts = read(data)
    assert [d.text for d in results] == [(HTML % i).decode() for i in range(3)]
    assert counts == {"warc:documents:html": 3, "warc:records:response": 3}
    if compression != "record":  # whole-file gzip reports offsets in the decompressed stream
        assert [d.meta["offset"] for d in results] == offsets


def test_skips_and_non_candidate_records_are_counted():
    specs = [
        lambda w: w.create_warcinfo_record("t.warc.gz", {"software": "test"}),
        lambda w: w.create_warc_record("http://ex.com/", "request", http_headers=StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", "ex.com")], is_http_request=True)),
        ("http://ex.com/moved", b"", "301 Moved Permanently", [("Location", "http://ex.com/")]),
        ("http://ex.com/gone", b"<html>gone</html>", "404 Not Found"),
        ("http://ex.com/img.png", b"\x89PNG\r\n\x1a\n....", "200 OK", [("Content-Type", "image/png")]),
        ("http://ex.com/sniffed", b"<p>no type</p>", "200 OK", []),
        ("http://ex.com/blob", b"just some bytes", "200 OK", [("Content-Type", "application/octet-stream")]),
        ("http://ex.com/fake", b"\x89PNG\r\n\x1a\n\x00\x00", "200 OK", [("Content-Type", "text/html")]),
        lambda w: w.create_warc_record("http://ex.com/", "metadata", payload=io.BytesIO(b"k: v\r\n"),
                                       warc_content_type="application/warc-fields"),
        lambda w: w.create_revisit_record("http://ex.com/", "sha1:AAAA", "http://ex.com/", DATE),
    ]
    data, off = build(specs)
    results, counts = read(data)
    assert brief(results) == [
        ("skip", "warc:redirect", off[2]), ("skip", "warc:http_status", off[3]),
        ("skip", "warc:non_html", off[4]), ("doc", "http://ex.com/sniffed", off[5]),
        ("skip", "warc:non_html", off[6]), ("skip", "warc:not_html_body", off[7])]
    assert counts == {
        "warc:documents:html": 1, "warc:http_status": 1, "warc:non_html": 2, "warc:not_html_body": 1,
        "warc:records:metadata": 1, "warc:records:request": 1, "warc:records:response": 6,
        "warc:records:revisit": 1, "warc:records:warcinfo": 1, "warc:redirect": 1, "warc:sniffed_html": 1}


def test_sniffing_off_and_keep_non_html():
    data, _ = build([("http://ex.com/s", b"<p>x</p>", "200 OK", [("Content-Type", "text/plain")])])
    assert brief(read(data, config=WarcConfig(sniff_html=False))[0]) == [("skip", "warc:non_html", 0)]
    results, counts = read(data, config=WarcConfig(sniff_html=False, keep_non_html=True))
    assert results[0].meta["format"] == "text" and results[0].text == "<p>x</p>"
    assert counts == {"warc:documents:text": 1, "warc:records:response": 1}


def test_wet_conversion_records_become_text_documents():
    specs = [lambda w: w.create_warcinfo_record("t.wet.gz", {"software": "test"}),
             lambda w: w.create_warc_record("http://ex.com/t", "conversion", payload=io.BytesIO(
                 "Grüße aus Köln".encode()), warc_content_type="text/plain",
                 warc_headers_dict={"WARC-Record-ID": "<urn:wet:1>", "WARC-Date": DATE})]
    data, off = build(specs)
    results, counts = read(data, "t.warc.wet.gz")
    assert [(d.text, d.url, d.meta["format"], d.meta["offset"]) for d in results] == [
        ("Grüße aus Köln", "http://ex.com/t", "text", off[1])]
    assert counts == {"warc:documents:text": 1, "warc:records:conversion": 1, "warc:records:warcinfo": 1}


def _arc(records: list[tuple[str, bytes]], gz: bool = False) -> tuple[bytes, list[int]]:
    """An ARC v1 file written by hand: a filedesc version block, then one header line per record
    (gzip per record, as the Internet Archive wrote them, when ``gz``)."""
    info = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n"
    parts = [b"filedesc://t.arc 0.0.0.0 20200808172741 text/plain %d\n%s\n" % (len(info), info)]
    for url, http in records:
        parts.append(b"%s 1.2.3.4 20200808172741 text/html %d\n%s\n" % (url.encode(), len(http), http))
    parts = [gzip.compress(p) for p in parts] if gz else parts
    return b"".join(parts), [sum(map(len, parts[:i])) for i in range(1, len(parts))]


@pytest.mark.parametrize("gz", [False, True])
def test_arc_is_read_through_warcio(gz):
    ok = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html><p>old web</p></html>"
    moved = b"HTTP/1.0 302 Found\r\nLocation: /\r\n\r\n"
    data, off = _arc([("http://old.com/", ok), ("http://old.com/x", moved)], gz)
    path = "t.arc.gz" if gz else "t.arc"
    results, counts = read(data, path)
    assert [(type(r).__name__, r.url) for r in results] == [("Document", "http://old.com/"),
                                                           ("Skipped", "http://old.com/x")]
    assert results[0].text == "<html><p>old web</p></html>" and results[0].meta["warc_date"] == DATE
    assert [r.offset if isinstance(r, Skipped) else r.meta["offset"] for r in results] == off
    assert counts == {"warc:documents:html": 1, "warc:records:response": 2, "warc:records:warcinfo": 1,
                      "warc:redirect": 1}
    assert list(read_warc(io.BytesIO(data), path, start=1)) == []
    # sniffed without a telling name
    assert brief(read(data, "blob.bin")[0]) == brief(results)


# --- charsets -------------------------------------------------------------------------------------

RU = "<html><body><p>Привет, мир! Это страница на русском языке, написанная для проверки.</p></body></html>"


@pytest.mark.parametrize("body, headers, text, charset, source", [
    (RU.encode("cp1251"), [("Content-Type", "text/html; charset=windows-1251")], RU, "cp1251", "http"),
    (('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">' + RU).encode("koi8-r"),
     [("Content-Type", "text/html")], '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">' + RU,
     "koi8-r", "meta"),
    (RU.encode("cp1251"), [("Content-Type", "text/html")], RU, "cp1251", "detected"),
    (RU.encode("cp1251"), [("Content-Type", "text/html; charset=no-such-codec")], RU, "cp1251", "detected"),
    ("<p>Grüße</p>".encode("cp1252"), [("Content-Type", "text/html; charset=latin-1")], "<p>Grüße</p>",
     "cp1252", "http"),
])
def test_charset_sources(body, headers, text, charset, source):
    data, _ = build([("http://ex.com/c", body, "200 OK", headers)])
    (doc,), counts = read(data)
    assert (doc.text, doc.meta["charset"], doc.meta["charset_source"]) == (text, charset, source)
    assert "\ufffd" not in doc.text and "warc:charset_replaced" not in counts


def test_mislabelled_body_falls_back_to_detection():
    decoded = decode_html(b"<html><p>ok \xff\xfe\xfd bytes</p></html>", "text/html; charset=utf-8")
    assert decoded == Decoded("<html><p>ok \u00ff\u00fe\u00fd bytes</p></html>", "cp1252", "detected", False)


def test_charset_normalisation_and_meta_prescan():
    assert [normalize_charset(n) for n in ["latin-1", "ISO-8859-1", "shift_jis", "gb2312", " 'UTF-8' ",
                                           "bogus", "base64", "utf-7", None]] == [
        "cp1252", "cp1252", "cp932", "gb18030", "utf-8", None, None, None, None]
    assert charset_from_meta(b"<head><meta charset='EUC-JP'>") == "EUC-JP"
    assert charset_from_meta(b" " * 3000 + b"<meta charset=utf-8>") is None


def test_replacement_counted_when_no_codec_decodes():
    assert decode_html(b"<p>\xe9t\xe9 \x81\x8d\x8f\x90\x9d</p>", "text/html; charset=utf-8") == Decoded(
        "<p>\ufffdt\ufffd \ufffd\ufffd\ufffd\ufffd\ufffd</p>", "utf-8", "http", True)
    data, _ = build([("http://ex.com/r", b"<html><p>\x81\x8d\x8f\x90\x9d\xc3</p></html>", "200 OK",
                      [("Content-Type", "text/html; charset=utf-8")])])
    (doc,), counts = read(data)
    assert doc.text == "<html><p>" + "\ufffd" * 6 + "</p></html>"
    assert counts == {"warc:charset_replaced": 1, "warc:documents:html": 1, "warc:records:response": 1}


# --- bad input ------------------------------------------------------------------------------------

def test_empty_and_binary_files_are_dead_letters():
    assert brief(read(b"")[0]) == [("dead", 0, "empty file")]
    results, counts = read(bytes(range(256)) * 20, "t.warc")
    assert [(type(r).__name__, r.offset) for r in results] == [("DeadLetter", 0)]
    assert counts == {"dead_letter:warc": 1}


def test_truncated_last_member_is_a_dead_letter():
    data, off = build(html_specs(3))
    results, counts = read(data[: off[2] + 60])
    assert brief(results)[:2] == [("doc", "http://ex.com/0", 0), ("doc", "http://ex.com/1", off[1])]
    assert [(type(r).__name__, r.offset) for r in results[2:]] == [("DeadLetter", off[2])]
    assert counts == {"dead_letter:warc": 1, "warc:documents:html": 2, "warc:records:response": 2}


@pytest.mark.parametrize("gz", [True, False])
def test_malformed_header_is_dead_lettered_and_next_record_read(gz):
    bad = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: abc\r\n\r\nxyz\r\n\r\n"
    data, off = build(html_specs(1) + [gzip.compress(bad) if gz else bad] + html_specs(2)[1:], gz=gz)
    results, counts = read(data, "t.warc.gz" if gz else "t.warc")
    assert [(b[0], b[1] if b[0] == "doc" else b[2 if b[0] == "skip" else 1]) for b in brief(results)] == [
        ("doc", "http://ex.com/0"), ("dead", off[1]), ("doc", "http://ex.com/1")]
    assert results[1].record == "" and "WARC" in results[1].snippet
    assert counts == {"dead_letter:warc": 1, "warc:documents:html": 2, "warc:records:response": 2}


def test_garbage_between_records_is_one_dead_letter():
    data, off = build(html_specs(1) + [b"this is not gzip at all" * 4] + html_specs(2)[1:])
    results, counts = read(data)
    assert [(type(r).__name__, r.offset if isinstance(r, DeadLetter) else r.url) for r in results] == [
        ("Document", "http://ex.com/0"), ("DeadLetter", off[1]), ("Document", "http://ex.com/1")]
    assert results[1].snippet.startswith("this is not gzip")
    assert counts == {"dead_letter:warc": 1, "warc:documents:html": 2, "warc:records:response": 2}


def test_truncated_whole_file_gzip_is_a_dead_letter():
    plain, off = build(html_specs(3), gz=False)
    data = gzip.compress(plain)
    assert not is_splittable(io.BytesIO(data[:-20]), "t.warc.gz")
    results, counts = read(data[:-20])
    assert brief(results)[:2] == [("doc", "http://ex.com/0", 0), ("doc", "http://ex.com/1", off[1])]
    assert [(type(r).__name__, r.offset) for r in results[2:]] == [("DeadLetter", off[2])]
    assert counts == {"dead_letter:warc": 1, "warc:documents:html": 2, "warc:records:response": 2}


@pytest.mark.parametrize("body", [b"<html><p>" + b"a" * 5000 + b"</p></html>",  # plainly too large
                                  b"<html>" + b"\x00" * 200_000 + b"</html>"])  # compresses ~1000:1
def test_oversize_record_is_a_dead_letter_and_reading_goes_on(body):
    data, off = build(html_specs(1) + [("http://ex.com/big", body)] + html_specs(2)[1:])
    results, counts = read(data, config=WarcConfig(max_record_bytes=4096))
    assert brief(results) == [
        ("doc", "http://ex.com/0", 0),
        ("dead", off[1], f"record of {len(body)} bytes exceeds max_record_bytes=4096"),
        ("doc", "http://ex.com/1", off[2])]
    assert results[1].record == "<urn:rec:http://ex.com/big>"
    assert counts == {"dead_letter:warc": 1, "warc:documents:html": 2, "warc:records:response": 3}


def test_config_validation_names_the_field():
    with pytest.raises(ValueError, match="max_record_bytes"):
        WarcConfig(max_record_bytes=0)
    with pytest.raises(ValueError, match="sniff_html"):
        WarcConfig(sniff_html="yes")
    with pytest.raises(ValueError, match="keep_non_html"):
        WarcConfig(keep_non_html=1)


# --- byte ranges ----------------------------------------------------------------------------------

def test_split_ranges():
    assert split_ranges(10, 4) == [(0, 4), (4, 8), (8, 10)]
    assert split_ranges(0, 4) == [(0, 0)]
    with pytest.raises(ValueError, match="chunk_bytes"):
        split_ranges(10, 0)


def _key(r):
    return (type(r).__name__, r.offset if not isinstance(r, Document) else r.meta["offset"],
            getattr(r, "id", getattr(r, "reason", getattr(r, "error", ""))))


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_ranges_read_every_record_exactly_once(gz, parts):
    bad = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: abc\r\n\r\n\r\n\r\n"
    specs = html_specs(6)
    specs.insert(3, gzip.compress(bad) if gz else bad)
    specs.insert(5, ("http://ex.com/moved", b"", "302 Found", [("Location", "/")]))
    data, off = build(specs, gz=gz)
    path = "t.warc.gz" if gz else "t.warc"
    assert is_splittable(io.BytesIO(data), path)
    whole, _ = read(data, path)
    assert len(whole) == 8 and sum(isinstance(r, DeadLetter) for r in whole) == 1
    chunk = -(-len(data) // parts)
    pieces = []
    for start, end in split_ranges(len(data), chunk):
        pieces += list(read_warc(io.BytesIO(data), path, start=start, end=end))
    assert sorted(map(_key, pieces)) == sorted(map(_key, whole))
    assert len(pieces) == len(whole)


def test_next_record_start_finds_members_and_lines():
    data, off = build(html_specs(3))
    s = io.BytesIO(data)
    assert [next_record_start(s, o) for o in (0, 1, off[1], off[2] + 1)] == [0, off[1], off[1], None]
    plain, poff = build(html_specs(2), gz=False)
    assert next_record_start(io.BytesIO(plain), 1) == poff[1]


def test_whole_file_gzip_is_read_by_the_first_range_only():
    plain, _ = build(html_specs(3), gz=False)
    data = gzip.compress(plain)
    assert not is_splittable(io.BytesIO(data), "t.warc.gz")
    assert len(list(read_warc(io.BytesIO(data), "t.warc.gz", start=0, end=10))) == 3
    assert list(read_warc(io.BytesIO(data), "t.warc.gz", start=10, end=len(data))) == []


# --- the project's sample corpus ------------------------------------------------------------------

def test_sample_corpus_planted_web_cases():
    from corpus.sample import WARC, cases

    c = DictCounter()
    with open(WARC, "rb") as f:
        results = list(read_warc(f, "web.warc.gz", counter=c))
    by_record = {getattr(r, "record", None) or r.meta["warc_record_id"]: r for r in results}
    planted = cases(file="web.warc.gz")
    for case in planted:
        got = by_record[case["record_id"]]
        if case["kind"] in ("non_html", "redirect"):
            assert isinstance(got, Skipped) and got.reason == f"warc:{case['kind']}", case
        elif case["kind"] == "malformed_record":
            assert isinstance(got, DeadLetter) and got.offset == case["offset"], case
        else:
            assert isinstance(got, Document) and "\ufffd" not in got.text, case
    dead = [r for r in results if isinstance(r, DeadLetter)]
    assert len(dead) == 1
    after = [r for r in results if isinstance(r, Document) and r.meta["offset"] > dead[0].offset]
    assert after, "the record after the malformed one must still be read"
    html_cases = [k for k in planted if k["kind"] not in ("non_html", "redirect", "malformed_record")]
    assert c["warc:documents:html"] == len(html_cases) == sum(isinstance(r, Document) for r in results)
    assert c["dead_letter:warc"] == 1 and c["warc:redirect"] == 2 and c["warc:non_html"] == 3
