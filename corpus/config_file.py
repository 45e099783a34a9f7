"""`--config FILE`: the YAML mapping of option names to values that `build`, `crawl` and `train` accept."""
from __future__ import annotations

from typing import Any

import yaml


def read_config_mapping(path: str) -> dict[str, Any]:
    """The mapping in ``path``; a ValueError that names the file when it cannot be read, is not YAML,
    or is not a mapping. Which keys are allowed is the caller's to check."""
    try:
        with open(path, encoding="utf-8") as f:
            values = yaml.safe_load(f) or {}
    except OSError as e:
        raise ValueError(f"--config {path}: cannot be read ({e.strerror or e})") from None
    except yaml.YAMLError as e:
        raise ValueError(f"--config {path}: not valid YAML ({' '.join(str(e).split())})") from None
    if not isinstance(values, dict):
        raise ValueError(f"--config {path}: must be a YAML mapping of option names to values")
    return values
