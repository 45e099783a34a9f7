"""Running `corpusforge train` from tests: in this process, as a subprocess, under torchrun."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import torch

from training.pretrain import main

TESTS = Path(__file__).parent
REPO = TESTS.parent
TORCHRUN = Path(sys.executable).parent / "torchrun"
KILLER = TESTS / "train_kill.py"
# A 2-layer, 32-wide GPT-2: a step takes milliseconds, so the multi-process tests are quick.
MICRO_GPT2 = {"model_type": "gpt2", "n_embd": 32, "n_layer": 2, "n_head": 2, "n_positions": 64,
              "resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0}


def micro_config(tmp: Path) -> str:
    path = tmp / "micro-gpt2.json"
    path.write_text(json.dumps(MICRO_GPT2), encoding="utf-8")
    return str(path)


def run_inline(args: list[str]) -> None:
    """`corpusforge train ARGS` in this process, one thread, deterministic kernels."""
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    assert main(args + ["--no-progress"]) == 0


def _env(extra: dict | None = None) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    env.update(extra or {})
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_processes(args: list[str], *, nproc: int = 1, kill_after: int | None = None,
                  timeout: float = 120) -> subprocess.CompletedProcess:
    """Train in fresh processes (torchrun when ``nproc`` > 1); ``kill_after``: SIGKILL after that step."""
    target = [str(KILLER)] if kill_after is not None else ["-m", "training.pretrain"]
    if nproc > 1:
        cmd = [str(TORCHRUN), f"--nproc_per_node={nproc}", "--nnodes=1", "--master_addr=127.0.0.1",
               f"--master_port={free_port()}", *target]
    else:
        cmd = [sys.executable, *target]
    env = _env({"KILL_AFTER_STEP": str(kill_after)} if kill_after is not None else None)
    proc = subprocess.run(cmd + args + ["--no-progress"], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)
    if kill_after is None and proc.returncode != 0:
        raise AssertionError(f"training failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    return proc


def rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "metrics.jsonl").read_text(encoding="utf-8").splitlines()]


def losses(out: Path) -> dict[int, float]:
    return {r["step"]: r["loss"] for r in rows(out) if "loss" in r}


def final_eval(out: Path) -> dict:
    return [r for r in rows(out) if "val_loss" in r][-1]
