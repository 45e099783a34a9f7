"""Property tests: no input makes a reader raise or hang; it only yields Documents, Skipped, DeadLetters.

Inputs are random bytes under every kind's file name, and small valid files of each kind
(and their compressed forms) with bytes flipped, inserted, deleted or cut off at positions
hypothesis chooses.
"""
from __future__ import annotations

import bz2
import gzip
import io

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_sources_dispatch import jsonl_bytes, warc_bytes, wiki_xml

from corpus.document import Document
from corpus.sources import DeadLetter, Skipped, SourceConfig, TableConfig, read_path

FUZZ = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Small limits so that a mutation that makes a huge "record" stays cheap.
CONFIG = SourceConfig(table=TableConfig(max_record_bytes=4096))
NAMES = ["f.warc", "f.warc.gz", "f.arc.gz", "f.warc.wet.gz", "f.xml", "f.xml.bz2", "f.jsonl", "f.jsonl.gz",
         "f.parquet", "f.txt", "f.txt.gz"]


def _parquet() -> bytes:
    buf = io.BytesIO()
    pq.write_table(pa.table({"text": ["alpha", "beta", ""], "id": ["1", None, "3"]}), buf, row_group_size=2)
    return buf.getvalue()


def _text() -> bytes:
    return b"First paragraph line.\n\nSecond paragraph.\n"


FIXTURES = {
    "f.warc.gz": warc_bytes(3, body_words=5),
    "f.warc": warc_bytes(3, gzip_records=False, body_words=5),
    "f.xml": wiki_xml(3),
    "f.xml.bz2": bz2.compress(wiki_xml(3)),
    "f.jsonl": jsonl_bytes(3),
    "f.jsonl.gz": gzip.compress(jsonl_bytes(3)),
    "f.parquet": _parquet(),
    "f.txt.gz": gzip.compress(_text()),
}


def _check(name: str, data: bytes) -> None:
    for result in read_path(name, config=CONFIG, stream=io.BytesIO(data)):
        assert isinstance(result, (Document, Skipped, DeadLetter)), type(result)


@FUZZ
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=2048))
def test_random_bytes_under_every_name(name, data):
    _check(name, data)


_MUTATION = st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate"]), st.floats(0, 1),
                      st.binary(min_size=1, max_size=16))


def _mutate(data: bytes, ops) -> bytes:
    for op, where, payload in ops:
        pos = min(int(where * len(data)), max(len(data) - 1, 0))
        if op == "flip" and data:
            data = data[:pos] + bytes([data[pos] ^ (payload[0] or 1)]) + data[pos + 1:]
        elif op == "insert":
            data = data[:pos] + payload + data[pos:]
        elif op == "delete":
            data = data[:pos] + data[pos + len(payload):]
        else:
            data = data[:pos]
    return data


@FUZZ
@given(name=st.sampled_from(sorted(FIXTURES)), ops=st.lists(_MUTATION, min_size=1, max_size=4))
def test_mutated_valid_files(name, ops):
    _check(name, _mutate(FIXTURES[name], ops))


@FUZZ
@given(name=st.sampled_from(sorted(FIXTURES)), ops=st.lists(_MUTATION, min_size=1, max_size=3))
def test_mutated_files_under_other_kinds_names(name, ops):
    """A file under the wrong name (a WARC called .jsonl, ...) is handled as bad input too."""
    other = NAMES[(sorted(FIXTURES).index(name) + 3) % len(NAMES)]
    _check(other, _mutate(FIXTURES[name], ops))
