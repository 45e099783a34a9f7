"""The corpus tokenizer: deterministic training, fixed special ids, HF export with identical ids, encoding."""
from __future__ import annotations

import functools
import json

import numpy as np
import pytest
import sentencepiece as spm
from hypothesis import given, settings
from hypothesis import strategies as st
from transformers import AutoTokenizer

from corpus.counters import DictCounter
from corpus.document import Document
from corpus.tokenizer import (
    SPECIAL_TOKENS,
    Encoder,
    TokenizerConfig,
    sample_key,
    select_sample,
    token_dtype,
    train_tokenizer,
    use_existing_tokenizer,
)
from corpus.tokenizer.hf_export import PROBE_TEXTS, mismatches
from corpus.tokenizer.train import training_sentences

SENTENCES = [
    "The quick brown fox jumps over the lazy dog near the river bank.",
    "Tokenizers split text into pieces; 2024 had 366 days and 12 months.",
    "Der schnelle braune Fuchs springt über den faulen Hund an der Straße.",
    "Быстрая коричневая лиса прыгает через ленивую собаку у реки.",
    "敏捷的棕色狐狸跳过了懒狗。机器学习是人工智能的一个分支。",
    "素早い茶色の狐が怠け者の犬を飛び越えた。日本語のテキストです。",
    "الثعلب البني السريع يقفز فوق الكلب الكسول.",
    "Emoji in text 😀 and 👍🏽 appear in web pages, <b>tags</b> too.",
]
# Several documents, multi-line, with enough variety for a 400-piece vocabulary.
TEXTS = [f"{SENTENCES[i % 8]} {SENTENCES[(i * 3) % 8]}\n{SENTENCES[(i + 5) % 8]} number {i}" for i in range(60)]
SMALL = TokenizerConfig(vocab_size=600, num_threads=2)

EXTRA_PROBES = [
    *SENTENCES, "  leading", "trailing   ", "a  b   c    d", "\nnew\nlines\n\n", "\ttabs\tand  spaces ",
    "digits 0123456789 and 3.5e10", "mixed Größe Москва 東京 القاهرة 😀", "<mask>ed <s>entence</s>",
]


@pytest.fixture(scope="module", params=["unigram", "bpe"])
def trained(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    info = train_tokenizer(TEXTS, out, TokenizerConfig(model_type=request.param, vocab_size=600, num_threads=2))
    return out, info


def test_training_is_deterministic(tmp_path):
    a = train_tokenizer(TEXTS, tmp_path / "a", SMALL)
    b = train_tokenizer(TEXTS, tmp_path / "b", SMALL)
    assert (tmp_path / "a" / "spm.model").read_bytes() == (tmp_path / "b" / "spm.model").read_bytes()
    assert a.sha256 == b.sha256
    assert (tmp_path / "a" / "tokenizer.json").read_bytes() == (tmp_path / "b" / "tokenizer.json").read_bytes()


def test_training_counts_and_info(tmp_path):
    counter = DictCounter()
    info = train_tokenizer(TEXTS, tmp_path, SMALL, counter=counter)
    assert counter.as_dict() == {"tokenizer:trained": 1, "tokenizer:training_lines": 120}
    assert info.vocab_size == 437  # what this small sample supports (hard_vocab_limit=False)
    assert info.model_type == "unigram"
    assert info.special_token_ids == {"pad": 0, "unk": 1, "bos": 2, "eos": 3, "cls": 4, "sep": 5, "mask": 6}
    entry = info.for_manifest().to_dict()
    assert entry == {"path": "tokenizer", "vocab_size": 437, "sha256": info.sha256, "model_type": "unigram",
                     "special_tokens": {"bos": 2, "cls": 4, "eos": 3, "mask": 6, "pad": 0, "sep": 5, "unk": 1}}
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "special_tokens_map.json", "spm.model", "spm.vocab", "tokenizer.json", "tokenizer_config.json"]
    assert (tmp_path / "spm.vocab").read_text(encoding="utf-8").splitlines()[6] == "<mask>\t0"


def test_small_sample_gives_smaller_vocab_instead_of_failing(tmp_path):
    info = train_tokenizer(["tiny sample text", "another tiny line"], tmp_path, TokenizerConfig(num_threads=2))
    assert 263 < info.vocab_size < 32_000


def test_special_ids_are_control_symbols(trained):
    out, _ = trained
    sp = spm.SentencePieceProcessor(model_file=str(out / "spm.model"))
    assert {name: sp.piece_to_id(piece) for name, (piece, _) in SPECIAL_TOKENS.items()} == {
        "pad": 0, "unk": 1, "bos": 2, "eos": 3, "cls": 4, "sep": 5, "mask": 6}
    assert [sp.is_control(i) for i in range(7)] == [True, False, True, True, True, True, True]
    # A control symbol is never produced from text: "<mask>" in a web page stays text.
    ids = sp.encode("a <mask> b <cls> <s> </s> <pad>")
    assert not set(ids) & {0, 2, 3, 4, 5, 6}


def test_hf_tokenizer_loads_and_maps_special_tokens(trained):
    out, _ = trained
    tok = AutoTokenizer.from_pretrained(str(out))
    assert [tok.pad_token_id, tok.unk_token_id, tok.bos_token_id, tok.eos_token_id,
            tok.cls_token_id, tok.sep_token_id, tok.mask_token_id] == [0, 1, 2, 3, 4, 5, 6]
    assert tok.convert_ids_to_tokens([4, 5, 6]) == ["<cls>", "<sep>", "<mask>"]
    assert json.loads((out / "tokenizer_config.json").read_text())["split_special_tokens"] is True


def test_hf_ids_equal_sentencepiece_on_probes(trained):
    out, _ = trained
    sp = spm.SentencePieceProcessor(model_file=str(out / "spm.model"))
    tok = AutoTokenizer.from_pretrained(str(out))
    probes = list(PROBE_TEXTS) + EXTRA_PROBES + TEXTS
    got = tok(probes, add_special_tokens=True)["input_ids"]
    assert [text for text, ids in zip(probes, got) if ids != sp.encode(text)] == []
    assert [t for t in probes if tok.decode(sp.encode(t)) != sp.decode(sp.encode(t))] == []


def test_mismatches_reports_differing_texts(trained):
    out, _ = trained
    sp = spm.SentencePieceProcessor(model_file=str(out / "spm.model"))
    tok = AutoTokenizer.from_pretrained(str(out))
    assert mismatches(sp, tok.backend_tokenizer, EXTRA_PROBES) == []
    tok.backend_tokenizer.normalizer = None  # without the dummy-prefix normaliser the ids differ
    assert mismatches(sp, tok.backend_tokenizer, ["hello world", ""]) == ["hello world"]


@functools.lru_cache(maxsize=2)
def _load(path: str):
    return spm.SentencePieceProcessor(model_file=f"{path}/spm.model"), AutoTokenizer.from_pretrained(path)


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(texts=st.lists(_TEXT, min_size=1, max_size=5))
def test_hf_ids_equal_sentencepiece_on_random_unicode(trained, texts):
    sp, tok = _load(str(trained[0]))
    assert tok(texts)["input_ids"] == sp.encode(texts)


def test_sample_is_smallest_keys_then_char_budget():
    docs = [Document(id=f"doc{i}", text="x" * (10 + i), source="jsonl") for i in range(20)]
    order = sorted(docs, key=lambda d: sample_key(d.id))
    config = TokenizerConfig(sample_documents=5, sample_chars=10_000)
    assert select_sample(reversed(docs), config) == [d.text for d in order[:5]]
    budget = len(order[0].text) + len(order[1].text)
    assert select_sample(docs, TokenizerConfig(sample_documents=5, sample_chars=budget)) == [
        order[0].text, order[1].text]
    assert select_sample([(d.id, d.text) for d in docs], config) == [d.text for d in order[:5]]
    assert sample_key("doc1") != sample_key("doc1", seed=1)


def test_training_sentences_are_lines():
    counter = DictCounter()
    long_line = "y" * 70_000
    assert list(training_sentences(["a\n\nb", f"c\n{long_line}\n"], counter=counter)) == ["a", "b", "c"]
    assert counter.as_dict() == {"tokenizer:long_line_skipped": 1, "tokenizer:training_lines": 3}


def test_empty_sample_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no non-empty line"):
        train_tokenizer(["", "\n\n"], tmp_path, SMALL)


@pytest.mark.parametrize("kwargs, field", [
    ({"model_type": "wordpiece"}, "model_type"), ({"vocab_size": 100}, "vocab_size"),
    ({"character_coverage": 1.5}, "character_coverage"), ({"byte_fallback": 1}, "byte_fallback"),
    ({"sample_documents": 0}, "sample_documents"), ({"sample_chars": -1}, "sample_chars"),
    ({"num_threads": 0}, "num_threads"), ({"seed": -1}, "seed"), ({"split_digits": "yes"}, "split_digits"),
])
def test_config_validation_names_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"TokenizerConfig.{field} "):
        TokenizerConfig(**kwargs)


def test_existing_tokenizer_is_copied_and_exported(trained, tmp_path):
    out, info = trained
    copied = use_existing_tokenizer(out / "spm.model", tmp_path, model_type=info.model_type)
    assert (copied.sha256, copied.vocab_size) == (info.sha256, info.vocab_size)
    assert (tmp_path / "tokenizer.json").read_bytes() == (out / "tokenizer.json").read_bytes()


def _train_plain(path, **kwargs) -> None:
    spm.SentencePieceTrainer.train(sentence_iterator=iter(TEXTS), model_prefix=str(path), vocab_size=150,
                                   minloglevel=2, **kwargs)


def test_existing_tokenizer_without_our_special_tokens_is_refused(tmp_path):
    _train_plain(tmp_path / "plain")  # sentencepiece defaults: unk=0, bos=1, eos=2, no pad
    with pytest.raises(ValueError, match=r"plain\.model: special token pad must be '<pad>' at id 0, found '<unk>'"):
        use_existing_tokenizer(tmp_path / "plain.model", tmp_path / "out")


def test_existing_tokenizer_that_normalises_is_refused(tmp_path):
    _train_plain(tmp_path / "nfkc", pad_id=0, unk_id=1, bos_id=2, eos_id=3,
                 control_symbols=["<cls>", "<sep>", "<mask>"], normalization_rule_name="nmt_nfkc")
    with pytest.raises(ValueError, match=r"nfkc\.model: the Hugging Face export gives other ids"):
        use_existing_tokenizer(tmp_path / "nfkc.model", tmp_path / "out")


def test_existing_tokenizer_not_a_model(tmp_path):
    (tmp_path / "junk.model").write_bytes(b"not a model")
    with pytest.raises(ValueError, match=r"junk\.model: not a sentencepiece model"):
        use_existing_tokenizer(tmp_path / "junk.model", tmp_path / "out")


def test_token_dtype():
    assert token_dtype(32_000) == np.uint16
    assert token_dtype(65_536) == np.uint16
    assert token_dtype(65_537) == np.uint32
    with pytest.raises(ValueError, match="vocab_size"):
        token_dtype(0)


def test_encoder_appends_eos_and_uses_uint16(trained):
    out, _ = trained
    sp = spm.SentencePieceProcessor(model_file=str(out / "spm.model"))
    counter = DictCounter()
    arrays = Encoder(out).encode_batch(["hello world", "", SENTENCES[3]], counter=counter)
    assert [a.dtype for a in arrays] == [np.uint16] * 3
    assert [a.tolist() for a in arrays] == [sp.encode("hello world") + [3], [3], sp.encode(SENTENCES[3]) + [3]]
    assert counter.as_dict() == {"tokenize:documents": 3, "tokenize:tokens": sum(len(a) for a in arrays)}
    assert Encoder(out).encode_batch([]) == []


def test_encoder_missing_model(tmp_path):
    with pytest.raises(FileNotFoundError, match="no sentencepiece model"):
        Encoder(tmp_path)


def test_many_characters_and_a_small_vocabulary_do_not_fail_the_build(tmp_path):
    """Han text with more distinct characters than a small vocabulary holds: instead of sentencepiece's
    "Vocabulary size is smaller than required_chars" after all the curation, the coverage is lowered
    (rare characters fall back to bytes) and, when even sentencepiece's minimum coverage needs more
    characters than the vocabulary has, the vocabulary grows to hold them."""
    import random

    from corpus.counters import DictCounter
    from corpus.tokenizer.train import TokenizerConfig, train_tokenizer

    rng = random.Random(0)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    zipf = [''.join(rng.choices(han, weights=[1 / (i + 1) ** 1.6 for i in range(3000)], k=2000)) for _ in range(20)]
    counter = DictCounter()
    info = train_tokenizer(zipf, tmp_path / "zipf", TokenizerConfig(vocab_size=600, model_type="bpe"), counter=counter)
    assert counter.as_dict().get("tokenizer:character_coverage_lowered") == 1
    assert "tokenizer:vocab_size_raised" not in counter.as_dict() and info.vocab_size <= 600
    uniform = [''.join(rng.choice(han) for _ in range(2000)) for _ in range(20)]
    counter = DictCounter()
    info = train_tokenizer(uniform, tmp_path / "uniform", TokenizerConfig(vocab_size=300, model_type="bpe"),
                           counter=counter)
    assert counter.as_dict()["tokenizer:vocab_size_raised"] == 1 and info.vocab_size > 2 * 2800
