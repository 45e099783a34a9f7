"""Parameter groups, LAMB against the paper's formula, and the warmup + cosine schedule."""
from __future__ import annotations

import math

import pytest
import torch

from training.optim import Lamb, lr_at, param_groups


def test_no_decay_on_biases_and_norms():
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.LayerNorm(3), torch.nn.Embedding(5, 3))
    decay, no_decay = param_groups(model, 0.1)
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert {p.shape for p in decay["params"]} == {torch.Size([3, 4]), torch.Size([5, 3])}
    assert sorted(p.shape for p in no_decay["params"]) == [torch.Size([3])] * 3


def test_tied_weights_appear_once():
    emb = torch.nn.Embedding(5, 3)
    head = torch.nn.Linear(3, 5, bias=False)
    head.weight = emb.weight
    groups = param_groups(torch.nn.ModuleList([emb, head]), 0.1)
    assert sum(len(g["params"]) for g in groups) == 1


def test_lamb_step_matches_the_formula():
    torch.manual_seed(0)
    w0 = torch.randn(4, 3)
    g = torch.randn(4, 3)
    p = torch.nn.Parameter(w0.clone())
    opt = Lamb([p], lr=0.1, betas=(0.9, 0.99), eps=1e-6, weight_decay=0.01)
    p.grad = g.clone()
    opt.step()
    m, v = 0.1 * g, 0.01 * g * g
    update = (m / 0.1) / ((v / 0.01).sqrt() + 1e-6) + 0.01 * w0
    expected = w0 - 0.1 * (w0.norm() / update.norm()) * update
    torch.testing.assert_close(p.detach(), expected, rtol=1e-6, atol=1e-7)


def test_lamb_trains_a_regression():
    torch.manual_seed(0)
    x = torch.randn(64, 8)
    y = x @ torch.randn(8, 1)
    model = torch.nn.Linear(8, 1)
    opt = Lamb(model.parameters(), lr=0.05)
    first = None
    for _ in range(200):
        loss = torch.nn.functional.mse_loss(model(x), y)
        first = first if first is not None else loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < first / 50


def test_schedule():
    kw = {"lr": 1.0, "min_lr": 0.1, "warmup_steps": 4}
    assert [lr_at(s, 0.0, **kw) for s in range(4)] == [0.25, 0.5, 0.75, 1.0]
    assert lr_at(10, 0.5, **kw) == pytest.approx(0.55)
    assert lr_at(10, 1.0, **kw) == pytest.approx(0.1)
    assert lr_at(10, 1.7, **kw) == pytest.approx(0.1)  # a wall-clock run's last step past its budget
    assert lr_at(0, 0.0, lr=1.0, min_lr=0.0, warmup_steps=0) == 1.0
    values = [lr_at(s, s / 100, **kw) for s in range(4, 101)]
    assert all(a >= b for a, b in zip(values, values[1:]))
    assert lr_at(50, 0.25, **kw) == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi / 4)))
