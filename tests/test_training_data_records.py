"""Batch records: written per optimizer step from the loader's batches, read back, truncated on resume."""

from __future__ import annotations

import itertools
import json

import pytest
from _data_corpus import build_corpus, stored_documents, tokenizer_dir

from training.data import (
    BatchRecordWriter,
    DataConfig,
    build_train_loader,
    read_batch_records,
    step_sequences,
)


def test_records_trace_each_step_to_its_documents(tmp_path):
    root = tmp_path / "corpus"
    build_corpus(root, tokenizer_dir(tmp_path), train_docs=30, validation_docs=2)
    docs = stored_documents(root, "train")
    loader = build_train_loader(DataConfig(path=str(root), seq_len=32), batch_size=2, grad_accum=2)
    path = tmp_path / "out" / "batches" / "rank-0.jsonl"
    batches = list(itertools.islice(iter(loader), 6))
    with BatchRecordWriter(path) as writer:
        for step in range(3):
            writer.write(step + 1, step_sequences(batches[2 * step:2 * step + 2]))
    records = read_batch_records(path)
    assert [r["step"] for r in records] == [1, 2, 3]
    assert all(len(r["sequences"]) == 4 for r in records)
    # Step 2, sequence 3 (second micro-batch, row 1): its tokens are the documents' stored tokens.
    batch, row = batches[3], 1
    ranges = records[1]["sequences"][3]
    assert ranges == [list(r) for r in batch["records"][row]]
    tokens = [t for doc_id, start, end in ranges for t in docs[doc_id][start:end].tolist()]
    assert tokens == batch["input_ids"][row].tolist()
    first_line = path.read_text().splitlines()[0]
    assert first_line.startswith('{"step":1,"sequences":[[["t000')

    # A resume from the checkpoint of step 2 drops step 3 and appends again.
    writer = BatchRecordWriter(path)
    writer.truncate_after(2)
    writer.write(3, [[("t00001", 0, 5)]])
    writer.close()
    assert [r["step"] for r in read_batch_records(path)] == [1, 2, 3]
    assert read_batch_records(path)[-1]["sequences"] == [[["t00001", 0, 5]]]


def test_bad_records_are_refused_with_file_and_line(tmp_path):
    path = tmp_path / "rank-0.jsonl"
    with BatchRecordWriter(path) as writer:
        with pytest.raises(ValueError, match=r"step 1: sequence 0 has \('d', 5, 2\), expected"):
            writer.write(1, [[("d", 5, 2)]])
        with pytest.raises(ValueError, match="step must be a non-negative int"):
            writer.write(-1, [])
        writer.write(1, [[("d", 0, 2)]])
    with open(path, "a") as f:
        f.write(json.dumps({"step": 2, "sequences": [[["d", 0]]]}) + "\n")
    with pytest.raises(ValueError, match=r"rank-0.jsonl:2: sequence 0 has \['d', 0\]"):
        read_batch_records(path)
    path.write_text('{"step": 1, "sequences": []}\n{"step": 2, "seq')  # a crash mid-line
    assert read_batch_records(path) == [{"step": 1, "sequences": []}]
