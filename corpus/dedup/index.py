"""The dedup index a build leaves beside its shards, so a later build can dedup against it.

Each kept document becomes one JSON line: its id, its MinHash signature (base64 of the
little-endian uint32 values) and its exact-text key. Band keys are derived from the
signature with the parameters recorded in the manifest, so the index stays valid for any
bands x rows split of the same (num_perm, seed, ngram). A later build refuses an index made
with other signature parameters: their band keys would never collide.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from corpus.dedup.config import DedupConfig

INDEX_DIR = "dedup"
INDEX_PREFIX = "signatures"
# Parameters that must match for signatures of two builds to be comparable.
COMPATIBLE_FIELDS = ("num_perm", "seed", "ngram")


def index_record(doc_id: str, signature: np.ndarray, text_key: str) -> str:
    sig = np.asarray(signature, dtype="<u4").tobytes()
    return json.dumps({"id": doc_id, "sig": base64.b64encode(sig).decode("ascii"), "text_key": text_key},
                      sort_keys=True)


def parse_index_record(line: str, where: str = "") -> tuple[str, np.ndarray, str]:
    """``(id, signature, text_key)`` of one line; a ValueError names the file and the problem."""
    try:
        row = json.loads(line)
        sig = np.frombuffer(base64.b64decode(row["sig"], validate=True), dtype="<u4").astype(np.uint32)
        return str(row["id"]), sig, str(row["text_key"])
    except (ValueError, KeyError, TypeError) as e:
        raise ValueError(f"{where}: not a dedup index line ({e}): {line[:120]!r}") from e


def check_compatible(previous: Mapping[str, Any] | None, config: DedupConfig, where: str) -> None:
    """Refuse an earlier corpus whose signatures were made with other parameters."""
    if not previous:
        raise ValueError(f"{where}: the earlier corpus records no near-dedup parameters (built with dedup off?)")
    current = config.as_dict()
    wrong = [f"{f} {previous.get(f)!r} != {current[f]!r}" for f in COMPATIBLE_FIELDS if previous.get(f) != current[f]]
    if wrong:
        raise ValueError(f"{where}: its signatures cannot be compared with this build's: " + "; ".join(wrong))
