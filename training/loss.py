"""Losses as sums and counts, so that micro-batches and ranks add up to exactly one global mean.

Hugging Face models average their loss over the tokens of the batch they see; averaging those means
over micro-batches or ranks weights a token by how many labels its micro-batch happened to have
(MLM masks vary). The loop instead takes sums here, counts the labelled tokens of the whole
optimizer step on every rank first, and divides once: gradient accumulation and data parallelism
then give the gradient of one big batch.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from training.heads import MASKED_POSITIONS, CausalLMLossSums

IGNORE_INDEX = -100


@dataclass
class LossSums:
    """Summed losses and counts of one forward pass (or of many, added)."""

    lm_loss: torch.Tensor          # summed token cross-entropy, nats
    lm_tokens: torch.Tensor        # labelled tokens
    lm_correct: torch.Tensor       # labelled tokens predicted exactly (argmax)
    nsp_loss: torch.Tensor | None = None
    nsp_count: torch.Tensor | None = None
    nsp_correct: torch.Tensor | None = None


def lm_sums(logits: torch.Tensor, labels: torch.Tensor, *, shift: bool,
            accuracy: bool = False) -> tuple[torch.Tensor, ...]:
    """(summed cross-entropy, labelled tokens, correct argmax or 0) in float32.

    ``shift``: causal LM, where position t predicts label t+1 (labels are unshifted, as in transformers).
    The labels are shifted rather than the logits, so the (large) logits are never copied.
    ``accuracy``: count correct argmax predictions too (evaluation; an extra pass over the logits).
    """
    if shift:
        labels = shift_labels(labels)
    logits = logits.reshape(-1, logits.size(-1))
    if logits.dtype != torch.float32:
        logits = logits.float()
    labels = labels.reshape(-1)
    loss = F.cross_entropy(logits, labels, ignore_index=IGNORE_INDEX, reduction="sum")
    valid = labels != IGNORE_INDEX
    correct = ((logits.argmax(-1) == labels) & valid).sum() if accuracy else torch.zeros((), dtype=torch.long)
    return loss, valid.sum(), correct


def shift_labels(labels: torch.Tensor) -> torch.Tensor:
    """Causal LM: position t is scored against label t+1; the last position has none."""
    return F.pad(labels[:, 1:], (0, 1), value=IGNORE_INDEX)


def count_labels(labels: torch.Tensor, *, shift: bool) -> int:
    """Labelled tokens of a batch, as :func:`lm_sums` will count them."""
    if shift:
        labels = labels[:, 1:]
    return int((labels != IGNORE_INDEX).sum())


def objective_sums(outputs, batch: dict, objective: str, *, accuracy: bool = False) -> LossSums:
    """Sums for one forward pass of a transformers model on ``batch``.

    With ``masked_positions`` in ``batch`` (the masked-positions-only heads of training/heads.py), the
    logits are those of the selected positions only, and so are the labels. The chunked causal-LM heads
    return the sums themselves (no logits; accuracy is not counted, and not reported for CLM).
    """
    if isinstance(outputs, CausalLMLossSums):
        zero = torch.zeros((), dtype=torch.long, device=outputs.lm_loss.device)
        return LossSums(outputs.lm_loss, outputs.lm_tokens, zero)
    labels = batch["labels"]
    if MASKED_POSITIONS in batch:
        labels = labels[batch[MASKED_POSITIONS]]
    if objective == "mlm+nsp":
        loss, n, correct = lm_sums(outputs.prediction_logits, labels, shift=False, accuracy=accuracy)
        nsp_logits = outputs.seq_relationship_logits.float()
        nsp_labels = batch["next_sentence_label"].reshape(-1)
        nsp_loss = F.cross_entropy(nsp_logits.reshape(-1, 2), nsp_labels, ignore_index=IGNORE_INDEX,
                                   reduction="sum")
        valid = nsp_labels != IGNORE_INDEX
        nsp_correct = ((nsp_logits.argmax(-1) == nsp_labels) & valid).sum()
        return LossSums(loss, n, correct, nsp_loss, valid.sum(), nsp_correct)
    loss, n, correct = lm_sums(outputs.logits, labels, shift=objective == "clm", accuracy=accuracy)
    return LossSums(loss, n, correct)


def step_loss(sums: LossSums, global_lm_tokens: int, global_nsp: int, world_size: int) -> torch.Tensor:
    """The loss to backpropagate on one rank's micro-batch.

    Data parallelism averages gradients over ranks, hence the factor ``world_size``: the ranks' losses
    then add up to (sum over the global batch) / (labelled tokens of the global batch).
    BERT's objective is the sum of the two means, as in ``BertForPreTraining``.
    """
    loss = sums.lm_loss * (world_size / max(global_lm_tokens, 1))
    if sums.nsp_loss is not None:
        loss = loss + sums.nsp_loss * (world_size / max(global_nsp, 1))
    return loss
