"""How an example becomes model input: the tokenizer's special-token template and the features.

The corpus tokenizer adds no special tokens (``tokenizer(text)`` equals sentencepiece's ids, see
``corpus.tokenizer.hf_export``). A classifier needs a frame, and it is set here as the tokenizer's
own post-processor (``tokenizers``' ``TemplateProcessing``) and saved with the classifier, so
``AutoTokenizer.from_pretrained(OUT)(text)`` gives exactly the ids the classifier was trained on —
no code of ours is needed to use it.

* Encoder (BERT): ``<cls> A <sep>`` / ``<cls> A <sep> B <sep>`` with token types 0 / 1; the
  classifier reads the pooled ``<cls>`` position.
* Decoder (GPT-2, Llama): ``A </s>`` / ``A </s> B </s>``. Their ``ForSequenceClassification`` classes
  score every position and keep the logits of the last token that is not padding (found from
  ``config.pad_token_id``), which is the final ``</s>``: with causal attention it is the one position
  that has seen the whole input, and ``</s>`` ends every document in pretraining.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from tokenizers.processors import TemplateProcessing

from training.finetune.config import InputError
from training.finetune.data import Example

ENCODER_INPUTS = ["input_ids", "token_type_ids", "attention_mask"]
DECODER_INPUTS = ["input_ids", "attention_mask"]


def frame_tokenizer(tokenizer, *, last_token: bool) -> None:
    """Install the classification template on a fast tokenizer (in place) and name its model inputs."""
    if last_token:
        eos = (tokenizer.eos_token, tokenizer.eos_token_id)
        _require(tokenizer, eos, "eos")
        template = TemplateProcessing(single=f"$A:0 {eos[0]}:0", pair=f"$A:0 {eos[0]}:0 $B:1 {eos[0]}:1",
                                      special_tokens=[eos])
        inputs = DECODER_INPUTS
    else:
        cls, sep = (tokenizer.cls_token, tokenizer.cls_token_id), (tokenizer.sep_token, tokenizer.sep_token_id)
        _require(tokenizer, cls, "cls")
        _require(tokenizer, sep, "sep")
        template = TemplateProcessing(single=f"{cls[0]}:0 $A:0 {sep[0]}:0",
                                      pair=f"{cls[0]}:0 $A:0 {sep[0]}:0 $B:1 {sep[0]}:1",
                                      special_tokens=[cls, sep])
        inputs = ENCODER_INPUTS
    tokenizer.backend_tokenizer.post_processor = template
    # Saved in tokenizer_config.json, so a reloaded tokenizer returns the same inputs.
    tokenizer.model_input_names = list(inputs)
    tokenizer.init_kwargs["model_input_names"] = list(inputs)


def _require(tokenizer, token: tuple[str | None, int | None], name: str) -> None:
    if token[0] is None or token[1] is None:
        raise InputError(f"the tokenizer {tokenizer.name_or_path} has no {name} token; the corpus tokenizer "
                         f"defines pad, unk, bos, eos, cls, sep and mask")


def encode_examples(examples: Sequence[Example], tokenizer, max_length: int,
                    label2id: Mapping[str, int] | None = None) -> list[dict]:
    """One feature dict per example (unpadded ids, truncated to ``max_length``; ``labels`` when mapped)."""
    texts = [e.text for e in examples]
    pairs = [e.text_pair for e in examples]
    has_pairs = any(p is not None for p in pairs)
    if has_pairs and not all(p is not None for p in pairs):
        raise ValueError("encode_examples: either every example has a text pair or none does")
    encoded = tokenizer(texts, pairs if has_pairs else None, truncation=True, max_length=max_length)
    features = [{key: encoded[key][i] for key in tokenizer.model_input_names} for i in range(len(examples))]
    if label2id is not None:
        for feature, example in zip(features, examples):
            feature["labels"] = label2id[example.label]
    return features
