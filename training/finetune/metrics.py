"""Classification metrics (scikit-learn): the two the Trainer selects on, and the full report of eval.json."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score


def compute_metrics(eval_pred) -> dict[str, float]:
    """``Trainer``'s hook: accuracy and macro-F1 of the argmax of the logits."""
    logits, labels = eval_pred
    predictions = np.asarray(logits).argmax(axis=-1)
    return {"accuracy": float(accuracy_score(labels, predictions)),
            "macro_f1": float(f1_score(labels, predictions, average="macro", zero_division=0))}


def summarise(y_true: Sequence[int], y_pred: Sequence[int], labels: Sequence[str],
              majority_label: int | None = None) -> dict:
    """accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix.

    Every training label appears in the table and the matrix, also one absent from this split
    (support 0), so reports of different splits line up. Matrix rows are true labels, columns
    predicted ones, both in ``labels`` order. ``majority_label`` (an id) adds the accuracy of always
    predicting it: the floor a classifier must beat.
    """
    ids = list(range(len(labels)))
    report = classification_report(y_true, y_pred, labels=ids, target_names=list(labels), output_dict=True,
                                   zero_division=0)
    per_class = {name: {"precision": report[name]["precision"], "recall": report[name]["recall"],
                        "f1": report[name]["f1-score"], "support": int(report[name]["support"])}
                 for name in labels}
    summary = {
        "examples": len(y_true),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=ids, average="macro", zero_division=0)),
        "per_class": per_class,
        "confusion_matrix": {"labels": list(labels),
                             "matrix": confusion_matrix(y_true, y_pred, labels=ids).tolist()},
    }
    if majority_label is not None:
        summary["majority_class"] = {"label": labels[majority_label],
                                     "accuracy": float(np.mean(np.asarray(y_true) == majority_label))}
    return summary


def format_summary(name: str, summary: dict) -> str:
    """The summary as text: the per-class table, then the confusion matrix."""
    labels = summary["confusion_matrix"]["labels"]
    width = max(12, *(len(x) for x in labels))
    lines = [f"{name}: {summary['examples']} examples, accuracy {summary['accuracy']:.4f}, "
             f"macro-F1 {summary['macro_f1']:.4f}"
             + (f" (majority class '{summary['majority_class']['label']}': "
                f"{summary['majority_class']['accuracy']:.4f})" if "majority_class" in summary else ""),
             f"  {'label':<{width}} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>9}"]
    for label in labels:
        row = summary["per_class"][label]
        lines.append(f"  {label:<{width}} {row['precision']:>9.4f} {row['recall']:>9.4f} {row['f1']:>9.4f} "
                     f"{row['support']:>9d}")
    cell = max(7, *(len(x) for x in labels))
    lines.append("  confusion matrix (rows: true, columns: predicted)")
    lines.append(f"  {'':<{width}} " + " ".join(f"{x:>{cell}}" for x in labels))
    for label, row in zip(labels, summary["confusion_matrix"]["matrix"]):
        lines.append(f"  {label:<{width}} " + " ".join(f"{n:>{cell}d}" for n in row))
    return "\n".join(lines)
