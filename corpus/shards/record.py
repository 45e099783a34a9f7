"""ShardRecord: one tokenized document, the unit that shard writers encode and readers yield.

The tokenizer stage emits these and the shard writers/readers speak nothing else, so the
validation lives here once: token ids are a 1-D uint16 or uint32 array (uint16 whenever the
vocabulary fits, which halves the corpus on disk).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOKEN_DTYPES = (np.dtype(np.uint16), np.dtype(np.uint32))


@dataclass(frozen=True, eq=False)
class ShardRecord:
    """A tokenized document with its provenance; `text` only when the build keeps text."""

    id: str
    tokens: np.ndarray
    url: str = ""
    source: str = ""
    language: str = ""
    text: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"ShardRecord.id must be a non-empty str, got {self.id!r}")
        if not isinstance(self.tokens, np.ndarray):
            raise TypeError(
                f"ShardRecord.tokens of {self.id!r} must be a numpy array, got {type(self.tokens).__name__}"
            )
        if self.tokens.ndim != 1:
            raise ValueError(f"ShardRecord.tokens of {self.id!r} must be 1-D, got shape {self.tokens.shape}")
        if self.tokens.dtype not in TOKEN_DTYPES:
            raise ValueError(
                f"ShardRecord.tokens of {self.id!r} must be uint16 or uint32, got {self.tokens.dtype}"
            )
        for name in ("url", "source", "language"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"ShardRecord.{name} of {self.id!r} must be a str")
        if self.text is not None and not isinstance(self.text, str):
            raise TypeError(f"ShardRecord.text of {self.id!r} must be a str or None")

    @property
    def num_tokens(self) -> int:
        return int(self.tokens.shape[0])

    def __eq__(self, other: object) -> bool:
        # numpy arrays compare elementwise; dtype is part of the identity (uint16 != uint32 corpus).
        if not isinstance(other, ShardRecord):
            return NotImplemented
        return (
            self.id == other.id
            and self.url == other.url
            and self.source == other.source
            and self.language == other.language
            and self.text == other.text
            and self.tokens.dtype == other.tokens.dtype
            and np.array_equal(self.tokens, other.tokens)
        )

    def __hash__(self) -> int:
        return hash((self.id, self.tokens.tobytes()))

    def __repr__(self) -> str:
        return (
            f"ShardRecord(id={self.id!r}, num_tokens={self.num_tokens}, dtype={self.tokens.dtype}, "
            f"source={self.source!r}, language={self.language!r})"
        )
