"""Read WARC/WET files with warcio and with FastWARC side by side; print records/s and MB/s.

Both libraries iterate every record of an in-memory copy of each file, read the whole
payload, and (for responses) the parsed HTTP headers, so the figures compare parsing and
decompression, not disk. Rounds alternate between the libraries so machine load affects
both alike; the ratio column is what to compare across machines.

    .venv/bin/python benchmarks/read_warc.py [--seconds 2] [FILE ...]
"""
from __future__ import annotations

import argparse
import io
import os
import time

import warcio.archiveiterator
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from fastwarc.warc import WarcRecordType

DATA = "/work/shared/data"
DEFAULT_FILES = [f"{DATA}/cc-2020-34-sample.warc.gz", f"{DATA}/whirlwind.warc.gz",
                 f"{DATA}/whirlwind.warc.wet.gz"]


def read_warcio(data: bytes) -> tuple[int, int]:
    records = payload = 0
    for rec in warcio.archiveiterator.ArchiveIterator(io.BytesIO(data)):
        if rec.rec_type == "response" and rec.http_headers is not None:
            rec.http_headers.get_header("Content-Type")
        payload += len(rec.content_stream().read())
        records += 1
    return records, payload


def read_fastwarc(data: bytes) -> tuple[int, int]:
    records = payload = 0
    for rec in FastArchiveIterator(io.BytesIO(data), parse_http=True):
        if rec.record_type == WarcRecordType.response:
            rec.http_headers.get("Content-Type")
        payload += len(rec.reader.read())
        records += 1
    return records, payload


READERS = {"warcio": read_warcio, "fastwarc": read_fastwarc}


def measure(data: bytes, seconds: float) -> dict[str, tuple[int, float, int]]:
    """Per library: (records per pass, seconds per pass, payload bytes per pass)."""
    spent = {name: 0.0 for name in READERS}
    passes = {name: 0 for name in READERS}
    shape = {}
    while min(spent.values()) < seconds or min(passes.values()) < 3:
        for name, fn in READERS.items():
            t0 = time.perf_counter()
            shape[name] = fn(data)
            spent[name] += time.perf_counter() - t0
            passes[name] += 1
    return {name: (shape[name][0], spent[name] / passes[name], shape[name][1]) for name in READERS}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=DEFAULT_FILES)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per library per file")
    args = parser.parse_args(argv)
    print(f"{'file':28} {'lib':9} {'records':>7} {'payload MB':>10} {'rec/s':>10} {'MB/s (gz)':>10} "
          f"{'MB/s (payload)':>14} {'fastwarc/warcio':>15}")
    for path in args.files:
        with open(path, "rb") as f:
            data = f.read()
        res = measure(data, args.seconds)
        ratio = res["warcio"][1] / res["fastwarc"][1]
        for name, (records, per_pass, payload) in res.items():
            print(f"{os.path.basename(path):28} {name:9} {records:7d} {payload / 1e6:10.3f} "
                  f"{records / per_pass:10.0f} {len(data) / 1e6 / per_pass:10.1f} "
                  f"{payload / 1e6 / per_pass:14.1f} {ratio if name == 'fastwarc' else 1.0:14.2f}x")
        if res["warcio"][0] != res["fastwarc"][0]:
            print(f"  note: record counts differ: warcio {res['warcio'][0]}, fastwarc {res['fastwarc'][0]}")


if __name__ == "__main__":
    main()
