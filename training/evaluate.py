"""Evaluation on the fixed validation set: loss, perplexity, bits per byte, MLM and NSP accuracy.

Every rank evaluates its own part; sums and counts are added over ranks once at the end, so the
figures do not depend on the number of processes. Under FSDP a forward pass is a collective: a
rank whose part is exhausted keeps stepping on a zero-weight copy of its last batch until every
rank is done.
"""
from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable

import torch

from training.distributed import Dist, all_reduce_sum
from training.loss import objective_sums

NON_MODEL_KEYS = ("records", "num_tokens", "num_bytes")
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
             autocast=contextlib.nullcontext, collective_forward: bool = False) -> dict[str, float]:
    was_training = model.training
    model.eval()
    sums = torch.zeros(len(_FIELDS), dtype=torch.float64)
    it = iter(batches)
    last = None
    while True:
        batch = next(it, None)
        if collective_forward:  # FSDP: go on while any rank has a batch
            more = all_reduce_sum(d, torch.tensor([0.0 if batch is None else 1.0], dtype=torch.float64))
            if more.item() == 0:
                break
            weight = 0.0 if batch is None else 1.0
            batch = batch if batch is not None else last
            if batch is None:  # this rank had no batch at all: nothing to pad with
                raise RuntimeError("evaluate: a rank received no validation batch under FSDP")
        elif batch is None:
            break
        else:
            weight = 1.0
        last = batch
        with autocast():
            outputs = model(**model_inputs(batch, d.device))
        s = objective_sums(outputs, {k: v.to(d.device) if torch.is_tensor(v) else v for k, v in batch.items()},
                           objective)
        values = [s.lm_loss, s.lm_tokens, s.lm_correct, s.nsp_loss, s.nsp_count, s.nsp_correct,
                  batch.get("num_bytes", 0)]
        sums += weight * torch.tensor([float(v) if v is not None else 0.0 for v in values], dtype=torch.float64)
    totals = dict(zip(_FIELDS, all_reduce_sum(d, sums).tolist()))
    model.train(was_training)
    return summarize(totals, objective)
