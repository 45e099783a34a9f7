"""Encoding documents into token id arrays with the corpus tokenizer (sentencepiece, batched).

The special tokens live here, the lowest module of the package, because their ids are a contract
of the corpus: the trainer pads with 0, masks with 6 and separates documents with eos (3).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import sentencepiece as spm

from corpus.counters import CounterFn, noop_counter

# name -> (piece, id). pad/unk/bos/eos are sentencepiece's own ids; cls/sep/mask are control symbols.
SPECIAL_TOKENS: Mapping[str, tuple[str, int]] = {
    "pad": ("<pad>", 0), "unk": ("<unk>", 1), "bos": ("<s>", 2), "eos": ("</s>", 3),
    "cls": ("<cls>", 4), "sep": ("<sep>", 5), "mask": ("<mask>", 6),
}
EOS_ID = SPECIAL_TOKENS["eos"][1]
MODEL_FILE = "spm.model"
# Largest vocabulary whose ids fit in uint16.
UINT16_VOCAB_LIMIT = 1 << 16
ENCODE_THREADS = 1


def token_dtype(vocab_size: int) -> np.dtype:
    """uint16 when every id fits (halves the shards), else uint32."""
    if not isinstance(vocab_size, int) or vocab_size < 1:
        raise ValueError(f"token_dtype: vocab_size must be a positive int, got {vocab_size!r}")
    if vocab_size > 1 << 32:
        raise ValueError(f"token_dtype: vocab_size {vocab_size} does not fit in uint32")
    return np.dtype(np.uint16 if vocab_size <= UINT16_VOCAB_LIMIT else np.uint32)


class Encoder:
    """A sentencepiece model loaded once; encodes batches of documents, each ending with eos.

    ``num_threads`` is sentencepiece's own batch parallelism; in Beam it stays 1 (one worker
    thread per core already), a local tool may raise it.
    """

    def __init__(self, tokenizer_dir: str | Path, *, num_threads: int = ENCODE_THREADS) -> None:
        if not isinstance(num_threads, int) or num_threads < 1:
            raise ValueError(f"Encoder: num_threads must be a positive int, got {num_threads!r}")
        path = Path(tokenizer_dir) / MODEL_FILE
        if not path.is_file():
            raise FileNotFoundError(f"Encoder: no sentencepiece model at {path}")
        self.processor = spm.SentencePieceProcessor(model_file=str(path))
        self.vocab_size = self.processor.get_piece_size()
        if self.processor.eos_id() != EOS_ID:
            raise ValueError(f"Encoder: {path} has eos id {self.processor.eos_id()}, expected {EOS_ID}")
        self.dtype = token_dtype(self.vocab_size)
        self.num_threads = num_threads

    def encode_batch(self, texts: Sequence[str], *, counter: CounterFn = noop_counter) -> list[np.ndarray]:
        """One array per text: its ids followed by eos, in :attr:`dtype`."""
        if not texts:
            return []
        ids = self.processor.encode(list(texts), add_eos=True, num_threads=self.num_threads)
        arrays = [np.asarray(row, dtype=self.dtype) for row in ids]
        counter("tokenize:documents", len(arrays))
        counter("tokenize:tokens", sum(len(a) for a in arrays))
        return arrays
