"""``OUT/final/``: what the next person loads with the Auto classes, and a model card that says what it is.

``save_pretrained`` safetensors and config, the corpus tokenizer's files (``AutoTokenizer`` loads
the directory) and ``README.md`` with the corpus manifest's sha256, the model config, the steps,
the tokens and the final validation metrics. Written to ``.tmp-final`` and renamed, by rank 0 only;
under FSDP every rank takes part in gathering the full weights first.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import fsspec
import torch
from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict
from transformers import PretrainedConfig

from training.distributed import Dist, barrier
from training.models import model_class

FINAL_DIR = "final"
CARD_FILE = "README.md"


def copy_tokenizer(tokenizer_dir: str, dest: Path) -> list[str]:
    """Copy every file of the corpus's tokenizer directory (local path or fsspec URL) into ``dest``."""
    fs, root = fsspec.core.url_to_fs(str(tokenizer_dir))
    names = []
    for path in sorted(fs.find(root)):
        name = path[len(root.rstrip("/")) + 1:]
        if "/" in name:
            continue
        with fs.open(path, "rb") as src:
            (dest / name).write_bytes(src.read())
        names.append(name)
    if not names:
        raise FileNotFoundError(f"the corpus tokenizer directory {tokenizer_dir} holds no files")
    return names


def model_card(info: Mapping[str, Any]) -> str:
    """The README.md of the hand-off directory."""
    metrics = info.get("metrics") or {}
    origin = (f"whose training continued from the weights of `{info['init_from']}` (see its model card)"
              if info.get("init_from") else "pretrained from scratch")
    rows = "\n".join(f"| {k} | {v:.4f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in metrics.items())
    return f"""---
library_name: transformers
tags: [corpusforge, {info['objective']}]
---

# {info['model']} trained by corpusforge

A `{info['architecture']}` ({info['parameters']:,} parameters) {origin} with
`corpusforge train --objective {info['objective']}` on the corpus `{info['data']}`.

| | |
|---|---|
| corpus manifest sha256 | `{info['manifest_sha256']}` |
| tokenizer | {info['vocab_size']} pieces (files in this directory) |
| optimizer steps | {info['step']} |
| training tokens | {info['tokens']:,} |
| sequence length | {info['seq_len']} |
| global batch | {info['global_batch']} sequences |
| processes | {info['world_size']} ({info['device']}) |

## Final validation metrics

| metric | value |
|---|---|
{rows or '| (no validation data) | |'}

## Load it

```python
from transformers import AutoTokenizer, {info['auto_class']}
tokenizer = AutoTokenizer.from_pretrained("path/to/final")
model = {info['auto_class']}.from_pretrained("path/to/final")
```

## Model config

```json
{json.dumps(info['config'], indent=2, sort_keys=True)}
```

## Training config

```json
{json.dumps(info['train_config'], indent=2, sort_keys=True)}
```
"""


def write_handoff(out_dir: Path, model: torch.nn.Module, config: PretrainedConfig, objective: str,
                  tokenizer_dir: str, info: dict[str, Any], d: Dist) -> Path:
    """Gather the weights (all ranks), then rank 0 writes ``out_dir/final``."""
    state = get_model_state_dict(model, options=StateDictOptions(full_state_dict=True, cpu_offload=True))
    final = out_dir / FINAL_DIR
    if d.is_main:
        tmp = out_dir / f".tmp-{FINAL_DIR}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        fresh = model_class(objective).from_config(config)
        fresh.load_state_dict(state, strict=True)
        fresh.save_pretrained(str(tmp))
        copy_tokenizer(tokenizer_dir, tmp)
        card = {**info, "architecture": type(fresh).__name__, "auto_class": model_class(objective).__name__,
                "config": config.to_diff_dict()}
        (tmp / CARD_FILE).write_text(model_card(card), encoding="utf-8")
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
    barrier(d)
    return final
