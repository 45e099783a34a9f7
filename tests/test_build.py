"""`corpusforge build` end to end on the sample corpus (issue 9), and its options."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import sample
from corpus.shards.reader import open_corpus
from pipelines import build
from pipelines.options import BuildOptions, build_config, expand_config_file

INPUTS = [arg for path in sample.INPUTS for arg in ("--input", str(path))]
# In-process runner: the same transforms, less start-up time per test.
FAST = ["--direct_running_mode", "in_memory", "--direct_num_workers", "1"]


def _build(out: Path, *extra: str) -> int:
    return build.run([*INPUTS, "--output_dir", str(out), "--vocab_size", "2000", *FAST, *extra])


def _manifest(out: Path) -> dict:
    m = json.loads((out / "manifest.json").read_text())
    m.pop("created")
    return m


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "corpus"
    assert _build(out) == 0
    return out


def test_accounting_holds_and_every_stage_is_reported(corpus_dir):
    report = json.loads((corpus_dir / "report" / "report.json").read_text())
    docs = report["documents"]
    assert docs["input"] == docs["kept"] + sum(docs["dropped"].values()) + docs["dead_letters"]
    assert report["accounting"]["ok"] is True
    planted = sample.cases()
    assert docs["input"] == len(planted)
    assert docs["dead_letters"] == sum(c["expect"] == "dead_letter" for c in planted)
    assert [s["name"] for s in report["stages"]] == ["read", "extract", "clean", "language", "quality", "dedup",
                                                      "tokenize"]
    for before, after in zip(report["stages"], report["stages"][1:]):
        assert before["out"] == after["in"]
    assert set(report["languages"]) == {"en", "de", "fr", "es", "ru", "zh", "ja"}
    assert report["dedup"]["near_removed"] > 0 and report["dedup"]["exact_removed"] > 0
    assert (corpus_dir / "report" / "index.html").read_text().count("<svg") >= 6


def test_corpus_directory_opens_and_verifies(corpus_dir):
    corpus = open_corpus(corpus_dir, verify=True)
    manifest = json.loads((corpus_dir / "manifest.json").read_text())
    docs = list(corpus.iter_documents("train"))
    assert len(docs) == manifest["splits"]["train"]["num_documents"]
    assert all(int(d.tokens[-1]) == manifest["tokenizer"]["special_tokens"]["eos"] for d in docs)
    assert all(not Path(s["path"]).is_absolute() for split in manifest["splits"].values() for s in split["shards"])
    assert sorted(p.name for p in (corpus_dir / "rejected").iterdir()) == [
        "dead_letters-00000-of-00001.jsonl", "dropped-00000-of-00001.jsonl"]
    dead = [json.loads(line) for line in (corpus_dir / "rejected" / "dead_letters-00000-of-00001.jsonl")
            .read_text().splitlines()]
    assert {d["source"] for d in dead} == {"warc", "jsonl"}


def test_tokenizer_directory_loads_with_autotokenizer(corpus_dir):
    import sentencepiece as spm
    from transformers import AutoTokenizer

    hf = AutoTokenizer.from_pretrained(str(corpus_dir / "tokenizer"))
    sp = spm.SentencePieceProcessor(model_file=str(corpus_dir / "tokenizer" / "spm.model"))
    for text in ["The council approved a new footbridge.", "Die Bäckerei am Marktplatz.",
                 "東京は日本の首都です。", "two  spaces\nand a newline"]:
        assert hf(text, add_special_tokens=False)["input_ids"] == sp.encode(text)


def test_rerun_refuses_and_overwrite_rebuilds_the_same_manifest(corpus_dir, capsys):
    before = _manifest(corpus_dir)
    assert _build(corpus_dir) == build.EXIT_EXISTS
    assert "finished corpus" in capsys.readouterr().err
    assert _build(corpus_dir, "--overwrite") == 0
    assert _manifest(corpus_dir) == before


def test_a_crashed_build_leaves_no_manifest(tmp_path, monkeypatch):
    from pipelines import report

    def boom(*args, **kwargs):
        raise RuntimeError("simulated crash while writing the report")

    monkeypatch.setattr(report.WriteReport, "_build", boom)
    with pytest.raises(Exception, match="simulated crash"):
        _build(tmp_path / "out")
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_config_file_gives_the_same_options_and_flags_win(tmp_path):
    cfg = tmp_path / "build.yaml"
    cfg.write_text("input: [a.warc.gz, b.jsonl]\noutput_dir: out\nlanguages: en,de\nkeep_text: true\n"
                   "dedup_threshold: 0.7\n")
    argv = expand_config_file(["--config", str(cfg), "--dedup_threshold", "0.9"])
    from apache_beam.options.pipeline_options import PipelineOptions

    c = build_config(PipelineOptions(argv).view_as(BuildOptions))
    assert c.inputs == ("a.warc.gz", "b.jsonl") and c.output_dir == "out" and c.keep_text
    assert c.curate.lang.languages == ("en", "de")
    assert c.curate.dedup.threshold == 0.9


@pytest.mark.parametrize("argv,message", [
    (["--output_dir", "x"], "--input"),
    (["--input", "a.jsonl"], "--output_dir"),
    (["--input", "a.jsonl", "--output_dir", "x", "--skip", "tokenize"], "--skip"),
    (["--input", "a.jsonl", "--output_dir", "x", "--shard_format", "parquet"], "--shard_format"),
    (["--input", "a.jsonl", "--output_dir", "x", "--dedup_threshold", "1.5"], "threshold"),
])
def test_bad_options_are_refused_naming_the_option(argv, message, capsys):
    assert build.run(argv) == build.EXIT_USAGE
    assert message in capsys.readouterr().err


def test_skip_switches_stages_off(tmp_path):
    out = tmp_path / "c"
    assert _build(out, "--skip", "dedup,quality", "--shard_format", "both", "--keep_text") == 0
    report = json.loads((out / "report" / "report.json").read_text())
    assert not any(r.startswith(("dedup:", "gopher", "c4:", "fineweb:")) for r in report["documents"]["dropped"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert {s["format"] for s in manifest["splits"]["train"]["shards"]} == {"arrow", "webdataset"}


def test_a_later_build_dedups_against_an_earlier_corpus(corpus_dir, tmp_path):
    """A new crawl deduplicated against an earlier corpus: what it already holds is dropped."""
    from test_pipelines_filter import ARTICLE_DE, ARTICLE_EN

    assert list((corpus_dir / "dedup").glob("signatures*.jsonl"))
    earlier = []
    for line in sample.JSONL.read_text().splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue  # the sample's planted invalid line
        if isinstance(row.get("text"), str) and row["text"]:
            earlier.append(row)
    kept_before = {r.id for s in ("train", "validation") for r in open_corpus(corpus_dir).iter_documents(s)}
    octopus = next(r["text"] for r in earlier if "octopus" in r.get("text", "").lower())
    new = tmp_path / "new.jsonl"
    rows = [{"id": "new-en", "text": ARTICLE_EN}, {"id": "new-de", "text": ARTICLE_DE},
            # an earlier article republished with one word changed
            {"id": "new-copy", "text": octopus.replace("octopus", "octopuses", 1)}]
    new.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "later"
    code = build.run(["--input", str(sample.JSONL), "--input", str(new), "--output_dir", str(out),
                      "--vocab_size", "400", "--dedup_against", str(corpus_dir), *FAST])
    assert code == 0
    report = json.loads((out / "report" / "report.json").read_text())
    previous = report["documents"]["dropped"]["dedup:previous"]
    kept = {r.id for s in ("train", "validation") for r in open_corpus(out).iter_documents(s)}
    from corpus.document import make_doc_id

    assert kept == {make_doc_id("jsonl", f"{new}#new-en"), make_doc_id("jsonl", f"{new}#new-de")}
    # every JSONL document the earlier build kept, and the edited copy, are dropped as dedup:previous
    earlier_kept = {make_doc_id("jsonl", f"{sample.JSONL}#{r['id']}") for r in earlier} & kept_before
    assert previous == len(earlier_kept) + 1
    assert report["accounting"]["ok"]


def test_dedup_against_refuses_incompatible_or_missing_corpora(corpus_dir, tmp_path, capsys):
    assert build.run([*INPUTS, "--output_dir", str(tmp_path / "x"), "--dedup_against", str(tmp_path),
                      *FAST]) == build.EXIT_USAGE
    assert "no manifest.json" in capsys.readouterr().err
    assert build.run([*INPUTS, "--output_dir", str(tmp_path / "y"), "--num_perm", "64",
                      "--dedup_against", str(corpus_dir), *FAST]) == build.EXIT_USAGE
    assert "num_perm 128 != 64" in capsys.readouterr().err
