"""`corpusforge build` with the inputs every user has: overlapping ids, shared urls, nothing kept,
existing tokenizers of any size, reruns over crashed builds, typos in the command (issue 12)."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corpus import sample
from corpus.shards.reader import open_corpus
from pipelines import build

FAST = ["--direct_running_mode", "in_memory", "--direct_num_workers", "1"]


def _run(out: Path, inputs, *extra: str) -> int:
    args = [a for path in inputs for a in ("--input", str(path))]
    return build.run([*args, "--output_dir", str(out), "--vocab_size", "400", *FAST, *extra])


def _report(out: Path) -> dict:
    return json.loads((out / "report" / "report.json").read_text())


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def _kept_ids(out: Path) -> set[str]:
    corpus = open_corpus(out)
    return {r.id for split in ("train", "validation") for r in corpus.iter_documents(split)}


def test_overlapping_ids_shared_urls_and_a_record_read_twice(tmp_path):
    """Two forum exports numbered from 1 whose rows share a url: 7 different documents, all kept. The
    Wikipedia dump read again from a copy: the same records (ids scoped by the wiki's database), each
    dropped once as dedup:duplicate_id, never silently."""
    copy = tmp_path / "copy-of-wiki.xml.bz2"
    shutil.copyfile(sample.WIKI_DUMP, copy)
    out = tmp_path / "c"
    assert _run(out, [*sample.THREADS, sample.WIKI_DUMP, copy], "--languages", "en") == 0
    report = _report(out)
    assert report["accounting"]["ok"]
    wiki_kept = report["documents"]["kept"] - 7
    assert wiki_kept > 0
    assert report["documents"]["dropped"]["dedup:duplicate_id"] == wiki_kept
    assert "dedup:url" not in report["documents"]["dropped"]
    thread_rows = [json.loads(line) for path in sample.THREADS for line in path.read_text().splitlines()]
    assert len(thread_rows) == 7 and len({r["id"] for r in thread_rows}) == 4  # ids 1-4 and 1-3
    from corpus.document import make_doc_id

    expected = {make_doc_id("jsonl", f"{path}#{r['id']}") for path in sample.THREADS
                for r in map(json.loads, path.read_text().splitlines())}
    assert expected <= _kept_ids(out)


def test_url_dedup_all_drops_rows_that_share_a_url(tmp_path):
    out = tmp_path / "c"
    assert _run(out, sample.THREADS, "--url_dedup", "all") == 0
    assert _report(out)["documents"]["dropped"] == {"dedup:url": 5}  # 4 + 3 rows, one kept per url


def test_a_build_where_nothing_survives_writes_its_report_and_an_empty_corpus(tmp_path, capsys):
    spam = tmp_path / "spam.jsonl"
    spam.write_text("".join(json.dumps({"id": i, "text": f"BUY NOW cheap pills {i} click here"}) + "\n"
                            for i in range(6)))
    out = tmp_path / "c"
    assert _run(out, [spam]) == build.EXIT_EMPTY
    last = capsys.readouterr().err.strip().splitlines()[-1]  # after the progress lines of local runs
    assert last.startswith("corpusforge build: no document survived: 6 read") and "lines:empty (6)" in last
    report = _report(out)
    # C4's line rules remove every line (none ends in punctuation): nothing is left of any document
    assert report["documents"]["kept"] == 0 and report["documents"]["dropped"] == {"lines:empty": 6}
    assert (out / "report" / "index.html").is_file()
    assert (out / "rejected" / "dropped-00000-of-00001.jsonl").is_file()
    manifest = _manifest(out)
    assert manifest["empty"] is True and manifest["tokenizer"] is None and manifest["totals"]["num_documents"] == 0
    assert manifest["dedup_index"] == {"parameters": manifest["build"]["dedup"], "num_records": 0, "files": []}
    assert not (out / "tokenizer").exists()  # nothing to train a tokenizer on
    assert open_corpus(out).manifest.is_empty


def test_the_dedup_index_belongs_to_the_corpus(tmp_path, capsys):
    """Listed in the manifest with sha256; an earlier build's index files go on --overwrite; a tampered
    index is refused by --dedup_against, naming the file."""
    out = tmp_path / "c"
    assert _run(out, sample.THREADS) == 0
    manifest = _manifest(out)
    files = manifest["dedup_index"]["files"]
    assert [f["path"] for f in files] == ["dedup/signatures-00000-of-00001.jsonl"]
    assert files[0]["num_records"] == manifest["dedup_index"]["num_records"] == 7
    import hashlib

    index = out / files[0]["path"]
    assert hashlib.sha256(index.read_bytes()).hexdigest() == files[0]["sha256"]
    # An earlier build with another number of files left these; the rebuild removes them.
    stale = out / "dedup" / "signatures-00003-of-00007.jsonl"
    stale.write_text(index.read_text())
    assert _run(out, sample.THREADS, "--overwrite") == 0
    assert sorted(p.name for p in (out / "dedup").iterdir()) == ["signatures-00000-of-00001.jsonl"]
    # A build with dedup off lists no index and keeps none.
    off = tmp_path / "off"
    shutil.copytree(out, off)
    assert _run(off, sample.THREADS, "--overwrite", "--skip", "dedup") == 0
    assert _manifest(off)["dedup_index"] is None and list((off / "dedup").iterdir()) == []
    capsys.readouterr()
    assert _run(tmp_path / "later", sample.THREADS, "--dedup_against", str(off)) == build.EXIT_USAGE
    assert "built with dedup off" in capsys.readouterr().err
    # Tampering with the index: same size, other bytes.
    data = bytearray(index.read_bytes())
    data[10] = ord("X") if data[10] != ord("X") else ord("Y")
    index.write_bytes(bytes(data))
    with pytest.raises(Exception, match="signatures-00000-of-00001.jsonl has sha256"):
        _run(tmp_path / "later2", sample.THREADS, "--dedup_against", str(out))
    index.write_text("")
    assert _run(tmp_path / "later3", sample.THREADS, "--dedup_against", str(out)) == build.EXIT_USAGE
    assert "signatures-00000-of-00001.jsonl has 0 bytes, the manifest says" in capsys.readouterr().err


def _sentencepiece_model(path: Path, extra_pieces: int) -> Path:
    """A BPE model with the project's special tokens and ``extra_pieces`` user-defined symbols placed
    before the ordinary pieces, so that text encodes to ids above them."""
    import sentencepiece as spm

    from corpus.tokenizer.train import CONTROL_SYMBOLS

    lines = [line for p in sample.THREADS for r in map(json.loads, p.read_text().splitlines())
             for line in r["text"].split(". ")]
    writer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines * 3), model_writer=writer, model_type="bpe", vocab_size=extra_pieces + 300,
        hard_vocab_limit=False, pad_id=0, unk_id=1, bos_id=2, eos_id=3, control_symbols=list(CONTROL_SYMBOLS),
        user_defined_symbols=[f"qz{i:05d}" for i in range(extra_pieces)], normalization_rule_name="identity",
        remove_extra_whitespaces=False, minloglevel=2)
    path.write_bytes(writer.getvalue())
    return path


@pytest.mark.timeout(600)
@pytest.mark.parametrize("extra_pieces,vocab_flag,dtype", [(70_000, "32000", "uint32"), (0, "100000", "uint16")])
def test_an_existing_tokenizer_decides_the_token_dtype(tmp_path, extra_pieces, vocab_flag, dtype):
    """The dtype comes from the tokenizer actually used, whatever --vocab_size says."""
    model = _sentencepiece_model(tmp_path / "spm.model", extra_pieces)
    out = tmp_path / "c"
    args = [a for path in sample.THREADS for a in ("--input", str(path))]
    assert build.run([*args, "--output_dir", str(out), "--tokenizer", str(model), "--tokenizer_type", "bpe",
                      "--vocab_size", vocab_flag, *FAST]) == 0
    manifest = _manifest(out)
    assert manifest["build"]["shards"]["token_dtype"] == dtype
    corpus = open_corpus(out, verify=True)
    records = [r for split in ("train", "validation") for r in corpus.iter_documents(split)]
    assert len(records) == 7 and {r.tokens.dtype for r in records} == {np.dtype(dtype)}
    assert manifest["tokenizer"]["vocab_size"] > 70_000 if extra_pieces else manifest["tokenizer"]["vocab_size"] < 400
    top = max(int(r.tokens.max()) for r in records)
    assert (top > 65_535) == (dtype == "uint32")


def test_a_rerun_over_a_crashed_build_removes_its_temporary_files(tmp_path, capsys):
    out = tmp_path / "c"
    leftovers = [out / "train" / ".part-00000.arrow.tmp", out / "report" / "report.json.tmp",
                 out / "dedup" / ".signatures-00000-of-00001.jsonl.0a1b.tmp",
                 out / "rejected" / "beam-temp-dropped-0123" / "x.jsonl"]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half written")
    assert _run(out, sample.THREADS) == 0
    assert "removed 4 temporary file(s) of an earlier, unfinished build" in capsys.readouterr().out
    assert not any(p.exists() for p in leftovers) and not (out / "rejected" / "beam-temp-dropped-0123").exists()
    assert sorted(p.name for p in (out / "rejected").iterdir()) == ["dead_letters-00000-of-00001.jsonl",
                                                                   "dropped-00000-of-00001.jsonl"]


@pytest.mark.parametrize("argv,message", [
    (["--input", "/nowhere/*.warc.gz", "--output_dir", "x"], "no input file matches '/nowhere/*.warc.gz'"),
    (["--config", "/nowhere/build.yaml"], "--config /nowhere/build.yaml: cannot be read"),
    (["--input", str(sample.JSONL), "--output_dir", "x", "--url_dedup", "sometimes"], "--url_dedup"),
])
def test_usage_errors_are_one_line_and_exit_2(argv, message, capsys):
    assert build.run(argv) == build.EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_a_config_file_that_is_not_yaml_is_a_usage_error(tmp_path, capsys):
    cfg = tmp_path / "build.yaml"
    cfg.write_text("input: [a.jsonl\noutput_dir: out\n")
    assert build.run(["--config", str(cfg)]) == build.EXIT_USAGE
    assert f"--config {cfg}: not valid YAML" in capsys.readouterr().err


def test_a_bad_existing_tokenizer_is_refused_before_any_work(tmp_path, capsys):
    bad = tmp_path / "spm.model"
    bad.write_bytes(b"not a model")
    assert build.run(["--input", str(sample.JSONL), "--output_dir", str(tmp_path / "o"),
                      "--tokenizer", str(bad)]) == build.EXIT_USAGE
    assert f"--tokenizer {bad}: not a sentencepiece model" in capsys.readouterr().err


def test_importing_the_build_prints_nothing():
    """Beam's import-time warnings ("apitools not found ...") mean nothing to a user."""
    proc = subprocess.run([sys.executable, "-c", "import pipelines.build, corpusforge.cli"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr == "" and proc.stdout == ""
