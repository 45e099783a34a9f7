"""Checkpoints: tensors in safetensors, everything else in JSON; never a pickle.

``OUT/checkpoints/step-N/`` holds

* ``model.safetensors`` — the full (unsharded) model state, keyed by parameter name;
* ``optimizer.safetensors`` — the optimizer's per-parameter state (``state/<name>/<key>``);
* ``rng-rank-R.json`` — each rank's Python, NumPy, torch and CUDA generator states;
* ``state.json`` — step, tokens seen, the data position, the optimizer's hyper-parameters, the
  gradient scaler, the elapsed training time, the world size; written last.

Model and optimizer are gathered as *full* state dicts (``torch.distributed.checkpoint.state_dict``
with ``full_state_dict=True``), so one format serves one process, DDP and FSDP, and a checkpoint
taken on W ranks loads on W′ ranks (elastic resume). ``torch.distributed.checkpoint``'s own file
format is not used: its ``.metadata`` file is a pickle, which this project never loads.

A checkpoint is written into ``.tmp-step-N`` and renamed to ``step-N`` when complete, so a crash
never leaves a directory that looks finished; the last ``keep`` complete ones are kept. Loading
refuses any file it does not expect and anything that is not safetensors or JSON.
"""
from __future__ import annotations

import base64
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file, save_file
from torch.distributed.checkpoint.state_dict import (
    StateDictOptions,
    get_model_state_dict,
    get_optimizer_state_dict,
    set_model_state_dict,
    set_optimizer_state_dict,
)

from training.distributed import Dist, barrier

MODEL_FILE = "model.safetensors"
OPTIMIZER_FILE = "optimizer.safetensors"
STATE_FILE = "state.json"
RNG_FILE = re.compile(r"^rng-rank-(\d+)\.json$")
STEP_DIR = re.compile(r"^step-(\d+)$")
TMP_PREFIX = ".tmp-"


class CheckpointError(ValueError):
    """A checkpoint that must not be loaded; the message names the file."""


@dataclass(frozen=True)
class Checkpoint:
    path: Path
    step: int


# --- finding checkpoints --------------------------------------------------------------------

def list_checkpoints(root: Path) -> list[Checkpoint]:
    """Complete checkpoints (renamed, with state.json) under ``root``, oldest first."""
    if not root.is_dir():
        return []
    found = []
    for child in root.iterdir():
        m = STEP_DIR.match(child.name)
        if m and child.is_dir() and (child / STATE_FILE).is_file():
            found.append(Checkpoint(child, int(m.group(1))))
    return sorted(found, key=lambda c: c.step)


def latest_checkpoint(root: Path) -> Checkpoint | None:
    found = list_checkpoints(root)
    return found[-1] if found else None


def prune(root: Path, keep: int) -> None:
    """Delete all but the last ``keep`` complete checkpoints, and any unfinished temporary ones."""
    for child in root.iterdir() if root.is_dir() else ():
        if child.name.startswith(TMP_PREFIX):
            shutil.rmtree(child, ignore_errors=True)
    for old in list_checkpoints(root)[:-keep]:
        shutil.rmtree(old.path, ignore_errors=True)


# --- tensors ----------------------------------------------------------------------------------

def _dedupe(tensors: dict[str, torch.Tensor]) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """safetensors refuses tensors that share memory (tied embeddings): store one, name the aliases."""
    unique: dict[str, torch.Tensor] = {}
    aliases: dict[str, str] = {}
    by_storage: dict[tuple[int, int, tuple], str] = {}
    for name, t in tensors.items():
        key = (t.untyped_storage().data_ptr(), t.storage_offset(), tuple(t.shape)) if t.numel() else None
        if key is not None and key in by_storage:
            aliases[name] = by_storage[key]
            continue
        if key is not None:
            by_storage[key] = name
        unique[name] = t.detach().contiguous()
    return unique, aliases


def save_tensors(path: Path, tensors: dict[str, torch.Tensor]) -> None:
    unique, aliases = _dedupe(tensors)
    save_file(unique, str(path), metadata={"aliases": json.dumps(aliases)})


def load_tensors(path: Path) -> dict[str, torch.Tensor]:
    """Only safetensors: a pickle (``torch.save``) or any other payload is refused, not unpickled."""
    if not path.is_file():
        raise CheckpointError(f"checkpoint file {path} is missing")
    try:
        tensors = load_file(str(path))
        with safe_open(str(path), framework="pt") as f:
            metadata = f.metadata() or {}
    except (SafetensorError, OSError, ValueError) as e:
        raise CheckpointError(f"checkpoint file {path} is not a safetensors file ({e}); refusing to load it") \
            from None
    for name, target in json.loads(metadata.get("aliases", "{}")).items():
        tensors[name] = tensors[target]
    return tensors


def flatten_optimizer(state: dict[str, Any]) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """A full optimizer state dict → (tensors keyed ``state/<param>/<key>``, JSON-ready rest)."""
    tensors, scalars = {}, {}
    for param, values in state["state"].items():
        for key, value in values.items():
            if isinstance(value, torch.Tensor):
                tensors[f"state/{param}/{key}"] = value
            else:
                scalars[f"{param}/{key}"] = value
    groups = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in state["param_groups"]]
    return tensors, {"param_groups": groups, "scalars": scalars}


def unflatten_optimizer(tensors: dict[str, torch.Tensor], meta: dict[str, Any]) -> dict[str, Any]:
    state: dict[str, dict[str, Any]] = {}
    for name, value in tensors.items():
        _, rest = name.split("/", 1)
        param, key = rest.rsplit("/", 1)
        state.setdefault(param, {})[key] = value
    for name, value in meta.get("scalars", {}).items():
        param, key = name.rsplit("/", 1)
        state.setdefault(param, {})[key] = value
    groups = [{k: (tuple(v) if k == "betas" else v) for k, v in g.items()} for g in meta["param_groups"]]
    return {"state": state, "param_groups": groups}


# --- random number generators -----------------------------------------------------------------

def capture_rng() -> dict[str, Any]:
    """Every generator the loop may draw from (dropout, sampling), as JSON."""
    version, internal, gauss = random.getstate()
    name, keys, pos, has_gauss, cached = np.random.get_state()
    state = {
        "python": [version, list(internal), gauss],
        "numpy": [name, keys.tolist(), int(pos), int(has_gauss), float(cached)],
        "torch": base64.b64encode(torch.get_rng_state().numpy().tobytes()).decode("ascii"),
        "cuda": [],
    }
    if torch.cuda.is_available():
        state["cuda"] = [base64.b64encode(s.numpy().tobytes()).decode("ascii") for s in torch.cuda.get_rng_state_all()]
    return state


def restore_rng(state: dict[str, Any]) -> None:
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    name, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((name, np.array(keys, dtype=np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(_bytes_tensor(state["torch"]))
    if state.get("cuda") and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([_bytes_tensor(s) for s in state["cuda"]])


def _bytes_tensor(text: str) -> torch.Tensor:
    return torch.frombuffer(bytearray(base64.b64decode(text)), dtype=torch.uint8).clone()


# --- writing and reading a checkpoint directory -------------------------------------------------

def temp_dir(root: Path, step: int) -> Path:
    return root / f"{TMP_PREFIX}step-{step}"


def write_json(path: Path, obj: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=1, sort_keys=True, allow_nan=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise CheckpointError(f"checkpoint file {path} cannot be read as JSON: {e}") from None


def check_files(path: Path) -> None:
    """Refuse a checkpoint that holds anything but the files this module writes."""
    for child in sorted(path.iterdir()):
        if child.name in (MODEL_FILE, OPTIMIZER_FILE, STATE_FILE) or RNG_FILE.match(child.name):
            continue
        raise CheckpointError(f"checkpoint {path} holds an unexpected file {child.name!r}; checkpoints hold only "
                              f"{MODEL_FILE}, {OPTIMIZER_FILE}, {STATE_FILE} and rng-rank-R.json, and a pickle is "
                              "never loaded")


def finalize(tmp: Path, root: Path, step: int, keep: int) -> Path:
    """Rename the finished temporary directory into place, then prune old checkpoints."""
    final = root / f"step-{step}"
    if final.exists():  # the same step saved again (a rerun after a crash right after renaming)
        shutil.rmtree(final)
    tmp.rename(final)
    prune(root, keep)
    return final


# --- the training state around the tensors ---------------------------------------------------

@dataclass
class TrainState:
    """What a resume needs besides tensors; JSON in state.json."""

    step: int = 0
    tokens: int = 0                      # training tokens seen, all ranks
    elapsed: float = 0.0                 # training seconds over all resumes (the --max_time budget)
    data_position: dict | None = None    # the data loader's position after ``step``

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "tokens": self.tokens, "elapsed": self.elapsed,
                "data_position": self.data_position}

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str) -> TrainState:
        try:
            return cls(step=int(d["step"]), tokens=int(d["tokens"]), elapsed=float(d["elapsed"]),
                       data_position=d["data_position"])
        except (KeyError, TypeError, ValueError) as e:
            raise CheckpointError(f"{where}: missing or invalid field {e}") from None


_FULL = StateDictOptions(full_state_dict=True, cpu_offload=True)


def save_checkpoint(root: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer, state: TrainState,
                    d: Dist, *, keep: int, scaler: torch.amp.GradScaler | None = None,
                    extra: dict[str, Any] | None = None) -> Path:
    """Write ``root/step-N`` through a temporary directory; every rank must call it (FSDP gathers)."""
    tmp = temp_dir(root, state.step)
    if d.is_main:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
    barrier(d)
    model_state = get_model_state_dict(model, options=_FULL)
    optim_state = get_optimizer_state_dict(model, optimizer, options=_FULL)
    write_json(tmp / f"rng-rank-{d.rank}.json", capture_rng())
    if d.is_main:
        save_tensors(tmp / MODEL_FILE, model_state)
        tensors, optim_meta = flatten_optimizer(optim_state)
        save_tensors(tmp / OPTIMIZER_FILE, tensors)
        body = {**state.to_dict(), "world_size": d.world_size, "optimizer": optim_meta,
                "scaler": scaler.state_dict() if scaler is not None and scaler.is_enabled() else None,
                **(extra or {})}
        write_json(tmp / STATE_FILE, body)  # last: a directory without it is never taken as complete
    barrier(d)
    final = root / f"step-{state.step}"
    if d.is_main:
        final = finalize(tmp, root, state.step, keep)
    barrier(d)
    return final


def saved_train_config(ckpt: Checkpoint) -> dict[str, Any]:
    """The options of the run that wrote ``ckpt`` (``{}`` for a checkpoint written without them)."""
    body = read_json(ckpt.path / STATE_FILE)
    config = body.get("train_config") if isinstance(body, dict) else None
    return config if isinstance(config, dict) else {}


def load_checkpoint(ckpt: Checkpoint, model: torch.nn.Module, optimizer: torch.optim.Optimizer, d: Dist, *,
                    seed: int, scaler: torch.amp.GradScaler | None = None) -> TrainState:
    """Restore model, optimizer, scaler and RNG from ``ckpt`` on any number of ranks."""
    check_files(ckpt.path)
    body = read_json(ckpt.path / STATE_FILE)
    where = str(ckpt.path / STATE_FILE)
    if not isinstance(body, dict) or "optimizer" not in body:
        raise CheckpointError(f"{where}: not a checkpoint state (no 'optimizer' field)")
    state = TrainState.from_dict(body, where)
    load_opts = StateDictOptions(full_state_dict=True)
    try:
        set_model_state_dict(model, load_tensors(ckpt.path / MODEL_FILE), options=load_opts)
    except RuntimeError as err:  # torch lists every key; the first lines say what kind of mismatch
        detail = " ".join(str(err).split("\n")[:2]).strip()
        raise CheckpointError(f"{ckpt.path / MODEL_FILE}: its weights do not fit the model this run builds "
                              f"(another model or tokenizer than the run that wrote it?): {detail[:300]}") from None
    optim_state = unflatten_optimizer(load_tensors(ckpt.path / OPTIMIZER_FILE), body["optimizer"])
    set_optimizer_state_dict(model, optimizer, optim_state, options=load_opts)
    if scaler is not None and scaler.is_enabled() and body.get("scaler"):
        scaler.load_state_dict(body["scaler"])
    rng_file = ckpt.path / f"rng-rank-{d.rank}.json"
    if body.get("world_size") == d.world_size and rng_file.is_file():
        restore_rng(read_json(rng_file))
    else:  # elastic resume: the per-rank streams cannot carry over; start new ones, deterministically
        reseed(seed * 1_000_003 + state.step * 1009 + d.rank)
    return state


def reseed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % (1 << 32))
    torch.manual_seed(seed)
