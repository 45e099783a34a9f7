"""Small pure parts of the loop: the budget and its progress, MFU arithmetic, metrics truncation, the
output-directory rules, and the model card."""
from __future__ import annotations

import json

import pytest

from training.checkpoint import TrainState
from training.config import TrainConfig
from training.data import DataPosition
from training.handoff import model_card
from training.metrics import flops_per_token, gpu_peak_flops, mfu, truncate_rows
from training.outdir import OutputDirError, check_output_dir
from training.pretrain import Budget

BASE = {"data": "c", "model": "gpt2-tiny", "output_dir": "o"}


def test_budget_progress_and_stop():
    steps = Budget(TrainConfig(**BASE, max_steps=10), examples_per_epoch=100)
    assert steps.progress(TrainState(step=5), None) == 0.5
    assert not steps.spent(TrainState(step=9), None) and steps.spent(TrainState(step=10), None)

    tokens = Budget(TrainConfig(**BASE, max_tokens=1000), examples_per_epoch=100)
    assert tokens.progress(TrainState(tokens=250), None) == 0.25 and tokens.spent(TrainState(tokens=1000), None)

    epochs = Budget(TrainConfig(**BASE, epochs=2), examples_per_epoch=100)
    assert epochs.progress(TrainState(), DataPosition(epoch=1, cursor=50)) == 0.75
    assert not epochs.spent(TrainState(), DataPosition(epoch=1, cursor=99))
    assert epochs.spent(TrainState(), DataPosition(epoch=2, cursor=0))

    # A time budget with a step budget: the schedule follows whichever is further along.
    both = Budget(TrainConfig(**BASE, max_steps=100, max_time=60.0), examples_per_epoch=100)
    assert both.progress(TrainState(step=10, elapsed=30.0), None) == 0.5
    assert both.spent(TrainState(step=10, elapsed=60.5), None)


def test_mfu_arithmetic():
    # GPT-2 124M at seq 1024: 6N + 12 L H T per token.
    assert flops_per_token(124_000_000, 12, 768, 1024) == 6 * 124e6 + 12 * 12 * 768 * 1024
    assert gpu_peak_flops("NVIDIA H100 80GB HBM3") == 989.4e12
    assert gpu_peak_flops("NVIDIA H100 PCIe") == 756.0e12
    assert gpu_peak_flops("NVIDIA A100-SXM4-80GB") == 312.0e12
    assert gpu_peak_flops("Tesla T4") is None and mfu(1e5, 1e9, None) is None
    assert mfu(4.0e5, 1.0e9, 8.0e14) == 0.5


def test_truncate_rows(tmp_path):
    path = tmp_path / "metrics.jsonl"
    path.write_text("".join(json.dumps({"step": s, "loss": 1.0}) + "\n" for s in (1, 2, 3, 4)))
    truncate_rows(path, 2)
    assert [json.loads(line)["step"] for line in path.read_text().splitlines()] == [1, 2]


def test_output_dir_rules(tmp_path):
    check_output_dir(tmp_path / "new", resume=False, overwrite=False)
    (tmp_path / "run" / "checkpoints").mkdir(parents=True)
    with pytest.raises(OutputDirError, match="holds an unfinished run .it has no checkpoint yet"):
        check_output_dir(tmp_path / "run", resume=False, overwrite=False)
    check_output_dir(tmp_path / "run", resume=True, overwrite=False)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputDirError, match="exists and is not a directory"):
        check_output_dir(tmp_path / "file", resume=True, overwrite=False)


def test_model_card_names_what_it_is():
    card = model_card({"model": "gpt2-tiny", "objective": "clm", "architecture": "GPT2LMHeadModel",
                       "parameters": 1234567, "data": "corpus", "manifest_sha256": "ab" * 32, "vocab_size": 4096,
                       "step": 100, "tokens": 204800, "seq_len": 128, "global_batch": 16, "world_size": 1,
                       "device": "cpu", "metrics": {"val_loss": 4.5, "val_bpb": 1.9}, "auto_class":
                       "AutoModelForCausalLM", "config": {"n_layer": 4}, "train_config": {"lr": 0.002}})
    assert f"`{'ab' * 32}`" in card and "| optimizer steps | 100 |" in card and "| training tokens | 204,800 |" in card
    assert "| val_bpb | 1.9000 |" in card and "AutoModelForCausalLM.from_pretrained" in card
    assert '"n_layer": 4' in card
