"""`corpusforge train` in one process: learning, exact resume after SIGKILL, gradient accumulation,
the hand-off directory, and clear refusals of bad input."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file
from train_corpus import build_corpus
from train_helpers import final_eval, losses, micro_config, rows, run_inline, run_processes
from transformers import (
    AutoModelForCausalLM,
    AutoModelForPreTraining,
    AutoModelForSequenceClassification,
    AutoTokenizer,
)

from training.pretrain import main


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("corpus"))


def common(corpus, out, *extra):
    return ["--data", str(corpus), "--output_dir", str(out), "--seq_len", "64", "--log_every", "1", *extra]


@pytest.fixture(scope="module")
def trained(corpus, tmp_path_factory) -> dict[str, Path]:
    """One short run per objective (shared by the learning and hand-off tests)."""
    outs = {}
    for objective, model in (("clm", "gpt2-tiny"), ("mlm", "bert-tiny"), ("mlm+nsp", "bert-tiny")):
        out = tmp_path_factory.mktemp(objective.replace("+", "-"))
        run_inline(common(corpus, out, "--objective", objective, "--model", model, "--batch_size", "8",
                          "--max_steps", "40", "--warmup_steps", "5", "--lr", "3e-3", "--save_every", "20"))
        outs[objective] = out
    return outs


@pytest.mark.timeout(240)
@pytest.mark.parametrize("objective", ["clm", "mlm", "mlm+nsp"])
def test_loss_falls(trained, objective):
    out = trained[objective]
    curve = losses(out)
    assert sorted(curve) == list(range(1, 41))
    first, last = sum(curve[s] for s in range(1, 4)) / 3, sum(curve[s] for s in range(38, 41)) / 3
    assert last < first - 1.0, (first, last)
    val = final_eval(out)
    assert val["step"] == 40 and val["val_ppl"] == pytest.approx(2.718281828 ** val["val_loss"], rel=1e-9)
    expected = {"clm": {"val_bpb"}, "mlm": {"val_mlm_acc"}, "mlm+nsp": {"val_mlm_acc", "val_nsp_acc"}}[objective]
    assert expected <= set(val)
    row = rows(out)[0]
    assert {"step", "loss", "lr", "grad_norm", "tokens", "tokens_per_s"} <= set(row)
    assert list((out / "tensorboard").iterdir()), "no TensorBoard event file"
    assert sorted(p.name for p in (out / "checkpoints").iterdir()) == ["step-20", "step-40"]


def _model_logits(model, ids):
    with torch.no_grad():
        out = model(input_ids=ids)
    return out.logits if hasattr(out, "logits") else out.prediction_logits


@pytest.mark.timeout(120)
@pytest.mark.parametrize("objective, auto", [("clm", AutoModelForCausalLM), ("mlm+nsp", AutoModelForPreTraining)])
def test_handoff_loads_with_auto_classes_and_gives_the_trained_logits(trained, objective, auto):
    final = trained[objective] / "final"
    tokenizer = AutoTokenizer.from_pretrained(final)
    ids = torch.tensor([tokenizer("The miller carries the morning bread.")["input_ids"]])
    model = auto.from_pretrained(final).eval()
    # The same weights straight from the last checkpoint.
    reference = auto.from_pretrained(final).eval()
    reference.load_state_dict(load_file(trained[objective] / "checkpoints/step-40/model.safetensors"), strict=False)
    torch.testing.assert_close(_model_logits(model, ids), _model_logits(reference, ids), rtol=0, atol=0)
    assert not torch.equal(_model_logits(model, ids), _model_logits(auto.from_config(model.config).eval(), ids))
    classifier = AutoModelForSequenceClassification.from_pretrained(final, num_labels=3)
    assert classifier(input_ids=ids).logits.shape == (1, 3)
    card = (final / "README.md").read_text(encoding="utf-8")
    import json
    sha = json.loads((Path(trained[objective]) / "train_config.json").read_text())["data"]
    assert sha and "corpus manifest sha256" in card and "| optimizer steps | 40 |" in card and "val_loss" in card


@pytest.mark.timeout(240)
def test_sigkill_then_resume_gives_the_same_losses(corpus, tmp_path):
    args = ["--model", micro_config(tmp_path), "--batch_size", "4", "--max_steps", "14", "--save_every", "4",
            "--warmup_steps", "3", "--eval_every", "7"]
    whole, broken = tmp_path / "whole", tmp_path / "broken"
    run_inline(common(corpus, whole, *args))
    proc = run_processes(common(corpus, broken, *args), kill_after=10)
    assert proc.returncode == -9, proc.stderr[-2000:]
    assert max(losses(broken)) == 10 and not (broken / "final").exists()
    run_inline(common(corpus, broken, *args, "--resume"))
    assert losses(broken) == losses(whole)  # bitwise: every step, 1..14 (9, 10 were redone after step 8)
    assert [r for r in rows(broken) if "val_loss" in r] == [r for r in rows(whole) if "val_loss" in r]
    a = load_file(whole / "final/model.safetensors")
    b = load_file(broken / "final/model.safetensors")
    assert all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.timeout(120)
def test_grad_accumulation_equals_the_big_batch(corpus, tmp_path):
    args = ["--model", micro_config(tmp_path), "--max_steps", "6", "--warmup_steps", "2"]
    run_inline(common(corpus, tmp_path / "big", *args, "--batch_size", "8"))
    run_inline(common(corpus, tmp_path / "accum", *args, "--batch_size", "2", "--grad_accum", "4"))
    big, accum = losses(tmp_path / "big"), losses(tmp_path / "accum")
    assert sorted(big) == sorted(accum) == list(range(1, 7))
    for step in big:
        assert accum[step] == pytest.approx(big[step], rel=1e-5, abs=1e-6)
    a, b = load_file(tmp_path / "big/final/model.safetensors"), load_file(tmp_path / "accum/final/model.safetensors")
    for k in a:
        torch.testing.assert_close(a[k], b[k], rtol=1e-4, atol=1e-5)


# --- bad input --------------------------------------------------------------------------------

def _fails(args, capsys) -> str:
    assert main(args + ["--no-progress"]) == 2
    return capsys.readouterr().err


@pytest.mark.timeout(120)
def test_bad_input_is_refused_with_a_message(corpus, tmp_path, capsys):
    micro = micro_config(tmp_path)
    base = ["--model", micro, "--max_steps", "2", "--batch_size", "2", "--seq_len", "32"]
    (tmp_path / "empty").mkdir()
    err = _fails(["--data", str(tmp_path / "empty"), "--output_dir", str(tmp_path / "o1"), *base], capsys)
    assert "manifest.json" in err and str(tmp_path / "empty") in err

    broken = tmp_path / "broken"
    shutil.copytree(corpus, broken)
    shard = sorted((broken / "train").iterdir())[0]
    data = bytearray(shard.read_bytes())
    data[-100] ^= 0xFF
    shard.write_bytes(bytes(data))
    err = _fails(["--data", str(broken), "--output_dir", str(tmp_path / "o2"), *base, "--max_steps", "200"], capsys)
    assert "sha256" in err and shard.name in err

    small = tmp_path / "small.json"
    small.write_text('{"model_type": "gpt2", "n_embd": 32, "n_layer": 1, "n_head": 2, "vocab_size": 100}')
    err = _fails(["--data", str(corpus), "--output_dir", str(tmp_path / "o3"), *base, "--model", str(small)], capsys)
    assert "vocab_size 100 is smaller than the corpus tokenizer's 400" in err

    err = _fails(["--data", str(corpus), "--output_dir", str(tmp_path / "o4"), *base, "--seq_len", "128"], capsys)
    assert "--seq_len 128 is longer than" in err and "n_positions = 64" in err

    other = build_corpus(tmp_path / "other", vocab_size=420)
    err = _fails(["--data", str(corpus), "--output_dir", str(tmp_path / "o5"), *base, "--eval_data", str(other)],
                 capsys)
    assert "--eval_data" in err and "another tokenizer" in err

    out = tmp_path / "done"
    run_inline(["--data", str(corpus), "--output_dir", str(out), *base])
    err = _fails(["--data", str(corpus), "--output_dir", str(out), *base], capsys)
    assert f"--output_dir {out} holds a finished run" in err and "--resume" in err and "--overwrite" in err
    run_inline(["--data", str(corpus), "--output_dir", str(out), *base, "--overwrite"])

    # A pickle where the optimizer state should be: --resume refuses it instead of unpickling.
    torch.save({"state": {}}, out / "checkpoints/step-2/optimizer.safetensors")
    err = _fails(["--data", str(corpus), "--output_dir", str(out), *base, "--resume"], capsys)
    assert "step-2/optimizer.safetensors is not a safetensors file" in err


@pytest.mark.timeout(120)
def test_resume_refuses_another_model_or_corpus_and_reports_changed_options(corpus, tmp_path, capsys):
    micro, out = micro_config(tmp_path), tmp_path / "run"
    base = ["--data", str(corpus), "--output_dir", str(out), "--max_steps", "2", "--batch_size", "2",
            "--seq_len", "32", "--model", micro]
    run_inline(base)
    record = (out / "train_config.json").read_text()
    state = out / "checkpoints" / "step-2" / "state.json"
    capsys.readouterr()

    err = _fails([*base, "--model", "bert-tiny", "--objective", "mlm", "--resume"], capsys)
    assert err.startswith(f"corpusforge train: error: --model: 'bert-tiny', but the run being resumed was started "
                          f"with {micro!r} ({state}); resume with the same --model")
    other = build_corpus(tmp_path / "other", vocab_size=420)  # another tokenizer: the weights do not fit
    err = _fails([*base, "--data", str(other), "--resume"], capsys)
    assert f"{state.parent / 'model.safetensors'}: its weights do not fit the model this run builds" in err
    assert "size mismatch for transformer.wte.weight" in err
    assert (out / "train_config.json").read_text() == record  # refused resumes leave the run's record alone

    capsys.readouterr()
    run_inline([*base, "--max_steps", "3", "--lr", "1e-3", "--resume"])
    assert f"resuming {state.parent} with options changed since: max_steps: 2 -> 3; lr: 0.002 -> 0.001\n" \
        in capsys.readouterr().out
    assert max(losses(out)) == 3 and json.loads((out / "train_config.json").read_text())["max_steps"] == 3


@pytest.mark.timeout(120)
@pytest.mark.parametrize("precision", ["bf16", "fp16"])
def test_mixed_precision_on_cpu(corpus, tmp_path, precision):
    """bf16 autocast, and fp16 autocast with a gradient scaler: weights stay fp32 and the loss falls."""
    out = tmp_path / precision
    run_inline(common(corpus, out, "--model", micro_config(tmp_path), "--batch_size", "8", "--max_steps", "12",
                      "--warmup_steps", "2", "--lr", "5e-3", "--precision", precision, "--save_every", "6"))
    curve = losses(out)
    assert all(v == v for v in curve.values()) and curve[12] < curve[1] - 0.5
    weights = load_file(out / "final/model.safetensors")
    assert {t.dtype for t in weights.values()} == {torch.float32}
    if precision == "fp16":  # the scaler's state is checkpointed, so a resume continues with the same scale
        import json
        state = json.loads((out / "checkpoints/step-12/state.json").read_text())
        assert state["scaler"]["scale"] > 0


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_compile(corpus, tmp_path):
    out = tmp_path / "compiled"
    run_inline(common(corpus, out, "--model", micro_config(tmp_path), "--batch_size", "4", "--max_steps", "4",
                      "--compile"))
    assert sorted(losses(out)) == [1, 2, 3, 4] and (out / "final/model.safetensors").is_file()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("objective", ["clm", "mlm"])
def test_block_document_attention_reaches_the_model(corpus, tmp_path, objective):
    """The data's 4-D block-diagonal mask and per-document positions go through the loop into GPT-2 (causal,
    block-diagonal) and BERT (bidirectional, block-diagonal; what `corpusforge demo` pretrains with)."""
    plain, blocked = tmp_path / "plain", tmp_path / "blocked"
    model = micro_config(tmp_path) if objective == "clm" else "bert-tiny"
    args = ["--model", model, "--objective", objective, "--batch_size", "4", "--max_steps", "3"]
    run_inline(common(corpus, plain, *args))
    run_inline(common(corpus, blocked, *args, "--block_document_attention"))
    a, b = losses(plain), losses(blocked)
    assert all(v == v for v in b.values())
    assert a[1] != b[1]  # tokens no longer see the previous document: another loss from the first step


# --- continued pretraining: --init_from ---------------------------------------------------------

@pytest.mark.timeout(180)
def test_init_from_starts_from_the_handoff_weights(trained, corpus, tmp_path):
    """A hand-off's weights are where the next run starts: with a learning rate too small to move a float32
    weight the hand-off comes out bitwise the same, and a real continuation starts at the first run's loss,
    not at a fresh model's."""
    first = trained["clm"]
    still = tmp_path / "still"
    run_inline(common(corpus, still, "--init_from", str(first / "final"), "--objective", "clm", "--batch_size", "8",
                      "--max_steps", "1", "--lr", "1e-30", "--weight_decay", "0"))
    a, b = load_file(first / "final/model.safetensors"), load_file(still / "final/model.safetensors")
    assert sorted(a) == sorted(b) and all(torch.equal(a[k], b[k]) for k in a)
    card = (still / "final/README.md").read_text(encoding="utf-8")
    assert f"continued from the weights of `{first / 'final'}`" in card
    assert card.splitlines()[5] == f"# gpt2 continued from {first / 'final'} trained by corpusforge"

    fresh, continued = tmp_path / "fresh", tmp_path / "continued"
    args = ["--objective", "clm", "--batch_size", "8", "--max_steps", "3", "--seed", "1"]
    run_inline(common(corpus, fresh, "--model", "gpt2-tiny", *args))
    run_inline(common(corpus, continued, "--init_from", str(first / "final"), *args))
    assert losses(continued)[1] < losses(fresh)[1] - 1.0
    assert losses(continued)[1] < losses(first)[1] - 1.0


@pytest.mark.timeout(180)
def test_init_from_across_objectives(trained, corpus, tmp_path, capsys):
    """mlm+nsp → mlm keeps every weight the masked LM has and says which it leaves (the pooler and the NSP
    head);
    mlm → mlm+nsp is refused: the hand-off has no next-sentence head to start from."""
    out = tmp_path / "mlm"
    run_inline(common(corpus, out, "--init_from", str(trained["mlm+nsp"] / "final"), "--objective", "mlm",
                      "--batch_size", "8", "--max_steps", "2"))
    assert ("weights not used by --objective mlm: bert.pooler.dense.bias, bert.pooler.dense.weight, "
            "cls.seq_relationship.bias, cls.seq_relationship.weight\n") in capsys.readouterr().out
    assert losses(out)[1] < losses(trained["mlm"])[1] - 1.0
    err = _fails(common(corpus, tmp_path / "nsp", "--init_from", str(trained["mlm"] / "final"), "--objective",
                        "mlm+nsp", "--max_steps", "2"), capsys)
    assert "its weights do not fill a MaskedPositionsBertForPreTraining for --objective mlm+nsp" in err
    assert ("missing bert.pooler.dense.bias, bert.pooler.dense.weight, cls.seq_relationship.bias, "
            "cls.seq_relationship.weight\n") in err
    assert not (tmp_path / "nsp").exists()  # refused before the output directory is made


@pytest.mark.timeout(120)
def test_init_from_bad_input_is_refused(trained, corpus, tmp_path, capsys):
    handoff = trained["clm"] / "final"
    base = ["--max_steps", "2", "--batch_size", "2"]
    other = build_corpus(tmp_path / "other", vocab_size=420)
    err = _fails(common(other, tmp_path / "o1", "--init_from", str(handoff), *base), capsys)
    assert f"--init_from {handoff}: trained with another tokenizer than the corpus" in err
    assert "corpusforge build --tokenizer" in err and "spm.model" in err

    err = _fails(common(corpus, tmp_path / "o2", "--init_from", str(handoff), "--model", "gpt2-tiny", *base), capsys)
    assert "--model: leave it out with --init_from" in err
    err = _fails(common(corpus, tmp_path / "o3", "--init_from", str(tmp_path / "nowhere"), *base), capsys)
    assert f"--init_from {tmp_path / 'nowhere'}: no such directory" in err
    err = _fails(common(corpus, tmp_path / "o4", "--init_from", str(handoff), "--objective", "mlm", *base), capsys)
    assert "a 'gpt2' model has no masked-LM head" in err

    no_tokenizer = tmp_path / "no-tokenizer"
    shutil.copytree(handoff, no_tokenizer)
    (no_tokenizer / "spm.model").unlink()
    err = _fails(common(corpus, tmp_path / "o5", "--init_from", str(no_tokenizer), *base), capsys)
    assert "no spm.model, so its tokenizer cannot be checked" in err

    import json
    resized = tmp_path / "resized"
    shutil.copytree(handoff, resized)
    config = json.loads((resized / "config.json").read_text())
    (resized / "config.json").write_text(json.dumps({**config, "n_positions": 512}))
    err = _fails(common(corpus, tmp_path / "o7", "--init_from", str(resized), *base), capsys)
    assert f"--init_from {resized}: its weights do not fill a ChunkedLossGPT2LMHeadModel" in err
    assert "of another shape transformer.wpe.weight" in err

    err = _fails(common(corpus, handoff / "run", "--init_from", str(handoff), *base), capsys)
    assert "lies inside --init_from" in err and not (handoff / "run").exists()

    inside = tmp_path / "o6"
    shutil.copytree(handoff, inside / "final")
    err = _fails(common(corpus, inside, "--init_from", str(inside / "final"), "--overwrite", *base), capsys)
    assert "lies inside --output_dir" in err and (inside / "final/model.safetensors").is_file()
