"""The objectives as tensor functions, and block-document attention inside real transformers models."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import torch
from _data_corpus import build_corpus, stored_documents, texts, tokenizer_dir
from transformers import (
    BertConfig,
    BertForMaskedLM,
    GPT2Config,
    GPT2LMHeadModel,
    LlamaConfig,
    LlamaForCausalLM,
)

from corpus.tokenizer import Encoder
from training.data import DataConfig, build_eval_loader, build_train_loader, open_training_corpus
from training.objectives import (
    IGNORE_INDEX,
    additive_mask,
    block_attention_mask,
    causal_lm_labels,
    mlm_mask,
    nsp_pair,
    target_bytes,
    word_ids,
)

MASK_ID = 6


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("objectives")
    build_corpus(base / "corpus", tokenizer_dir(base), train_docs=400, validation_docs=40)
    return base / "corpus"


@pytest.fixture(scope="module")
def vocab(corpus):
    return open_training_corpus(str(corpus)).vocab()


def corpus_tokens(corpus: Path, n: int) -> torch.Tensor:
    enc = Encoder(corpus / "tokenizer")
    ids = np.concatenate(enc.encode_batch(texts(2000, seed=5)))[:n]
    assert ids.shape[0] == n
    return torch.from_numpy(ids.astype(np.int64))


def mask_rows(ids: torch.Tensor, vocab, seed: int, whole_word: bool = False):
    special = torch.from_numpy(vocab.is_special)[ids]
    starts = torch.from_numpy(vocab.starts_word)[ids] if whole_word else None
    gen = torch.Generator().manual_seed(seed)
    return mlm_mask(ids, special, gen, mask_id=MASK_ID, random_ids=torch.from_numpy(vocab.normal_ids()),
                    starts_word=starts), special


def test_mlm_proportions_on_100k_tokens(corpus, vocab):
    ids = corpus_tokens(corpus, 100_000).view(100, 1000)
    (inputs, labels), special = mask_rows(ids, vocab, seed=0)
    selected = labels != IGNORE_INDEX
    assert special.sum() > 1000 and not (selected & special).any()  # eos tokens are never masked
    assert (labels[selected] == ids[selected]).all() and (inputs[~selected] == ids[~selected]).all()
    fraction = selected.sum().item() / (~special).sum().item()
    assert abs(fraction - 0.15) <= 0.005
    n = selected.sum().item()
    masked = (inputs[selected] == MASK_ID).sum().item() / n
    unchanged = (inputs[selected] == ids[selected]).sum().item() / n
    replaced = 1 - masked - unchanged
    assert abs(masked - 0.8) <= 0.015 and abs(replaced - 0.1) <= 0.015 and abs(unchanged - 0.1) <= 0.015
    assert not torch.from_numpy(vocab.is_special)[inputs[selected & (inputs != MASK_ID)]].any()
    (again, again_labels), _ = mask_rows(ids, vocab, seed=0)
    assert torch.equal(again, inputs) and torch.equal(again_labels, labels)  # a fixed seed, the same masks


def test_whole_word_masking_never_masks_part_of_a_word(corpus, vocab):
    ids = corpus_tokens(corpus, 100_000).view(100, 1000)
    (inputs, labels), special = mask_rows(ids, vocab, seed=1, whole_word=True)
    selected = labels != IGNORE_INDEX
    words = word_ids(torch.from_numpy(vocab.starts_word)[ids], special)
    kind = torch.where(inputs == MASK_ID, 1, torch.where(inputs == ids, 0, 2))  # mask / same / random
    size = (ids.shape[0], ids.shape[1])
    per_word = {}
    for name, values in (("selected", selected.long()), ("kind", kind)):
        lo = torch.full(size, 9).scatter_reduce(1, words, values, "amin")
        hi = torch.full(size, -9).scatter_reduce(1, words, values, "amax")
        per_word[name] = (lo, hi)
    lo, hi = per_word["selected"]
    assert torch.equal(lo.gather(1, words), hi.gather(1, words))  # a word is all selected or not at all
    # a selected word is replaced one way: all [MASK], or all random/unchanged pieces
    lo, hi = per_word["kind"]
    mixed = (lo.gather(1, words) == 1) & (hi.gather(1, words) != 1)
    assert not (mixed & selected).any()
    pieces = torch.ones(size, dtype=torch.long)
    word_len = torch.zeros(size, dtype=torch.long).scatter_add(1, words, pieces).gather(1, words)
    multi_piece_words = int((selected & (word_len > 1)).sum())
    assert multi_piece_words > 1000 and not (selected & special).any()
    fraction = selected.sum().item() / (~special).sum().item()
    assert abs(fraction - 0.15) <= 0.02


def test_causal_labels_and_masks_are_exact():
    ids = torch.tensor([[10, 11, 3, 20, 21, 22, 0, 0]])
    seg = torch.tensor([[0, 0, 0, 1, 1, 1, 2, 2]])
    real = torch.tensor([[True] * 6 + [False] * 2])
    assert causal_lm_labels(ids, real, seg, block_documents=False).tolist() == [[10, 11, 3, 20, 21, 22, -100, -100]]
    assert causal_lm_labels(ids, real, seg, block_documents=True).tolist() == [[10, 11, 3, -100, 21, 22, -100, -100]]
    mask = block_attention_mask(seg, causal=True)[0, 0].int()
    assert mask.tolist() == [[1, 0, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0],
                             [0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1, 0, 0],
                             [0, 0, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 1, 1]]
    both = block_attention_mask(seg, causal=False)[0, 0].int()
    assert both[0].tolist() == [1, 1, 1, 0, 0, 0, 0, 0] and both[4].tolist() == [0, 0, 0, 1, 1, 1, 0, 0]
    assert additive_mask(block_attention_mask(seg, causal=True))[0, 0, 0, :2].tolist() == \
        [0.0, torch.finfo(torch.float32).min]
    pair, types, real = nsp_pair(torch.tensor([7, 8]), torch.tensor([9]), cls_id=4, sep_id=5, pad_id=0, seq_len=8)
    assert pair.tolist() == [4, 7, 8, 5, 9, 5, 0, 0] and types.tolist() == [0, 0, 0, 0, 1, 1, 0, 0]
    assert real.tolist() == [True] * 6 + [False] * 2
    with pytest.raises(ValueError, match="exceed seq_len 4"):
        nsp_pair(torch.tensor([7, 8]), torch.tensor([9]), cls_id=4, sep_id=5, pad_id=0, seq_len=4)


def test_bytes_of_predicted_tokens_are_the_texts_bytes(corpus, vocab):
    enc = Encoder(corpus / "tokenizer")
    docs = texts(20, seed=11) + ["Größe über Straße — naïve café 😀\nzweite Zeile."]
    piece_bytes = torch.from_numpy(vocab.piece_bytes.astype(np.int64))
    for text, ids in zip(docs, enc.encode_batch(docs)):
        ids = torch.from_numpy(ids.astype(np.int64))[None]
        first = torch.zeros_like(ids, dtype=torch.bool)
        first[0, 0] = bool(vocab.starts_with_space[ids[0, 0]])
        assert target_bytes(ids, piece_bytes, first, causal=False) == len(text.encode("utf-8"))
        # causal LM predicts every token but the first
        first_bytes = int(piece_bytes[ids[0, 0]]) - int(first[0, 0])
        assert target_bytes(ids, piece_bytes, first, causal=True) == len(text.encode("utf-8")) - first_bytes


@pytest.mark.timeout(120)
def test_nsp_pairs_half_positive_with_traceable_segments(corpus):
    cfg = DataConfig(path=str(corpus), seq_len=24, objective="mlm+nsp", shuffle_window=64)
    loader = build_train_loader(cfg, batch_size=16)
    batches = list(itertools.islice(iter(loader), loader.stats.micro_batches))
    labels = torch.cat([b["next_sentence_label"] for b in batches])
    assert len(labels) > 1000
    positive = (labels == 0).float().mean().item()
    assert abs(positive - 0.5) <= 0.03
    docs = stored_documents(corpus, "train")
    for batch in batches[:10]:
        for r, (rec_a, rec_b) in enumerate(batch["records"]):
            ids, types = batch["input_ids"][r], batch["token_type_ids"][r]
            len_a, len_b = rec_a[2] - rec_a[1], rec_b[2] - rec_b[1]
            assert ids[0] == 4 and ids[len_a + 1] == 5 and ids[len_a + len_b + 2] == 5
            assert types[:len_a + 2].eq(0).all() and types[len_a + 2:len_a + len_b + 3].eq(1).all()
            labels_r = batch["labels"][r]
            original = torch.where(labels_r != -100, labels_r, ids)
            assert original[1:len_a + 1].tolist() == docs[rec_a[0]][rec_a[1]:rec_a[2]].tolist()
            assert original[len_a + 2:len_a + len_b + 2].tolist() == docs[rec_b[0]][rec_b[1]:rec_b[2]].tolist()
            if batch["next_sentence_label"][r] == 0:
                assert rec_b[0] == rec_a[0] and rec_b[1] == rec_a[2]
            else:
                assert rec_b[0] != rec_a[0]


def test_evaluation_masks_are_the_same_on_every_run(corpus):
    def run(seed: int):
        cfg = DataConfig(path=str(corpus), split="validation", seq_len=64, objective="mlm+nsp", seed=seed)
        return [(b["input_ids"], b["labels"], b["next_sentence_label"]) for b in build_eval_loader(cfg, batch_size=4)]
    first, second = run(0), run(7)  # the run's seed does not touch evaluation
    assert len(first) == len(second) > 2
    for a, b in zip(first, second):
        assert all(torch.equal(x, y) for x, y in zip(a, b))


def tiny_models():
    torch.manual_seed(0)
    common = dict(vocab_size=400)
    return [
        ("gpt2", "clm", GPT2LMHeadModel(GPT2Config(n_embd=64, n_layer=2, n_head=2, n_positions=64, **common))),
        ("llama", "clm", LlamaForCausalLM(LlamaConfig(hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                                                      num_attention_heads=4, num_key_value_heads=2,
                                                      max_position_embeddings=64, **common))),
        ("bert", "mlm", BertForMaskedLM(BertConfig(hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                                                   num_attention_heads=2, max_position_embeddings=64, **common))),
    ]


def model_inputs(batch: dict) -> dict:
    return {k: v for k, v in batch.items() if k in ("input_ids", "attention_mask", "position_ids", "token_type_ids")}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name,objective,model", tiny_models(), ids=["gpt2", "llama", "bert"])
def test_blocked_documents_do_not_see_each_other_in_transformers_models(corpus, name, objective, model):
    torch.set_num_threads(1)
    model.eval()
    cfg = DataConfig(path=str(corpus), seq_len=64, objective=objective, block_document_attention=True)
    batch = next(b for b in build_train_loader(cfg, batch_size=4) if any(len(r) >= 2 for r in b["records"]))
    r = next(i for i, rows in enumerate(batch["records"]) if len(rows) >= 2)
    first_len = batch["records"][r][0][2] - batch["records"][r][0][1]
    second_len = batch["records"][r][1][2] - batch["records"][r][1][1]
    later = slice(first_len, first_len + second_len)
    assert batch["attention_mask"].shape == (4, 1, 64, 64) and batch["attention_mask"].dtype == torch.bool
    assert batch["position_ids"][r, later].tolist() == list(range(second_len))
    changed = {k: v.clone() for k, v in model_inputs(batch).items()}
    changed["input_ids"][r, :first_len] = (changed["input_ids"][r, :first_len] * 7 + 13) % 390 + 7
    with torch.no_grad():
        base = model(**model_inputs(batch)).logits[r]
        other = model(**changed).logits[r]
        alone = model(input_ids=batch["input_ids"][r:r + 1, later]).logits[0]
        # eager attention takes the same mask as an additive float mask
        model.config._attn_implementation = "eager"
        eager = model(**{**model_inputs(batch), "attention_mask": additive_mask(batch["attention_mask"])}).logits[r]
        model.config._attn_implementation = "sdpa"
        # the control: without blocking, the earlier document does change the later one's logits
        open_mask = {**changed, "attention_mask": torch.ones(4, 64, dtype=torch.long)}
        leaked = model(**open_mask).logits[r]
    assert torch.equal(base[later], other[later])
    torch.testing.assert_close(base[later], alone, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(base[later], eager[later], rtol=1e-4, atol=1e-5)
    assert not torch.allclose(base[later], leaked[later], atol=1e-3)
    if objective == "mlm":  # bidirectional: the earlier document does not see the later one either
        changed["input_ids"][r, later] = (changed["input_ids"][r, later] * 3 + 5) % 390 + 7
        with torch.no_grad():
            assert torch.equal(model(**changed).logits[r, :first_len], other[:first_len])
