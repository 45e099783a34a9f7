"""The training output directory: refuse to mix two runs in one, prepare it, find what to resume."""
from __future__ import annotations

import shutil
from pathlib import Path

from training.checkpoint import latest_checkpoint
from training.handoff import CARD_FILE, FINAL_DIR
from training.metrics import METRICS_FILE

CHECKPOINTS_DIR = "checkpoints"
BATCHES_DIR = "batches"
CONFIG_FILE = "train_config.json"


class OutputDirError(ValueError):
    """An output directory that this run must not write into; the message says what to do."""


def is_finished(out: Path) -> bool:
    """A run is finished once its hand-off directory is complete (the model card is written last)."""
    return (out / FINAL_DIR / CARD_FILE).is_file()


def has_run(out: Path) -> bool:
    return any((out / name).exists() for name in (METRICS_FILE, CHECKPOINTS_DIR, FINAL_DIR))


def check_output_dir(out: Path, *, resume: bool, overwrite: bool) -> None:
    """Refuse a directory holding another run unless told to resume it or to overwrite it."""
    if out.exists() and not out.is_dir():
        raise OutputDirError(f"--output_dir {out} exists and is not a directory")
    if resume or overwrite or not out.is_dir():
        return
    if is_finished(out):
        raise OutputDirError(f"--output_dir {out} holds a finished run ({out / FINAL_DIR} exists); pass --resume "
                             "to continue it or --overwrite to start again")
    if has_run(out):
        ckpt = latest_checkpoint(out / CHECKPOINTS_DIR)
        where = f"its latest checkpoint is step {ckpt.step}" if ckpt else "it has no checkpoint yet"
        raise OutputDirError(f"--output_dir {out} holds an unfinished run ({where}); pass --resume to continue it "
                             "or --overwrite to start again")


def prepare_output_dir(out: Path, *, overwrite: bool) -> None:
    """Called on rank 0 only: clear an earlier run when overwriting, and create the directory."""
    if overwrite and out.is_dir():
        for name in (METRICS_FILE, CHECKPOINTS_DIR, FINAL_DIR, BATCHES_DIR, "tensorboard", CONFIG_FILE):
            path = out / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    (out / CHECKPOINTS_DIR).mkdir(parents=True, exist_ok=True)
