"""Evaluation on the fixed validation set: loss, perplexity, bits per byte, MLM and NSP accuracy.

Every rank evaluates its own part; sums and counts are added over ranks once at the end, so the
figures do not depend on the number of processes. The evaluation loader gives every rank the same
number of batches (the last ones padded, with no labels), so FSDP's collective forward passes line up.
"""
from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable

import torch

from training.data import NON_MODEL_KEYS
from training.distributed import Dist, all_reduce_sum
from training.heads import LOSS_LABELS, MASKED_POSITIONS
from training.loss import IGNORE_INDEX, objective_sums, shift_labels

_FIELDS = ("lm_loss", "lm_tokens", "lm_correct", "nsp_loss", "nsp_count", "nsp_correct", "bytes")


TARGET_KEYS = ("labels", "next_sentence_label")


def model_inputs(batch: dict, device: torch.device, *, head_input: str | None = None) -> dict[str, torch.Tensor]:
    """The tensors a transformers model takes (targets excluded: the loss is computed outside).

    ``head_input``: the extra input of the training heads of training/heads.py — the mask of labelled
    positions (``masked_positions``) or the shifted labels (``loss_labels``).
    """
    inputs = {k: v.to(device, non_blocking=True) for k, v in batch.items()
              if k not in NON_MODEL_KEYS and k not in TARGET_KEYS and torch.is_tensor(v)}
    if head_input == MASKED_POSITIONS:
        inputs[MASKED_POSITIONS] = batch["labels"].to(device) != IGNORE_INDEX
    elif head_input == LOSS_LABELS:
        inputs[LOSS_LABELS] = shift_labels(batch["labels"].to(device))
    return inputs


def model_targets(batch: dict, device: torch.device, *, head_input: str | None = None) -> dict[str, torch.Tensor]:
    targets = {k: batch[k].to(device) for k in TARGET_KEYS if k in batch}
    if head_input == MASKED_POSITIONS:
        targets[MASKED_POSITIONS] = targets["labels"] != IGNORE_INDEX
    return targets


def summarize(totals: dict[str, float], objective: str) -> dict[str, float]:
    """Summed figures → the ``val_*`` metrics."""
    n = max(totals["lm_tokens"], 1.0)
    out = {"val_loss": totals["lm_loss"] / n}
    out["val_ppl"] = math.exp(min(out["val_loss"], 700.0))
    if objective == "clm":
        out["val_bpb"] = totals["lm_loss"] / math.log(2) / max(totals["bytes"], 1.0)
    else:
        out["val_mlm_acc"] = totals["lm_correct"] / n
    if objective == "mlm+nsp":
        count = max(totals["nsp_count"], 1.0)
        out["val_nsp_loss"] = totals["nsp_loss"] / count
        out["val_nsp_acc"] = totals["nsp_correct"] / count
    out["val_tokens"] = totals["lm_tokens"]
    return out


@torch.no_grad()
def evaluate(model: torch.nn.Module, batches: Iterable[dict], objective: str, d: Dist, *,
             autocast=contextlib.nullcontext, head_input: str | None = None) -> dict[str, float]:
    was_training = model.training
    model.eval()
    sums = torch.zeros(len(_FIELDS), dtype=torch.float64)
    for batch in batches:
        with autocast():
            outputs = model(**model_inputs(batch, d.device, head_input=head_input))
        targets = model_targets(batch, d.device, head_input=head_input)
        s = objective_sums(outputs, targets, objective, accuracy=True)
        values = [s.lm_loss, s.lm_tokens, s.lm_correct, s.nsp_loss, s.nsp_count, s.nsp_correct,
                  batch.get("num_bytes", 0)]
        sums += torch.tensor([float(v) if v is not None else 0.0 for v in values], dtype=torch.float64)
    totals = dict(zip(_FIELDS, all_reduce_sum(d, sums).tolist()))
    model.train(was_training)
    return summarize(totals, objective)
