"""Per-token lookup tables from the corpus tokenizer: what the objectives and bits-per-byte need.

Shards store only token ids; these tables, built once from the sentencepiece model, say for each
id whether it is special, whether it starts a word (sentencepiece's ``▁``), whether a segment
boundary may follow it, and how many UTF-8 bytes of text it stands for.

Segment boundaries (for NSP): sentencepiece tokens do not carry sentences, so a boundary is
allowed *after* a token that ends a line (the byte piece ``<0x0A>``: ``\\n`` is never in the
vocabulary, it always encodes through byte fallback, see corpus/tokenizer/train.py) or a token
whose text ends with sentence-final punctuation (``. ! ? …`` and the CJK ``。！？``) when the
next token starts a word. Lines are the paragraphs of our cleaned documents, and the punctuation
rule splits long paragraphs; both are exact on the stored ids, with no text to re-parse.
Where a segment has no such boundary, :mod:`training.data.nsp` falls back to its middle.

Bytes: a normal piece stands for its text with ``▁`` read as a space; a byte piece for one byte;
control and unknown pieces for none. sentencepiece puts a ``▁`` before every document's text
that is not in the text (the dummy prefix), so one byte less is counted for a document's first
token (see :func:`training.objectives.target_bytes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sentencepiece as spm

SPACE = "\u2581"
SENTENCE_END = tuple(".!?\u2026\u3002\uff01\uff1f")
NEWLINE_PIECE = "<0x0A>"
REQUIRED_SPECIALS = ("pad", "eos")


@dataclass(frozen=True, eq=False)
class VocabTables:
    """Boolean/int arrays indexed by token id; ``special_ids`` names the special tokens."""

    special_ids: Mapping[str, int]
    is_special: np.ndarray     # bool: control/unknown pieces; never masked, no bytes
    starts_word: np.ndarray    # bool: the piece begins with ``▁``
    ends_line: np.ndarray      # bool: the newline byte piece
    ends_sentence: np.ndarray  # bool: text ends with sentence-final punctuation
    piece_bytes: np.ndarray    # int32: UTF-8 bytes of text the piece stands for
    starts_with_space: np.ndarray  # bool: one of those bytes is a ``▁`` (the dummy prefix at a document start)

    @property
    def vocab_size(self) -> int:
        return int(self.is_special.shape[0])

    def normal_ids(self) -> np.ndarray:
        """Ids an MLM may substitute for a selected token: every non-special id."""
        return np.flatnonzero(~self.is_special)

    def boundaries(self, tokens: np.ndarray) -> np.ndarray:
        """Positions ``p`` in ``1..len-1`` where a segment may start: a line ended, or a sentence ended
        and a word starts at ``p``."""
        if tokens.shape[0] < 2:
            return np.zeros(0, dtype=np.int64)
        prev, cur = tokens[:-1], tokens[1:]
        ok = self.ends_line[prev] | (self.ends_sentence[prev] & self.starts_word[cur])
        return np.flatnonzero(ok) + 1


def tables_from_processor(processor: spm.SentencePieceProcessor, special_ids: Mapping[str, int]) -> VocabTables:
    size = processor.get_piece_size()
    missing = [name for name in REQUIRED_SPECIALS if name not in special_ids]
    if missing:
        raise ValueError(f"tokenizer: the manifest names no {missing} token; training needs {list(REQUIRED_SPECIALS)}")
    is_special = np.zeros(size, dtype=bool)
    starts_word = np.zeros(size, dtype=bool)
    ends_line = np.zeros(size, dtype=bool)
    ends_sentence = np.zeros(size, dtype=bool)
    starts_with_space = np.zeros(size, dtype=bool)
    piece_bytes = np.zeros(size, dtype=np.int32)
    pieces = processor.id_to_piece(list(range(size)))
    for i, piece in enumerate(pieces):
        # Control, unknown, unused and byte pieces are all named <...>; only those need asking.
        if piece.startswith("<") and piece.endswith(">") and len(piece) > 2:
            if processor.is_control(i) or processor.is_unknown(i) or processor.is_unused(i):
                is_special[i] = True
                continue
            if processor.is_byte(i):
                piece_bytes[i] = 1
                ends_line[i] = piece == NEWLINE_PIECE
                continue
        starts_word[i] = starts_with_space[i] = piece.startswith(SPACE)
        piece_bytes[i] = len(piece.replace(SPACE, " ").encode("utf-8"))
        ends_sentence[i] = piece.rstrip(SPACE).endswith(SENTENCE_END)
    for name, token_id in special_ids.items():
        if not 0 <= token_id < size:
            raise ValueError(f"tokenizer: special token {name} has id {token_id}, outside the vocabulary of {size}")
        is_special[token_id] = True
        starts_word[token_id] = starts_with_space[token_id] = False
        piece_bytes[token_id] = 0
    return VocabTables(special_ids=dict(special_ids), is_special=is_special, starts_word=starts_word,
                       ends_line=ends_line, ends_sentence=ends_sentence, piece_bytes=piece_bytes,
                       starts_with_space=starts_with_space)


def tables_from_model_bytes(model: bytes, special_ids: Mapping[str, int]) -> VocabTables:
    return tables_from_processor(spm.SentencePieceProcessor(model_proto=model), special_ids)
