"""`corpusforge train` = ``python -m training.pretrain`` = ``torchrun --nproc_per_node N -m training.pretrain``.

The loop, top to bottom: open the corpus, fit the model config to it, build the model (or load an
earlier run's hand-off with ``--init_from``), optimizer and data loader, restore the latest checkpoint
when resuming, then per optimizer step:

1. take ``grad_accum`` micro-batches and count their labelled tokens over all ranks (one all-reduce),
2. forward/backward each (gradient all-reduce only on the last), the loss being sum / global count,
3. clip, set the scheduled learning rate, step,
4. log, record batches, evaluate and checkpoint when due; stop when the budget is spent.

Components live in their own modules: config, models, optim, loss, evaluate, checkpoint, metrics,
distributed, handoff, outdir; the data in ``training.data``.
"""
from __future__ import annotations

import contextlib
import dataclasses
import itertools
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from training import checkpoint as ckpt
from training import distributed as dist_
from training.config import ConfigError, TrainConfig, parse_config, resume_changes
from training.data import (
    BatchRecordWriter,
    DataConfig,
    DataPosition,
    build_eval_loader,
    build_train_loader,
    open_training_corpus,
    step_sequences,
)
from training.evaluate import evaluate, model_inputs, model_targets
from training.handoff import write_handoff
from training.heads import head_input
from training.loss import IGNORE_INDEX, count_labels, objective_sums, step_loss
from training.metrics import MetricsLogger, device_peak, flops_per_token, mfu
from training.models import (
    build_model,
    count_parameters,
    load_model,
    prepare_handoff_config,
    prepare_model_config,
)
from training.optim import build_optimizer, lr_at, set_lr
from training.outdir import BATCHES_DIR, CHECKPOINTS_DIR, CONFIG_FILE, check_output_dir, prepare_output_dir

EXIT_BAD_INPUT = 2


@dataclass
class Budget:
    """How far the run is, as the fraction of each limit it was given (the schedule's progress)."""

    cfg: TrainConfig
    examples_per_epoch: int | None

    def progress(self, state: ckpt.TrainState, position: DataPosition | None) -> float:
        c, parts = self.cfg, []
        if c.max_steps:
            parts.append(state.step / c.max_steps)
        if c.max_tokens:
            parts.append(state.tokens / c.max_tokens)
        if c.epochs and position is not None and self.examples_per_epoch:
            parts.append((position.epoch + position.cursor / self.examples_per_epoch) / c.epochs)
        if c.max_time:
            parts.append(state.elapsed / c.max_time)
        return max(parts) if parts else 0.0

    def spent(self, state: ckpt.TrainState, position: DataPosition | None) -> bool:
        c = self.cfg
        return ((c.max_steps is not None and state.step >= c.max_steps)
                or (c.max_tokens is not None and state.tokens >= c.max_tokens)
                or (c.epochs is not None and position is not None and position.epoch >= c.epochs)
                or (c.max_time is not None and state.elapsed >= c.max_time))


def autocast_for(precision: str, device: torch.device):
    """A context factory for the forward pass; ``auto`` is bf16 on GPUs that have it, fp32 elsewhere."""
    if precision == "auto":
        precision = "bf16" if device.type == "cuda" and torch.cuda.is_bf16_supported() else "fp32"
    if precision == "fp32":
        return contextlib.nullcontext, precision
    dtype = torch.bfloat16 if precision == "bf16" else torch.float16
    return (lambda: torch.autocast(device.type, dtype=dtype)), precision


def eval_configs(cfg: TrainConfig, data_cfg: DataConfig, corpus, eval_corpus) -> list[DataConfig]:
    """The fixed validation set: every document of --eval_data (both splits), or --data's validation split."""
    source, splits = (eval_corpus, ("train", "validation")) if eval_corpus is not None else (corpus, ("validation",))
    return [dataclasses.replace(data_cfg, path=cfg.eval_data or cfg.data, split=s, num_workers=0)
            for s in splits if sum(e.num_documents for e in source.manifest.splits[s])]


def train(cfg: TrainConfig) -> dict:
    """Run (or resume) training; returns the final validation metrics."""
    d = dist_.setup(cfg.device)
    try:
        return _train(cfg, d)
    finally:
        dist_.teardown(d)


def _train(cfg: TrainConfig, d: dist_.Dist) -> dict:
    out = Path(cfg.output_dir)
    check_output_dir(out, resume=cfg.resume, overwrite=cfg.overwrite)
    resume_from = ckpt.latest_checkpoint(out / CHECKPOINTS_DIR) if cfg.resume else None
    changes = (resume_changes(ckpt.saved_train_config(resume_from), cfg, str(resume_from.path / ckpt.STATE_FILE))
               if resume_from is not None else [])
    dist_.barrier(d)  # every rank has looked at the directory before rank 0 writes to it
    corpus = open_training_corpus(cfg.data)
    eval_corpus = open_training_corpus(cfg.eval_data) if cfg.eval_data else None
    if eval_corpus is not None:
        if eval_corpus.manifest.tokenizer.sha256 != corpus.manifest.tokenizer.sha256:
            raise ConfigError(f"--eval_data {cfg.eval_data} was built with another tokenizer than --data "
                              f"{cfg.data} (tokenizer sha256 differ); build it with `corpusforge build --tokenizer "
                              f"{cfg.data}/tokenizer/spm.model`")
    if cfg.init_from:  # loaded before the output directory is touched: a refused hand-off changes nothing
        check_init_from(cfg)
        spec = prepare_handoff_config(cfg.init_from, objective=cfg.objective, vocab_size=corpus.vocab_size,
                                      special_ids=corpus.special_ids, seq_len=cfg.seq_len,
                                      tokenizer_sha256=corpus.manifest.tokenizer.sha256)
        model, unused = load_model(spec.config, cfg.objective, cfg.init_from, cfg.seed, training=True)
        if unused and d.is_main:
            print(f"corpusforge train: --init_from {cfg.init_from}: weights not used by --objective {cfg.objective}: "
                  f"{', '.join(unused)}", flush=True)
    else:
        spec = prepare_model_config(cfg.model, objective=cfg.objective, vocab_size=corpus.vocab_size,
                                    special_ids=corpus.special_ids, seq_len=cfg.seq_len)
        model = build_model(spec.config, cfg.objective, cfg.seed, training=True)
    if d.is_main:
        prepare_output_dir(out, overwrite=cfg.overwrite)
    dist_.barrier(d)

    model = model.to(d.device)
    extra_input = head_input(spec.config, cfg.objective)
    num_params = count_parameters(model)
    model = dist_.wrap(model, d, cfg.parallelism)
    optimizer = build_optimizer(model, cfg, d.device)
    autocast, precision = autocast_for(cfg.precision, d.device)
    scaler = torch.amp.GradScaler(d.device.type, enabled=precision == "fp16")
    state = ckpt.TrainState()
    if resume_from is not None:
        state = ckpt.load_checkpoint(resume_from, model, optimizer, d, seed=cfg.seed, scaler=scaler)
        if changes and d.is_main:
            print(f"corpusforge train: resuming {resume_from.path} with options changed since: "
                  f"{'; '.join(changes)}", flush=True)
    forward_model = torch.compile(model) if cfg.compile else model

    data_cfg = DataConfig(path=cfg.data, split="train", seq_len=cfg.seq_len, objective=cfg.objective,
                          seed=cfg.seed, block_document_attention=cfg.block_document_attention,
                          mlm_probability=cfg.mlm_probability, whole_word_mask=cfg.whole_word_mask,
                          num_workers=cfg.num_workers)
    position = DataPosition.from_dict(state.data_position) if state.data_position else None
    loader = build_train_loader(data_cfg, batch_size=cfg.batch_size, grad_accum=cfg.grad_accum, rank=d.rank,
                                world_size=d.world_size, position=position)
    if d.is_main:  # after the restore and the data position: a refused resume leaves the run's record as it was
        ckpt.write_json(out / CONFIG_FILE, cfg.to_dict())
    budget = Budget(cfg, examples_per_epoch(loader))
    records = open_batch_records(out / BATCHES_DIR, state.step, d) if cfg.record_batches else None
    logger = MetricsLogger(out, enabled=d.is_main, start_step=state.step,
                           total_steps=cfg.max_steps, progress=cfg.progress)
    device_name, peak = device_peak(d.device)
    mc = spec.config
    flops_token = flops_per_token(num_params, mc.num_hidden_layers, mc.hidden_size, cfg.seq_len)
    shift = cfg.objective == "clm"
    eval_sets = eval_configs(cfg, data_cfg, corpus, eval_corpus)
    if not eval_sets and d.is_main:
        where = f"--eval_data {cfg.eval_data}" if cfg.eval_data else f"the validation split of {cfg.data}"
        print(f"corpusforge train: {where} holds no documents, so training is not evaluated "
              f"(build with a larger --validation_fraction, or pass --eval_data)", flush=True)

    def run_eval() -> dict:
        """Loss etc. on the fixed validation set; {} when there is none."""
        if not eval_sets:
            return {}
        # DDP: the inner module (its forward has no collective); FSDP: the sharded model, on all ranks.
        eval_model = forward_model if cfg.parallelism == "fsdp" else dist_.unwrap(model)
        batches = itertools.chain.from_iterable(
            build_eval_loader(c, batch_size=cfg.batch_size, rank=d.rank, world_size=d.world_size) for c in eval_sets)
        return evaluate(eval_model, batches, cfg.objective, d, autocast=autocast, head_input=extra_input)

    batches = iter(loader)
    started = time.perf_counter() - state.elapsed
    last_log_time, last_log_tokens = time.perf_counter(), state.tokens
    metrics: dict = {}
    model.train()
    while not budget.spent(state, loader.position):
        micro = [next(batches) for _ in range(cfg.grad_accum)]
        local = [count_labels(b["labels"], shift=shift) for b in micro]
        counts = dist_.all_reduce_sum(d, torch.tensor(
            [sum(local), sum(int((b["next_sentence_label"] != IGNORE_INDEX).sum()) for b in micro
                             if "next_sentence_label" in b),
             sum(int(b["num_tokens"]) for b in micro)], dtype=torch.float64))
        global_lm, global_nsp, global_tokens = (int(v) for v in counts.tolist())
        lr = lr_at(state.step, budget.progress(state, loader.position), lr=cfg.lr,
                   min_lr=cfg.final_lr, warmup_steps=cfg.warmup_steps)
        set_lr(optimizer, lr)
        step_lm = torch.zeros((), device=d.device)
        step_nsp = torch.zeros((), device=d.device)
        for i, batch in enumerate(micro):
            with dist_.gradient_sync(model, sync=i == len(micro) - 1):
                with autocast():
                    outputs = forward_model(**model_inputs(batch, d.device, head_input=extra_input))
                targets = model_targets(batch, d.device, head_input=extra_input)
                sums = objective_sums(outputs, targets, cfg.objective)
                loss = step_loss(sums, global_lm, global_nsp, d.world_size)
                scaler.scale(loss).backward()
            step_lm += sums.lm_loss.detach()
            if sums.nsp_loss is not None:
                step_nsp += sums.nsp_loss.detach()
        scaler.unscale_(optimizer)
        grad_norm = clip_gradients(model, cfg.clip_grad)
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)

        state.step += 1
        state.tokens += global_tokens
        state.elapsed = agreed_elapsed(d, time.perf_counter() - started)
        if records is not None:
            records.write(state.step, step_sequences(micro))
        if state.step % cfg.log_every == 0 or budget.spent(state, loader.position):
            total = dist_.all_reduce_sum(d, torch.stack([step_lm, step_nsp]).double())
            step_loss_value = total[0].item() / max(global_lm, 1) + (total[1].item() / max(global_nsp, 1)
                                                                      if cfg.objective == "mlm+nsp" else 0.0)
            now = time.perf_counter()
            tok_s = (state.tokens - last_log_tokens) / max(now - last_log_time, 1e-9)
            last_log_time, last_log_tokens = now, state.tokens
            row = {"step": state.step, "loss": step_loss_value, "lr": lr, "grad_norm": float(grad_norm),
                   "tokens": state.tokens, "tokens_per_s": tok_s, "elapsed": state.elapsed}
            if peak:
                row["mfu"] = mfu(tok_s, flops_token, peak)
            logger.log_train(row)
            logger.advance(state.step, step_loss_value, lr, tok_s)
        if cfg.eval_every and state.step % cfg.eval_every == 0:
            metrics = run_eval()
            logger.log_eval(state.step, metrics)
        if cfg.save_every and state.step % cfg.save_every == 0:
            save(out, model, optimizer, scaler, loader, state, cfg, d)

    if not (cfg.eval_every and state.step % cfg.eval_every == 0 and metrics):
        metrics = run_eval()
        logger.log_eval(state.step, metrics)
    if not (cfg.save_every and state.step % cfg.save_every == 0):
        save(out, model, optimizer, scaler, loader, state, cfg, d)
    logger.close()
    info = {"model": cfg.model or f"{spec.config.model_type} continued from {cfg.init_from}",
            "init_from": cfg.init_from, "objective": cfg.objective, "data": cfg.data,
            "parameters": num_params,
            "manifest_sha256": corpus.manifest_sha256, "vocab_size": corpus.vocab_size, "step": state.step,
            "tokens": state.tokens, "seq_len": cfg.seq_len, "world_size": d.world_size, "device": device_name,
            "global_batch": cfg.batch_size * cfg.grad_accum * d.world_size, "metrics": metrics,
            "train_config": cfg.to_dict()}
    write_handoff(out, model, spec.config, cfg.objective, str(corpus.tokenizer_dir), info, d)
    return metrics


def check_init_from(cfg: TrainConfig) -> None:
    """``--init_from`` and ``--output_dir`` must not nest: this run rewrites its output directory, and a run
    written inside the hand-off would be deleted with it."""
    init, out = Path(cfg.init_from).resolve(), Path(cfg.output_dir).resolve()
    if init == out or out in init.parents:
        raise ConfigError(f"--init_from {cfg.init_from} lies inside --output_dir {cfg.output_dir}, which this run "
                          "rewrites; copy the hand-off elsewhere first")
    if init in out.parents:
        raise ConfigError(f"--output_dir {cfg.output_dir} lies inside --init_from {cfg.init_from}; write the new run "
                          "elsewhere")


def examples_per_epoch(loader) -> int | None:
    stats = getattr(loader, "stats", None)
    return getattr(stats, "sequences", None) if stats is not None else None


def open_batch_records(folder: Path, step: int, d: dist_.Dist) -> BatchRecordWriter:
    """This rank's record file, cut back to the checkpoint's step; on an elastic resume to fewer ranks,
    rank 0 also cuts the files of ranks that no longer exist, so the records describe what the model saw."""
    if d.is_main:
        for path in sorted(folder.glob("rank-*.jsonl")):
            rank = path.stem.split("-", 1)[1]
            if rank.isdigit() and int(rank) >= d.world_size:
                BatchRecordWriter(path).truncate_after(step)
    writer = BatchRecordWriter(folder / f"rank-{d.rank}.jsonl")
    writer.truncate_after(step)
    return writer


def agreed_elapsed(d: dist_.Dist, elapsed: float) -> float:
    """Rank 0's clock on every rank, so the schedule and the stop are the same everywhere."""
    if not d.enabled:
        return elapsed
    value = torch.tensor([elapsed if d.is_main else 0.0], dtype=torch.float64)
    return dist_.all_reduce_sum(d, value).item()


def clip_gradients(model: torch.nn.Module, max_norm: float) -> torch.Tensor:
    """Clip the global gradient norm (0: measure only); returns the norm before clipping, as a tensor
    (read on log steps only, so a GPU is not synchronised every step)."""
    params = [p for p in model.parameters() if p.grad is not None]
    norm = torch.nn.utils.clip_grad_norm_(params, max_norm if max_norm > 0 else float("inf"), foreach=True)
    if hasattr(norm, "full_tensor"):  # FSDP: a DTensor
        norm = norm.full_tensor()
    return norm.detach()


def save(out: Path, model, optimizer, scaler, loader, state: ckpt.TrainState, cfg: TrainConfig,
         d: dist_.Dist) -> None:
    state.data_position = loader.position.to_dict()
    ckpt.save_checkpoint(out / CHECKPOINTS_DIR, model, optimizer, state, d, keep=cfg.keep_checkpoints,
                         scaler=scaler, extra={"train_config": cfg.to_dict()})


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        cfg = parse_config(argv)
        train(cfg)
    except (ValueError, FileNotFoundError) as e:  # every bad-input error of the project is a ValueError
        print(f"corpusforge train: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
