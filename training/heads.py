"""Masked-LM heads that score only the masked positions.

``BertForMaskedLM`` and ``BertForPreTraining`` run their prediction head (a dense layer, a layer norm
and the vocabulary projection) on every position and then ignore the ~85% that carry no label; for
a small BERT with a 30k vocabulary that head is a large share of the step. These subclasses take a
``masked_positions`` mask and run the head on those positions only, which gives the same loss and
gradients for a fraction of the head's work. They add no parameter and keep every module name, so
checkpoints and the hand-off (saved as the plain transformers class) are unchanged.
"""
from __future__ import annotations

import torch
from transformers import BertForMaskedLM, BertForPreTraining, PretrainedConfig
from transformers.modeling_outputs import MaskedLMOutput
from transformers.models.bert.modeling_bert import BertForPreTrainingOutput


class MaskedPositionsBertForMaskedLM(BertForMaskedLM):
    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, position_ids=None,
                masked_positions: torch.Tensor | None = None, **kwargs) -> MaskedLMOutput:
        hidden = self.bert(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                           position_ids=position_ids, return_dict=True, **kwargs)[0]
        if masked_positions is not None:
            hidden = hidden[masked_positions]
        return MaskedLMOutput(logits=self.cls(hidden))


class MaskedPositionsBertForPreTraining(BertForPreTraining):
    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, position_ids=None,
                masked_positions: torch.Tensor | None = None, **kwargs) -> BertForPreTrainingOutput:
        outputs = self.bert(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                            position_ids=position_ids, return_dict=True, **kwargs)
        hidden, pooled = outputs[0], outputs[1]
        if masked_positions is not None:
            hidden = hidden[masked_positions]
        return BertForPreTrainingOutput(prediction_logits=self.cls.predictions(hidden),
                                        seq_relationship_logits=self.cls.seq_relationship(pooled))


_CLASSES = {("bert", "mlm"): MaskedPositionsBertForMaskedLM, ("bert", "mlm+nsp"): MaskedPositionsBertForPreTraining}


def masked_positions_class(config: PretrainedConfig, objective: str):
    """The masked-positions-only class for this model type and objective, or None."""
    return _CLASSES.get((config.model_type, objective))
