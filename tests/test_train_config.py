"""`corpusforge train` options: flags and YAML give one validated config; errors name the flag."""
from __future__ import annotations

import re

import pytest

from training.config import ConfigError, TrainConfig, build_parser, parse_config

REQUIRED = ["--data", "corpus", "--model", "gpt2-tiny", "--output_dir", "out"]


def test_flags_and_defaults():
    cfg = parse_config(REQUIRED + ["--seq_len", "64", "--lr", "3e-4", "--max_steps", "10", "--compile",
                                   "--objective", "mlm+nsp", "--model", "bert-tiny", "--no-progress"])
    assert (cfg.data, cfg.model, cfg.output_dir) == ("corpus", "bert-tiny", "out")
    assert (cfg.seq_len, cfg.lr, cfg.max_steps, cfg.compile, cfg.objective, cfg.progress) == \
        (64, 3e-4, 10, True, "mlm+nsp", False)
    assert cfg.final_lr == pytest.approx(3e-5)
    assert cfg.batch_size == TrainConfig.batch_size and cfg.optimizer == "adamw"


def test_yaml_supplies_the_same_names_and_flags_win(tmp_path):
    path = tmp_path / "train.yaml"
    path.write_text("data: corpus\nmodel: gpt2-tiny\noutput_dir: out\nseq_len: 32\nbatch_size: 4\n"
                    "record_batches: true\nmin_lr: 0.0001\n", encoding="utf-8")
    cfg = parse_config(["--config", str(path), "--batch_size", "8"])
    assert (cfg.seq_len, cfg.batch_size, cfg.record_batches, cfg.min_lr) == (32, 8, True, 1e-4)


def test_yaml_unknown_key_is_named(tmp_path):
    path = tmp_path / "train.yaml"
    path.write_text("data: c\nlearning_rate: 0.1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown option\(s\) \['learning_rate'\]"):
        parse_config(["--config", str(path)])


@pytest.mark.parametrize("extra, message", [
    ([], None),
    (["--seq_len", "0"], "--seq_len: must be an integer >= 1, got 0"),
    (["--objective", "t5"], "--objective: must be one of clm, mlm, mlm\\+nsp; got 't5'"),
    (["--max_steps", "5", "--epochs", "2"], "--epochs: give at most one of"),
    (["--max_time", "-1"], "--max_time: must be a positive number"),
    (["--min_lr", "1", "--lr", "0.1"], "--min_lr: must be a number in \\[0, --lr=0.1\\]"),
    (["--optimizer", "lamb", "--parallelism", "fsdp"], "--optimizer: lamb needs whole-parameter norms"),
    (["--resume", "--overwrite"], "--overwrite: cannot be combined with --resume"),
    (["--whole_word_mask"], "--whole_word_mask: only applies to --objective mlm"),
    (["--precision", "fp8"], "--precision: must be one of auto, fp32, bf16, fp16"),
])
def test_validation_names_the_field(extra, message):
    if message is None:
        parse_config(REQUIRED + extra)
        return
    with pytest.raises(ConfigError, match=message):
        parse_config(REQUIRED + extra)


@pytest.mark.parametrize("missing", ["data", "model", "output_dir"])
def test_required_fields(missing):
    argv = [a for i, a in enumerate(REQUIRED) if REQUIRED[i - (i % 2)] != f"--{missing}"]
    with pytest.raises(ConfigError, match=f"--{missing}: is required"):
        parse_config(argv)


def test_every_field_has_a_flag():
    flags = {a.dest for a in build_parser()._actions}
    assert {f for f in TrainConfig.__dataclass_fields__} <= flags


def test_init_from_replaces_model():
    cfg = parse_config(["--data", "corpus", "--init_from", "run/final", "--output_dir", "out"])
    assert (cfg.init_from, cfg.model) == ("run/final", None)
    with pytest.raises(ConfigError, match=r"--model: leave it out with --init_from: the architecture is "
                                          r"run/final/config.json"):
        parse_config(REQUIRED + ["--init_from", "run/final"])
    with pytest.raises(ConfigError, match=r"--model: is required \(a preset or a config.json\), unless --init_from"):
        parse_config(["--data", "corpus", "--output_dir", "out"])


def test_init_from_on_the_command_line_wins_over_a_yaml_model(tmp_path):
    path = tmp_path / "train.yaml"
    path.write_text("data: corpus\nmodel: gpt2-tiny\noutput_dir: out\n")
    cfg = parse_config(["--config", str(path), "--init_from", "run/final"])
    assert (cfg.model, cfg.init_from) == (None, "run/final")
    path.write_text("data: corpus\ninit_from: run/final\noutput_dir: out\n")
    assert parse_config(["--config", str(path), "--model", "bert-tiny"]).init_from is None


def test_resume_changes_lists_changed_options_and_refuses_another_model_or_stream():
    from training.config import resume_changes

    saved = parse_config(REQUIRED).to_dict()
    later = parse_config(REQUIRED + ["--data", "moved", "--lr", "1e-3", "--max_steps", "9", "--resume",
                                     "--no-progress"])
    assert resume_changes(saved, later, "ckpt/state.json") == [
        "data: 'corpus' -> 'moved'", "max_steps: None -> 9", "lr: 0.002 -> 0.001"]  # in the dataclass's order
    assert resume_changes({}, later, "ckpt/state.json") == []  # a checkpoint without its options
    for flags, message in ((["--model", "bert-tiny", "--objective", "mlm"], "--model: 'bert-tiny', but the run "
                            "being resumed was started with 'gpt2-tiny' (ckpt/state.json)"),
                           (["--objective", "mlm"], "--objective: 'mlm', but the run being resumed was started "
                            "with 'clm'"),
                           (["--seq_len", "64"], "--seq_len: 64, but"), (["--seed", "1"], "--seed: 1, but")):
        with pytest.raises(ConfigError, match=re.escape(message)):
            resume_changes(saved, parse_config(REQUIRED + flags + ["--resume"]), "ckpt/state.json")
