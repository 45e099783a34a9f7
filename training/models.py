"""Models from `transformers` configs: named presets or a config.json, never a download.

The corpus decides the vocabulary and the special ids (pad, bos, eos, cls, sep, mask); the
objective decides the head (``AutoModelForCausalLM``, ``AutoModelForMaskedLM``,
``AutoModelForPreTraining`` for BERT's MLM + NSP). A config that cannot serve the corpus or the
sequence length is refused here, before any step runs, with the field that does not fit.

Presets have no dropout: short pretraining runs learn faster without it, and it keeps the loop
free of random numbers beyond the data's own.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import (
    AutoConfig,
    AutoModelForCausalLM,
    AutoModelForMaskedLM,
    AutoModelForPreTraining,
    PretrainedConfig,
)
from transformers.activations import FastGELUActivation, NewGELUActivation
from transformers.activations import GELUTanh as TransformersGELUTanh
from transformers.models.auto.modeling_auto import (
    MODEL_FOR_CAUSAL_LM_MAPPING_NAMES,
    MODEL_FOR_MASKED_LM_MAPPING_NAMES,
)
from transformers.utils import logging as transformers_logging

from corpus.tokenizer.encode import MODEL_FILE as TOKENIZER_MODEL_FILE
from training.gelu import GELUTanh
from training.heads import training_head_class


class ModelConfigError(ValueError):
    """A model config that does not fit the corpus, the objective or the sequence length."""


_NO_DROPOUT_GPT2 = {"resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0}
_NO_DROPOUT_BERT = {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0}

# name -> (model_type, config fields). Sizes follow the published models of the same name
# (Google's BERT-Tiny/Mini/Base, GPT-2 124M); the -tiny decoders are nanoGPT's Shakespeare CPU size.
PRESETS: Mapping[str, tuple[str, dict[str, Any]]] = {
    "bert-tiny": ("bert", {"hidden_size": 128, "num_hidden_layers": 2, "num_attention_heads": 2,
                           "intermediate_size": 512, "max_position_embeddings": 512, **_NO_DROPOUT_BERT}),
    "bert-mini": ("bert", {"hidden_size": 256, "num_hidden_layers": 4, "num_attention_heads": 4,
                           "intermediate_size": 1024, "max_position_embeddings": 512, **_NO_DROPOUT_BERT}),
    "bert-base": ("bert", {"hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12,
                           "intermediate_size": 3072, "max_position_embeddings": 512, **_NO_DROPOUT_BERT}),
    "gpt2-tiny": ("gpt2", {"n_embd": 128, "n_layer": 4, "n_head": 4, "n_positions": 1024, **_NO_DROPOUT_GPT2}),
    "gpt2-small": ("gpt2", {"n_embd": 768, "n_layer": 12, "n_head": 12, "n_positions": 1024, **_NO_DROPOUT_GPT2}),
    "llama-tiny": ("llama", {"hidden_size": 128, "intermediate_size": 384, "num_hidden_layers": 4,
                             "num_attention_heads": 4, "num_key_value_heads": 4, "max_position_embeddings": 2048,
                             "tie_word_embeddings": True}),
    "llama-small": ("llama", {"hidden_size": 768, "intermediate_size": 2048, "num_hidden_layers": 12,
                              "num_attention_heads": 12, "num_key_value_heads": 4,
                              "max_position_embeddings": 2048, "tie_word_embeddings": True}),
}

# Model types whose ``AutoModelForPreTraining`` head has next-sentence prediction.
NSP_MODEL_TYPES = ("bert", "megatron-bert", "mobilebert", "ernie", "nezha")
SPECIAL_ID_FIELDS = {"pad": "pad_token_id", "bos": "bos_token_id", "eos": "eos_token_id",
                     "cls": "cls_token_id", "sep": "sep_token_id", "mask": "mask_token_id"}
_POSITION_FIELDS = ("n_positions", "max_position_embeddings")


@dataclass(frozen=True)
class ModelSpec:
    """Where a config came from (for messages and the model card) and the config itself."""

    source: str
    config: PretrainedConfig


def load_model_config(model: str) -> PretrainedConfig:
    """A preset name or the path of a config.json → a transformers config (vocabulary not set yet)."""
    if model in PRESETS:
        model_type, values = PRESETS[model]
        return AutoConfig.for_model(model_type, **values)
    path = Path(model)
    if not path.is_file():
        raise ModelConfigError(f"--model: {model!r} is neither a preset ({', '.join(PRESETS)}) nor a config file")
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ModelConfigError(f"--model: cannot read {path} as JSON: {e}") from None
    if not isinstance(values, dict) or not isinstance(values.get("model_type"), str):
        raise ModelConfigError(f"--model: {path} must be a transformers config with a \"model_type\" field")
    model_type = values.pop("model_type")
    try:
        return AutoConfig.for_model(model_type, **values)
    except ValueError as e:
        raise ModelConfigError(f"--model: {path}: {e}") from None


def max_positions(config: PretrainedConfig) -> int | None:
    """The longest sequence the config's position embeddings (or rotary range) cover."""
    for name in _POSITION_FIELDS:
        value = getattr(config, name, None)
        if isinstance(value, int):
            return value
    return None


def fit_to_corpus(config: PretrainedConfig, *, source: str, objective: str, vocab_size: int,
                  special_ids: Mapping[str, int], seq_len: int, set_vocab: bool) -> PretrainedConfig:
    """Set the corpus vocabulary and special ids; refuse what cannot work, naming the field.

    ``set_vocab``: a preset, or a config file without ``vocab_size``, takes the corpus's; a file that
    names one keeps it if it is at least the corpus's (a padded vocabulary is fine, a short one is not).
    """
    where = f"model {source}"
    if set_vocab:
        config.vocab_size = vocab_size
    elif config.vocab_size < vocab_size:
        raise ModelConfigError(f"{where}: vocab_size {config.vocab_size} is smaller than the corpus tokenizer's "
                               f"{vocab_size} (token ids up to {vocab_size - 1} would have no embedding)")
    positions = max_positions(config)
    if positions is not None and seq_len > positions:
        field = next(n for n in _POSITION_FIELDS if isinstance(getattr(config, n, None), int))
        raise ModelConfigError(f"--seq_len {seq_len} is longer than {where}'s {field} = {positions}")
    for name, attr in SPECIAL_ID_FIELDS.items():
        if name in special_ids:
            setattr(config, attr, int(special_ids[name]))
    mt = config.model_type
    if objective == "clm":
        if mt not in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES or mt in MODEL_FOR_MASKED_LM_MAPPING_NAMES:
            raise ModelConfigError(f"{where}: a {mt!r} model is not a causal LM; use --objective mlm, or a decoder "
                                   "such as gpt2-tiny or llama-tiny")
    elif objective == "mlm":
        if mt not in MODEL_FOR_MASKED_LM_MAPPING_NAMES:
            raise ModelConfigError(f"{where}: a {mt!r} model has no masked-LM head; use --objective clm, or an "
                                   "encoder such as bert-tiny")
    elif objective == "mlm+nsp":
        if mt not in NSP_MODEL_TYPES:
            raise ModelConfigError(f"{where}: a {mt!r} model has no next-sentence head; use a BERT config")
        if getattr(config, "type_vocab_size", 2) < 2:
            raise ModelConfigError(f"{where}: type_vocab_size must be >= 2 for the two NSP segments")
    return config


def model_class(objective: str):
    return {"clm": AutoModelForCausalLM, "mlm": AutoModelForMaskedLM,
            "mlm+nsp": AutoModelForPreTraining}[objective]


def build_model(config: PretrainedConfig, objective: str, seed: int, *, training: bool = False) -> torch.nn.Module:
    """A freshly initialised model; the same seed gives the same weights on every rank.

    ``training``: the subclass whose head skips work the loss does not need, where there is one
    (training/heads.py: masked positions only for BERT, chunked loss for GPT-2 and Llama), with fused
    activation kernels; same parameters and names as the transformers class.
    """
    torch.manual_seed(seed)
    head = training_head_class(config, objective) if training else None
    if head is None:
        return model_class(objective).from_config(config)
    return fuse_activations(head(config))


def load_model(config: PretrainedConfig, objective: str, init_from: str, seed: int, *,
               training: bool = False) -> tuple[torch.nn.Module, list[str]]:
    """The model of ``build_model`` with the weights of the hand-off directory ``init_from``, and the names of
    hand-off weights it does not use (a next-sentence head when continuing with ``mlm``).

    Every parameter must come from the hand-off: a head the hand-off lacks (``mlm`` → ``mlm+nsp``) or a
    weight of another shape is refused, naming the weights, rather than silently initialised at random.
    """
    torch.manual_seed(seed)  # as build_model: the generator state the loop starts from follows --seed
    head = training_head_class(config, objective) if training else None
    cls = head or model_class(objective)
    # float32 master weights whatever the directory holds
    model, info = from_pretrained_checked(cls, init_from, config=config, dtype=torch.float32)
    missing, mismatched = info["missing_keys"], info["mismatched_keys"]
    if missing or mismatched:
        what = "; ".join(part for part in (f"missing {_names(missing)}" if missing else "",
                                            f"of another shape {_names(mismatched)}" if mismatched else "") if part)
        raise ModelConfigError(f"--init_from {init_from}: its weights do not fill a {cls.__name__} for --objective "
                               f"{objective}: {what}")
    model.train()
    return (fuse_activations(model) if head else model), info["unexpected_keys"]


def from_pretrained_checked(cls, path: str | Path, **kwargs) -> tuple[torch.nn.Module, dict]:
    """``cls.from_pretrained(path, **kwargs)`` and its loading report (``missing_keys``, ``unexpected_keys``,
    ``mismatched_keys``: sorted lists of weight names), for callers that check the report themselves:
    transformers' own report and progress bar are off, and a weight of another shape comes back in the
    report instead of as transformers' RuntimeError (which points at the report the lowered verbosity hides)."""
    verbosity, bar = transformers_logging.get_verbosity(), transformers_logging.is_progress_bar_enabled()
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    try:
        model, info = cls.from_pretrained(str(path), output_loading_info=True, ignore_mismatched_sizes=True, **kwargs)
    finally:
        transformers_logging.set_verbosity(verbosity)
        if bar:
            transformers_logging.enable_progress_bar()
    # mismatched keys come as (name, checkpoint shape, model shape) in some transformers versions
    return model, {key: sorted(str(k[0] if isinstance(k, tuple) else k) for k in info.get(key) or ())
                   for key in ("missing_keys", "unexpected_keys", "mismatched_keys")}


def _names(keys: list[str], limit: int = 6) -> str:
    return ", ".join(keys[:limit]) + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def fuse_activations(model: torch.nn.Module) -> torch.nn.Module:
    """Swap the tanh-approximated GELU — GPT-2's ``gelu_new`` (seven element-wise operations, each a pass
    over the MLP's widest tensor, forward and backward), ``gelu_fast`` and ``gelu_pytorch_tanh`` — for
    :class:`training.gelu.GELUTanh`: the same function, one sigmoid and a few in-place passes on CPU,
    PyTorch's fused kernel elsewhere (equal to float rounding). A training-time kernel choice, as Liger
    Kernel makes for Hugging Face models: no parameter changes and the saved config still says what it said."""
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, NewGELUActivation | FastGELUActivation | TransformersGELUTanh):
                setattr(module, name, GELUTanh())
    return model


def prepare_handoff_config(init_from: str, *, objective: str, vocab_size: int, special_ids: Mapping[str, int],
                           seq_len: int, tokenizer_sha256: str) -> ModelSpec:
    """The config of a hand-off directory (``corpusforge train``'s OUT/final), fitted to the corpus like any
    other, after checking that the directory holds weights and was trained with the corpus's tokenizer
    (the same ids must mean the same pieces; an equal vocabulary size is not enough)."""
    path = Path(init_from)
    if not path.is_dir():
        raise ModelConfigError(f"--init_from {init_from}: no such directory (expected an earlier run's OUT/final)")
    if not (path / "config.json").is_file():
        raise ModelConfigError(f"--init_from {init_from}: no config.json (expected an earlier run's OUT/final)")
    if not any(path.glob("model*.safetensors")):
        raise ModelConfigError(f"--init_from {init_from}: no model*.safetensors weights")
    spm = path / TOKENIZER_MODEL_FILE
    if not spm.is_file():
        raise ModelConfigError(f"--init_from {init_from}: no {TOKENIZER_MODEL_FILE}, so its tokenizer cannot be "
                               "checked against the corpus's (expected an earlier run's OUT/final)")
    digest = hashlib.sha256(spm.read_bytes()).hexdigest()
    if digest != tokenizer_sha256:
        raise ModelConfigError(f"--init_from {init_from}: trained with another tokenizer than the corpus "
                               f"({TOKENIZER_MODEL_FILE} sha256 {digest[:12]}…, the corpus's {tokenizer_sha256[:12]}…); "
                               f"build the corpus with `corpusforge build --tokenizer {spm}`")
    try:
        config = AutoConfig.from_pretrained(str(path))
    except (OSError, ValueError) as e:
        raise ModelConfigError(f"--init_from {init_from}: cannot read config.json: {e}") from None
    fitted = fit_to_corpus(config, source=str(init_from), objective=objective, vocab_size=vocab_size,
                           special_ids=special_ids, seq_len=seq_len, set_vocab=False)
    return ModelSpec(source=str(init_from), config=fitted)


def prepare_model_config(model: str, *, objective: str, vocab_size: int, special_ids: Mapping[str, int],
                         seq_len: int) -> ModelSpec:
    config = load_model_config(model)
    set_vocab = model in PRESETS or "vocab_size" not in json.loads(Path(model).read_text(encoding="utf-8"))
    fitted = fit_to_corpus(config, source=model, objective=objective, vocab_size=vocab_size,
                           special_ids=special_ids, seq_len=seq_len, set_vocab=set_vocab)
    return ModelSpec(source=model, config=fitted)


def count_parameters(model: torch.nn.Module) -> int:
    """Distinct parameters (tied embeddings counted once)."""
    seen: dict[int, int] = {}
    for p in model.parameters():
        seen[id(p)] = p.numel()
    return sum(seen.values())
