"""Turning examples into the tensors a transformers model takes, with the objective applied.

Randomness is per example: an example's MLM mask and NSP draws come from generators seeded by
``(seed, epoch, example index)``, never by the batch, so they are the same on any number of ranks
and workers. Evaluation uses :data:`EVAL_SEED` instead of the run's seed and epoch: validation
masks, and hence validation loss, are the same on every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from training.data.config import DataConfig
from training.data.nsp import NspExample
from training.data.packing import Packed
from training.data.vocab import VocabTables
from training.objectives import (
    block_attention_mask,
    causal_lm_labels,
    mlm_mask,
    nsp_pair,
    target_bytes,
)

EVAL_SEED = 1234
TAG_MLM = 4
SEGMENT_KEY = "_segment_ids"
# Keys of a batch that are not model inputs: the loop pops them before ``model(**batch)``.
NON_MODEL_KEYS = ("records", "num_tokens", "num_targets", "num_bytes")


def example_seed(*key: int) -> int:
    """A 63-bit seed fixed by the non-negative ints ``key`` (for ``torch.Generator.manual_seed``)."""
    return int(np.random.SeedSequence(list(key)).generate_state(1, np.uint64)[0] >> np.uint64(1))


def example_rng(*key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(list(key))))


@dataclass(frozen=True, eq=False)
class Objective:
    """The objective's settings and the vocabulary tables as tensors (built once per process)."""

    cfg: DataConfig
    vocab: VocabTables

    def __post_init__(self) -> None:
        ids = self.vocab.special_ids
        needed = {"mlm": ("mask",), "mlm+nsp": ("mask", "cls", "sep")}.get(self.cfg.objective, ())
        missing = [name for name in needed if name not in ids]
        if missing:
            raise ValueError(f"objective {self.cfg.objective!r} needs the special tokens {missing}, which the "
                             "corpus tokenizer does not name")
        object.__setattr__(self, "_special", torch.from_numpy(self.vocab.is_special))
        object.__setattr__(self, "_starts_word", torch.from_numpy(self.vocab.starts_word))
        object.__setattr__(self, "_space", torch.from_numpy(self.vocab.starts_with_space))
        object.__setattr__(self, "_bytes", torch.from_numpy(self.vocab.piece_bytes.astype(np.int64)))
        object.__setattr__(self, "_random_ids", torch.from_numpy(self.vocab.normal_ids()))

    @property
    def pad_id(self) -> int:
        return self.vocab.special_ids["pad"]

    def _mask(self, ids: torch.Tensor, seed_key: tuple[int, ...], examples: Sequence[int]) -> tuple:
        inputs, labels = torch.empty_like(ids), torch.empty_like(ids)
        for r, c in enumerate(examples):
            gen = torch.Generator().manual_seed(example_seed(*seed_key, TAG_MLM, c))
            row = ids[r]
            inputs[r], labels[r] = mlm_mask(
                row, self._special[row], gen, mask_id=self.vocab.special_ids["mask"], random_ids=self._random_ids,
                probability=self.cfg.mlm_probability,
                starts_word=self._starts_word[row] if self.cfg.whole_word_mask else None)
        return inputs, labels

    def _finish(self, batch: dict, ids: torch.Tensor, labels: torch.Tensor, real: torch.Tensor,
                segment: torch.Tensor, doc_start: torch.Tensor, causal: bool) -> dict:
        if self.cfg.block_document_attention:
            # The [B, 1, L, L] mask is made by :func:`attach_block_mask` where the batch is consumed:
            # sending L times fewer values from a data-loader worker is much cheaper.
            batch[SEGMENT_KEY] = segment
        else:
            # Always explicit: without a mask, transformers would infer packing from the position ids.
            batch["attention_mask"] = real.long()
        predicted = labels[:, 1:] if causal else labels
        batch["num_tokens"] = int(real.sum())
        batch["num_targets"] = int((predicted != -100).sum())
        batch["num_bytes"] = target_bytes(labels, self._bytes, doc_start & self._space[ids], causal=causal)
        return batch

    def packed_batch(self, packed: Packed, examples: Sequence[int], seed_key: tuple[int, ...]) -> dict:
        """A CLM or MLM batch from packed sequences (``examples``: their indices in the epoch)."""
        ids = torch.from_numpy(packed.tokens)
        real = torch.from_numpy(packed.real)
        segment = torch.from_numpy(packed.segment)
        causal = self.cfg.objective == "clm"
        if causal:
            inputs, labels = ids, causal_lm_labels(ids, real, segment,
                                                   block_documents=self.cfg.block_document_attention)
        else:
            inputs, labels = self._mask(ids, seed_key, examples)
        batch = {"input_ids": inputs, "labels": labels, "position_ids": torch.from_numpy(packed.position),
                 "records": packed.records}
        return self._finish(batch, ids, labels, real, segment, torch.from_numpy(packed.doc_start), causal)

    def nsp_batch(self, pairs: Sequence[NspExample | None], examples: Sequence[int],
                  seed_key: tuple[int, ...]) -> dict:
        """An MLM + NSP batch; ``None`` is a padding row (evaluation's last batch)."""
        n, seq_len, special = len(pairs), self.cfg.seq_len, self.vocab.special_ids
        ids = torch.full((n, seq_len), self.pad_id, dtype=torch.long)
        types = torch.zeros((n, seq_len), dtype=torch.long)
        real = torch.zeros((n, seq_len), dtype=torch.bool)
        doc_start = torch.zeros((n, seq_len), dtype=torch.bool)
        nsp_labels = torch.full((n,), -100, dtype=torch.long)
        records = []
        for r, pair in enumerate(pairs):
            if pair is None:
                records.append([])
                continue
            ids[r], types[r], real[r] = nsp_pair(torch.from_numpy(pair.a.astype(np.int64)),
                                                 torch.from_numpy(pair.b.astype(np.int64)), cls_id=special["cls"],
                                                 sep_id=special["sep"], pad_id=self.pad_id, seq_len=seq_len)
            doc_start[r, 1] = pair.a_doc_start
            doc_start[r, len(pair.a) + 2] = pair.b_doc_start
            nsp_labels[r] = 0 if pair.is_next else 1
            records.append(list(pair.records))
        segment = (~real).long()  # the pair is one segment, padding another
        position = torch.arange(seq_len).expand(n, seq_len).clone()
        position[~real] = (torch.arange(seq_len)[None, :] - real.sum(1, keepdim=True))[~real]
        inputs, labels = self._mask(ids, seed_key, examples)
        batch = {"input_ids": inputs, "labels": labels, "position_ids": position, "token_type_ids": types,
                 "next_sentence_label": nsp_labels, "records": records}
        return self._finish(batch, ids, labels, real, segment, doc_start, causal=False)


def attach_block_mask(batch: dict, *, causal: bool) -> dict:
    """Replace the batch's segment ids (block-document attention) by the 4-D attention mask."""
    segment = batch.pop(SEGMENT_KEY, None)
    if segment is not None:
        batch["attention_mask"] = block_attention_mask(segment, causal=causal)
    return batch
