"""Checkpoints: exact round trip of model, optimizer and RNG; no pickle; only complete ones count."""
from __future__ import annotations

import random

import numpy as np
import pytest
import torch
from transformers import GPT2Config, GPT2LMHeadModel

from training.checkpoint import (
    MODEL_FILE,
    Checkpoint,
    CheckpointError,
    TrainState,
    latest_checkpoint,
    list_checkpoints,
    load_checkpoint,
    save_checkpoint,
)
from training.distributed import Dist

ONE = Dist(rank=0, world_size=1, local_rank=0, device=torch.device("cpu"))


def tiny(seed=0):
    torch.manual_seed(seed)
    config = GPT2Config(vocab_size=50, n_positions=16, n_embd=16, n_layer=1, n_head=2, bos_token_id=2,
                        eos_token_id=3)
    model = GPT2LMHeadModel(config)
    return model, torch.optim.AdamW(model.parameters(), lr=1e-2, foreach=True)


def train_step(model, opt, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(0, 50, (2, 16), generator=g)
    model(input_ids=x, labels=x).loss.backward()
    opt.step()
    opt.zero_grad()


def test_round_trip_is_exact(tmp_path):
    model, opt = tiny()
    for s in range(3):
        train_step(model, opt, s)
    random.seed(5)
    np.random.seed(6)
    torch.manual_seed(7)
    path = save_checkpoint(tmp_path, model, opt, TrainState(step=3, tokens=96, elapsed=1.5,
                                                            data_position={"epoch": 0, "cursor": 6}), ONE, keep=2)
    expected_rng = (random.random(), np.random.rand(), torch.rand(1))
    train_step(model, opt, 3)
    after = {k: v.clone() for k, v in model.state_dict().items()}

    model2, opt2 = tiny(seed=1)
    state = load_checkpoint(Checkpoint(path, 3), model2, opt2, ONE, seed=0)
    assert (state.step, state.tokens, state.elapsed, state.data_position) == (3, 96, 1.5, {"epoch": 0, "cursor": 6})
    assert (random.random(), np.random.rand(), torch.rand(1)) == expected_rng
    # Tied embeddings stay tied after loading.
    assert model2.lm_head.weight.data_ptr() == model2.transformer.wte.weight.data_ptr()
    train_step(model2, opt2, 3)
    for k, v in model2.state_dict().items():
        assert torch.equal(v, after[k]), k


def test_keep_last_and_incomplete_are_ignored(tmp_path):
    model, opt = tiny()
    for step in (2, 4, 6):
        save_checkpoint(tmp_path, model, opt, TrainState(step=step), ONE, keep=2)
    assert [c.step for c in list_checkpoints(tmp_path)] == [4, 6]
    # A crash while writing leaves a temporary directory, or a step directory without state.json.
    (tmp_path / ".tmp-step-8").mkdir()
    (tmp_path / "step-10").mkdir()
    assert latest_checkpoint(tmp_path).step == 6


def test_pickle_payload_is_refused(tmp_path):
    model, opt = tiny()
    path = save_checkpoint(tmp_path, model, opt, TrainState(step=1), ONE, keep=1)
    torch.save(model.state_dict(), path / MODEL_FILE)  # a pickle under the safetensors name
    with pytest.raises(CheckpointError, match=r"step-1/model.safetensors is not a safetensors file"):
        load_checkpoint(Checkpoint(path, 1), *tiny(), ONE, seed=0)


def test_unexpected_file_is_refused(tmp_path):
    model, opt = tiny()
    path = save_checkpoint(tmp_path, model, opt, TrainState(step=1), ONE, keep=1)
    torch.save({"x": 1}, path / "extra.pt")
    with pytest.raises(CheckpointError, match="unexpected file 'extra.pt'"):
        load_checkpoint(Checkpoint(path, 1), *tiny(), ONE, seed=0)
