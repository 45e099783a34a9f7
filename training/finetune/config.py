"""The three argument dataclasses of `corpusforge finetune` (run_glue.py's habit: model, data, training).

``HfArgumentParser`` turns them into the command line; each validates itself in ``__post_init__``
with a message that names the field, so a bad flag fails before any model or file is opened.
The training dataclass is ours rather than transformers' ``TrainingArguments``: it exposes the dozen
choices that matter here with defaults good for small models on CPU, and :mod:`.train` maps it
onto ``TrainingArguments``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal

METRICS = ("accuracy", "macro_f1")
DEFAULT_MAX_LENGTH = 128


class InputError(ValueError):
    """Bad input to `corpusforge finetune` (a flag, a directory, a file, a record); the message names it."""


def _positive_int(owner: str, name: str, value) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InputError(f"{owner}.{name} must be a positive int, got {value!r}")


def _non_negative_float(owner: str, name: str, value) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise InputError(f"{owner}.{name} must be a non-negative number, got {value!r}")


@dataclass
class ModelArguments:
    """Which model to start from and which of its weights train."""

    model: str = field(metadata={"help": "A pretrained model directory (`corpusforge train`'s OUT/final: "
                                         "save_pretrained weights, config and tokenizer files); with "
                                         "--predict, a fine-tuned classifier directory."})
    from_scratch: bool = field(default=False, metadata={
        "help": "Same architecture and tokenizer as --model, weights randomly initialised: the baseline "
                "that shows what pretraining bought."})
    freeze_encoder: bool = field(default=False, metadata={
        "help": "Train only the classification head (and BERT's pooler); the pretrained encoder stays fixed."})
    lora: bool = field(default=False, metadata={
        "help": "Train LoRA adapters (peft) plus the classification head instead of every weight."})
    lora_r: int = field(default=8, metadata={"help": "LoRA rank."})
    lora_alpha: int = field(default=16, metadata={"help": "LoRA scaling numerator (scale = alpha / r)."})
    lora_dropout: float = field(default=0.1, metadata={"help": "Dropout on the LoRA branch."})

    def __post_init__(self) -> None:
        if not isinstance(self.model, str) or not self.model:
            raise InputError(f"ModelArguments.model must be a directory path, got {self.model!r}")
        if self.lora and self.freeze_encoder:
            raise InputError("ModelArguments.lora and ModelArguments.freeze_encoder exclude each other "
                             "(LoRA already keeps the encoder's own weights fixed)")
        if self.from_scratch and (self.lora or self.freeze_encoder):
            raise InputError("ModelArguments.from_scratch trains every weight; it cannot be combined "
                             "with --lora or --freeze_encoder (random weights would stay random)")
        _positive_int("ModelArguments", "lora_r", self.lora_r)
        _positive_int("ModelArguments", "lora_alpha", self.lora_alpha)
        if not isinstance(self.lora_dropout, int | float) or not 0 <= self.lora_dropout < 1:
            raise InputError(f"ModelArguments.lora_dropout must be in [0, 1), got {self.lora_dropout!r}")


@dataclass
class DataArguments:
    """Where the labelled examples are and which fields hold what."""

    train: str | None = field(default=None, metadata={
        "help": "Training file: .csv, .tsv, .jsonl or .parquet (optionally .gz for csv/tsv/jsonl)."})
    validation: str | None = field(default=None, metadata={
        "help": "Validation file (early stopping and the best checkpoint are chosen on it)."})
    test: str | None = field(default=None, metadata={"help": "Test file, evaluated once with the best model."})
    validation_fraction: float | None = field(default=None, metadata={
        "help": "Without --validation: hold out this fraction of --train (stratified, seeded by --seed). "
                "Default 0.1 when no validation file is given."})
    text_field: str = field(default="text", metadata={"help": "Field (column) holding the text."})
    text_pair_field: str | None = field(default=None, metadata={
        "help": "Field holding the second text of a sentence pair (entailment, paraphrase...)."})
    label_field: str = field(default="label", metadata={"help": "Field holding the label (read as a string)."})
    max_length: int | None = field(default=None, metadata={
        "help": "Tokens per example, special tokens included; longer texts are truncated. "
                "Default: 128, or the model's positions if fewer."})
    predict: str | None = field(default=None, metadata={
        "help": "Predict mode: classify this file with the classifier in --model and write JSONL "
                "with class probabilities (no training). The file is read with the field names the "
                "classifier was trained with; --text_field etc. replace them."})
    predictions_file: str | None = field(default=None, metadata={
        "help": "Where --predict writes (default: MODEL/predictions-<file stem>.jsonl)."})

    def __post_init__(self) -> None:
        if self.predict is None and self.train is None:
            raise InputError("DataArguments.train is required (or DataArguments.predict, to classify a file "
                             "with a fine-tuned model)")
        if self.predict is not None and any(x is not None for x in (self.train, self.validation, self.test)):
            raise InputError("DataArguments.predict classifies with an existing classifier; it cannot be "
                             "combined with --train, --validation or --test")
        if self.validation is not None and self.validation_fraction is not None:
            raise InputError("DataArguments.validation_fraction splits --train when there is no validation "
                             "file; give --validation or --validation_fraction, not both")
        if self.validation_fraction is not None and not 0 < self.validation_fraction < 1:
            raise InputError(f"DataArguments.validation_fraction must be in (0, 1), got {self.validation_fraction!r}")
        for name in ("text_field", "label_field"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise InputError(f"DataArguments.{name} must be a non-empty string, got {getattr(self, name)!r}")
        if self.text_pair_field is not None and self.text_pair_field in (self.text_field, self.label_field):
            raise InputError(f"DataArguments.text_pair_field must differ from the text and label fields, "
                             f"got {self.text_pair_field!r}")
        if self.text_field == self.label_field:
            raise InputError(f"DataArguments.label_field must differ from text_field, got {self.label_field!r}")
        if self.max_length is None:
            return
        _positive_int("DataArguments", "max_length", self.max_length)
        if self.max_length < 4:
            raise InputError(f"DataArguments.max_length must leave room for text after the special tokens "
                             f"(>= 4), got {self.max_length}")

    def field_overrides(self) -> dict[str, str]:
        """The field flags set to something other than their defaults. --predict reads a file with the
        field names the classifier was trained with; these replace them (a flag set to its default value
        cannot be told from one not given, and leaves the saved name)."""
        defaults = {f.name: f.default for f in fields(self)}
        return {name: getattr(self, name) for name in ("text_field", "text_pair_field", "label_field")
                if getattr(self, name) != defaults[name]}

    @property
    def held_out_fraction(self) -> float | None:
        """The fraction of --train held out for validation (None when a validation file is given)."""
        if self.validation is not None:
            return None
        return 0.1 if self.validation_fraction is None else self.validation_fraction


@dataclass
class FinetuneArguments:
    """How training runs; defaults suit small models on CPU (a few layers, width 64-512)."""

    output_dir: str | None = field(default=None, metadata={
        "help": "Where the classifier, eval.json and the checkpoints of the run go."})
    overwrite: bool = field(default=False, metadata={"help": "Replace a finished run in --output_dir."})
    learning_rate: float = field(default=1e-4, metadata={"help": "Peak learning rate (AdamW)."})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay (not on biases and norms)."})
    warmup_ratio: float = field(default=0.1, metadata={
        "help": "Fraction of the steps spent warming the learning rate up linearly; it then decays linearly to 0."})
    num_train_epochs: float = field(default=10.0, metadata={"help": "Upper bound on epochs (early stopping "
                                                                     "usually ends sooner)."})
    batch_size: int = field(default=32, metadata={"help": "Examples per training step."})
    eval_batch_size: int = field(default=128, metadata={"help": "Examples per evaluation step."})
    eval_steps: int | None = field(default=None, metadata={
        "help": "Evaluate (and keep the best checkpoint) every N steps; default: once per epoch."})
    metric: Literal["accuracy", "macro_f1"] = field(default="accuracy", metadata={
        "help": "Validation metric for early stopping and for choosing the best checkpoint."})
    early_stopping_patience: int = field(default=3, metadata={
        "help": "Stop after this many evaluations without improvement of --metric."})
    seed: int = field(default=42, metadata={"help": "Seeds the head's initialisation, the data order and "
                                                    "the validation split."})
    logging_steps: int = field(default=50, metadata={"help": "Log the training loss every N steps."})
    progress: bool = field(default=True, metadata={"help": "Show progress bars (--no-progress hides them)."})

    def __post_init__(self) -> None:
        if self.output_dir is not None and (not isinstance(self.output_dir, str) or not self.output_dir):
            raise InputError(f"FinetuneArguments.output_dir must be a directory path, got {self.output_dir!r}")
        if not isinstance(self.learning_rate, int | float) or not 0 < self.learning_rate < 1:
            raise InputError(f"FinetuneArguments.learning_rate must be in (0, 1), got {self.learning_rate!r}")
        _non_negative_float("FinetuneArguments", "weight_decay", self.weight_decay)
        if not isinstance(self.warmup_ratio, int | float) or not 0 <= self.warmup_ratio < 1:
            raise InputError(f"FinetuneArguments.warmup_ratio must be in [0, 1), got {self.warmup_ratio!r}")
        if not isinstance(self.num_train_epochs, int | float) or self.num_train_epochs <= 0:
            raise InputError(f"FinetuneArguments.num_train_epochs must be > 0, got {self.num_train_epochs!r}")
        for name in ("batch_size", "eval_batch_size", "early_stopping_patience", "logging_steps"):
            _positive_int("FinetuneArguments", name, getattr(self, name))
        if self.eval_steps is not None:
            _positive_int("FinetuneArguments", "eval_steps", self.eval_steps)
        if self.metric not in METRICS:
            raise InputError(f"FinetuneArguments.metric must be one of {METRICS}, got {self.metric!r}")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise InputError(f"FinetuneArguments.seed must be a non-negative int, got {self.seed!r}")
