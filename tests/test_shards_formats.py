"""Arrow and WebDataset shards: round trips, identical bytes, size bounds, and other readers."""

from __future__ import annotations

import hashlib
import io
import tarfile

import numpy as np
import pyarrow as pa
import pytest

from corpus.counters import DictCounter
from corpus.shards import arrow, webdataset
from corpus.shards.record import ShardRecord
from corpus.shards.writer import MIN_SHARD_BYTES, ShardConfig, ShardWriter, write_shards

FORMATS = ("arrow", "webdataset")
READERS = {"arrow": arrow.read, "webdataset": webdataset.read}


def make_records(n: int, dtype=np.uint16, with_text: bool = False, seed: int = 0) -> list[ShardRecord]:
    rng = np.random.default_rng(seed)
    high = 60000 if dtype == np.uint16 else 3_000_000
    return [ShardRecord(id=f"{i:08x}", tokens=rng.integers(0, high, size=int(rng.integers(0, 400)), dtype=dtype),
                        url=f"https://example.org/ü/{i}", source=("warc", "wikipedia")[i % 2], language="de",
                        text=f"Text {i} mit Umlauten äöü\n  und Leerzeichen" if with_text else None)
            for i in range(n)]


def read_all(root, entries):
    return [r for e in entries for r in READERS[e.format](str(root / e.path))]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("dtype", [np.uint16, np.uint32])
@pytest.mark.parametrize("keep_text", [False, True])
def test_round_trip(tmp_path, fmt, dtype, keep_text):
    records = make_records(50, dtype, with_text=keep_text)
    config = ShardConfig(formats=(fmt,), token_dtype=np.dtype(dtype).name, keep_text=keep_text)
    entries = write_shards(str(tmp_path), "train", records, config)
    assert [e.path for e in entries] == [f"train/part-00000{'.arrow' if fmt == 'arrow' else '.tar'}"]
    assert (entries[0].num_documents, entries[0].num_tokens) == (50, sum(r.num_tokens for r in records))
    data = (tmp_path / entries[0].path).read_bytes()
    assert (entries[0].bytes, entries[0].sha256) == (len(data), hashlib.sha256(data).hexdigest())
    back = read_all(tmp_path, entries)
    assert back == records
    assert all(r.tokens.dtype == np.dtype(dtype) for r in back)


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_records_give_identical_bytes(tmp_path, fmt):
    records = make_records(300, with_text=True)
    config = ShardConfig(formats=(fmt,), keep_text=True, shard_bytes=MIN_SHARD_BYTES * 4)
    first = write_shards(str(tmp_path / "a"), "validation", records, config)
    second = write_shards(str(tmp_path / "b"), "validation", records, config)
    assert len(first) > 1
    assert first == second
    for e in first:
        assert (tmp_path / "a" / e.path).read_bytes() == (tmp_path / "b" / e.path).read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_shards_roll_within_the_byte_bound(tmp_path, fmt):
    records = make_records(400)
    bound = MIN_SHARD_BYTES * 2
    counter = DictCounter()
    entries = write_shards(str(tmp_path), "train", records, ShardConfig(formats=(fmt,), shard_bytes=bound),
                           counter=counter)
    assert len(entries) >= 5
    assert [e.path for e in entries] == [f"train/part-{i:05d}{'.arrow' if fmt == 'arrow' else '.tar'}"
                                         for i in range(len(entries))]
    assert all(e.bytes <= bound for e in entries)
    assert all(e.bytes > bound // 2 for e in entries[:-1])  # rolled because full, not early
    assert sum(e.num_documents for e in entries) == 400
    assert counter.as_dict() == {f"shards:{fmt}:train": len(entries)}
    assert read_all(tmp_path, entries) == records
    assert sorted(p.name for p in (tmp_path / "train").iterdir()) == sorted(e.path[6:] for e in entries)


def test_a_record_larger_than_the_bound_gets_its_own_shard(tmp_path):
    big = ShardRecord("big", np.arange(20000, dtype=np.uint16))
    small = make_records(3)
    entries = write_shards(str(tmp_path), "train", [small[0], big, small[1]],
                           ShardConfig(shard_bytes=MIN_SHARD_BYTES))
    assert [e.num_documents for e in entries] == [1, 1, 1]


def test_writer_refuses_tokens_of_the_wrong_dtype_and_cleans_up(tmp_path):
    with pytest.raises(ValueError, match="record 'x': tokens are uint32, the corpus stores uint16"):
        with ShardWriter(str(tmp_path), "train", "arrow") as writer:
            writer.write(make_records(1)[0])
            writer.write(ShardRecord("x", np.zeros(2, dtype=np.uint32)))
    assert list((tmp_path / "train").iterdir()) == []  # the temporary file is gone, nothing renamed


def test_webdataset_refuses_keys_with_dots(tmp_path):
    with pytest.raises(ValueError, match=r"record 'a\.b': a WebDataset key may not contain"):
        write_shards(str(tmp_path), "train", [ShardRecord("a.b", np.zeros(1, np.uint16))],
                     ShardConfig(formats=("webdataset",)))


@pytest.mark.parametrize("kwargs, match", [
    ({"formats": ("parquet",)}, "ShardConfig.formats must be distinct names"),
    ({"formats": ()}, "ShardConfig.formats must be distinct names"),
    ({"shard_bytes": 100}, "ShardConfig.shard_bytes must be an int >= 16384"),
    ({"token_dtype": "int32"}, "ShardConfig.token_dtype must be 'uint16' or 'uint32'"),
    ({"validation_fraction": 1.5}, "ShardConfig.validation_fraction must be a number in"),
])
def test_config_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ShardConfig(**kwargs)


def _evil_tar(path, name: str, kind=tarfile.REGTYPE) -> None:
    with tarfile.open(path, "w") as tar:
        good = io.BytesIO()
        np.save(good, np.zeros(2, np.uint16))
        info = tarfile.TarInfo("ok.tokens.npy")
        info.size = len(good.getvalue())
        tar.addfile(info, io.BytesIO(good.getvalue()))
        evil = tarfile.TarInfo(name)
        evil.type = kind
        if kind == tarfile.SYMTYPE:
            evil.linkname = "/etc/passwd"
        else:
            evil.size = 2
        tar.addfile(evil, io.BytesIO(b"{}") if kind == tarfile.REGTYPE else None)


@pytest.mark.parametrize("name, kind, match", [
    ("../escape.json", tarfile.REGTYPE, r"member '\.\./escape\.json' has an absolute path or '\.\.'"),
    ("/abs/x.json", tarfile.REGTYPE, r"member '/abs/x\.json' has an absolute path or '\.\.'"),
    ("a/../../x.json", tarfile.REGTYPE, r"member 'a/\.\./\.\./x\.json' has an absolute path"),
    ("link.json", tarfile.SYMTYPE, r"member 'link\.json' is not a regular file"),
])
def test_tar_reader_refuses_evil_members(tmp_path, name, kind, match):
    path = tmp_path / "evil.tar"
    _evil_tar(path, name, kind)
    with pytest.raises(ValueError, match=f"shard evil.tar: {match}"):
        list(webdataset.read(str(path), name="evil.tar"))


def test_tar_headers_are_deterministic(tmp_path):
    records = make_records(3, with_text=True)
    [entry] = write_shards(str(tmp_path), "train", records, ShardConfig(formats=("webdataset",), keep_text=True))
    with tarfile.open(tmp_path / entry.path) as tar:
        members = tar.getmembers()
    assert [m.name for m in members[:3]] == ["00000000.json", "00000000.tokens.npy", "00000000.txt"]
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname, m.mode) for m in members} == {(0, 0, 0, "", "", 0o644)}


# --- other readers of the same files ------------------------------------------------------------

def test_pyarrow_opens_the_arrow_shard(tmp_path):
    records = make_records(20, np.uint32, with_text=True)
    [entry] = write_shards(str(tmp_path), "train", records, ShardConfig(token_dtype="uint32", keep_text=True))
    table = pa.ipc.open_file(pa.memory_map(str(tmp_path / entry.path))).read_all()
    assert table.schema.names == ["id", "tokens", "num_tokens", "url", "source", "language", "text"]
    assert table.schema.field("tokens").type == pa.list_(pa.uint32())
    assert table.column("id").to_pylist() == [r.id for r in records]
    assert table.column("tokens").to_pylist() == [r.tokens.tolist() for r in records]
    assert table.column("num_tokens").to_pylist() == [r.num_tokens for r in records]


def test_datasets_arrow_loader_loads_the_shards(tmp_path, monkeypatch):
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    records = make_records(30)
    entries = write_shards(str(tmp_path / "c"), "train", records, ShardConfig(shard_bytes=MIN_SHARD_BYTES))
    assert len(entries) > 1
    ds = datasets.load_dataset("arrow", data_files={"train": [str(tmp_path / "c" / e.path) for e in entries]},
                               split="train", cache_dir=str(tmp_path / "hf-cache"))
    assert ds.num_rows == 30
    assert ds.features["tokens"].feature.dtype == "uint16"
    assert ds["id"] == [r.id for r in records]
    assert [list(t) for t in ds["tokens"]] == [r.tokens.tolist() for r in records]


def test_webdataset_library_iterates_the_tar_shards(tmp_path):
    import webdataset as wds

    records = make_records(25, np.uint32, with_text=True)
    entries = write_shards(str(tmp_path), "train", records,
                           ShardConfig(formats=("webdataset",), token_dtype="uint32", keep_text=True,
                                       shard_bytes=MIN_SHARD_BYTES * 2))
    assert len(entries) > 1
    urls = [str(tmp_path / e.path) for e in entries]
    samples = list(wds.WebDataset(urls, shardshuffle=False).decode())
    assert [s["__key__"] for s in samples] == [r.id for r in records]
    for sample, record in zip(samples, records):
        assert sample["tokens.npy"].dtype == np.uint32
        np.testing.assert_array_equal(sample["tokens.npy"], record.tokens)
        assert sample["json"] == {"id": record.id, "url": record.url, "source": record.source,
                                  "language": record.language, "num_tokens": record.num_tokens}
        assert sample["txt"] == record.text


def test_arrow_bound_holds_across_record_batches(tmp_path):
    # Tiny documents: several 1024-row record batches per shard, so batch framing counts.
    records = [ShardRecord(f"{i:06d}", np.array([i % 65535], dtype=np.uint16), url="u", language="en")
               for i in range(5000)]
    bound = MIN_SHARD_BYTES * 8
    entries = write_shards(str(tmp_path), "train", records, ShardConfig(shard_bytes=bound))
    assert len(entries) > 1 and entries[0].num_documents > 2048
    assert all(e.bytes <= bound for e in entries)
    assert read_all(tmp_path, entries) == records


# --- NumPy views of Arrow columns ------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["uint16", "uint32", "int32", "int64", "float32"])
def test_numpy_view_equals_to_numpy_on_sliced_arrays(dtype):
    whole = pa.array(np.arange(10).astype(dtype))
    for part in (whole, whole.slice(3), whole.slice(2, 5), whole.slice(10)):
        view = arrow.numpy_view(part)
        assert view.dtype == np.dtype(dtype) and view.tolist() == part.to_pylist()
        assert not view.flags.writeable  # a view of the (memory-mapped) file, as to_numpy's


def test_numpy_view_of_an_empty_array_without_a_data_buffer():
    view = arrow.numpy_view(pa.Array.from_buffers(pa.int32(), 0, [None, None]))
    assert view.dtype == np.int32 and view.size == 0 and not view.flags.writeable


def test_numpy_view_of_list_offsets_and_values():
    tokens = pa.array([[5, 6], [], [7, 8, 9]], type=pa.list_(pa.uint16())).slice(1)
    offsets, values = arrow.numpy_view(tokens.offsets), arrow.numpy_view(tokens.values)
    assert offsets.tolist() == [2, 2, 5] and values.tolist() == [5, 6, 7, 8, 9]


def test_numpy_view_refuses_nulls_and_leaves_other_types_to_pyarrow():
    with pytest.raises(pa.ArrowInvalid):
        arrow.numpy_view(pa.array([1, None, 3], type=pa.int32()))
    half = arrow.numpy_view(pa.array(np.array([1.5, -2.0], dtype=np.float16)))
    assert half.dtype == np.float16 and half.tolist() == [1.5, -2.0]
