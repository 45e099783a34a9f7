"""The pretraining objectives as pure tensor functions: tensors and a seeded ``torch.Generator`` in,
tensors out, no I/O. The data loader (training/data/batch.py) calls them once per example with a
generator seeded from (seed, epoch, example index), so an example's masks do not depend on the
batch it lands in, the number of ranks or of workers.

Conventions are those of Hugging Face ``transformers``:

* causal LM: ``labels`` equal ``input_ids`` (the model shifts them), ``-100`` is ignored;
* MLM: ``labels`` hold the original id at selected positions and ``-100`` elsewhere;
* NSP: ``token_type_ids`` 0 for ``[CLS] A [SEP]`` and 1 for ``B [SEP]``; ``next_sentence_label``
  0 when B is A's continuation, 1 when B comes from another document;
* attention masks: a 2-D ``[B, L]`` 0/1 padding mask, or, to keep packed documents apart, a 4-D
  boolean ``[B, 1, L, L]`` mask (True = may attend), which transformers passes unchanged to its
  ``sdpa`` attention (the default); :func:`additive_mask` converts it for ``eager`` attention.
"""

from __future__ import annotations

import torch

IGNORE_INDEX = -100
MASK_FRACTION = 0.8    # of the selected tokens: replaced by [MASK]
RANDOM_FRACTION = 0.1  # replaced by a random non-special token; the rest stay unchanged


def segment_starts(segment_ids: torch.Tensor) -> torch.Tensor:
    """True where a token begins a new segment (a document run or the padding) after index 0."""
    starts = torch.zeros_like(segment_ids, dtype=torch.bool)
    starts[..., 1:] = segment_ids[..., 1:] != segment_ids[..., :-1]
    return starts


def causal_lm_labels(input_ids: torch.Tensor, real: torch.Tensor, segment_ids: torch.Tensor, *,
                     block_documents: bool) -> torch.Tensor:
    """Labels for causal LM: padding ignored; with blocking, also a segment's first token, which
    cannot see the document before it (the model predicts ``labels[i]`` from tokens ``< i``)."""
    labels = input_ids.masked_fill(~real, IGNORE_INDEX)
    if block_documents:
        labels = labels.masked_fill(segment_starts(segment_ids), IGNORE_INDEX)
    return labels


def word_ids(starts_word: torch.Tensor, special: torch.Tensor) -> torch.Tensor:
    """Word index per token: a word begins at a ``▁`` piece, at a special token and right after one."""
    begins = starts_word | special
    begins[..., 1:] |= special[..., :-1]
    begins[..., 0] = True
    return torch.cumsum(begins.long(), dim=-1) - 1


def mlm_mask(input_ids: torch.Tensor, special: torch.Tensor, generator: torch.Generator, *, mask_id: int,
             random_ids: torch.Tensor, probability: float = 0.15,
             starts_word: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT masking of ``input_ids`` ``[..., L]``: returns ``(inputs, labels)``.

    Each non-special token is selected with ``probability`` (special tokens never are); of the
    selected, 80% become ``mask_id``, 10% a token drawn uniformly from ``random_ids`` and 10% stay.
    With ``starts_word`` (whole-word masking) the draws are made per word, so every piece of a word
    is selected, and replaced the same way, together.
    """
    shape = input_ids.shape
    if starts_word is None:
        select_draw = torch.rand(shape, generator=generator)
        kind_draw = torch.rand(shape, generator=generator)
    else:
        words = word_ids(starts_word, special)
        select_draw = torch.rand(shape, generator=generator).gather(-1, words)
        kind_draw = torch.rand(shape, generator=generator).gather(-1, words)
    selected = (select_draw < probability) & ~special
    random_pick = random_ids[torch.randint(len(random_ids), shape, generator=generator)]
    inputs = torch.where(selected & (kind_draw < MASK_FRACTION), torch.full_like(input_ids, mask_id), input_ids)
    use_random = selected & (kind_draw >= MASK_FRACTION) & (kind_draw < MASK_FRACTION + RANDOM_FRACTION)
    inputs = torch.where(use_random, random_pick.to(input_ids.dtype), inputs)
    labels = input_ids.masked_fill(~selected, IGNORE_INDEX)
    return inputs, labels


def nsp_pair(a: torch.Tensor, b: torch.Tensor, *, cls_id: int, sep_id: int, pad_id: int,
             seq_len: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``[CLS] a [SEP] b [SEP]`` padded to ``seq_len``: ``(input_ids, token_type_ids, real)``."""
    n = len(a) + len(b) + 3
    if n > seq_len:
        raise ValueError(f"nsp_pair: {len(a)} + {len(b)} tokens and 3 specials exceed seq_len {seq_len}")
    ids = torch.full((seq_len,), pad_id, dtype=torch.long)
    types = torch.zeros(seq_len, dtype=torch.long)
    one = torch.tensor
    ids[:n] = torch.cat([one([cls_id]), a.long(), one([sep_id]), b.long(), one([sep_id])])
    types[len(a) + 2:n] = 1
    real = torch.zeros(seq_len, dtype=torch.bool)
    real[:n] = True
    return ids, types, real


def block_attention_mask(segment_ids: torch.Tensor, *, causal: bool) -> torch.Tensor:
    """``[B, 1, L, L]`` boolean: a token attends only within its segment (and, if causal, backwards)."""
    same = segment_ids[:, :, None] == segment_ids[:, None, :]
    if causal:
        length = segment_ids.shape[-1]
        same &= torch.ones(length, length, dtype=torch.bool).tril()
    return same[:, None]


def additive_mask(mask: torch.Tensor, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """A boolean 4-D mask as the additive float mask that ``eager`` attention adds to its scores."""
    return torch.zeros(mask.shape, dtype=dtype).masked_fill(~mask, torch.finfo(dtype).min)


def target_bytes(labels: torch.Tensor, piece_bytes: torch.Tensor, dummy_prefix: torch.Tensor, *,
                 causal: bool) -> int:
    """UTF-8 bytes of text that the predicted tokens stand for (the denominator of bits per byte).

    ``piece_bytes[id]`` is the bytes of a piece; ``dummy_prefix`` marks tokens whose leading ``▁`` is
    sentencepiece's dummy prefix (a document's first token), which is not in the text. Causal LM
    predicts ``labels[..., 1:]`` (the model shifts); MLM predicts every labelled position.
    """
    if causal:
        labels, dummy_prefix = labels[..., 1:], dummy_prefix[..., 1:]
    predicted = labels != IGNORE_INDEX
    ids = labels.clamp(min=0)
    per_token = piece_bytes[ids] - dummy_prefix.long()
    return int((per_token * predicted).sum())
