"""`torchrun -m training.pretrain` with 2 gloo processes: DDP equals one process (also continuing from a
hand-off), DDP and FSDP resume after SIGKILL exactly, and a run checkpointed on 2 processes resumes on 1 (and
on 1, on 2) with every sequence once."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from train_corpus import build_corpus
from train_helpers import losses, micro_config, rows, run_inline, run_processes

from training.data import read_batch_records


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def micro(tmp_path_factory) -> str:
    return micro_config(tmp_path_factory.mktemp("model"))


def args(corpus, out, micro, *extra):
    return ["--data", str(corpus), "--output_dir", str(out), "--model", micro, "--seq_len", "64", "--log_every", "1",
            "--warmup_steps", "2", "--lr", "3e-3", *extra]


STEPS = ["--max_steps", "8", "--save_every", "3", "--eval_every", "4"]


@pytest.fixture(scope="module")
def ddp_run(corpus, micro, tmp_path_factory) -> Path:
    """An uninterrupted 2-process DDP run, batch 2 per process."""
    out = tmp_path_factory.mktemp("ddp")
    run_processes(args(corpus, out, micro, "--batch_size", "2", *STEPS), nproc=2)
    return out


@pytest.mark.timeout(240)
def test_ddp_equals_one_process_with_the_same_global_batch(ddp_run, corpus, micro, tmp_path):
    run_inline(args(corpus, tmp_path / "one", micro, "--batch_size", "4", *STEPS))
    one, two = losses(tmp_path / "one"), losses(ddp_run)
    assert sorted(one) == sorted(two) == list(range(1, 9))
    for step in one:
        assert two[step] == pytest.approx(one[step], rel=1e-5), step
    val_one = [r for r in rows(tmp_path / "one") if "val_loss" in r]
    val_two = [r for r in rows(ddp_run) if "val_loss" in r]
    assert [r["step"] for r in val_two] == [4, 8]
    for a, b in zip(val_one, val_two):
        assert b["val_loss"] == pytest.approx(a["val_loss"], rel=1e-5)
        assert b["val_tokens"] == a["val_tokens"]


@pytest.mark.timeout(240)
def test_ddp_sigkill_then_resume_is_bitwise(ddp_run, corpus, micro, tmp_path):
    out = tmp_path / "broken"
    proc = run_processes(args(corpus, out, micro, "--batch_size", "2", *STEPS), nproc=2, kill_after=5)
    assert proc.returncode != 0 and max(losses(out)) == 5 and not (out / "final").exists()
    run_processes(args(corpus, out, micro, "--batch_size", "2", *STEPS, "--resume"), nproc=2)
    assert losses(out) == losses(ddp_run)  # step 4 and 5 were redone from the step-3 checkpoint


@pytest.mark.timeout(240)
def test_fsdp_trains_and_resumes(ddp_run, corpus, micro, tmp_path):
    out = tmp_path / "fsdp"
    fsdp = args(corpus, out, micro, "--batch_size", "2", "--parallelism", "fsdp", *STEPS)
    proc = run_processes(fsdp, nproc=2, kill_after=5)
    assert proc.returncode != 0 and max(losses(out)) == 5
    run_processes(fsdp + ["--resume"], nproc=2)
    got, ddp = losses(out), losses(ddp_run)
    assert sorted(got) == list(range(1, 9))
    for step in got:  # FSDP computes the same model as DDP (up to reduction order)
        assert got[step] == pytest.approx(ddp[step], rel=1e-5), step
    assert (out / "final/model.safetensors").is_file()


@pytest.mark.timeout(240)
def test_init_from_under_ddp_equals_one_process(ddp_run, corpus, tmp_path):
    """Continued pretraining under torchrun: every rank starts from the hand-off's weights, so 2 processes
    give the losses of one process with the same global batch, from the first run's level, not a fresh model's."""
    def continued(out: Path, batch: str) -> list[str]:
        return ["--data", str(corpus), "--output_dir", str(out), "--init_from", str(ddp_run / "final"), "--seq_len",
                "64", "--log_every", "1", "--warmup_steps", "2", "--lr", "3e-3", "--batch_size", batch,
                "--max_steps", "3", "--seed", "1"]
    run_processes(continued(tmp_path / "two", "2"), nproc=2)
    run_inline(continued(tmp_path / "one", "4"))
    one, two, first = losses(tmp_path / "one"), losses(tmp_path / "two"), losses(ddp_run)
    assert sorted(one) == sorted(two) == [1, 2, 3]
    for step in one:
        assert two[step] == pytest.approx(one[step], rel=1e-5), step
    # the first step's loss is near where the first run ended (5.52 here), far below a fresh model's (6.00)
    assert abs(one[1] - first[max(first)]) < 0.2 < first[1] - one[1]


EPOCH = ["--epochs", "1", "--save_every", "4", "--record_batches"]


def sequences(paths) -> Counter:
    """How often each recorded sequence (its document ranges) was trained on."""
    return Counter(tuple(map(tuple, seq)) for p in paths for r in read_batch_records(p) for seq in r["sequences"])


@pytest.fixture(scope="module")
def whole_epoch(corpus, micro, tmp_path_factory) -> Counter:
    """The sequences of one uninterrupted epoch on one process, global batch 4."""
    out = tmp_path_factory.mktemp("whole")
    run_inline(args(corpus, out, micro, "--batch_size", "4", *EPOCH))
    return sequences([out / "batches/rank-0.jsonl"])


@pytest.mark.timeout(240)
def test_elastic_resume_two_processes_to_one_sees_every_sequence_once(corpus, micro, whole_epoch, tmp_path):
    out = tmp_path / "elastic"
    proc = run_processes(args(corpus, out, micro, "--batch_size", "2", *EPOCH), nproc=2, kill_after=6)
    assert proc.returncode != 0
    assert max(r["step"] for r in read_batch_records(out / "batches/rank-0.jsonl")) == 6
    run_inline(args(corpus, out, micro, "--batch_size", "4", *EPOCH, "--resume"))

    elastic = sequences([out / "batches/rank-0.jsonl", out / "batches/rank-1.jsonl"])
    assert max(elastic.values()) == 1  # steps 5-6 of the killed run were dropped, not counted twice
    assert elastic == whole_epoch
    steps = [r["step"] for r in read_batch_records(out / "batches/rank-1.jsonl")]
    assert steps == [1, 2, 3, 4]  # rank 1 existed only before the checkpoint


@pytest.mark.timeout(240)
def test_elastic_resume_one_process_to_two_sees_every_sequence_once(corpus, micro, whole_epoch, tmp_path):
    out = tmp_path / "grown"
    proc = run_processes(args(corpus, out, micro, "--batch_size", "4", *EPOCH), kill_after=6)
    assert proc.returncode != 0
    assert max(r["step"] for r in read_batch_records(out / "batches/rank-0.jsonl")) == 6
    run_processes(args(corpus, out, micro, "--batch_size", "2", *EPOCH, "--resume"), nproc=2, timeout=200)

    grown = sequences([out / "batches/rank-0.jsonl", out / "batches/rank-1.jsonl"])
    assert max(grown.values()) == 1  # steps 5-6 of the killed run were dropped, not counted twice
    assert grown == whole_epoch
    steps = [r["step"] for r in read_batch_records(out / "batches/rank-1.jsonl")]
    assert steps[0] == 5 and steps == list(range(5, steps[-1] + 1))  # rank 1 joined at the checkpoint
