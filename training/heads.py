"""Training-time output heads that skip work the loss does not need; same parameters, same loss.

- Masked LM: ``BertForMaskedLM`` and ``BertForPreTraining`` run their prediction head (a dense layer, a
  layer norm and the vocabulary projection) on every position and then ignore the ~85% that carry no
  label; for a small BERT with a 30k vocabulary that head is a large share of the step. The subclasses
  here take a ``masked_positions`` mask and run the head on those positions only.
- Causal LM (GPT-2, Llama): the vocabulary projection and the cross-entropy are done together, a chunk
  of rows at a time (training/chunked_ce.py), so the N × vocab logits never exist; given
  ``loss_labels`` (labels already shifted), the forward returns the summed loss and its token count.
  Without them it is the plain transformers forward (logits).

They add no parameter and keep every module name, so checkpoints and the hand-off (saved as the
plain transformers class) are unchanged. ``HEAD_INPUT`` names the extra input each one takes.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from transformers import (
    BertForMaskedLM,
    BertForPreTraining,
    GPT2LMHeadModel,
    LlamaForCausalLM,
    PretrainedConfig,
)
from transformers.modeling_outputs import MaskedLMOutput, ModelOutput
from transformers.models.bert.modeling_bert import BertForPreTrainingOutput

from training.chunked_ce import linear_cross_entropy_sum

MASKED_POSITIONS = "masked_positions"
LOSS_LABELS = "loss_labels"


class MaskedPositionsBertForMaskedLM(BertForMaskedLM):
    HEAD_INPUT = MASKED_POSITIONS

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, position_ids=None,
                masked_positions: torch.Tensor | None = None, **kwargs) -> MaskedLMOutput:
        hidden = self.bert(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                           position_ids=position_ids, return_dict=True, **kwargs)[0]
        if masked_positions is not None:
            hidden = hidden[masked_positions]
        return MaskedLMOutput(logits=self.cls(hidden))


class MaskedPositionsBertForPreTraining(BertForPreTraining):
    HEAD_INPUT = MASKED_POSITIONS

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, position_ids=None,
                masked_positions: torch.Tensor | None = None, **kwargs) -> BertForPreTrainingOutput:
        outputs = self.bert(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                            position_ids=position_ids, return_dict=True, **kwargs)
        hidden, pooled = outputs[0], outputs[1]
        if masked_positions is not None:
            hidden = hidden[masked_positions]
        return BertForPreTrainingOutput(prediction_logits=self.cls.predictions(hidden),
                                        seq_relationship_logits=self.cls.seq_relationship(pooled))


@dataclass
class CausalLMLossSums(ModelOutput):
    """What the chunked causal-LM heads return: the summed cross-entropy (nats) and its token count."""

    lm_loss: torch.Tensor | None = None
    lm_tokens: torch.Tensor | None = None


class _ChunkedLossCausalLM:
    """For ``*ForCausalLM`` classes whose logits are ``lm_head(base_model(...)[0])`` with no bias or scaling."""

    HEAD_INPUT = LOSS_LABELS

    def forward(self, input_ids=None, attention_mask=None, position_ids=None,
                loss_labels: torch.Tensor | None = None, **kwargs):
        if loss_labels is None:
            return super().forward(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                                   **kwargs)
        hidden = self.base_model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                                 return_dict=True, **kwargs)[0]
        loss, count = linear_cross_entropy_sum(hidden, self.lm_head.weight, loss_labels)
        return CausalLMLossSums(lm_loss=loss, lm_tokens=count)


class ChunkedLossGPT2LMHeadModel(_ChunkedLossCausalLM, GPT2LMHeadModel):
    pass


class ChunkedLossLlamaForCausalLM(_ChunkedLossCausalLM, LlamaForCausalLM):
    pass


_CLASSES = {("bert", "mlm"): MaskedPositionsBertForMaskedLM, ("bert", "mlm+nsp"): MaskedPositionsBertForPreTraining,
            ("gpt2", "clm"): ChunkedLossGPT2LMHeadModel, ("llama", "clm"): ChunkedLossLlamaForCausalLM}


def training_head_class(config: PretrainedConfig, objective: str):
    """The training-head subclass for this model type and objective, or None (the transformers class)."""
    return _CLASSES.get((config.model_type, objective))


def head_input(config: PretrainedConfig, objective: str) -> str | None:
    """The extra input the loop gives the training head (``MASKED_POSITIONS``, ``LOSS_LABELS``), or None."""
    cls = training_head_class(config, objective)
    return cls.HEAD_INPUT if cls is not None else None
