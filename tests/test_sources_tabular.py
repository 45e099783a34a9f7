"""JSONL, Parquet and plain-text readers: field mapping, every bad-line kind, gzip, text units."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus.counters import DictCounter
from corpus.document import Document, make_doc_id
from corpus.sources.base import DeadLetter, Skipped
from corpus.sources.tabular import TableConfig, read_jsonl, read_parquet, read_text


def _read(reader, data: bytes, path: str, **config):
    counter = DictCounter()
    results = list(reader(io.BytesIO(data), path, config=TableConfig(**config), counter=counter))
    return results, counter.as_dict()


def _jsonl(*objs) -> bytes:
    return b"".join((o if isinstance(o, bytes) else json.dumps(o).encode()) + b"\n" for o in objs)


# --- config -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, field", [
    ({"text_field": ""}, "text_field"), ({"id_field": ""}, "id_field"), ({"url_field": 3}, "url_field"),
    ({"text_unit": "word"}, "text_unit"), ({"max_record_bytes": 0}, "max_record_bytes"),
    ({"parquet_batch_rows": 0}, "parquet_batch_rows"),
])
def test_config_rejects_bad_values_naming_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"TableConfig.{field}"):
        TableConfig(**kwargs)


# --- JSONL ------------------------------------------------------------------------------------

def test_jsonl_maps_fields_to_document():
    data = _jsonl({"text": "Hello world", "id": "doc-1", "url": "https://e.org/a", "lang": "en",
                   "tags": ["a", 1], "nested": {"k": None}},
                  {"text": "Second", "score": 0.5})
    (first, second), counts = _read(read_jsonl, data, "d/x.jsonl")
    assert first == Document(id=make_doc_id("jsonl", "d/x.jsonl#doc-1"), text="Hello world", source="jsonl",
                             url="https://e.org/a", meta={"lang": "en", "tags": ["a", 1], "nested": {"k": None},
                                                          "format": "text", "path": "d/x.jsonl", "line": 1,
                                                          "record_id": "doc-1"})
    assert second.id == make_doc_id("jsonl", "d/x.jsonl:2")
    assert second.url == ""
    assert second.meta == {"score": 0.5, "format": "text", "path": "d/x.jsonl", "line": 2}
    assert counts == {"jsonl:documents": 2}


def test_jsonl_custom_fields_and_integer_id():
    data = _jsonl({"body": "Text here", "doc": 17, "link": "http://a", "text": "other"})
    (doc,), _ = _read(read_jsonl, data, "x.json", text_field="body", id_field="doc", url_field="link")
    assert (doc.id, doc.text, doc.url) == (make_doc_id("jsonl", "x.json#17"), "Text here", "http://a")
    assert doc.meta == {"text": "other", "format": "text", "path": "x.json", "line": 1, "record_id": "17"}


def test_record_ids_are_scoped_by_their_file():
    """Two files that both number their records from 1 hold different documents."""
    data = _jsonl({"text": "first file", "id": 1})
    (a,), _ = _read(read_jsonl, data, "a.jsonl")
    (b,), _ = _read(read_jsonl, _jsonl({"text": "second file", "id": 1}), "b.jsonl")
    (again,), _ = _read(read_jsonl, data, "a.jsonl")
    assert a.id != b.id and a.id == again.id  # stable across reruns, distinct across files


def test_jsonl_id_and_url_fields_can_be_turned_off():
    data = _jsonl({"text": "T", "id": "n", "url": "u"})
    (doc,), _ = _read(read_jsonl, data, "x.jsonl", id_field=None, url_field=None)
    assert doc.id == make_doc_id("jsonl", "x.jsonl:1")
    assert doc.meta == {"id": "n", "url": "u", "format": "text", "path": "x.jsonl", "line": 1}


def test_jsonl_each_bad_line_kind_is_an_exact_dead_letter():
    lines = [b'{"text": "ok"}', b"", b"not json", b"[1, 2]", b'{"text": 5}', b'{"title": "no text"}',
             b'{"text": "t", "id": [1]}', b'{"text": "t", "url": 9}', b'{"text": "  "}', b'{"text": "\xc3("}',
             b'{"text": "' + b"x" * 60 + b'"}', b'{"text": "last"}']
    data = b"\n".join(lines) + b"\n"
    offsets = [sum(len(line) + 1 for line in lines[:i]) for i in range(len(lines))]
    results, counts = _read(read_jsonl, data, "b.jsonl", max_record_bytes=40)
    dl = lambda i, error, snippet: DeadLetter("b.jsonl", offsets[i], error, "jsonl", f"line {i + 1}",  # noqa: E731
                                              snippet)
    assert results[0].text == "ok" and results[-1].text == "last"
    assert results[1:-1] == [
        dl(2, "invalid JSON: Expecting value: line 1 column 1 (char 0)", "not json\n"),
        dl(3, "expected a JSON object, got list", "[1, 2]\n"),
        dl(4, "text field 'text' must be a string, got int", '{"text": 5}\n'),
        dl(5, "missing text field 'text'", '{"title": "no text"}\n'),
        dl(6, "id field 'id' must be a non-empty string or integer, got [1]", '{"text": "t", "id": [1]}\n'),
        dl(7, "url field 'url' must be a string, got int", '{"text": "t", "url": 9}\n'),
        Skipped("jsonl:empty_text", "b.jsonl", offsets[8], "", "line 9"),
        dl(9, "invalid JSON: 'utf-8' codec can't decode byte 0xc3 in position 10: invalid continuation byte",
           '{"text": "\\xc3("}\n'),
        dl(10, "line longer than 40 bytes", ""),
    ]
    assert counts == {"dead_letter:jsonl": 8, "jsonl:blank_lines": 1, "jsonl:documents": 2,
                      "jsonl:empty_text": 1}


def test_jsonl_deeply_nested_line_is_a_dead_letter_not_a_crash():
    data = b"[" * 100_000 + b"\n" + _jsonl({"text": "after"})
    results, counts = _read(read_jsonl, data, "n.jsonl")
    assert isinstance(results[0], DeadLetter) and results[0].error.startswith("invalid JSON: maximum recursion")
    assert results[1].text == "after"
    assert counts == {"dead_letter:jsonl": 1, "jsonl:documents": 1}


def test_jsonl_overlong_line_is_skipped_in_chunks_not_held():
    class Tracking(io.BytesIO):
        largest = 0

        def readline(self, size=-1):
            line = super().readline(size)
            Tracking.largest = max(Tracking.largest, len(line))
            return line

    big = b'{"text": "' + b"y" * 300_000 + b'"}\n'
    stream = Tracking(big + _jsonl({"text": "next"}))
    results = list(read_jsonl(stream, "big.jsonl", config=TableConfig(max_record_bytes=1000)))
    assert results[0] == DeadLetter("big.jsonl", 0, "line longer than 1000 bytes", "jsonl", "line 1")
    assert results[1].text == "next" and results[1].meta["line"] == 2


def test_jsonl_last_line_without_newline_and_crlf():
    (a, b), _ = _read(read_jsonl, b'{"text": "a"}\r\n{"text": "b"}', "c.jsonl")
    assert (a.text, b.text, b.meta["line"]) == ("a", "b", 2)


@pytest.mark.parametrize("path", ["z.jsonl.gz", "z.jsonl"])  # gzip by name, or by magic alone
def test_jsonl_gzip_by_name_or_magic(path):
    data = gzip.compress(_jsonl({"text": "one"}, {"text": "two"}))
    results, counts = _read(read_jsonl, data, path)
    assert [r.text for r in results] == ["one", "two"]
    assert counts == {"jsonl:documents": 2}


def _varied_lines(n: int) -> bytes:
    rng = random.Random(7)
    return _jsonl(*({"text": " ".join(str(rng.random()) for _ in range(20))} for _ in range(n)))


def test_jsonl_truncated_gzip_keeps_lines_before_the_break():
    plain = _varied_lines(400)
    data = gzip.compress(plain)
    results, counts = _read(read_jsonl, data[: len(data) // 2], "t.jsonl.gz")
    *docs, dead = results
    assert len(docs) > 50 and all(isinstance(d, Document) for d in docs)
    assert [d.meta["line"] for d in docs] == list(range(1, len(docs) + 1))
    line_starts = [0] + [i + 1 for i, c in enumerate(plain) if c == ord("\n")]
    assert dead == DeadLetter("t.jsonl.gz", line_starts[len(docs)],
                              f"stream broke after line {len(docs)}: EOFError: Compressed file ended before the "
                              f"end-of-stream marker was reached", "jsonl", f"line {len(docs) + 1}")
    assert counts == {"dead_letter:jsonl": 1, "jsonl:documents": len(docs)}


def test_jsonl_gz_name_without_gzip_data_is_one_dead_letter():
    results, counts = _read(read_jsonl, _jsonl({"text": "a"}), "p.jsonl.gz")
    assert results == [DeadLetter("p.jsonl.gz", 0, "stream broke after line 0: BadGzipFile: Not a gzipped file "
                                  "(b'{\"')", "jsonl", "line 1")]
    assert counts == {"dead_letter:jsonl": 1}


# --- Parquet ----------------------------------------------------------------------------------

def _parquet(table: pa.Table, **kwargs) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, **kwargs)
    return buf.getvalue()


def test_parquet_rows_across_row_groups_with_field_mapping():
    n = 25
    table = pa.table({
        "text": [f"row {i}" if i % 10 != 3 else ("" if i == 3 else None) for i in range(n)],
        "id": [f"id{i}" if i % 2 else None for i in range(n)],
        "url": [f"http://e.org/{i}" for i in range(n)],
        "when": [dt.datetime(2024, 1, 1, 12, 0, i) for i in range(n)],
        "blob": [b"\x00"] * n,
        "score": [i / 4 for i in range(n)],
    })
    data = _parquet(table, row_group_size=4)
    assert pq.ParquetFile(io.BytesIO(data)).num_row_groups == 7
    results, counts = _read(read_parquet, data, "t.parquet", parquet_batch_rows=3)
    assert len(results) == n
    assert results[3] == Skipped("parquet:empty_text", "t.parquet", None, "http://e.org/3", "row 4")
    assert results[13] == DeadLetter("t.parquet", None, "missing text field 'text'", "parquet", "row 14")
    assert results[23] == DeadLetter("t.parquet", None, "missing text field 'text'", "parquet", "row 24")
    first, second = results[0], results[1]
    assert first.id == make_doc_id("parquet", "t.parquet:1") and second.id == make_doc_id("parquet", "t.parquet#id1")
    assert (second.text, second.url, second.source) == ("row 1", "http://e.org/1", "parquet")
    assert second.meta == {"when": "2024-01-01T12:00:01", "score": 0.25, "format": "text", "path": "t.parquet",
                           "row": 2, "record_id": "id1"}
    assert [r.meta["row"] for r in results if isinstance(r, Document)] == [
        i + 1 for i in range(n) if i not in (3, 13, 23)]
    assert counts == {"dead_letter:parquet": 2, "parquet:documents": 22, "parquet:empty_text": 1,
                      "parquet:meta_field_dropped": 22}


def test_parquet_without_string_text_column_is_one_dead_letter():
    data = _parquet(pa.table({"text": [1, 2]}))
    results, counts = _read(read_parquet, data, "i.parquet")
    assert results == [DeadLetter("i.parquet", None, "text column 'text' is of type int64; expected a string "
                                  "column", "parquet", "schema")]
    results, _ = _read(read_parquet, data, "i.parquet", text_field="body")
    assert results[0].error == "text column 'body' is missing; expected a string column"
    assert counts == {"dead_letter:parquet": 1}


def test_parquet_garbage_and_truncated_files_are_dead_letters():
    results, counts = _read(read_parquet, b"PAR1 not really", "g.parquet")
    assert len(results) == 1 and results[0].record == "row 1"
    assert results[0].error.startswith("unreadable Parquet after row 0: ArrowInvalid:")
    data = _parquet(pa.table({"text": ["a"] * 10}))
    results, _ = _read(read_parquet, data[:-20], "cut.parquet")
    assert len(results) == 1 and isinstance(results[0], DeadLetter)
    assert counts == {"dead_letter:parquet": 1}


# --- plain text -------------------------------------------------------------------------------

TEXT = b"\xef\xbb\xbfFirst para\nstill first\n\n\n  \nSecond para\n\nThird\r\n"


def test_text_one_document_per_file():
    (doc,), counts = _read(read_text, TEXT, "a.txt")
    assert doc == Document(id=make_doc_id("text", "a.txt"), text=TEXT.decode("utf-8-sig"), source="text",
                           meta={"format": "text", "path": "a.txt", "line": 1})
    assert counts == {"text:documents": 1}


def test_text_paragraphs():
    results, counts = _read(read_text, TEXT, "a.txt", text_unit="paragraph")
    assert [(d.text, d.meta["line"], d.id) for d in results] == [
        ("First para\nstill first", 1, make_doc_id("text", "a.txt:1")),
        ("Second para", 6, make_doc_id("text", "a.txt:6")),
        ("Third", 8, make_doc_id("text", "a.txt:8"))]
    assert counts == {"text:blank_lines": 4, "text:documents": 3}


def test_text_lines():
    results, counts = _read(read_text, TEXT, "a.txt", text_unit="line")
    assert [(d.text, d.meta["line"]) for d in results] == [
        ("First para", 1), ("still first", 2), ("Second para", 6), ("Third", 8)]
    assert counts == {"text:blank_lines": 4, "text:documents": 4}


def test_text_bad_units_are_dead_letters():
    data = b"ok line\n" + b"z" * 50 + b"\n\xff bad\n\nshort\n"
    results, counts = _read(read_text, data, "b.txt", text_unit="line", max_record_bytes=20)
    assert results[1:3] == [DeadLetter("b.txt", 8, "line longer than 20 bytes", "text", "line 2"),
                            DeadLetter("b.txt", 59, "invalid UTF-8 at byte 59", "text", "line 3", "\\xff bad\n")]
    assert [r.text for r in results if isinstance(r, Document)] == ["ok line", "short"]
    assert counts == {"dead_letter:text": 2, "text:blank_lines": 1, "text:documents": 2}
    results, counts = _read(read_text, data, "b.txt", text_unit="paragraph", max_record_bytes=20)
    assert results == [DeadLetter("b.txt", 0, "paragraph longer than 20 bytes", "text", "line 1"),
                       Document.create("text", "b.txt:5", "short", meta={"format": "text", "path": "b.txt",
                                                                         "line": 5})]
    results, _ = _read(read_text, data, "b.txt", max_record_bytes=20)
    assert results == [DeadLetter("b.txt", 0, "b.txt: text file exceeds 20 bytes", "text", "file")]


def test_text_empty_and_gzip_and_truncated():
    results, counts = _read(read_text, b" \n\n", "e.txt")
    assert results == [Skipped("text:empty_text", "e.txt", 0, "", "file")]
    results, _ = _read(read_text, gzip.compress(TEXT), "a.txt.gz", text_unit="paragraph")
    assert [d.text for d in results] == ["First para\nstill first", "Second para", "Third"]
    data = gzip.compress(_varied_lines(300))
    results, counts = _read(read_text, data[: len(data) // 2], "t.txt.gz", text_unit="line")
    assert isinstance(results[-1], DeadLetter) and results[-1].error.startswith("stream broke after line")
    assert counts == {"dead_letter:text": 1, "text:documents": len(results) - 1}
