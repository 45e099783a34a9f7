"""One fine-tuning run: data → classifier → Hugging Face ``Trainer`` → best checkpoint → OUT/.

Why ``Trainer`` and not the pretraining loop: fine-tuning needs nothing the loop is for (token
streams, resumable data positions, DDP/FSDP), and everything ``Trainer`` already does well and
people know from ``run_glue.py``: linear warmup then linear decay, evaluation on a schedule,
``EarlyStoppingCallback`` on the validation metric, the best checkpoint reloaded at the end, peft
models. This module's own code is data preparation and the output directory.

Output directory::

    OUT/config.json, model.safetensors   the classifier (``id2label``/``label2id`` in the config)
    OUT/tokenizer.json, ...              the corpus tokenizer with the classification template
    OUT/adapter/                         with --lora: the peft adapter (LoRA + head), for PeftModel
    OUT/eval.json                        written last: a directory without it is not a finished run

Checkpoints live in OUT/checkpoints/ during the run (only the best one is kept, weights only, in
safetensors) and are removed at the end: the classifier in OUT/ *is* the best checkpoint.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from transformers import (
    AutoConfig,
    DataCollatorWithPadding,
    EarlyStoppingCallback,
    PreTrainedModel,
    Trainer,
    TrainingArguments,
)
from transformers.utils import logging as hf_logging

from training.finetune import data as fdata
from training.finetune.config import (
    DEFAULT_MAX_LENGTH,
    DataArguments,
    FinetuneArguments,
    InputError,
    ModelArguments,
)
from training.finetune.encode import encode_examples
from training.finetune.metrics import compute_metrics, format_summary, summarise
from training.finetune.model import (
    add_lora,
    build_classifier,
    check_classifier_labels,
    check_model_dir,
    count_parameters,
    freeze_encoder,
    load_tokenizer,
    max_positions,
    pools_last_token,
)

EVAL_JSON = "eval.json"
CHECKPOINTS = "checkpoints"
ADAPTER = "adapter"
FORMAT_VERSION = 1


@dataclass
class FinetuneResult:
    """What a run produced: the trained classifier (merged, for LoRA), its tokenizer and eval.json's content."""

    model: PreTrainedModel
    tokenizer: object
    evaluation: dict
    output_dir: Path


@dataclass
class Splits:
    train: list[fdata.Example]
    validation: list[fdata.Example]
    test: list[fdata.Example] | None
    labels: list[str]


def load_splits(args: DataArguments, seed: int) -> Splits:
    """Read the files, split validation off --train when asked, map labels and check every split's labels."""
    fields = fdata.Fields(args.text_field, args.text_pair_field, args.label_field)
    train = fdata.read_examples(args.train, fields)
    if args.validation is not None:
        validation = fdata.read_examples(args.validation, fields)
    else:
        train, validation = fdata.split_validation(train, args.held_out_fraction, seed)
    test = fdata.read_examples(args.test, fields) if args.test is not None else None
    labels = fdata.label_names(train)
    if len(labels) < 2:
        raise fdata.DataError(f"{args.train}: every example has the label {labels[0]!r}; a classifier needs "
                              f"at least two labels")
    fdata.check_labels(validation, labels, args.train)
    if test is not None:
        fdata.check_labels(test, labels, args.train)
    return Splits(train, validation, test, labels)


def prepare_output_dir(out: Path, overwrite: bool) -> None:
    """Refuse a finished run unless --overwrite; clear what a crashed or replaced run left."""
    if (out / EVAL_JSON).exists():
        if not overwrite:
            raise InputError(f"--output_dir {out} holds a finished fine-tuning run ({EVAL_JSON}); "
                             f"pass --overwrite to replace it")
        (out / EVAL_JSON).unlink()  # first, so an interrupted rerun never looks finished
    for name in (CHECKPOINTS, ADAPTER):
        if (out / name).exists():
            shutil.rmtree(out / name)
    out.mkdir(parents=True, exist_ok=True)


def training_arguments(args: FinetuneArguments, out: Path) -> TrainingArguments:
    """Our few choices mapped onto ``TrainingArguments``."""
    per_steps = args.eval_steps is not None
    return TrainingArguments(
        output_dir=str(out / CHECKPOINTS),
        learning_rate=args.learning_rate, weight_decay=args.weight_decay,
        lr_scheduler_type="linear", warmup_steps=args.warmup_ratio,  # a float < 1 is a ratio of all steps
        num_train_epochs=args.num_train_epochs,
        per_device_train_batch_size=args.batch_size, per_device_eval_batch_size=args.eval_batch_size,
        eval_strategy="steps" if per_steps else "epoch", eval_steps=args.eval_steps,
        save_strategy="best", save_total_limit=1, save_only_model=True,
        load_best_model_at_end=True, metric_for_best_model=args.metric, greater_is_better=True,
        logging_strategy="steps", logging_steps=args.logging_steps,
        report_to="none", disable_tqdm=not args.progress, seed=args.seed, data_seed=args.seed,
        dataloader_num_workers=0, dataloader_pin_memory=torch.cuda.is_available(),
    )


def _print_plan(model_args: ModelArguments, splits: Splits, model, loading: dict, last_token: bool) -> None:
    counts = Counter(e.label for e in splits.train)
    trainable, total = count_parameters(model)
    start = "random initialisation (--from_scratch)" if model_args.from_scratch else model_args.model
    print(f"fine-tuning {type(model).__name__} from {start}")
    print("  labels: " + ", ".join(f"{label} ({counts[label]})" for label in splits.labels))
    print(f"  examples: train {len(splits.train)}, validation {len(splits.validation)}"
          + (f", test {len(splits.test)}" if splits.test is not None else ""))
    print("  pooling: " + ("the last non-pad token (the final </s>)" if last_token else "the pooled <cls> position"))
    print(f"  parameters: {trainable:,} trainable of {total:,}")
    if not model_args.from_scratch:
        print(f"  new (randomly initialised): {', '.join(loading['new']) or 'none'}")
        if loading["unused"]:
            print(f"  pretraining weights not used: {len(loading['unused'])} ({loading['unused'][0]}, ...)")


def run(model_args: ModelArguments, data_args: DataArguments, args: FinetuneArguments) -> FinetuneResult:
    """Fine-tune, evaluate on validation (and test), write OUT/; returns the result."""
    bars = hf_logging.is_progress_bar_enabled()
    if not args.progress:
        hf_logging.disable_progress_bar()  # also transformers' loading and saving bars
    try:
        return _run(model_args, data_args, args)
    finally:
        if bars:
            hf_logging.enable_progress_bar()


def _run(model_args: ModelArguments, data_args: DataArguments, args: FinetuneArguments) -> FinetuneResult:
    if args.output_dir is None:
        raise InputError("FinetuneArguments.output_dir is required to fine-tune (--output_dir DIR)")
    splits = load_splits(data_args, args.seed)
    model_dir = check_model_dir(model_args.model)
    source_config = AutoConfig.from_pretrained(str(model_dir))
    if not model_args.from_scratch:
        check_classifier_labels(source_config, model_dir, splits.labels)
    out = Path(args.output_dir)
    prepare_output_dir(out, args.overwrite)

    last_token = pools_last_token(source_config)
    tokenizer = load_tokenizer(model_dir, last_token=last_token)
    model, loading = build_classifier(model_dir, splits.labels, from_scratch=model_args.from_scratch,
                                      seed=args.seed, pad_token_id=tokenizer.pad_token_id)
    max_length = resolve_max_length(data_args.max_length, max_positions(model.config), model_dir)
    tokenizer.model_max_length = max_length  # saved: the reloaded tokenizer truncates the same way
    tokenizer.init_kwargs["model_max_length"] = max_length
    model.config.input_fields = {"text": data_args.text_field, "text_pair": data_args.text_pair_field,
                                 "label": data_args.label_field}
    if model_args.freeze_encoder:
        freeze_encoder(model)
    _print_plan(model_args, splits, model, loading, last_token)
    if model_args.lora:
        model = add_lora(model, r=model_args.lora_r, alpha=model_args.lora_alpha, dropout=model_args.lora_dropout)
        trainable, total = count_parameters(model)
        heads = ", ".join(sorted(set(model.peft_config["default"].modules_to_save)))
        print(f"  LoRA: {trainable:,} trainable of {total:,} (adapters, and {heads} in full)")

    label2id = {label: i for i, label in enumerate(splits.labels)}
    features = {name: encode_examples(examples, tokenizer, max_length, label2id)
                for name, examples in (("train", splits.train), ("validation", splits.validation),
                                       ("test", splits.test)) if examples is not None}
    trainer = Trainer(model=model, args=training_arguments(args, out), train_dataset=features["train"],
                      eval_dataset=features["validation"], data_collator=DataCollatorWithPadding(tokenizer),
                      compute_metrics=compute_metrics,
                      callbacks=[EarlyStoppingCallback(early_stopping_patience=args.early_stopping_patience)])
    started = time.perf_counter()
    trainer.train()
    train_seconds = time.perf_counter() - started

    majority = splits.labels.index(Counter(e.label for e in splits.train).most_common(1)[0][0])
    evaluation = {"format_version": FORMAT_VERSION, "model": str(model_dir), "labels": splits.labels,
                  "model_arguments": asdict(model_args), "data_arguments": asdict(data_args),
                  "finetune_arguments": asdict(args),
                  "training": {"examples": len(splits.train), "max_length": max_length, "steps": trainer.state.global_step,
                               "epochs": trainer.state.epoch, "seconds": round(train_seconds, 2),
                               "best_step": _best_step(trainer), "best_metric": trainer.state.best_metric}}
    for name in ("validation", "test"):
        if name not in features:
            continue
        logits = trainer.predict(features[name]).predictions
        y_true = [label2id[e.label] for e in getattr(splits, name)]
        evaluation[name] = summarise(y_true, np.asarray(logits).argmax(-1).tolist(), splits.labels, majority)
        print(format_summary(name, evaluation[name]))
    evaluation["history"] = trainer.state.log_history

    model = _save(trainer.model, tokenizer, out, lora=model_args.lora)
    shutil.rmtree(out / CHECKPOINTS, ignore_errors=True)
    _write_json(out / EVAL_JSON, evaluation)
    print(f"classifier: {out}  (evaluation: {out / EVAL_JSON})")
    return FinetuneResult(model, tokenizer, evaluation, out)


def resolve_max_length(asked: int | None, positions: int | None, model_dir: Path) -> int:
    """--max_length, or its default capped by the model's positions; more than the model has is refused."""
    if asked is None:
        return min(DEFAULT_MAX_LENGTH, positions or DEFAULT_MAX_LENGTH)
    if positions is not None and asked > positions:
        raise InputError(f"DataArguments.max_length {asked} exceeds the model's {positions} positions "
                         f"({model_dir}/config.json)")
    return asked


def _best_step(trainer: Trainer) -> int | None:
    best = trainer.state.best_model_checkpoint
    return int(best.rsplit("-", 1)[1]) if best else None


def _save(model, tokenizer, out: Path, *, lora: bool) -> PreTrainedModel:
    """The classifier in save_pretrained form; for LoRA also the adapter, and OUT/ holds the merged model."""
    if lora:
        model.save_pretrained(str(out / ADAPTER))
        model = model.merge_and_unload()
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    return model


def _write_json(path: Path, obj: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=1, ensure_ascii=False, default=float) + "\n", encoding="utf-8")
    os.replace(tmp, path)
