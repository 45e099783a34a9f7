"""The Hugging Face side of the tokenizer: ``AutoTokenizer.from_pretrained(tokenizer_dir)`` gives the
same ids as sentencepiece on the same text.

transformers' ``SpmConverter`` cannot run here: it parses the model with sentencepiece's
``sentencepiece_model_pb2``, whose generated code needs a newer protobuf runtime than apache-beam
allows. So the ``tokenizers`` model is built from what the processor itself reports
(``id_to_piece``, ``get_score``, the piece types), and the files transformers reads are written
directly (``tokenizer.json``, ``tokenizer_config.json``, ``special_tokens_map.json``), which keeps
transformers (and torch) out of ``corpus/``.

How exact equality is reached:

* Normaliser ``Prepend("▁")`` + ``Replace(" ", "▁")`` and no pre-tokenizer: sentencepiece with
  identity normalisation adds the dummy prefix even before a leading space or ``▁`` and encodes
  the whole text as one lattice (whitespace-only pieces such as ``▁▁`` exist). The ``Metaspace``
  pre-tokenizer differs on both (it skips the prefix before a leading space, and splits).
* Control, unknown and byte pieces get a score of :data:`UNREACHABLE_SCORE` in the Unigram model:
  sentencepiece never matches them in text, while the ``tokenizers`` lattice matches any vocabulary
  string. The characters of their names are forced into the vocabulary at training
  (``required_chars``) so that ``<mask>`` or ``<0x41>`` met in text always has an ordinary path.
  BPE merges are derived from the vocabulary order of the normal pieces only.
* Special tokens are registered but ``split_special_tokens`` is on: ``<mask>`` written in a text is
  text, as in sentencepiece (cls/sep/mask are control symbols). To insert a special token, use its
  id (``tokenizer.mask_token_id``) or load with ``split_special_tokens=False``.
* Known difference (unigram only): sentencepiece sums path scores in float32, ``tokenizers`` in
  float64. In a long text (thousands of characters) the running score is large enough that two
  segmentations whose scores differ by less than float32 resolution tie in sentencepiece and not here
  (e.g. ``t|ez`` vs ``te|z``); 5 of 507 real documents differed in one spot. BPE has no scores to sum.
* No post-processor: ``tokenizer(text)`` adds no bos/eos, like ``sp.encode``; the corpus
  :class:`~corpus.tokenizer.encode.Encoder` appends eos itself.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import sentencepiece as spm
from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers

from corpus.tokenizer.encode import SPECIAL_TOKENS

SPACE = "\u2581"
UNREACHABLE_SCORE = -1e9
TOKENIZER_JSON = "tokenizer.json"
TOKENIZER_CONFIG_JSON = "tokenizer_config.json"
SPECIAL_TOKENS_MAP_JSON = "special_tokens_map.json"

# Texts on which an exported tokenizer must agree with sentencepiece (also used to vet --tokenizer models).
PROBE_TEXTS = (
    "", " ", "  ", "a", " a", "a ", "  two  spaces  ", "\u2581x", "x\u2581\u2581y", "line\nbreak", "\n\nblank\n\n",
    "tab\there", "The quick brown fox jumps over the lazy dog. 1234567890 3.14159",
    "Größenänderung der Straße über Äpfel", "Привет, как дела? Москва — столица России.",
    "机器学习是人工智能的一个分支。", "日本語のテキストです。カタカナとひらがな。",
    "مرحبا بالعالم، هذا نص عربي.", "emoji 😀👍🏽 👨‍👩‍👧 flags 🇩🇪", "<s> </s> <pad> <unk> <cls> <sep> <mask> <0x41>",
    "price: $1,000,000.00 (approx.) 50% off!!!", "x\u3000y\u00a0z", "\x00\x01\x7f control",
)


def build_hf_tokenizer(processor: spm.SentencePieceProcessor, model_type: str) -> Tokenizer:
    """A ``tokenizers.Tokenizer`` that encodes exactly as ``processor`` (identity normalisation)."""
    size = processor.get_piece_size()
    pieces = [processor.id_to_piece(i) for i in range(size)]
    normal = [not (processor.is_control(i) or processor.is_unknown(i) or processor.is_byte(i)
                   or processor.is_unused(i)) for i in range(size)]
    unk_id = processor.unk_id()
    byte_fallback = any(processor.is_byte(i) for i in range(size))
    if model_type == "unigram":
        vocab = [(p, processor.get_score(i) if normal[i] else UNREACHABLE_SCORE) for i, p in enumerate(pieces)]
        model = models.Unigram(vocab, unk_id=unk_id, byte_fallback=byte_fallback)
    elif model_type == "bpe":
        vocab_ids = {p: i for i, p in enumerate(pieces)}
        merges = bpe_merges([(p, processor.get_score(i)) for i, p in enumerate(pieces) if normal[i]])
        model = models.BPE(vocab_ids, merges, unk_token=pieces[unk_id], byte_fallback=byte_fallback, fuse_unk=True)
    else:
        raise ValueError(f"build_hf_tokenizer: model_type must be 'unigram' or 'bpe', got {model_type!r}")
    tokenizer = Tokenizer(model)
    tokenizer.normalizer = normalizers.Sequence([normalizers.Prepend(SPACE), normalizers.Replace(" ", SPACE)])
    tokenizer.decoder = decoders.Sequence([decoders.Replace(SPACE, " "), decoders.ByteFallback(), decoders.Fuse(),
                                           decoders.Strip(" ", 1, 0)])
    tokenizer.add_special_tokens([AddedToken(piece, special=True, normalized=False)
                                  for piece, _ in SPECIAL_TOKENS.values()])
    tokenizer.encode_special_tokens = True
    return tokenizer


def bpe_merges(scored_pieces: list[tuple[str, float]]) -> list[tuple[str, str]]:
    """Merges of a sentencepiece BPE model from its normal pieces (in id order) and their scores.

    sentencepiece stores no merges, only pieces ranked by score; each piece is the merge of two
    shorter pieces, so every split of a piece into two vocabulary pieces is a merge of its rank
    (the method of ``tokenizers``' SentencePieceExtractor).
    """
    rank = {piece: i for i, (piece, _) in enumerate(scored_pieces)}
    merges: list[tuple[float, str, str]] = []
    for piece, score in scored_pieces:
        local = [(piece[:k], piece[k:]) for k in range(1, len(piece)) if piece[:k] in rank and piece[k:] in rank]
        local.sort(key=lambda lr: (rank[lr[0]], rank[lr[1]]))
        merges.extend((score, left, right) for left, right in local)
    merges.sort(key=lambda m: (-m[0], len(m[1]), len(m[2])))
    return [(left, right) for _, left, right in merges]


def export_hf_tokenizer(processor: spm.SentencePieceProcessor, out_dir: str | Path,
                        model_type: str = "unigram") -> Tokenizer:
    """Write the files ``AutoTokenizer.from_pretrained(out_dir)`` loads; returns the tokenizer."""
    out = Path(out_dir)
    tokenizer = build_hf_tokenizer(processor, model_type)
    tokenizer.save(str(out / TOKENIZER_JSON))
    tokens = {f"{name}_token": piece for name, (piece, _) in SPECIAL_TOKENS.items()}
    config = {"tokenizer_class": "PreTrainedTokenizerFast", **tokens, "split_special_tokens": True,
              "clean_up_tokenization_spaces": False, "add_prefix_space": False}
    _write_json(out / TOKENIZER_CONFIG_JSON, config)
    _write_json(out / SPECIAL_TOKENS_MAP_JSON, tokens)
    return tokenizer


def mismatches(processor: spm.SentencePieceProcessor, tokenizer: Tokenizer, texts: Iterable[str]) -> list[str]:
    """The texts on which ``tokenizer`` gives other ids than ``processor``."""
    texts = list(texts)
    expected = processor.encode(texts)
    got = tokenizer.encode_batch(texts, add_special_tokens=False)
    return [text for text, want, enc in zip(texts, expected, got) if enc.ids != want]


def _write_json(path: Path, obj: dict) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
