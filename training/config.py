"""`corpusforge train` options: one typed, validated config, from flags and/or ``--config train.yaml``.

Every field of :class:`TrainConfig` is a flag of the same name (``--seq_len``) and a key of the same
name in the YAML file; flags given on the command line win over the file. Validation happens in
``__post_init__`` and every message starts with the flag it is about, so a user knows what to fix.
"""
from __future__ import annotations

import argparse
import dataclasses
import math
from dataclasses import dataclass, fields
from typing import Any

from corpus.config_file import read_config_mapping

OBJECTIVES = ("clm", "mlm", "mlm+nsp")
OPTIMIZERS = ("adamw", "lamb")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
DEVICES = ("auto", "cpu", "cuda")
PARALLELISMS = ("ddp", "fsdp")

# Defaults chosen for small models (the presets *-tiny/-mini, up to ~30M parameters), measured in
# benchmarks/train.py's Shakespeare race: a high peak rate with a short warmup and a cosine decay
# to a tenth of it; 16 sequences of 128 tokens per device and step.
DEFAULT_LR = 2e-3
DEFAULT_WARMUP_STEPS = 50
DEFAULT_SEQ_LEN = 128
DEFAULT_BATCH_SIZE = 16


class ConfigError(ValueError):
    """An option that cannot be used; the message starts with the flag."""


def _fail(name: str, message: str) -> None:
    raise ConfigError(f"--{name}: {message}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)) and math.isfinite(value)


@dataclass(frozen=True)
class TrainConfig:
    """Everything a training run depends on. Saved as ``OUT/train_config.json`` and in the model card."""

    # what to train on, what to train, where to write
    data: str | None = None
    objective: str = "clm"
    model: str | None = None
    output_dir: str | None = None
    eval_data: str | None = None
    init_from: str | None = None
    # data
    seq_len: int = DEFAULT_SEQ_LEN
    batch_size: int = DEFAULT_BATCH_SIZE
    grad_accum: int = 1
    block_document_attention: bool = False
    mlm_probability: float = 0.15
    whole_word_mask: bool = False
    num_workers: int = 0
    # how long: at most one of steps / tokens / epochs, and optionally a wall-clock budget
    max_steps: int | None = None
    max_tokens: int | None = None
    epochs: int | None = None
    max_time: float | None = None
    # optimisation
    optimizer: str = "adamw"
    lr: float = DEFAULT_LR
    min_lr: float | None = None
    warmup_steps: int = DEFAULT_WARMUP_STEPS
    weight_decay: float = 0.1
    adam_beta1: float = 0.9
    adam_beta2: float = 0.95
    clip_grad: float = 1.0
    precision: str = "auto"
    compile: bool = False
    # evaluation, logging, checkpoints
    eval_every: int = 0
    log_every: int = 10
    save_every: int = 1000
    keep_checkpoints: int = 3
    record_batches: bool = False
    progress: bool = True
    # run control
    resume: bool = False
    overwrite: bool = False
    seed: int = 0
    device: str = "auto"
    parallelism: str = "ddp"

    def __post_init__(self) -> None:
        for name in ("data", "output_dir"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                _fail(name, "is required")
        if self.init_from is None:
            if not isinstance(self.model, str) or not self.model:
                _fail("model", "is required (a preset or a config.json), unless --init_from gives a hand-off directory")
        else:
            if not isinstance(self.init_from, str) or not self.init_from:
                _fail("init_from", f"must be a hand-off directory (an earlier run's OUT/final), got {self.init_from!r}")
            if self.model is not None:
                _fail("model", f"leave it out with --init_from: the architecture is {self.init_from}/config.json")
        if self.eval_data is not None and (not isinstance(self.eval_data, str) or not self.eval_data):
            _fail("eval_data", f"must be a corpus directory, got {self.eval_data!r}")
        self._choice("objective", OBJECTIVES)
        self._choice("optimizer", OPTIMIZERS)
        self._choice("precision", PRECISIONS)
        self._choice("device", DEVICES)
        self._choice("parallelism", PARALLELISMS)
        for name in ("seq_len", "batch_size", "grad_accum", "log_every", "keep_checkpoints"):
            self._int(name, minimum=1)
        for name in ("num_workers", "warmup_steps", "eval_every", "save_every", "seed"):
            self._int(name, minimum=0)
        for name in ("max_steps", "max_tokens", "epochs"):
            if getattr(self, name) is not None:
                self._int(name, minimum=1)
        budgets = [n for n in ("max_steps", "max_tokens", "epochs") if getattr(self, n) is not None]
        if len(budgets) > 1:
            _fail(budgets[1], f"give at most one of --max_steps, --max_tokens, --epochs (got {budgets})")
        if self.max_time is not None and (not _is_number(self.max_time) or self.max_time <= 0):
            _fail("max_time", f"must be a positive number of seconds, got {self.max_time!r}")
        for name in ("lr", "adam_beta1", "adam_beta2", "weight_decay", "clip_grad", "mlm_probability"):
            if not _is_number(getattr(self, name)):
                _fail(name, f"must be a number, got {getattr(self, name)!r}")
        if self.lr <= 0:
            _fail("lr", f"must be > 0, got {self.lr}")
        if self.min_lr is not None and (not _is_number(self.min_lr) or not 0 <= self.min_lr <= self.lr):
            _fail("min_lr", f"must be a number in [0, --lr={self.lr}], got {self.min_lr!r}")
        for name in ("adam_beta1", "adam_beta2"):
            if not 0 <= getattr(self, name) < 1:
                _fail(name, f"must be in [0, 1), got {getattr(self, name)}")
        if self.weight_decay < 0:
            _fail("weight_decay", f"must be >= 0, got {self.weight_decay}")
        if self.clip_grad < 0:
            _fail("clip_grad", f"must be >= 0 (0 switches clipping off), got {self.clip_grad}")
        if not 0 < self.mlm_probability < 1:
            _fail("mlm_probability", f"must be in (0, 1), got {self.mlm_probability}")
        if self.objective == "clm" and self.whole_word_mask:
            _fail("whole_word_mask", "only applies to --objective mlm or mlm+nsp")
        for name in ("block_document_attention", "whole_word_mask", "compile", "record_batches", "progress",
                     "resume", "overwrite"):
            if not isinstance(getattr(self, name), bool):
                _fail(name, f"must be true or false, got {getattr(self, name)!r}")
        if self.optimizer == "lamb" and self.parallelism == "fsdp":
            _fail("optimizer", "lamb needs whole-parameter norms; use it with --parallelism ddp")
        if self.resume and self.overwrite:
            _fail("overwrite", "cannot be combined with --resume")

    def _choice(self, name: str, choices: tuple[str, ...]) -> None:
        if getattr(self, name) not in choices:
            _fail(name, f"must be one of {', '.join(choices)}; got {getattr(self, name)!r}")

    def _int(self, name: str, minimum: int) -> None:
        value = getattr(self, name)
        if not _is_int(value) or value < minimum:
            _fail(name, f"must be an integer >= {minimum}, got {value!r}")

    @property
    def final_lr(self) -> float:
        """The rate at the end of the cosine decay: ``--min_lr``, by default a tenth of ``--lr``."""
        return self.lr / 10 if self.min_lr is None else self.min_lr

    @property
    def step_budget_given(self) -> bool:
        return any(getattr(self, n) is not None for n in ("max_steps", "max_tokens", "epochs"))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# A resumed run continues the model and the data stream its checkpoint holds: these must not change.
# Every other option may (a longer --max_steps, another --lr, another number of processes...); the
# changes are reported. The corpus itself is guarded by the data position's fingerprint instead of
# --data, so a corpus moved to another path still resumes.
RESUME_FIXED = ("model", "init_from", "objective", "seq_len", "seed")
_RESUME_IGNORED = ("resume", "overwrite", "progress")


def resume_changes(saved: dict[str, Any], cfg: TrainConfig, where: str) -> list[str]:
    """The options that differ from ``saved`` (the train_config of the checkpoint being resumed), as
    ``name: old -> new``; a ConfigError, naming the flag and both values, for one in RESUME_FIXED."""
    new = cfg.to_dict()
    for name in RESUME_FIXED:
        if name in saved and saved[name] != new[name]:
            _fail(name, f"{new[name]!r}, but the run being resumed was started with {saved[name]!r} ({where}); "
                        f"resume with the same --model, --init_from, --objective, --seq_len and --seed, or "
                        f"start anew (--overwrite, or another --output_dir)")
    return [f"{name}: {saved[name]!r} -> {value!r}" for name, value in new.items()
            if name in saved and name not in _RESUME_IGNORED and saved[name] != value]


_HELP = {
    "data": "Corpus directory written by `corpusforge build` (local path or fsspec URL).",
    "objective": "clm (causal LM), mlm (masked LM) or mlm+nsp (BERT: masked LM + next sentence prediction).",
    "model": "A preset (see training/models.py: bert-tiny, bert-mini, bert-base, gpt2-tiny, gpt2-small, "
             "llama-tiny, llama-small) or a transformers config.json. Not with --init_from.",
    "output_dir": "Where metrics, checkpoints and the hand-off directory final/ go.",
    "init_from": "A hand-off directory (an earlier run's OUT/final) whose weights and architecture this run starts "
                 "from instead of random ones: continued pretraining, e.g. on in-domain text. Its tokenizer must be "
                 "the corpus's (build with `corpusforge build --tokenizer DIR/spm.model`); replaces --model.",
    "eval_data": "Another corpus built with the same tokenizer (`corpusforge build --tokenizer`): evaluation "
                 "uses all of its documents instead of --data's validation split.",
    "seq_len": "Tokens per packed sequence.",
    "batch_size": "Sequences per device and micro-step.",
    "grad_accum": "Micro-steps per optimizer step (the global batch is batch_size x grad_accum x ranks).",
    "block_document_attention": "A token attends only to tokens of its own document.",
    "mlm_probability": "Fraction of tokens selected for masking (mlm, mlm+nsp).",
    "whole_word_mask": "Mask all pieces of a selected word together.",
    "num_workers": "DataLoader worker processes per rank.",
    "max_steps": "Stop after this many optimizer steps.",
    "max_tokens": "Stop after this many training tokens (all ranks together).",
    "epochs": "Stop after this many passes over the training split (default when no budget is given: 1).",
    "max_time": "Wall-clock budget in seconds: stop at the first step past it, evaluate, save. The learning-rate "
                "schedule then runs on the fraction of the budget used.",
    "optimizer": "adamw or lamb (large batches).",
    "lr": "Peak learning rate.",
    "min_lr": "Learning rate at the end of the cosine decay (default: lr / 10).",
    "warmup_steps": "Steps of linear warmup.",
    "weight_decay": "Decoupled weight decay of matrices and embeddings (never of biases and norm weights).",
    "adam_beta1": "First-moment decay of AdamW/LAMB.",
    "adam_beta2": "Second-moment decay of AdamW/LAMB.",
    "clip_grad": "Clip the global gradient norm to this (0: off).",
    "precision": "auto (bf16 on a GPU that has it, else fp32), fp32, bf16 (autocast) or fp16 (autocast + "
                 "gradient scaler).",
    "compile": "torch.compile the model.",
    "eval_every": "Evaluate every N steps (0: only at the end).",
    "log_every": "Write a metrics row every N steps.",
    "save_every": "Checkpoint every N steps (0: only at the end).",
    "keep_checkpoints": "Keep the last N checkpoints.",
    "record_batches": "Write OUT/batches/rank-R.jsonl: the documents and token ranges of every sequence of every step.",
    "progress": "Show a progress bar (--no-progress to hide it).",
    "resume": "Continue from the latest complete checkpoint in --output_dir (start fresh if there is none).",
    "overwrite": "Delete an earlier run in --output_dir first.",
    "seed": "Seed of the model initialisation, the data order and the masks.",
    "device": "auto (cuda when available), cpu or cuda.",
    "parallelism": "With several processes: ddp (replicated model) or fsdp (fully_shard).",
    "config": "YAML file with any of these options by name (flags given here win).",
}


def build_parser() -> argparse.ArgumentParser:
    """Flags generated from :class:`TrainConfig`, so the two can never disagree."""
    parser = argparse.ArgumentParser(prog="corpusforge train", description=__doc__.split("\n")[0],
                                     argument_default=argparse.SUPPRESS)
    parser.add_argument("--config", default=None, help=_HELP["config"])
    for f in fields(TrainConfig):
        flag, help_text = f"--{f.name}", _HELP[f.name]
        if f.type == "bool":
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, help=help_text)
        else:
            parser.add_argument(flag, type=_PARSERS[f.type], metavar=f.name.upper(), help=help_text)
    return parser


def _float(text: str) -> float:
    return float(text)


_PARSERS = {"str": str, "str | None": str, "int": int, "int | None": int, "float": _float,
            "float | None": _float}


def load_yaml(path: str) -> dict[str, Any]:
    """The options of a ``--config`` file; unknown keys are refused by name."""
    try:
        values = read_config_mapping(path)
    except ValueError as e:
        raise ConfigError(str(e)) from None
    known = {f.name for f in fields(TrainConfig)}
    unknown = sorted(str(k) for k in values if k not in known)
    if unknown:
        raise ConfigError(f"--config: {path} has unknown option(s) {unknown}")
    return values


def parse_config(argv: list[str]) -> TrainConfig:
    """``argv`` (without the program name) → a validated :class:`TrainConfig`."""
    args = vars(build_parser().parse_args(argv))
    path = args.pop("config", None)
    values = load_yaml(path) if path else {}
    for flag, other in (("init_from", "model"), ("model", "init_from")):
        if flag in args and other not in args:  # one names the architecture: the command line's wins
            values.pop(other, None)
    values.update(args)
    return TrainConfig(**values)
