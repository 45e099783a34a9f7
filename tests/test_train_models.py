"""Model presets and config files fitted to a corpus; what does not fit is refused by name."""
from __future__ import annotations

import json

import pytest
import torch

from training.models import PRESETS, ModelConfigError, build_model, count_parameters, prepare_model_config

SPECIALS = {"pad": 0, "unk": 1, "bos": 2, "eos": 3, "cls": 4, "sep": 5, "mask": 6}


def spec(model, objective="clm", vocab=500, seq_len=64):
    return prepare_model_config(model, objective=objective, vocab_size=vocab, special_ids=SPECIALS, seq_len=seq_len)


@pytest.mark.parametrize("preset, objective, cls", [
    ("gpt2-tiny", "clm", "GPT2LMHeadModel"), ("llama-tiny", "clm", "LlamaForCausalLM"),
    ("bert-tiny", "mlm", "BertForMaskedLM"), ("bert-mini", "mlm+nsp", "BertForPreTraining"),
])
def test_presets_take_the_corpus_vocabulary_and_special_ids(preset, objective, cls):
    config = spec(preset, objective).config
    assert config.vocab_size == 500
    assert (config.pad_token_id, config.bos_token_id, config.eos_token_id) == (0, 2, 3)
    model = build_model(config, objective, seed=0)
    assert type(model).__name__ == cls
    assert model.get_input_embeddings().weight.shape[0] == 500


def test_same_seed_same_weights():
    config = spec("gpt2-tiny").config
    a, b = build_model(config, "clm", seed=3), build_model(config, "clm", seed=3)
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))


def test_preset_sizes():
    assert set(PRESETS) == {"bert-tiny", "bert-mini", "bert-base", "gpt2-tiny", "gpt2-small", "llama-tiny",
                            "llama-small"}
    # GPT-2 small is the 124M model with its 50257-piece vocabulary.
    gpt2 = build_model(spec("gpt2-small", vocab=50257).config, "clm", seed=0)
    assert count_parameters(gpt2) == 124_439_808


def test_config_file(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"model_type": "gpt2", "n_embd": 32, "n_layer": 1, "n_head": 2, "n_positions": 32,
                                "vocab_size": 512}))
    config = spec(str(path), seq_len=32).config
    assert (config.n_embd, config.vocab_size, config.eos_token_id) == (32, 512, 3)


@pytest.mark.parametrize("values, objective, seq_len, message", [
    ({"vocab_size": 100}, "clm", 32, "vocab_size 100 is smaller than the corpus tokenizer's 500"),
    ({"n_positions": 16}, "clm", 32, "--seq_len 32 is longer than model .*'s n_positions = 16"),
    ({}, "mlm", 32, "a 'gpt2' model has no masked-LM head"),
])
def test_config_that_does_not_fit_is_refused(tmp_path, values, objective, seq_len, message):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"model_type": "gpt2", "n_embd": 32, "n_layer": 1, "n_head": 2, "n_positions": 64,
                                "vocab_size": 512, **values}))
    with pytest.raises(ModelConfigError, match=message):
        spec(str(path), objective, seq_len=seq_len)


def test_wrong_objective_for_preset_and_unknown_model():
    with pytest.raises(ModelConfigError, match="a 'bert' model is not a causal LM"):
        spec("bert-tiny", "clm")
    with pytest.raises(ModelConfigError, match="has no next-sentence head"):
        spec("llama-tiny", "mlm+nsp")
    with pytest.raises(ModelConfigError, match="--seq_len 600 is longer than model bert-tiny's max_position_embeddings"):
        spec("bert-tiny", "mlm", seq_len=600)
    with pytest.raises(ModelConfigError, match="neither a preset"):
        spec("gpt5")


def test_config_file_without_vocab_size_takes_the_corpus_one(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"model_type": "llama", "hidden_size": 32, "intermediate_size": 64,
                                "num_hidden_layers": 1, "num_attention_heads": 2, "max_position_embeddings": 64}))
    assert spec(str(path)).config.vocab_size == 500


@pytest.mark.parametrize("objective", ["mlm", "mlm+nsp"])
def test_masked_positions_heads_give_the_dense_loss_and_gradients(objective):
    from training.loss import objective_sums

    config = spec("bert-tiny", objective, seq_len=16).config
    dense, sparse = build_model(config, objective, seed=0), build_model(config, objective, seed=0, training=True)
    assert type(sparse).__name__.startswith("MaskedPositions") and type(dense).__name__.startswith("Bert")
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(7, 500, (3, 16), generator=g)
    labels = torch.where(torch.rand(3, 16, generator=g) < 0.2, ids, torch.full_like(ids, -100))
    batch = {"labels": labels, "next_sentence_label": torch.tensor([0, 1, 0])}
    inputs = {"input_ids": ids, "token_type_ids": torch.zeros_like(ids)}
    a = objective_sums(dense(**inputs), batch, objective)
    b = objective_sums(sparse(**inputs, masked_positions=labels != -100),
                       {**batch, "masked_positions": labels != -100}, objective)
    torch.testing.assert_close(b.lm_loss, a.lm_loss)
    assert int(b.lm_tokens) == int(a.lm_tokens) == int((labels != -100).sum())
    (a.lm_loss + (a.nsp_loss if a.nsp_loss is not None else 0)).backward()
    (b.lm_loss + (b.nsp_loss if b.nsp_loss is not None else 0)).backward()
    for (name, p), q in zip(dense.named_parameters(), sparse.parameters()):
        if p.grad is not None:
            torch.testing.assert_close(q.grad, p.grad, rtol=1e-4, atol=1e-6, msg=name)
    assert dense.state_dict().keys() == sparse.state_dict().keys()


@pytest.mark.parametrize("preset", ["gpt2-tiny", "llama-tiny"])
def test_chunked_causal_lm_heads_give_the_dense_loss_and_gradients(preset):
    from transformers.activations import NewGELUActivation

    from training.evaluate import model_inputs
    from training.gelu import GELUTanh
    from training.heads import LOSS_LABELS, CausalLMLossSums, head_input
    from training.loss import objective_sums

    config = spec(preset, "clm", seq_len=16).config
    dense, chunked = build_model(config, "clm", seed=0), build_model(config, "clm", seed=0, training=True)
    assert type(chunked).__name__.startswith("ChunkedLoss") and head_input(config, "clm") == LOSS_LABELS
    activations = {type(m) for m in chunked.modules()} & {NewGELUActivation, GELUTanh}
    assert activations == ({GELUTanh} if preset.startswith("gpt2") else set())  # gelu_new swapped
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(7, 500, (3, 16), generator=g)
    labels = ids.clone()
    labels[1, 10:] = -100  # padding: no target
    batch = {"input_ids": ids, "labels": labels}
    a = objective_sums(dense(input_ids=ids), batch, "clm")
    out = chunked(**model_inputs(batch, torch.device("cpu"), head_input=LOSS_LABELS))
    assert isinstance(out, CausalLMLossSums)
    b = objective_sums(out, batch, "clm")
    torch.testing.assert_close(b.lm_loss, a.lm_loss, rtol=1e-5, atol=1e-4)
    assert int(b.lm_tokens) == int(a.lm_tokens) == 3 * 15 - 6
    a.lm_loss.backward()
    b.lm_loss.backward()
    for (name, p), q in zip(dense.named_parameters(), chunked.parameters()):
        torch.testing.assert_close(q.grad, p.grad, rtol=1e-4, atol=2e-5, msg=name)  # gradients up to ~10
    assert dense.state_dict().keys() == chunked.state_dict().keys()
    torch.testing.assert_close(chunked(input_ids=ids).logits, dense(input_ids=ids).logits)  # without labels: logits


def test_from_pretrained_checked_reports_a_shape_mismatch_instead_of_raising(tmp_path):
    import json as _json

    from transformers import GPT2Config, GPT2LMHeadModel

    from training.models import from_pretrained_checked
    GPT2LMHeadModel(GPT2Config(n_embd=32, n_layer=1, n_head=2, n_positions=64, vocab_size=50)).save_pretrained(tmp_path)
    config = _json.loads((tmp_path / "config.json").read_text())
    (tmp_path / "config.json").write_text(_json.dumps({**config, "n_positions": 32}))
    model, info = from_pretrained_checked(GPT2LMHeadModel, tmp_path)
    assert [k[0] if isinstance(k, tuple) else k for k in info["mismatched_keys"]] == ["transformer.wpe.weight"]
    assert model.transformer.wpe.weight.shape == (32, 32)
