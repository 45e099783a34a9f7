"""The train/validation split, decided by a hash of the document id alone.

A document's split depends on nothing but its id and the fraction, so it never moves
between splits on a rerun, whatever else the corpus holds or however the work is spread.
"""

from __future__ import annotations

import hashlib

TRAIN = "train"
VALIDATION = "validation"
SPLITS = (TRAIN, VALIDATION)
DEFAULT_VALIDATION_FRACTION = 0.005

# Salts keep the split hash independent of other hashes of the same id (e.g. shard buckets).
_SPLIT_SALT = b"corpusforge/split"
_UNIT = float(1 << 64)


def id_hash64(doc_id: str, salt: bytes) -> int:
    """A stable 64-bit hash of ``doc_id`` (Python's hash() is salted per process)."""
    digest = hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8, key=salt).digest()
    return int.from_bytes(digest, "big")


def check_fraction(validation_fraction: float, field: str = "validation_fraction") -> None:
    if not isinstance(validation_fraction, (int, float)) or not 0.0 <= validation_fraction < 1.0:
        raise ValueError(f"{field} must be a number in [0, 1), got {validation_fraction!r}")


def split_of(doc_id: str, validation_fraction: float = DEFAULT_VALIDATION_FRACTION) -> str:
    """``"validation"`` for about ``validation_fraction`` of all ids, ``"train"`` for the rest."""
    check_fraction(validation_fraction)
    if not isinstance(doc_id, str) or not doc_id:
        raise ValueError(f"split_of: doc_id must be a non-empty str, got {doc_id!r}")
    return VALIDATION if id_hash64(doc_id, _SPLIT_SALT) / _UNIT < validation_fraction else TRAIN
