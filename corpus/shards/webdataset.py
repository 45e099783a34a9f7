"""WebDataset ``.tar`` shards: one sample per document, readable by the ``webdataset`` library.

Each sample is the members ``<id>.json`` (provenance), ``<id>.tokens.npy`` (``np.save`` bytes)
and ``<id>.txt`` when text is kept, in that (sorted) order. Headers are fixed (mtime 0, uid/gid
0, no user names, mode 0644) so equal records give equal bytes; sizes are computed exactly, so
the writer bounds a shard before writing it. Reading refuses members that are not regular files
or whose names are absolute or contain ``..``.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from collections.abc import Iterator
from functools import lru_cache
from typing import IO

import numpy as np

from corpus.shards.record import TOKEN_DTYPES, ShardRecord

NAME = "webdataset"
EXTENSION = ".tar"
BATCH_ROWS = 1
BATCH_OVERHEAD = 0
_BLOCK = tarfile.BLOCKSIZE
# Two zero blocks end the archive, then tarfile pads it to a whole record (20 blocks).
FIXED_BYTES = 2 * _BLOCK + tarfile.RECORDSIZE
# WebDataset splits a member name at the first dot of its base name: the key must have none.
_KEY_RE = re.compile(r"^[^./\\\x00]+$")


def _json_bytes(record: ShardRecord) -> bytes:
    meta = {"id": record.id, "url": record.url, "source": record.source, "language": record.language,
            "num_tokens": record.num_tokens}
    return json.dumps(meta, sort_keys=True, ensure_ascii=False).encode("utf-8")


@lru_cache(maxsize=4)
def _npy_header_bytes(dtype_str: str) -> int:
    # np.save pads its header to a multiple of 64 bytes; for a 1-D array it is the same for any length
    # below 10**40, so measure it once on an empty array.
    buf = io.BytesIO()
    np.save(buf, np.zeros(0, dtype=np.dtype(dtype_str)), allow_pickle=False)
    return buf.tell()


def _padded(size: int) -> int:
    return _BLOCK + -(-size // _BLOCK) * _BLOCK


def record_bytes(record: ShardRecord, keep_text: bool) -> int:
    """The exact bytes one sample adds to a tar shard."""
    size = _padded(len(_json_bytes(record)))
    size += _padded(_npy_header_bytes(record.tokens.dtype.str) + record.tokens.nbytes)
    if keep_text:
        size += _padded(len((record.text or "").encode("utf-8")))
    return size


def _member(name: str, data: bytes) -> tuple[tarfile.TarInfo, io.BytesIO]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.type = tarfile.REGTYPE
    return info, io.BytesIO(data)


class TarEncoder:
    """Appends one sample per record to a tar stream on ``sink``."""

    def __init__(self, sink: IO[bytes], token_dtype: np.dtype, keep_text: bool) -> None:
        self.keep_text = keep_text
        self._tar = tarfile.open(fileobj=sink, mode="w", format=tarfile.USTAR_FORMAT)

    def write(self, record: ShardRecord) -> None:
        if not _KEY_RE.match(record.id):
            raise ValueError(f"record {record.id!r}: a WebDataset key may not contain '.', '/' or '\\\\'")
        npy = io.BytesIO()
        np.save(npy, record.tokens, allow_pickle=False)
        members = [("json", _json_bytes(record)), ("tokens.npy", npy.getvalue())]
        if self.keep_text:
            members.append(("txt", (record.text or "").encode("utf-8")))
        for ext, data in members:
            self._tar.addfile(*_member(f"{record.id}.{ext}", data))

    def close(self) -> None:
        self._tar.close()


def _check_member(member: tarfile.TarInfo, label: str) -> None:
    name = member.name
    if name.startswith("/") or "\\" in name or ".." in name.split("/"):
        raise ValueError(f"shard {label}: member {name!r} has an absolute path or '..'; refusing the shard")
    if not member.isreg():
        raise ValueError(f"shard {label}: member {name!r} is not a regular file; refusing the shard")


def read(path: str, name: str | None = None) -> Iterator[ShardRecord]:
    """Documents of one tar shard, in the order they were written."""
    label = name or path
    with tarfile.open(str(path), mode="r:") as tar:
        sample: dict[str, bytes] = {}
        key = None
        for member in tar:
            _check_member(member, label)
            base = member.name.rsplit("/", 1)[-1]
            member_key, _, ext = base.partition(".")
            if key is not None and member_key != key:
                yield _decode(key, sample, label)
                sample = {}
            key = member_key
            sample[ext] = tar.extractfile(member).read()
        if key is not None:
            yield _decode(key, sample, label)


def _decode(key: str, sample: dict[str, bytes], label: str) -> ShardRecord:
    if "json" not in sample or "tokens.npy" not in sample:
        raise ValueError(f"shard {label}: sample {key!r} lacks json or tokens.npy (has {sorted(sample)})")
    meta = json.loads(sample["json"])
    tokens = np.load(io.BytesIO(sample["tokens.npy"]), allow_pickle=False)
    if tokens.dtype not in TOKEN_DTYPES or tokens.ndim != 1:
        raise ValueError(f"shard {label}: sample {key!r} has tokens of dtype {tokens.dtype}, shape {tokens.shape}")
    text = sample["txt"].decode("utf-8") if "txt" in sample else None
    return ShardRecord(id=key, tokens=tokens, url=meta.get("url", ""), source=meta.get("source", ""),
                       language=meta.get("language", ""), text=text)
