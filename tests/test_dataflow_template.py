"""The Dataflow Flex Template in dataflow_templates/build/ agrees with the build it launches.

metadata.json declares exactly BuildOptions' options (less --config) with their help texts and
working regexes; the Dockerfile names the launcher that exists and the Beam and Python versions the
project runs on; the launcher turns template parameters into the build's flags. Nothing here
contacts Google Cloud.
"""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "dataflow_templates" / "build"
METADATA = json.loads((TEMPLATE / "metadata.json").read_text(encoding="utf-8"))
DOCKERFILE = (TEMPLATE / "Dockerfile").read_text(encoding="utf-8")
REQUIREMENTS = (TEMPLATE / "requirements.txt").read_text(encoding="utf-8")
LOCK = (REPO / "requirements" / "lock.txt").read_text(encoding="utf-8")


def _load(path: Path, name: str):
    """Import a file the way it is run (the launcher and the generator are scripts, not packages)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


launcher = _load(TEMPLATE / "launcher.py", "flex_launcher")
gen = _load(REPO / "scripts" / "gen_flex_metadata.py", "gen_flex_metadata")

ACTIONS = {a.dest: a for a in gen.option_actions()}
PARAMS = {p["name"]: p for p in METADATA["parameters"]}

# A value each regex must refuse: a local path where gs:// is required, words for numbers, a typo.
BAD_VALUES = {
    "input": "/data/crawl.warc.gz",
    "output_dir": "out/corpus",
    "overwrite": "yes please",
    "languages": "English",
    "min_lang_score": "1.5",
    "html_extractor": "readability",
    "url_dedup": "urls",
    "dedup_threshold": "high",
    "num_perm": "-128",
    "dedup_ngram": "0",
    "dedup_cc_rounds": "eight",
    "dedup_against": "/local/corpus",
    "vocab_size": "32k",
    "tokenizer_type": "wordpiece",
    "tokenizer": "tokenizer/spm.model",
    "shard_format": "parquet",
    "shard_bytes": "256MB",
    "keep_text": "1",
    "validation_fraction": "0,5",
    "skip": "dedup,tokenize",
    "reject_sample_rate": "-0.1",
}


def _template_value(value) -> str:
    """An option's default as a template parameter carries it."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def test_metadata_declares_every_build_option_but_config():
    assert list(PARAMS) == [d for d in ACTIONS if d != "config"]
    assert "config" in ACTIONS and "config" in gen.EXCLUDED


def test_metadata_is_what_the_generator_writes():
    assert (TEMPLATE / "metadata.json").read_text(encoding="utf-8") == gen.render()
    assert gen.main(["--check"]) == 0


def test_help_texts_are_the_options_help_texts():
    for name, param in PARAMS.items():
        assert param["helpText"] == ACTIONS[name].help + gen.TEMPLATE_NOTES.get(name, ""), name
        assert param["label"] and param["label"] != name


def test_only_input_and_output_dir_are_required():
    assert sorted(n for n, p in PARAMS.items() if not p["isOptional"]) == ["input", "output_dir"]
    assert all(ACTIONS[n].default is None for n, p in PARAMS.items() if not p["isOptional"])


def test_every_regex_accepts_the_default_and_rejects_a_bad_value():
    assert set(BAD_VALUES) == set(PARAMS)
    for name, param in PARAMS.items():
        assert param["regexes"], name
        for pattern in param["regexes"]:
            regex = re.compile(pattern)
            default = ACTIONS[name].default
            if default is not None:
                assert regex.fullmatch(_template_value(default)), (name, default)
            assert not regex.fullmatch(BAD_VALUES[name]), (name, BAD_VALUES[name])


@pytest.mark.parametrize(("name", "value"), [
    ("input", "gs://my-bucket/raw/*.warc.gz"),
    ("input", "gs://my-bucket/raw/*.warc.gz;gs://my-bucket/wiki/enwiki-*.xml.bz2"),
    ("input", "gs://b1/a.jsonl.gz, gs://b2/b.parquet"),
    ("output_dir", "gs://my-bucket/corpora/en-v1"),
    ("languages", "en,de,ceb"),
    ("skip", "dedup,pii"),
    ("min_lang_score", "0.5"),
    ("shard_format", "both"),
    ("tokenizer", "gs://my-bucket/tok/spm.model"),
])
def test_regexes_accept_real_values(name, value):
    assert all(re.fullmatch(p, value) for p in PARAMS[name]["regexes"])


def test_enumerations_follow_the_configs():
    from corpus.extract.html import METHODS
    from corpus.tokenizer.train import MODEL_TYPES
    from pipelines.options import SHARD_FORMATS
    for name, values in (("html_extractor", METHODS), ("tokenizer_type", MODEL_TYPES),
                         ("shard_format", SHARD_FORMATS)):
        (pattern,) = PARAMS[name]["regexes"]
        assert [v for v in values if re.fullmatch(pattern, v)] == list(values)


def test_generator_refuses_an_option_without_a_spec(monkeypatch):
    specs = dict(gen.SPECS)
    del specs["num_perm"]
    monkeypatch.setattr(gen, "SPECS", specs)
    with pytest.raises(ValueError, match=r"options without a spec \['num_perm'\], specs without an option \[\]"):
        gen.metadata()


def test_dockerfile_runs_the_launcher_that_exists():
    (py_file,) = re.findall(r"^ENV FLEX_TEMPLATE_PYTHON_PY_FILE=(\S+)$", DOCKERFILE, re.M)
    assert py_file.startswith("/template/")
    assert (REPO / py_file.removeprefix("/template/")).is_file()
    assert re.search(r"^WORKDIR /template$", DOCKERFILE, re.M)
    assert re.search(r"^COPY dataflow_templates dataflow_templates$", DOCKERFILE, re.M)


def _locked() -> dict[str, str]:
    """requirements/lock.txt as {normalised name: version}."""
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)$", LOCK, re.M)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in pins}


def _image_requirements() -> list[str]:
    return [re.split(r"[\[=<>~!; ]", line.strip())[0] for line in REQUIREMENTS.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile_beam_and_python_versions_are_the_projects():
    (beam_version,) = re.findall(r"^ARG BEAM_VERSION=(\S+)$", DOCKERFILE, re.M)
    assert beam_version == _locked()["apache-beam"]
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert re.search(rf"^FROM apache/beam_python{re.escape(py)}_sdk:\$\{{BEAM_VERSION\}}$", DOCKERFILE, re.M)
    launcher_base = f"gcr.io/dataflow-templates-base/python{py.replace('.', '')}-template-launcher-base"
    assert re.search(rf"^FROM {re.escape(launcher_base)}:\S+ AS template_launcher$", DOCKERFILE, re.M)


def test_image_installs_from_the_lock():
    """The image's packages are unpinned names resolved with the project's lock as constraints, and every
    one of them (with Beam's gcp extra) is in the lock: one resolution for the image and the .venv."""
    assert re.search(r"^COPY requirements/lock.txt requirements/lock.txt$", DOCKERFILE, re.M)
    assert re.search(r"pip install --no-cache-dir -c requirements/lock.txt -r dataflow_templates/build/requirements.txt",
                     DOCKERFILE)
    locked = _locked()
    names = _image_requirements()
    assert "apache-beam" in names
    assert all("==" not in line for line in REQUIREMENTS.splitlines() if not line.startswith("#"))
    assert [n for n in names if re.sub(r"[-_.]+", "-", n).lower() not in locked] == []
    for gcp_package in ("google-cloud-storage", "google-apitools"):  # apache-beam[gcp] is resolved in the lock
        assert gcp_package in locked


def test_the_installed_environment_is_the_lock():
    """The .venv the tests run in has the locked versions (the Makefile installs with the lock as constraints)."""
    from importlib.metadata import version

    locked = _locked()
    for name in ("apache-beam", "torch", "transformers", "numpy", "pyarrow", "sentencepiece"):
        assert version(name) == locked[name], name


def test_image_installs_no_torch():
    names = [n.lower() for n in _image_requirements()]
    assert "torch" not in names and "transformers" not in names
    assert re.search(r"pip install --no-cache-dir --no-deps \.", DOCKERFILE)


def test_split_inputs():
    assert launcher.split_inputs("gs://b/a*.warc.gz") == ["gs://b/a*.warc.gz"]
    assert launcher.split_inputs("gs://b/a;gs://b/c , gs://d/e") == ["gs://b/a", "gs://b/c", "gs://d/e"]
    for bad in ("", "gs://b/a;;gs://b/c", "gs://b/a,"):
        with pytest.raises(launcher.TemplateArgumentError, match="--input: empty value"):
            launcher.split_inputs(bad)


def test_expand_template_args():
    argv = ["--runner=DataflowRunner", "--input=gs://b/a.warc.gz;gs://b/w.xml.bz2", "--keep_text=true",
            "--overwrite=false", "--languages=en,de", "--project", "p", "--input", "gs://c/d.jsonl"]
    assert launcher.expand_template_args(argv) == [
        "--runner=DataflowRunner", "--input", "gs://b/a.warc.gz", "--input", "gs://b/w.xml.bz2", "--keep_text",
        "--languages=en,de", "--project", "p", "--input", "gs://c/d.jsonl"]
    assert launcher.boolean_options() == {"--overwrite", "--keep_text"}


@pytest.mark.parametrize(("argv", "message"), [
    (["--keep_text=maybe"], "--keep_text: expected true or false, got 'maybe'"),
    (["--overwrite=True"], "--overwrite: expected true or false, got 'True'"),
    (["--config=build.yaml"], "--config: not a template parameter"),
    (["--input"], "--input: no value"),
])
def test_expand_template_args_refuses(argv, message):
    with pytest.raises(launcher.TemplateArgumentError, match=re.escape(message)):
        launcher.expand_template_args(argv)


def test_launch_on_dataflow_requires_the_template_image(tmp_path):
    argv = ["--runner=DataflowRunner", f"--input={tmp_path}/a.jsonl", f"--output_dir={tmp_path}/out"]
    with pytest.raises(launcher.TemplateArgumentError, match="--sdk_container_image: required on Dataflow"):
        launcher.launch(argv)
    assert launcher.main(argv) == 2


def test_launch_refuses_a_finished_corpus(tmp_path):
    from corpus.shards.manifest import MANIFEST_NAME
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / MANIFEST_NAME).write_text("{}", encoding="utf-8")
    argv = [f"--input={tmp_path}/a.jsonl", f"--output_dir={tmp_path}/out"]
    with pytest.raises(FileExistsError, match="is a finished corpus"):
        launcher.launch(argv)
    assert launcher.main(argv) == 3


def test_launch_reports_bad_options_by_name(tmp_path):
    argv = [f"--input={tmp_path}/a.jsonl", f"--output_dir={tmp_path}/out", "--shard_format=parquet"]
    assert launcher.main(argv) == 2
    with pytest.raises(ValueError, match="--shard_format: must be one of"):
        launcher.launch(argv)


def test_launcher_help(capsys):
    assert launcher.main(["--help"]) == 0
    assert "Flex Template launcher" in capsys.readouterr().out


def test_dedup_against_is_repeatable_like_input():
    argv = ["--input=gs://b/a.warc.gz", "--dedup_against=gs://b/corpus-2026-10;gs://b/corpus-2026-09"]
    assert launcher.expand_template_args(argv) == [
        "--input", "gs://b/a.warc.gz", "--dedup_against", "gs://b/corpus-2026-10",
        "--dedup_against", "gs://b/corpus-2026-09"]
