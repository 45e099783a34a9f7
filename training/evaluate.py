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
from training.loss import objective_sums

_FIELDS = ("lm_loss", "lm_tokens", "lm_correct", "nsp_loss", "nsp_count", "nsp_correct", "bytes")


def model_inputs(batch: dict, device: torch.device) -> dict[str, torch.Tensor]:
    """The tensors a transformers model takes (``labels`` excluded: the loss is computed outside)."""
    return {k: v.to(device, non_blocking=True) for k, v in batch.items()
            if k not in NON_MODEL_KEYS and k not in ("labels", "next_sentence_label") and torch.is_tensor(v)}


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
             autocast=contextlib.nullcontext) -> dict[str, float]:
    was_training = model.training
    model.eval()
    sums = torch.zeros(len(_FIELDS), dtype=torch.float64)
    for batch in batches:
        with autocast():
            outputs = model(**model_inputs(batch, d.device))
        targets = {k: batch[k].to(d.device) for k in ("labels", "next_sentence_label") if k in batch}
        s = objective_sums(outputs, targets, objective)
        values = [s.lm_loss, s.lm_tokens, s.lm_correct, s.nsp_loss, s.nsp_count, s.nsp_correct,
                  batch.get("num_bytes", 0)]
        sums += torch.tensor([float(v) if v is not None else 0.0 for v in values], dtype=torch.float64)
    totals = dict(zip(_FIELDS, all_reduce_sum(d, sums).tolist()))
    model.train(was_training)
    return summarize(totals, objective)
