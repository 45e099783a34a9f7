"""The build on Beam's DaskRunner over a dask.distributed LocalCluster (issue 12, docs/engines.md).

A file of its own so that `pytest -n` runs it beside the other build tests, not after them.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_build import INPUTS, _build, _manifest

from pipelines import build


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("direct") / "corpus"
    assert _build(out) == 0
    return out


@pytest.mark.timeout(600)
def test_dask_runner_gives_the_direct_runners_manifest(corpus_dir, tmp_path):
    """The build on a dask.distributed LocalCluster with 2 worker processes (docs/engines.md): the only
    engine besides the DirectRunner that runs here, so the proof that the build scales out."""
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster):
        out = tmp_path / "dask"
        code = build.run([*INPUTS, "--output_dir", str(out), "--vocab_size", "2000",
                          "--runner", "apache_beam.runners.dask.dask_runner.DaskRunner",
                          "--dask_client_address", cluster.scheduler_address])
    assert code == 0
    assert _manifest(out) == _manifest(corpus_dir)
    report = json.loads((out / "report" / "report.json").read_text())
    direct = json.loads((corpus_dir / "report" / "report.json").read_text())
    assert report["accounting"]["ok"] and report["documents"] == direct["documents"]
    names = ["dead_letters-00000-of-00001.jsonl", "dropped-00000-of-00001.jsonl"]
    assert sorted(p.name for p in (out / "rejected").glob("*.jsonl")) == names
    # writes a runner may replay are idempotent: the same bytes as the DirectRunner's, nothing left over
    for name in names:
        assert (out / "rejected" / name).read_bytes() == (corpus_dir / "rejected" / name).read_bytes()
    assert sorted(p.name for p in (out / "dedup").iterdir()) == sorted(p.name for p in (corpus_dir / "dedup").iterdir())
    assert not [p for p in out.rglob("*") if p.name.startswith("beam-temp-") or p.suffix == ".tmp"]
