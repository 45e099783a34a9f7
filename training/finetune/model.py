"""The classifier: a pretrained hand-off directory (or its architecture, from scratch) with a new head.

``AutoModelForSequenceClassification`` does the work: from a BERT directory (``BertForMaskedLM`` or
``BertForPreTraining``) it builds ``BertForSequenceClassification`` (pooled ``<cls>`` → classifier),
from GPT-2 or Llama their ``ForSequenceClassification`` classes (last non-pad token → ``score``; see
:mod:`.encode`). The pretraining heads are dropped, the new head is initialised from ``--seed``.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch
import transformers
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer, PreTrainedModel
from transformers.models.auto.modeling_auto import MODEL_FOR_MASKED_LM_MAPPING_NAMES

from training.finetune.config import InputError
from training.finetune.encode import frame_tokenizer
from training.models import from_pretrained_checked


def pools_last_token(config) -> bool:
    """True when the model type's ``ForSequenceClassification`` reads the last non-pad token (GPT-2,
    Llama and the other decoder-only families), False when it reads the first (``<cls>``) position.

    The rule: a model type with a masked-LM class in transformers (BERT, RoBERTa, ModernBERT...) is
    an encoder and pools the first position; decoder-only types have none. What decides is the
    classification class, not the pretraining objective, so it is read from the model type.
    """
    return config.model_type not in MODEL_FOR_MASKED_LM_MAPPING_NAMES


def max_positions(config) -> int | None:
    """The longest input the model's position embeddings allow (None: no learned limit known)."""
    for name in ("max_position_embeddings", "n_positions"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return None


def check_model_dir(path: str | Path) -> Path:
    """A directory with a config.json; else a ValueError naming what is missing."""
    path = Path(path)
    if not path.is_dir():
        raise InputError(f"--model {path}: no such directory (expected `corpusforge train`'s OUT/final)")
    if not (path / "config.json").is_file():
        raise InputError(f"--model {path}: no config.json; expected a save_pretrained directory "
                         f"(`corpusforge train` writes one to OUT/final)")
    return path


def load_tokenizer(model_dir: str | Path, *, last_token: bool):
    """The corpus tokenizer of ``model_dir`` with the classification template installed."""
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    if not tokenizer.is_fast:
        raise InputError(f"--model {model_dir}: the tokenizer must be a fast (tokenizers) one; "
                         f"the corpus tokenizer's tokenizer.json is missing?")
    if tokenizer.pad_token_id is None:
        raise InputError(f"--model {model_dir}: the tokenizer has no pad token")
    frame_tokenizer(tokenizer, last_token=last_token)
    return tokenizer


def is_classifier(config) -> bool:
    """True for a directory saved by a fine-tuning (its weights include a trained classification head);
    a pretraining hand-off says ``*ForMaskedLM``/``*LMHeadModel``/``*ForCausalLM`` and has none, although
    every config carries default ``id2label`` names (LABEL_0, LABEL_1)."""
    return any(name.endswith("ForSequenceClassification") for name in config.architectures or ())


def check_classifier_labels(config, model_dir: str | Path, labels: Sequence[str]) -> None:
    """A directory that is already a classifier (an earlier fine-tuning's output; ``config`` is its
    config) may be fine-tuned further only on its own labels: its head's rows are those labels, and reusing
    them for other names would carry one class's weights over to another. Pretraining hand-offs have no
    classification head and pass."""
    if not is_classifier(config):
        return
    own = [config.id2label[i] for i in range(len(config.id2label))]
    if own != list(labels):
        raise InputError(f"--model {model_dir} is a classifier for the labels {', '.join(own)}; the training data "
                         f"has {', '.join(labels)}. Fine-tune the pretrained model it came from (corpusforge "
                         f"train's OUT/final) instead, or pass --from_scratch")


def build_classifier(model_dir: str | Path, labels: Sequence[str], *, from_scratch: bool, seed: int,
                     pad_token_id: int) -> tuple[PreTrainedModel, dict]:
    """The sequence classifier and what loading reported (``new``: freshly initialised weights,
    ``unused``: pretraining weights the classifier does not use)."""
    id2label = dict(enumerate(labels))
    label2id = {label: i for i, label in id2label.items()}
    config = AutoConfig.from_pretrained(str(model_dir), id2label=id2label, label2id=label2id)  # sets num_labels
    if config.pad_token_id is None:  # the CLM classifiers find the last real token through it
        config.pad_token_id = pad_token_id
    transformers.set_seed(seed)
    if from_scratch:
        model = AutoModelForSequenceClassification.from_config(config)
        return model, {"new": sorted(n for n, _ in model.named_parameters()), "unused": []}
    # the load report is summarised by the caller instead
    model, info = from_pretrained_checked(AutoModelForSequenceClassification, model_dir, config=config)
    if info["mismatched_keys"]:
        raise InputError(f"--model {model_dir}: weights of the wrong shape for this config: "
                         f"{info['mismatched_keys']}")
    return model, {"new": info["missing_keys"], "unused": info["unexpected_keys"]}


def head_module_names(model: PreTrainedModel) -> list[str]:
    """Modules outside the pretrained body that must train: the classifier head, and BERT's pooler
    (new when the pretraining had no NSP head, and part of the path from ``<cls>`` to the head)."""
    base = model.base_model_prefix
    names = [name for name, module in model.named_children()
             if name != base and any(True for _ in module.parameters())]
    pooler = getattr(getattr(model, base, None), "pooler", None)
    if isinstance(pooler, torch.nn.Module):
        names.append("pooler")
    return names


def freeze_encoder(model: PreTrainedModel) -> None:
    """Only the head (see :func:`head_module_names`) keeps ``requires_grad``."""
    heads = head_module_names(model)
    base = model.base_model_prefix
    trainable = tuple(f"{base}.{h}." if h == "pooler" else f"{h}." for h in heads)
    for name, param in model.named_parameters():
        param.requires_grad = name.startswith(trainable)


def add_lora(model: PreTrainedModel, *, r: int, alpha: int, dropout: float):
    """A peft LoRA model; the head is in ``modules_to_save``, so it is trained and saved with the adapter
    (otherwise peft would re-initialise it on reload: peft issues #310 and #577). Target modules
    are peft's defaults for the model type (BERT query/value, GPT-2 c_attn, Llama q_proj/v_proj)."""
    from peft import LoraConfig, TaskType, get_peft_model

    config = LoraConfig(task_type=TaskType.SEQ_CLS, r=r, lora_alpha=alpha, lora_dropout=dropout,
                        modules_to_save=head_module_names(model))
    return get_peft_model(model, config)


def count_parameters(model: torch.nn.Module) -> tuple[int, int]:
    """(trainable, total) parameter counts."""
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, total
