"""Fine-tuning input: the four file formats, label mapping, the validation split, metrics, and bad input
that is reported with its file and line."""
from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from training.finetune import cli
from training.finetune.config import DataArguments, FinetuneArguments, InputError, ModelArguments
from training.finetune.data import (
    DataError,
    Example,
    Fields,
    check_labels,
    label_names,
    read_examples,
    split_validation,
)
from training.finetune.metrics import compute_metrics, format_summary, summarise

ROWS = [("A fine, warm day.", "pos"), ('He said "no" twice.', "neg"), ("Plain text", "pos")]


def _expected(path: str, lines: list[int]) -> list[Example]:
    return [Example(t, None, y, path, n) for (t, y), n in zip(ROWS, lines)]


def test_four_formats_read_the_same_examples(tmp_path):
    csv_path = tmp_path / "a.csv"
    csv_path.write_text('text,label\n"A fine, warm day.",pos\n"He said ""no"" twice.",neg\nPlain text,pos\n',
                        encoding="utf-8")
    tsv_path = tmp_path / "a.tsv.gz"
    with gzip.open(tsv_path, "wt", encoding="utf-8") as f:
        f.write("label\ttext\n" + "".join(f"{y}\t{t}\n" for t, y in ROWS))  # quotes are text in TSV
    jsonl_path = tmp_path / "a.jsonl"
    jsonl_path.write_text("".join(json.dumps({"text": t, "label": y, "extra": 1}) + "\n\n" for t, y in ROWS),
                          encoding="utf-8")
    parquet_path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"text": [t for t, _ in ROWS], "label": [y for _, y in ROWS]}), parquet_path)
    fields = Fields()
    assert read_examples(csv_path, fields) == _expected(str(csv_path), [2, 3, 4])
    assert read_examples(tsv_path, fields) == _expected(str(tsv_path), [2, 3, 4])
    assert read_examples(jsonl_path, fields) == _expected(str(jsonl_path), [1, 3, 5])
    assert read_examples(parquet_path, fields) == _expected(str(parquet_path), [1, 2, 3])


def test_csv_line_numbers_count_physical_lines_and_pairs_are_read(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text('premise,hypothesis,gold\n"two\nlines",b,1\nc,d,0\n', encoding="utf-8")
    got = read_examples(path, Fields("premise", "hypothesis", "gold"))
    assert got == [Example("two\nlines", "b", "1", str(path), 2), Example("c", "d", "0", str(path), 4)]


def test_labels_are_strings_sorted_numerically_when_integers(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_text("".join(json.dumps({"text": "x", "label": v}) + "\n" for v in [10, 2, "2", 1.0, True]),
                    encoding="utf-8")
    examples = read_examples(path, Fields())
    assert [e.label for e in examples] == ["10", "2", "2", "1", "true"]
    assert label_names(examples[:4]) == ["1", "2", "10"]
    assert label_names([Example("x", None, y, "f", 1) for y in ["positive", "negative", "neutral"]]) == [
        "negative", "neutral", "positive"]


@pytest.mark.parametrize("name, content, message", [
    ("missing.jsonl", '{"text": "a", "label": "x"}\n{"text": "b"}\n',
     "missing.jsonl:2: no field 'label' (label); the record has: text"),
    ("missing.csv", "text,stars\na,1\n", "missing.csv:2: no field 'label' (label); the record has: stars, text"),
    ("bad.jsonl", '{"text": "a", "label": "x"}\n{"text": "b", "label": \n', "bad.jsonl:2: malformed line, not valid JSON"),
    ("list.jsonl", '["a", "x"]\n', "list.jsonl:1: malformed line, expected a JSON object, got list"),
    ("bad.csv", "text,label\na,x\nb,y,extra\n", "bad.csv:3: malformed line, 3 fields where the header has 2"),
    ("quote.csv", 'text,label\na,x\n"b,y\n', "quote.csv:3: malformed line"),
    ("empty.csv", "", "empty.csv: empty file, no examples"),
    ("header.csv", "text,label\n", "header.csv: empty file, no examples"),
    ("empty.jsonl", "\n\n", "empty.jsonl: empty file, no examples"),
    ("null.jsonl", '{"text": null, "label": "x"}\n', "null.jsonl:1: field 'text' (text) is empty (null)"),
    ("blank.csv", "text,label\na,\n", "blank.csv:2: field 'label' (label) is an empty string"),
    ("data.txt", "a\n", "data.txt: unknown file type"),
])
def test_bad_files_name_the_file_and_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_examples(path, Fields())
    assert str(err.value).startswith(str(tmp_path / message.split(":")[0]))
    assert message in str(err.value)


def test_parquet_missing_column_names_the_row(tmp_path):
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"text": ["a", "b"]}), path)
    with pytest.raises(DataError, match=r"p\.parquet:1: no field 'label'"):
        read_examples(path, Fields())


def test_unseen_validation_label_names_file_and_line(tmp_path):
    examples = [Example("a", None, "pos", "val.csv", 2), Example("b", None, "meh", "val.csv", 3)]
    with pytest.raises(DataError) as err:
        check_labels(examples, ["neg", "pos"], "train.csv")
    assert str(err.value) == ("val.csv:3: label 'meh' does not occur in the training data (train.csv); "
                              "training labels: neg, pos")


def test_validation_split_is_deterministic_stratified_and_disjoint():
    examples = [Example(f"t{i}", None, "a" if i % 4 else "b", "f", i + 1) for i in range(40)]  # 30 a, 10 b
    train, val = split_validation(examples, 0.2, seed=3)
    assert (train, val) == split_validation(examples, 0.2, seed=3)
    assert sorted(e.line for e in train + val) == list(range(1, 41))
    assert [e.label for e in val].count("a") == 6 and [e.label for e in val].count("b") == 2
    assert split_validation(examples, 0.2, seed=4)[1] != val
    with pytest.raises(DataError, match="holds out no example"):
        split_validation([Example("x", None, "a", "f", 1)], 0.1, seed=0)


def test_summary_is_exact_and_lists_every_training_label():
    labels = ["negative", "neutral", "positive"]
    y_true = [0, 0, 1, 2, 2, 2]
    y_pred = [0, 2, 1, 2, 2, 0]
    s = summarise(y_true, y_pred, labels, majority_label=2)
    assert s["examples"] == 6 and s["accuracy"] == pytest.approx(4 / 6)
    assert s["per_class"]["negative"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert s["per_class"]["neutral"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert s["per_class"]["positive"]["support"] == 3
    assert s["per_class"]["positive"]["precision"] == pytest.approx(2 / 3)
    assert s["macro_f1"] == pytest.approx((0.5 + 1.0 + 2 / 3) / 3)
    assert s["confusion_matrix"] == {"labels": labels, "matrix": [[1, 0, 1], [0, 1, 0], [1, 0, 2]]}
    assert s["majority_class"] == {"label": "positive", "accuracy": 0.5}
    absent = summarise([0, 0], [0, 1], labels)
    assert absent["per_class"]["positive"]["support"] == 0 and len(absent["confusion_matrix"]["matrix"]) == 3
    text = format_summary("test", s)
    assert "accuracy 0.6667" in text and "neutral" in text.splitlines()[-2]
    assert compute_metrics(([[2.0, 0.1], [0.0, 1.0], [3.0, 0.0]], [0, 1, 1])) == {
        "accuracy": pytest.approx(2 / 3), "macro_f1": pytest.approx((2 / 3 + 2 / 3) / 2)}


@pytest.mark.parametrize("make, message", [
    (lambda: DataArguments(), "DataArguments.train is required"),
    (lambda: DataArguments(train="a.csv", validation="b.csv", validation_fraction=0.1),
     "DataArguments.validation_fraction"),
    (lambda: DataArguments(train="a.csv", validation_fraction=1.5), "DataArguments.validation_fraction must be in"),
    (lambda: DataArguments(train="a.csv", max_length=2), "DataArguments.max_length"),
    (lambda: DataArguments(predict="a.csv", train="b.csv"), "DataArguments.predict"),
    (lambda: ModelArguments(model="m", lora=True, freeze_encoder=True), "ModelArguments.lora"),
    (lambda: ModelArguments(model="m", from_scratch=True, lora=True), "ModelArguments.from_scratch"),
    (lambda: FinetuneArguments(learning_rate=0), "FinetuneArguments.learning_rate"),
    (lambda: FinetuneArguments(metric="f1"), "FinetuneArguments.metric"),
    (lambda: FinetuneArguments(batch_size=0), "FinetuneArguments.batch_size"),
])
def test_config_errors_name_the_field(make, message):
    with pytest.raises(InputError, match=message):
        make()
    assert DataArguments(train="a.csv").held_out_fraction == 0.1
    assert DataArguments(train="a.csv", validation="b.csv").held_out_fraction is None


def test_field_overrides_are_the_field_flags_off_their_defaults():
    assert DataArguments(predict="a.csv").field_overrides() == {}
    assert DataArguments(predict="a.csv", text_field="body", text_pair_field="hyp").field_overrides() == {
        "text_field": "body", "text_pair_field": "hyp"}
    assert DataArguments(predict="a.csv", label_field="gold", text_field="text").field_overrides() == {
        "label_field": "gold"}


def test_cli_reports_bad_input_in_one_line(tmp_path, capsys):
    train = tmp_path / "train.csv"
    train.write_text("text,label\na,pos\nb,neg\nc,pos\n", encoding="utf-8")
    val = tmp_path / "val.jsonl"
    val.write_text('{"text": "d", "label": "neg"}\n{"text": "e", "label": "positive"}\n', encoding="utf-8")
    code = cli.main(["--model", str(tmp_path / "nowhere"), "--train", str(train), "--validation", str(val),
                     "--output_dir", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (f"corpusforge finetune: error: {val}:2: label 'positive' does not occur in the training data "
                   f"({train}); training labels: neg, pos\n")
    assert cli.main(["--model", str(tmp_path / "nowhere"), "--train", str(train), "--validation_fraction", "0.5",
                     "--output_dir", str(tmp_path / "out")]) == 2
    assert "no such directory" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
