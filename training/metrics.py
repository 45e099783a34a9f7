"""What a run reports: ``OUT/metrics.jsonl``, TensorBoard events, a progress bar, and MFU on GPUs.

Only rank 0 writes. ``metrics.jsonl`` has one JSON object per log step (``step``, ``loss``, ``lr``,
``grad_norm``, ``tokens``, ``tokens_per_s``, and ``mfu`` on a known GPU) and one per evaluation
(``step`` and ``val_*``). On resume, rows and events after the checkpoint's step are dropped, so the
files describe exactly the history of the model being trained.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import torch

METRICS_FILE = "metrics.jsonl"
TENSORBOARD_DIR = "tensorboard"

# Dense bf16 peak FLOP/s by GPU name (vendor datasheets, without sparsity).
GPU_BF16_PEAK = (
    ("H200", 989.4e12), ("H100 PCIe", 756.0e12), ("H100", 989.4e12), ("A100", 312.0e12),
    ("L40S", 362.1e12), ("L4", 121.0e12), ("A10", 125.0e12),
)


def gpu_peak_flops(name: str) -> float | None:
    """The bf16 peak of the GPU called ``name`` (``torch.cuda.get_device_name()``), if known."""
    for key, peak in GPU_BF16_PEAK:
        if key in name:
            return peak
    return None


def flops_per_token(num_params: int, num_layers: int, hidden: int, seq_len: int) -> float:
    """Training FLOPs per token: 6N for the matrices plus 12·L·H·T for attention (PaLM, appendix B)."""
    return 6.0 * num_params + 12.0 * num_layers * hidden * seq_len


def mfu(tokens_per_s: float, flops_token: float, peak: float | None) -> float | None:
    if not peak:
        return None
    return tokens_per_s * flops_token / peak


def truncate_rows(path: Path, last_step: int) -> None:
    """Keep only the rows of steps <= ``last_step`` (resume), through a temporary file."""
    if not path.is_file():
        return
    kept = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and json.loads(line).get("step", 0) <= last_step]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    tmp.replace(path)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class MetricsLogger:
    """Rank 0's writer of metrics rows, TensorBoard scalars and the progress bar; a no-op elsewhere."""

    def __init__(self, out_dir: Path, *, enabled: bool, start_step: int, total_steps: int | None,
                 progress: bool) -> None:
        self.enabled = enabled
        self._file = self._tb = self._bar = None
        if not enabled:
            return
        path = out_dir / METRICS_FILE
        truncate_rows(path, start_step)
        self._file = open(path, "a", encoding="utf-8")
        from torch.utils.tensorboard import SummaryWriter  # tensorboard is heavy; import when used
        self._tb = SummaryWriter(str(out_dir / TENSORBOARD_DIR), purge_step=start_step + 1)
        if progress:
            from tqdm.auto import tqdm
            self._bar = tqdm(total=total_steps, initial=start_step, unit="step", dynamic_ncols=True)

    def _write(self, row: dict[str, Any]) -> None:
        row = {k: _clean(v) for k, v in row.items()}
        self._file.write(json.dumps(row, sort_keys=False) + "\n")
        self._file.flush()
        for key, value in row.items():
            if key != "step" and isinstance(value, (int, float)):
                self._tb.add_scalar(key if key.startswith("val_") else f"train/{key}", value, row["step"])

    def log_train(self, row: dict[str, Any]) -> None:
        """One training row: step, loss, lr, grad_norm, tokens, tokens_per_s (and mfu)."""
        if self.enabled:
            self._write(row)

    def log_eval(self, step: int, metrics: dict[str, float]) -> None:
        if self.enabled:
            self._write({"step": step, **metrics})
            if self._bar is not None and metrics:
                self._bar.write(f"step {step}: " + ", ".join(f"{k} {v:.4g}" for k, v in metrics.items()))

    def advance(self, step: int, loss: float, lr: float, tokens_per_s: float) -> None:
        """Move the bar to ``step`` with the latest loss, learning rate and throughput."""
        if self._bar is not None:
            self._bar.update(step - self._bar.n)
            self._bar.set_postfix(loss=f"{loss:.4f}", lr=f"{lr:.2e}", tok_s=f"{tokens_per_s:,.0f}", refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        if self._tb is not None:
            self._tb.close()
        if self._file is not None:
            self._file.close()


def device_peak(device: torch.device) -> tuple[str, float | None]:
    """(device name, bf16 peak FLOP/s or None) for the MFU column."""
    if device.type != "cuda":
        return "cpu", None
    name = torch.cuda.get_device_name(device)
    return name, gpu_peak_flops(name)
