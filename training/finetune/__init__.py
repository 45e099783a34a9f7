"""Fine-tuning a pretrained model as a text classifier (`corpusforge finetune`).

* :mod:`.config`: the three argument dataclasses (model, data, training), validated.
* :mod:`.data`: labelled CSV/TSV/JSONL/Parquet, label mapping, the validation split.
* :mod:`.encode`: the tokenizer's classification template and the features.
* :mod:`.model`: the ``AutoModelForSequenceClassification`` classifier, --freeze_encoder, --lora.
* :mod:`.metrics`: accuracy, macro-F1, per-class table, confusion matrix (scikit-learn).
* :mod:`.train`: the run on Hugging Face ``Trainer``; :mod:`.predict`: --predict.
"""
from training.finetune.cli import main

__all__ = ["main"]
