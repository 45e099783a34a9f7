"""`corpusforge finetune` end to end on tiny models: it learns, the saved classifier reloads with the Auto
classes and predicts the same, labels map and report, CLM models pool the last token, LoRA keeps its
head, --freeze_encoder and --from_scratch do what they say."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from finetune_fixtures import BINARY, THREE, make_handoff, sentences, write_csv, write_jsonl
from safetensors.torch import load_file, save_file
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

from training.finetune import cli
from training.finetune.config import DataArguments, FinetuneArguments, ModelArguments
from training.finetune.train import run, training_arguments

FAST = ["--progress", "false", "--logging_steps", "1000"]


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """One intra-op thread: these models are tiny, and on a shared machine a second thread only waits."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def bert_dir(tmp_path_factory) -> Path:
    """A tiny BERT after 60 masked-LM steps on the fixture text, in the hand-off layout."""
    return make_handoff(tmp_path_factory.mktemp("bert") / "final", "bert", pretrain_steps=60)


@pytest.fixture(scope="module")
def binary_files(tmp_path_factory) -> dict[str, Path]:
    rows = sentences(300, BINARY, seed=1)
    d = tmp_path_factory.mktemp("binary")
    return {"train": write_csv(d / "train.csv", rows[:200]), "validation": write_csv(d / "val.csv", rows[200:240]),
            "test": write_csv(d / "test.csv", rows[240:])}


def _logits(model, tokenizer, texts: list[str]) -> torch.Tensor:
    model.eval()
    with torch.no_grad():
        return model(**tokenizer(texts, padding=True, truncation=True, return_tensors="pt")).logits


def _run(model: Path, files: dict[str, Path], out: Path, **kw):
    model_kw = {k: kw.pop(k) for k in ("from_scratch", "freeze_encoder", "lora") if k in kw}
    data_kw = {k: kw.pop(k) for k in ("text_field", "label_field", "validation_fraction") if k in kw}
    return run(ModelArguments(model=str(model), **model_kw),
               DataArguments(**{k: str(v) for k, v in files.items()}, **data_kw),
               FinetuneArguments(output_dir=str(out), progress=False, logging_steps=1000, **kw))


@pytest.mark.timeout(240)
def test_pretrained_bert_beats_majority_reloads_and_predicts(bert_dir, binary_files, tmp_path):
    out = tmp_path / "clf"
    result = _run(bert_dir, binary_files, out, learning_rate=1e-3, batch_size=16, num_train_epochs=6)
    ev = json.loads((out / "eval.json").read_text())
    test = ev["test"]
    assert test["examples"] == 60 and sum(map(sum, test["confusion_matrix"]["matrix"])) == 60
    assert test["accuracy"] >= test["majority_class"]["accuracy"] + 0.3
    assert ev["validation"]["accuracy"] == ev["training"]["best_metric"]  # the best checkpoint was kept
    assert sorted(p.name for p in out.iterdir()) == ["config.json", "eval.json", "model.safetensors",
                                                    "tokenizer.json", "tokenizer_config.json"]

    # The plain Auto classes, no code of ours: same labels, same framing, same logits.
    model = AutoModelForSequenceClassification.from_pretrained(str(out))
    tokenizer = AutoTokenizer.from_pretrained(str(out))
    assert model.config.id2label == {0: "neg", 1: "pos"} and model.config.label2id == {"neg": 0, "pos": 1}
    ids = tokenizer("The film was lovely.")["input_ids"]
    assert (ids[0], ids[-1]) == (tokenizer.cls_token_id, tokenizer.sep_token_id)
    texts = ["The film was lovely.", "We thought the meal was dreadful.", "A superb visit: the museum again."]
    torch.testing.assert_close(_logits(model, tokenizer, texts), _logits(result.model, result.tokenizer, texts),
                               rtol=0, atol=1e-5)

    # --predict writes every record with its probabilities, in order, with the gold label.
    preds = tmp_path / "preds.jsonl"
    assert cli.main(["--predict", str(binary_files["test"]), "--model", str(out),
                     "--predictions_file", str(preds)]) == 0
    records = [json.loads(line) for line in preds.read_text().splitlines()]
    assert [r["line"] for r in records] == list(range(2, 62))
    assert all(set(r["probabilities"]) == {"neg", "pos"} and abs(sum(r["probabilities"].values()) - 1) < 1e-6
               for r in records)
    logits = _logits(model, tokenizer, [r["text"] for r in records])
    assert [r["prediction"] for r in records] == [model.config.id2label[i] for i in logits.argmax(-1).tolist()]
    assert sum(r["prediction"] == r["label"] for r in records) / 60 == pytest.approx(test["accuracy"])

    # A finished run is not overwritten by accident.
    args = ["--model", str(bert_dir), "--train", str(binary_files["train"]), "--output_dir", str(out)]
    assert cli.main(args) == 2


@pytest.mark.timeout(240)
def test_three_class_labels_map_and_report(bert_dir, tmp_path, capsys):
    rows = sentences(240, THREE, seed=2)
    train = write_jsonl(tmp_path / "train.jsonl", [{"review": t, "sentiment": y} for t, y in rows[:180]])
    test = write_jsonl(tmp_path / "test.jsonl", [{"review": t, "sentiment": y} for t, y in rows[180:]])
    out = tmp_path / "clf3"
    assert cli.main(["--model", str(bert_dir), "--train", str(train), "--test", str(test), "--output_dir", str(out),
                     "--text_field", "review", "--label_field", "sentiment", "--validation_fraction", "0.2",
                     "--metric", "macro_f1", "--learning_rate", "3e-3", "--batch_size", "8",
                     "--num_train_epochs", "8", *FAST]) == 0
    printed = capsys.readouterr().out
    config = AutoConfig.from_pretrained(str(out))
    assert config.id2label == {0: "negative", 1: "neutral", 2: "positive"}
    assert config.input_fields == {"text": "review", "text_pair": None, "label": "sentiment"}
    ev = json.loads((out / "eval.json").read_text())
    assert ev["labels"] == ["negative", "neutral", "positive"]
    assert ev["training"]["examples"] == 144 and ev["validation"]["examples"] == 36
    for split, n in (("validation", 36), ("test", 60)):
        report = ev[split]
        truth = [y for _, y in rows[180:]] if split == "test" else None
        assert set(report["per_class"]) == {"negative", "neutral", "positive"}
        assert sum(row["support"] for row in report["per_class"].values()) == n
        matrix = report["confusion_matrix"]["matrix"]
        assert len(matrix) == 3 and all(len(r) == 3 for r in matrix) and sum(map(sum, matrix)) == n
        assert [sum(r) for r in matrix] == [report["per_class"][y]["support"] for y in ev["labels"]]
        if truth is not None:
            assert [sum(r) for r in matrix] == [truth.count(y) for y in ev["labels"]]
        assert report["accuracy"] >= report["majority_class"]["accuracy"] + 0.3
    assert "test: 60 examples" in printed and "neutral" in printed

    # --predict reads the fields the classifier was trained with, unless a field flag says otherwise.
    assert cli.main(["--predict", str(test), "--model", str(out), "--predictions_file", str(tmp_path / "a.jsonl")]) == 0
    bodies = write_jsonl(tmp_path / "bodies.jsonl", [{"body": t} for t, _ in rows[180:]])
    assert cli.main(["--predict", str(bodies), "--model", str(out)]) == 2
    assert "bodies.jsonl:1: no field 'review' (text)" in capsys.readouterr().err
    assert cli.main(["--predict", str(bodies), "--model", str(out), "--text_field", "body",
                     "--predictions_file", str(tmp_path / "b.jsonl")]) == 0
    first, second = ([json.loads(line) for line in (tmp_path / name).read_text().splitlines()]
                     for name in ("a.jsonl", "b.jsonl"))
    assert [r["prediction"] for r in first] == [r["prediction"] for r in second] and len(first) == 60
    assert all("label" in r for r in first) and not any("label" in r for r in second)


@pytest.mark.timeout(240)
@pytest.mark.parametrize("arch", ["gpt2", "llama"])
def test_causal_lm_pools_the_last_real_token(arch, binary_files, tmp_path):
    handoff = make_handoff(tmp_path / arch, arch)
    out = tmp_path / "clf"
    _run(handoff, binary_files, out, learning_rate=1e-3, batch_size=16, num_train_epochs=1)
    model = AutoModelForSequenceClassification.from_pretrained(str(out))
    tokenizer = AutoTokenizer.from_pretrained(str(out))
    assert model.config.pad_token_id == tokenizer.pad_token_id == 0
    assert tokenizer.model_input_names == ["input_ids", "attention_mask"]
    short, long = "The bakery was good.", "Everyone said the night train felt terrible in the end, honestly."
    ids = tokenizer(short)["input_ids"]
    assert ids[-1] == tokenizer.eos_token_id and tokenizer.cls_token_id not in ids
    batch = _logits(model, tokenizer, [short, long])  # `short` is right-padded here
    torch.testing.assert_close(batch[0], _logits(model, tokenizer, [short])[0], rtol=0, atol=1e-5)
    # The logits are the score of the hidden state at the final </s>.
    with torch.no_grad():
        hidden = model.base_model(**tokenizer([short], return_tensors="pt")).last_hidden_state
        torch.testing.assert_close(batch[0], model.score(hidden[0, -1]), rtol=0, atol=1e-5)


@pytest.mark.timeout(240)
def test_lora_keeps_the_head_in_modules_to_save_and_reloads(bert_dir, binary_files, tmp_path):
    from peft import PeftModel

    out = tmp_path / "lora"
    _run(bert_dir, binary_files, out, lora=True, learning_rate=3e-3, batch_size=16, num_train_epochs=1)
    adapter = json.loads((out / "adapter" / "adapter_config.json").read_text())
    assert {"classifier", "pooler"} <= set(adapter["modules_to_save"])  # peft adds its own guesses too
    tokenizer = AutoTokenizer.from_pretrained(str(out))
    texts = ["The concert was superb.", "My friends found the hotel awful."]
    merged = _logits(AutoModelForSequenceClassification.from_pretrained(str(out)), tokenizer, texts)

    config = AutoConfig.from_pretrained(str(out))
    fresh = AutoModelForSequenceClassification.from_pretrained(str(bert_dir), config=config)
    fresh_logits = _logits(fresh, tokenizer, texts)
    reloaded = PeftModel.from_pretrained(fresh, str(out / "adapter"))
    torch.testing.assert_close(_logits(reloaded, tokenizer, texts), merged, rtol=0, atol=1e-5)
    assert not torch.allclose(fresh_logits, merged, atol=1e-3)  # the trained head came back, not a new one

    trained, pretrained = load_file(str(out / "model.safetensors")), load_file(str(bert_dir / "model.safetensors"))
    key = "bert.encoder.layer.0.attention.self.query.weight"
    assert not torch.equal(trained[key], pretrained[key])  # LoRA merged into the query projection
    for key in ("bert.embeddings.word_embeddings.weight", "bert.encoder.layer.0.attention.self.key.weight"):
        assert torch.equal(trained[key], pretrained[key])


@pytest.mark.timeout(240)
def test_freeze_encoder_trains_only_the_head(bert_dir, binary_files, tmp_path):
    out = tmp_path / "frozen"
    _run(bert_dir, binary_files, out, freeze_encoder=True, learning_rate=3e-3, batch_size=32, num_train_epochs=1)
    trained, pretrained = load_file(str(out / "model.safetensors")), load_file(str(bert_dir / "model.safetensors"))
    body = [k for k in trained if k.startswith("bert.") and not k.startswith("bert.pooler.")]
    assert body and all(torch.equal(trained[k], pretrained[k]) for k in body)
    assert {"classifier.weight", "bert.pooler.dense.weight"} <= set(trained) - set(pretrained)


@pytest.mark.timeout(240)
def test_from_scratch_same_architecture_new_weights_and_early_stopping(bert_dir, binary_files, tmp_path):
    out = tmp_path / "scratch"
    # A learning rate too small to change accuracy: the metric never improves after the first evaluation.
    result = _run(bert_dir, binary_files, out, from_scratch=True, learning_rate=1e-7, batch_size=32,
                  num_train_epochs=20, early_stopping_patience=2)
    ev = result.evaluation
    assert ev["model_arguments"]["from_scratch"] is True
    assert ev["training"]["epochs"] == 3.0 and ev["training"]["best_step"] == 7  # 200 / 32 -> 7 steps per epoch
    trained, pretrained = load_file(str(out / "model.safetensors")), load_file(str(bert_dir / "model.safetensors"))
    key = "bert.embeddings.word_embeddings.weight"
    assert trained[key].shape == pretrained[key].shape and not torch.allclose(trained[key], pretrained[key])
    pretrained_config = AutoConfig.from_pretrained(str(bert_dir))
    assert (result.model.config.hidden_size, result.model.config.num_hidden_layers) == (
        pretrained_config.hidden_size, pretrained_config.num_hidden_layers)


@pytest.mark.timeout(240)
def test_a_classifier_trains_on_its_own_labels_only_and_only_classifiers_predict(bert_dir, binary_files, tmp_path,
                                                                                 capsys):
    clf = tmp_path / "clf"
    model = AutoModelForSequenceClassification.from_pretrained(str(bert_dir), id2label={0: "neg", 1: "pos"},
                                                               label2id={"neg": 0, "pos": 1})
    model.save_pretrained(str(clf))
    AutoTokenizer.from_pretrained(str(bert_dir)).save_pretrained(str(clf))
    rows = sentences(60, THREE, seed=3)
    three = write_jsonl(tmp_path / "three.jsonl", [{"text": t, "label": y} for t, y in rows])
    refused = tmp_path / "refused"
    assert cli.main(["--model", str(clf), "--train", str(three), "--output_dir", str(refused), *FAST]) == 2
    err = capsys.readouterr().err
    assert f"--model {clf} is a classifier for the labels neg, pos; the training data has negative, neutral, " \
           "positive" in err
    assert not refused.exists()  # refused before anything was written
    # --predict with a pretraining hand-off would classify with a random head: refused.
    preds = tmp_path / "preds.jsonl"
    assert cli.main(["--predict", str(three), "--model", str(bert_dir), "--predictions_file", str(preds)]) == 2
    assert f"--model {bert_dir} is not a fine-tuned classifier (its config.json says BertForMaskedLM)" \
        in capsys.readouterr().err
    assert not preds.exists()
    # ... and so is a classifier whose weights lack the head (from_pretrained would make one up).
    broken = tmp_path / "broken"
    shutil.copytree(clf, broken)
    weights = load_file(str(broken / "model.safetensors"))
    del weights["classifier.weight"]
    save_file(weights, str(broken / "model.safetensors"), metadata={"format": "pt"})
    assert cli.main(["--predict", str(three), "--model", str(broken), "--predictions_file", str(preds)]) == 2
    assert f"--model {broken}: its weights do not fill its config's BertForSequenceClassification (missing: " \
           "classifier.weight)" in capsys.readouterr().err

    result = _run(clf, binary_files, tmp_path / "more", learning_rate=1e-3, batch_size=32, num_train_epochs=1)
    assert result.model.config.id2label == {0: "neg", 1: "pos"}
    assert "new (randomly initialised): none" in capsys.readouterr().out  # the head came with the weights


def test_training_arguments_warm_up_then_decay_and_keep_the_best(tmp_path):
    args = training_arguments(FinetuneArguments(output_dir=str(tmp_path), metric="macro_f1", eval_steps=20),
                              tmp_path)
    assert (args.lr_scheduler_type, args.warmup_steps) == ("linear", 0.1)
    assert (args.eval_strategy, args.eval_steps, args.save_strategy) == ("steps", 20, "best")
    assert args.load_best_model_at_end and args.metric_for_best_model == "macro_f1" and args.greater_is_better
    assert args.save_only_model and args.save_total_limit == 1 and args.output_dir == str(tmp_path / "checkpoints")


@pytest.mark.timeout(240)
def test_demo_fine_tunes_pretrained_and_scratch_on_the_sample_sentiment_files(bert_dir, tmp_path, capsys):
    from corpus import sample
    from corpusforge import demo

    results = demo.finetune_pair(bert_dir, tmp_path, seeds=(0, 1),
                                 extra_flags=["--num_train_epochs", "1", "--no-progress"])
    demo.show_comparison(results)
    predictions = demo.run_predict(tmp_path / "classifier")
    demo.show_artefacts(tmp_path)
    out = capsys.readouterr().out
    assert set(results) == {"pretrained", "scratch"} and all(len(runs) == 2 for runs in results.values())
    runs = [ev for side in results.values() for ev in side]
    assert [ev["finetune_arguments"]["seed"] for ev in results["scratch"]] == [0, 1]
    assert all(ev["model_arguments"]["from_scratch"] for ev in results["scratch"])
    assert not any(ev["model_arguments"]["from_scratch"] for ev in results["pretrained"])
    assert all(ev["data_arguments"]["train"] == str(sample.SENTIMENT_TRAIN) for ev in runs)
    assert all(r["test"]["examples"] == 200 and r["labels"] == ["negative", "positive"] for r in runs)
    assert (tmp_path / "classifier-seed1" / "eval.json").is_file() and (tmp_path / "scratch-seed1" / "eval.json").is_file()
    means = {side: sum(ev["test"]["accuracy"] for ev in side_runs) / 2 for side, side_runs in results.items()}
    assert f"pretrained {means['pretrained']:.3f}, from scratch {means['scratch']:.3f}" in out
    assert f"pretraining: {100 * (means['pretrained'] - means['scratch']):+.1f} accuracy points" in out
    assert f"$ corpusforge finetune --model {bert_dir}" in out and "--from_scratch" in out and "--seed 1" in out
    assert len(predictions.read_text().splitlines()) == 200 and str((tmp_path / "scratch").resolve()) in out


def test_sentence_pairs_are_framed_with_token_types(bert_dir, tmp_path):
    from training.finetune.data import Fields, read_examples
    from training.finetune.encode import encode_examples
    from training.finetune.model import load_tokenizer

    path = tmp_path / "pairs.tsv"
    path.write_text('premise\thypothesis\tgold\nThe film was "good".\tThe film was bad.\tcontradiction\n',
                    encoding="utf-8")
    (example,) = read_examples(path, Fields("premise", "hypothesis", "gold"))
    tokenizer = load_tokenizer(bert_dir, last_token=False)
    (feature,) = encode_examples([example], tokenizer, 64, {"contradiction": 0})
    a = tokenizer('The film was "good".', add_special_tokens=False)["input_ids"]
    b = tokenizer("The film was bad.", add_special_tokens=False)["input_ids"]
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    assert feature["input_ids"] == [cls, *a, sep, *b, sep]
    assert feature["token_type_ids"] == [0] * (len(a) + 2) + [1] * (len(b) + 1)
    assert feature["labels"] == 0
    (short,) = encode_examples([example], tokenizer, 8, None)
    assert len(short["input_ids"]) == 8 and short["input_ids"][0] == cls and short["input_ids"][-1] == sep
