"""Training the corpus tokenizer (sentencepiece) on a bounded, deterministic sample of documents.

Choices, and why:

* Special tokens for both objectives at fixed ids: ``<pad>``=0, ``<unk>``=1, ``<s>``=2, ``</s>``=3,
  ``<cls>``=4, ``<sep>``=5, ``<mask>``=6. cls/sep/mask are *control* symbols, not user-defined ones:
  a control symbol is never produced from text, so a web page that contains the string ``<mask>``
  cannot plant a mask token in the MLM data (a user-defined symbol would be matched in text).
  The Hugging Face export mirrors this (``split_special_tokens``; see :mod:`.hf_export`).
* ``normalization_rule_name="identity"`` and ``remove_extra_whitespaces=False``: the cleaning stage
  already normalised the text (NFC, whitespace); a second, different normalisation inside the
  tokenizer could not be reproduced exactly by the Hugging Face tokenizer.
* Multi-line documents: sentencepiece reads one sentence per input line, so each non-empty line
  (paragraph) of a document is one training sentence. ``\\n`` itself is then never in the
  vocabulary and encodes, like every uncovered character, through byte fallback (``<0x0A>``).
* Determinism: the sample is the documents with the smallest :func:`sample_key` (the same rule as
  ``beam.combiners.Top.Smallest`` in the pipeline), fed in key order; sentencepiece samples nothing
  (``input_sentence_size=0``, no shuffle). The unigram EM sums floats per thread, so the thread count
  changes the scores: it is part of the config (:data:`NUM_THREADS`), not the machine's core count.
* ``hard_vocab_limit=False``: a small sample cannot support 32,000 pieces; the vocabulary then ends
  smaller than asked instead of failing. :attr:`TokenizerInfo.vocab_size` is the real size.
"""
from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import sentencepiece as spm

from corpus.counters import CounterFn, noop_counter
from corpus.shards.manifest import TokenizerInfo as ManifestTokenizer
from corpus.tokenizer.encode import MODEL_FILE, SPECIAL_TOKENS
from corpus.tokenizer.hf_export import PROBE_TEXTS, export_hf_tokenizer, mismatches

MODEL_TYPES = ("unigram", "bpe")
VOCAB_SIZE = 32_000
CHARACTER_COVERAGE = 0.9995
SAMPLE_DOCUMENTS = 200_000
SAMPLE_CHARS = 200_000_000
SEED = 0
NUM_THREADS = 16
# Longest training line (bytes); sentencepiece skips longer ones (its default, 4192, drops whole paragraphs).
MAX_SENTENCE_BYTES = 1 << 16

VOCAB_FILE = "spm.vocab"
CONTROL_SYMBOLS = ("<cls>", "<sep>", "<mask>")
# Every character of the special and byte-fallback piece names (``<0x0A>``) is forced into the
# vocabulary, so that such a string met in text always has a path of ordinary pieces (see hf_export).
_NAME_CHARS = "".join(sorted(set("".join(p for p, _ in SPECIAL_TOKENS.values()) + "<>0123456789ABCDEFx")))


@dataclass(frozen=True)
class TokenizerConfig:
    """How the tokenizer is trained; the defaults are the pipeline's choice."""

    model_type: str = "unigram"
    vocab_size: int = VOCAB_SIZE
    character_coverage: float = CHARACTER_COVERAGE
    byte_fallback: bool = True
    split_digits: bool = True
    sample_documents: int = SAMPLE_DOCUMENTS
    sample_chars: int = SAMPLE_CHARS
    seed: int = SEED
    num_threads: int = NUM_THREADS

    def __post_init__(self) -> None:
        if self.model_type not in MODEL_TYPES:
            raise ValueError(f"TokenizerConfig.model_type must be one of {MODEL_TYPES}, got {self.model_type!r}")
        # Below 7 specials + 256 bytes + the characters of the sample, sentencepiece cannot train.
        min_vocab = len(SPECIAL_TOKENS) + (256 if self.byte_fallback else 0) + len(_NAME_CHARS)
        if not isinstance(self.vocab_size, int) or self.vocab_size < min_vocab:
            raise ValueError(f"TokenizerConfig.vocab_size must be an int >= {min_vocab}, got {self.vocab_size!r}")
        if not isinstance(self.character_coverage, float) or not 0.9 <= self.character_coverage <= 1.0:
            raise ValueError(f"TokenizerConfig.character_coverage must be a float in [0.9, 1.0], "
                             f"got {self.character_coverage!r}")
        for name in ("byte_fallback", "split_digits"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"TokenizerConfig.{name} must be a bool, got {getattr(self, name)!r}")
        for name in ("sample_documents", "sample_chars", "num_threads"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"TokenizerConfig.{name} must be a positive int, got {value!r}")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise ValueError(f"TokenizerConfig.seed must be a non-negative int, got {self.seed!r}")


@dataclass(frozen=True)
class TokenizerInfo:
    """What the manifest records about the tokenizer; ``path`` is the tokenizer directory."""

    path: str
    vocab_size: int
    sha256: str
    model_type: str
    special_token_ids: Mapping[str, int] = field(default_factory=dict)

    def for_manifest(self, relative_path: str = "tokenizer") -> ManifestTokenizer:
        """The manifest's tokenizer entry; its path is relative to the corpus directory."""
        return ManifestTokenizer(path=relative_path, vocab_size=self.vocab_size, sha256=self.sha256,
                                 special_tokens=dict(self.special_token_ids), model_type=self.model_type)


def sample_key(doc_id: str, seed: int = SEED) -> int:
    """A 64-bit hash of the document id: the sample is the documents with the smallest keys."""
    digest = hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8, salt=seed.to_bytes(8, "little")).digest()
    return int.from_bytes(digest, "big")


def select_sample(docs: Iterable, config: TokenizerConfig) -> list[str]:
    """Texts of the bounded deterministic sample, in key order (``docs``: Documents or ``(id, text)``).

    The ``sample_documents`` smallest keys are taken first (``Top.Smallest`` in Beam), then the
    character budget cuts that list in key order, so both sides pick exactly the same texts.
    """
    keyed = []
    for doc in docs:
        doc_id, text = (doc.id, doc.text) if hasattr(doc, "text") else doc
        keyed.append((sample_key(doc_id, config.seed), doc_id, text))
    keyed.sort()
    return apply_char_budget([text for _, _, text in keyed[:config.sample_documents]], config.sample_chars)


def apply_char_budget(texts: Iterable[str], max_chars: int) -> list[str]:
    """The leading texts whose lengths sum to at most ``max_chars`` (at least one text)."""
    out: list[str] = []
    total = 0
    for text in texts:
        if out and total + len(text) > max_chars:
            break
        out.append(text)
        total += len(text)
    return out


def training_sentences(texts: Iterable[str], *, counter: CounterFn = noop_counter) -> Iterator[str]:
    """One sentencepiece sentence per non-empty line of each text (see the module docstring)."""
    for text in texts:
        for line in text.split("\n"):
            if not line:
                continue
            if len(line.encode("utf-8")) > MAX_SENTENCE_BYTES:
                counter("tokenizer:long_line_skipped")
                continue
            counter("tokenizer:training_lines")
            yield line


def train_tokenizer(texts: Iterable[str], out_dir: str | Path, config: TokenizerConfig = TokenizerConfig(),
                    *, counter: CounterFn = noop_counter) -> TokenizerInfo:
    """Train on ``texts`` (the sample, in order) and write spm.model, spm.vocab and the HF files."""
    sentences = training_sentences(texts, counter=counter)
    first = next(sentences, None)
    if first is None:
        raise ValueError("train_tokenizer: the training sample has no non-empty line")
    writer = io.BytesIO()
    spm.set_random_generator_seed(config.seed)
    try:
        spm.SentencePieceTrainer.train(
            sentence_iterator=_chain(first, sentences), model_writer=writer,
            model_type=config.model_type, vocab_size=config.vocab_size, hard_vocab_limit=False,
            character_coverage=config.character_coverage, byte_fallback=config.byte_fallback,
            required_chars=_NAME_CHARS, split_digits=config.split_digits,
            pad_id=0, unk_id=1, bos_id=2, eos_id=3, control_symbols=list(CONTROL_SYMBOLS),
            normalization_rule_name="identity", remove_extra_whitespaces=False,
            allow_whitespace_only_pieces=True, max_sentence_length=MAX_SENTENCE_BYTES,
            input_sentence_size=0, shuffle_input_sentence=False,
            num_threads=config.num_threads, minloglevel=2)
    except RuntimeError as err:
        raise ValueError(f"train_tokenizer: sentencepiece failed (model_type={config.model_type!r}, "
                         f"vocab_size={config.vocab_size}): {err}") from err
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model = writer.getvalue()
    (out / MODEL_FILE).write_bytes(model)
    processor = spm.SentencePieceProcessor(model_proto=model)
    _write_vocab(processor, out / VOCAB_FILE)
    export_hf_tokenizer(processor, out, config.model_type)
    counter("tokenizer:trained")
    return _info(processor, model, out, config.model_type)


def use_existing_tokenizer(model_path: str | Path, out_dir: str | Path, *,
                           model_type: str = "unigram") -> TokenizerInfo:
    """Copy an existing sentencepiece model in (``--tokenizer PATH``) and export the HF files.

    The model must load, have pad/unk/bos/eos and cls/sep/mask at our ids (the trainer and the
    shards rely on them), and the exported HF tokenizer must reproduce its ids on the probe texts
    (it does not when the model normalises text, e.g. ``nmt_nfkc``): otherwise ValueError.
    """

    if model_type not in MODEL_TYPES:
        raise ValueError(f"use_existing_tokenizer: model_type must be one of {MODEL_TYPES}, got {model_type!r}")
    src = Path(model_path)
    model = src.read_bytes()
    processor = load_model(model, str(src))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if src.resolve() != (out / MODEL_FILE).resolve():
        shutil.copyfile(src, out / MODEL_FILE)
    _write_vocab(processor, out / VOCAB_FILE)
    hf = export_hf_tokenizer(processor, out, model_type=model_type)
    bad = mismatches(processor, hf, PROBE_TEXTS)
    if bad:
        raise ValueError(f"{src}: the Hugging Face export gives other ids than sentencepiece on {len(bad)} of "
                         f"{len(PROBE_TEXTS)} probe texts (first: {bad[0]!r}); the model probably normalises text "
                         f"(train with normalization_rule_name='identity') or is not a {model_type} model")
    return _info(processor, model, out, model_type)


def load_model(model: bytes, where: str) -> spm.SentencePieceProcessor:
    """A sentencepiece model from its bytes, with our special tokens checked; ValueError naming ``where``."""
    try:
        processor = spm.SentencePieceProcessor(model_proto=model)
    except RuntimeError as err:
        raise ValueError(f"{where}: not a sentencepiece model ({' '.join(str(err).split())})") from err
    check_special_tokens(processor, where)
    return processor


def check_special_tokens(processor: spm.SentencePieceProcessor, where: str) -> None:
    """Raise ValueError naming ``where`` unless every special token has its piece at its fixed id."""
    size = processor.get_piece_size()
    for name, (piece, token_id) in SPECIAL_TOKENS.items():
        actual = processor.id_to_piece(token_id) if token_id < size else None
        if actual != piece:
            raise ValueError(f"{where}: special token {name} must be {piece!r} at id {token_id}, found {actual!r}")
        if name != "unk" and not processor.is_control(token_id):
            raise ValueError(f"{where}: special token {name} ({piece!r}, id {token_id}) must be a control symbol")


def _info(processor: spm.SentencePieceProcessor, model: bytes, out: Path, model_type: str) -> TokenizerInfo:
    return TokenizerInfo(path=str(out), vocab_size=processor.get_piece_size(),
                         sha256=hashlib.sha256(model).hexdigest(), model_type=model_type,
                         special_token_ids={name: token_id for name, (_, token_id) in SPECIAL_TOKENS.items()})


def _write_vocab(processor: spm.SentencePieceProcessor, path: Path) -> None:
    """spm.vocab as spm_train writes it: ``piece<TAB>score`` per line, in id order."""
    lines = (f"{processor.id_to_piece(i)}\t{processor.get_score(i):g}\n" for i in range(processor.get_piece_size()))
    path.write_text("".join(lines), encoding="utf-8")


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest
