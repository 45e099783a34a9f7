"""`corpusforge finetune --predict FILE --model OUT`: class probabilities for every record, as JSONL.

The classifier is loaded with the plain Auto classes (``AutoModelForSequenceClassification``,
``AutoTokenizer``): the saved tokenizer carries the classification template and the truncation
length, the config the label names and the input fields, so nothing of the training run is needed.

One output line per input record, in input order::

    {"line": 3, "text": "...", "prediction": "pos", "probabilities": {"neg": 0.08, "pos": 0.92}}

with ``"text_pair"`` for pair tasks and ``"label"`` (the gold label) when the file has one.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

from training.finetune import data as fdata
from training.finetune.config import InputError
from training.finetune.model import check_model_dir, is_classifier
from training.models import from_pretrained_checked

DEFAULT_FIELDS = {"text": "text", "text_pair": None, "label": "label"}


def load_classifier(model_dir: str | Path):
    """(model in eval mode, tokenizer) of a fine-tuned classifier directory."""
    model_dir = check_model_dir(model_dir)
    config = AutoConfig.from_pretrained(str(model_dir))
    if not is_classifier(config):  # else from_pretrained would add a random head and predict with it
        raise InputError(f"--model {model_dir} is not a fine-tuned classifier (its config.json says "
                         f"{', '.join(config.architectures or ['no architecture'])}); --predict needs the "
                         f"--output_dir of a `corpusforge finetune` run")
    model, info = from_pretrained_checked(AutoModelForSequenceClassification, model_dir, config=config)
    wrong = [f"{what} {', '.join(info[key])}" for key, what in (("missing_keys", "missing:"),
                                                                ("mismatched_keys", "of another shape:"))
             if info[key]]
    if wrong:  # from_pretrained would fill the gaps with random weights
        raise InputError(f"--model {model_dir}: its weights do not fill its config's {config.architectures[0]} "
                         f"({'; '.join(wrong)})")
    model.eval()
    return model, AutoTokenizer.from_pretrained(str(model_dir))


def predict(model, tokenizer, examples: list[fdata.Example], *, batch_size: int = 64) -> Iterator[dict]:
    """Prediction records (see the module docstring) for ``examples``, in order."""
    names = [model.config.id2label[i] for i in range(model.config.num_labels)]
    for start in range(0, len(examples), batch_size):
        batch = examples[start:start + batch_size]
        pairs = [e.text_pair for e in batch]
        inputs = tokenizer([e.text for e in batch], pairs if pairs[0] is not None else None,
                           truncation=True, padding=True, return_tensors="pt")
        with torch.no_grad():
            probs = torch.softmax(model(**inputs).logits.float(), dim=-1).tolist()
        for example, row in zip(batch, probs):
            record = {"line": example.line, "text": example.text}
            if example.text_pair is not None:
                record["text_pair"] = example.text_pair
            best = max(range(len(row)), key=row.__getitem__)
            record["prediction"] = names[best]
            record["probabilities"] = dict(zip(names, row))
            if example.label is not None:
                record["label"] = example.label
            yield record


def predict_file(model_dir: str | Path, path: str | Path, output: str | Path | None = None, *,
                 text_field: str | None = None, text_pair_field: str | None = None,
                 label_field: str | None = None, batch_size: int = 64) -> tuple[Path, dict]:
    """Classify ``path``, write the JSONL (atomically) and return (its path, a summary).

    Field names default to the ones the classifier was trained with (``config.input_fields``).
    """
    model, tokenizer = load_classifier(model_dir)
    saved = {**DEFAULT_FIELDS, **(getattr(model.config, "input_fields", None) or {})}
    fields = fdata.Fields(text_field or saved["text"], text_pair_field or saved["text_pair"],
                          label_field or saved["label"])
    examples = fdata.read_examples(path, fields, require_label=False)
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    fdata.check_labels(examples, labels, f"the classifier's config, {Path(model_dir) / 'config.json'}")
    output = Path(output) if output is not None else Path(model_dir) / f"predictions-{_stem(path)}.jsonl"
    tmp = output.with_name(output.name + ".tmp")
    correct = labelled = 0
    with open(tmp, "w", encoding="utf-8") as f:
        for record in predict(model, tokenizer, examples, batch_size=batch_size):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            if "label" in record:
                labelled += 1
                correct += record["label"] == record["prediction"]
    os.replace(tmp, output)
    summary = {"examples": len(examples), "labelled": labelled,
               "accuracy": correct / labelled if labelled else None}
    return output, summary


def _stem(path: str | Path) -> str:
    name = Path(path).name
    for suffix in (".gz", ".csv", ".tsv", ".jsonl", ".json", ".parquet"):
        name = name.removesuffix(suffix)
    return name
