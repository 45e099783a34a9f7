"""The training stream: one global order, sliced by ranks and workers, resumable and elastic."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import torch
from _data_corpus import build_corpus, stored_documents, tokenizer_dir

from training.data import DataConfig, DataPosition, build_eval_loader, build_train_loader

SEQ_LEN = 32


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("loader")
    root = base / "corpus"
    build_corpus(root, tokenizer_dir(base), train_docs=90, validation_docs=12)
    return str(root)


def config(path: str, **kw) -> DataConfig:
    return DataConfig(path=path, seq_len=kw.pop("seq_len", SEQ_LEN), shuffle_window=kw.pop("shuffle_window", 16), **kw)


def key(batch: dict) -> list[tuple]:
    """Each row of a batch as its examples' identity: the (document, start, end) ranges."""
    return [tuple(tuple(r) for r in rows) for rows in batch["records"]]


def take(loader, n: int) -> list[tuple]:
    return [row for batch in itertools.islice(iter(loader), n) for row in key(batch)]


def global_stream(path: str, *, batch_size: int, world_size: int, workers: int = 0, n: int | None = None,
                  position: DataPosition | None = None, **kw) -> tuple[list[tuple], list]:
    """Micro-batches of all ranks interleaved in global order: what the W ranks see together."""
    cfg = config(path, num_workers=workers, **kw)
    loaders = [build_train_loader(cfg, batch_size=batch_size, rank=r, world_size=world_size, position=position)
               for r in range(world_size)]
    if n is None:
        n = loaders[0].stats.micro_batches
    per_rank = [take(ld, n) for ld in loaders]
    rows = [row for j in range(n) for r in range(world_size) for row in per_rank[r][j * batch_size:(j + 1) * batch_size]]
    return rows, loaders


def test_stream_is_the_same_for_any_ranks_and_workers(corpus):
    cfg = config(corpus)
    reference = build_train_loader(cfg, batch_size=1)
    examples = reference.stats.sequences
    assert examples == 219 and reference.stats.dropped_sequences == 0
    ref = take(reference, examples)
    assert len(set(ref)) == examples
    for world, workers in itertools.product((1, 2, 3), (0, 2)):
        rows, loaders = global_stream(corpus, batch_size=2, world_size=world, workers=workers)
        dropped = examples % (2 * world)  # 1, 3, 3: the remainder smaller than a global batch
        assert [ld.stats.dropped_sequences for ld in loaders] == [dropped] * world
        assert rows == ref[:examples - dropped], (world, workers)  # the same examples in the same order
        for ld in loaders:
            assert ld.position == ld.position_after(ld.stats.micro_batches) == DataPosition(1, 0, 0, ld.start.fingerprint)


def test_every_document_appears_and_tokens_reassemble(corpus):
    docs = stored_documents(Path(corpus), "train")
    cfg = config(corpus)
    ld = build_train_loader(cfg, batch_size=3)
    batches = list(itertools.islice(iter(ld), ld.stats.micro_batches))
    seen = {}
    for batch in batches:
        for r, rows in enumerate(batch["records"]):
            col = 0
            for doc_id, start, end in rows:
                seen.setdefault(doc_id, []).append((start, end, batch["input_ids"][r, col:col + end - start]))
                col += end - start
            assert int(batch["attention_mask"][r].sum()) == col
    assert set(seen) == set(docs)
    for doc_id, parts in seen.items():
        parts.sort(key=lambda p: p[0])
        assert [p[0] for p in parts] == [0] + [p[1] for p in parts[:-1]]  # contiguous, no overlap
        assert torch.equal(torch.cat([p[2] for p in parts]), torch.from_numpy(docs[doc_id].astype("int64")))


def test_last_sequence_is_padded_and_nothing_else(corpus):
    cfg = config(corpus, seq_len=40)
    ld = build_train_loader(cfg, batch_size=1)
    stats = ld.stats
    assert stats.tokens % 40 != 0 and stats.sequences == -(-stats.tokens // 40)
    batches = list(itertools.islice(iter(ld), stats.micro_batches))
    pads = [int((b["attention_mask"] == 0).sum()) for b in batches]
    assert pads[:-1] == [0] * (len(pads) - 1) and pads[-1] == stats.padding_tokens == stats.sequences * 40 - stats.tokens
    last = batches[-1]
    assert (last["labels"][0][last["attention_mask"][0] == 0] == -100).all()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("where", ["start", "middle", "near_end"])
def test_resume_gives_the_remaining_stream(corpus, where):
    cfg = config(corpus, num_workers=2)
    full = build_train_loader(config(corpus), batch_size=2, grad_accum=2)
    per_epoch = full.stats.micro_batches
    n_total = per_epoch + 6  # into the next epoch
    reference = take(full, n_total)
    k = {"start": 0, "middle": per_epoch // 2, "near_end": per_epoch - 2}[where]
    position = full.position_after(k)
    saved = json.loads(json.dumps(position.to_dict()))
    resumed = build_train_loader(cfg, batch_size=2, grad_accum=2, position=DataPosition.from_dict(saved))
    assert take(resumed, n_total - k) == reference[2 * k:]
    assert resumed.position == full.position_after(n_total)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("before,after", [(2, 1), (1, 2), (2, 3)])
def test_elastic_resume_sees_each_remaining_example_once(corpus, before, after):
    batch = 2
    first, loaders = global_stream(corpus, batch_size=batch, world_size=before, n=7)
    saved = loaders[0].position.to_dict()
    assert all(ld.position.to_dict() == saved for ld in loaders)  # every rank saves the same position
    assert saved["cursor"] == 7 * before * batch
    position = DataPosition.from_dict(saved)
    rest, later = global_stream(corpus, batch_size=batch, world_size=after, workers=2 if after == 2 else 0,
                                position=position)
    whole = take(build_train_loader(config(corpus), batch_size=1), later[0].stats.sequences)
    dropped = later[0].epoch_stats(0).dropped_sequences
    assert dropped == (len(whole) - saved["cursor"]) % (after * batch)
    assert first + rest == whole[:len(whole) - dropped]
    assert len(set(first + rest)) == len(first + rest)


def test_order_changes_with_epoch_and_seed(corpus):
    ld = build_train_loader(config(corpus), batch_size=1)
    n = ld.stats.micro_batches
    epoch0, epoch1 = take(ld, n), take(ld, n)
    other_seed = take(build_train_loader(config(corpus, seed=1), batch_size=1), n)
    assert epoch0 != epoch1 and epoch0 != other_seed
    by_doc = [tuple(r[0] for r in ex) for ex in epoch0]
    assert by_doc != [tuple(r[0] for r in ex) for ex in epoch1]
    docs = lambda rows: {r[0] for ex in rows for r in ex}  # noqa: E731
    assert docs(epoch0) == docs(epoch1) == docs(other_seed)


@pytest.mark.timeout(60)
def test_too_few_examples_for_the_ranks_is_an_error_not_a_hang(corpus, tmp_path):
    cfg = config(corpus)
    with pytest.raises(ValueError, match=r"an epoch holds 219 examples, fewer than one optimizer step needs "
                                         r"\(world_size 8 x batch_size 16 x grad_accum 2 = 256\)"):
        build_train_loader(cfg, batch_size=16, world_size=8, grad_accum=2)
    with pytest.raises(ValueError, match=r"makes 2 sequences of seq_len 512, fewer than world_size 3"):
        build_eval_loader(config(corpus, split="validation", seq_len=512), batch_size=1, rank=0, world_size=3)
    with pytest.raises(ValueError, match=r"rank must be an int in \[0, 2\)"):
        build_train_loader(cfg, batch_size=1, rank=2, world_size=2)
    # One shard of three documents: too few for 4 ranks, yet enough for 2 ranks x 2 workers, which
    # simply go round the epoch (a shard does not need to be split between workers).
    tiny = tmp_path / "tiny"
    build_corpus(tiny, tokenizer_dir(Path(corpus).parent), train_docs=3, validation_docs=1, max_lines=1)
    small = config(str(tiny), seq_len=64)
    examples = build_train_loader(small, batch_size=1).stats.sequences
    assert examples == 2
    with pytest.raises(ValueError, match=r"an epoch holds 2 examples, fewer than one optimizer step needs "
                                         r"\(world_size 4 x batch_size 1 x grad_accum 1 = 4\)"):
        build_train_loader(small, batch_size=1, world_size=4)
    one = tmp_path / "one"
    build_corpus(one, tokenizer_dir(Path(corpus).parent), train_docs=1, validation_docs=1)
    with pytest.raises(ValueError, match=r"objective 'mlm\+nsp' needs at least 2 documents in split 'train'"):
        build_train_loader(config(str(one), objective="mlm+nsp"), batch_size=1)
    rows, _ = global_stream(str(tiny), batch_size=1, world_size=2, workers=2, n=5, seq_len=64)
    docs = stored_documents(tiny, "train")
    assert len(rows) == 10
    for epoch in range(5):  # every epoch (2 examples) holds every token once
        ranges = [r for ex in rows[2 * epoch:2 * epoch + 2] for r in ex]
        assert {r[0] for r in ranges} == set(docs)
        assert sum(e - s for _, s, e in ranges) == sum(len(t) for t in docs.values())


def test_position_of_another_stream_is_refused(corpus):
    ld = build_train_loader(config(corpus), batch_size=2)
    next(iter(ld))
    saved = ld.position
    with pytest.raises(ValueError, match="belongs to another data stream"):
        build_train_loader(config(corpus, seq_len=64), batch_size=2, position=saved)
    with pytest.raises(ValueError, match="belongs to another data stream"):
        build_train_loader(config(corpus, seed=3), batch_size=2, position=saved)
    with pytest.raises(ValueError, match="data position field 'cursor' must be a non-negative int"):
        DataPosition.from_dict({"epoch": 0, "cursor": -1})


@pytest.mark.timeout(120)
def test_eval_loader_covers_the_split_the_same_way_every_run(corpus):
    docs = stored_documents(Path(corpus), "validation")
    for objective in ("clm", "mlm", "mlm+nsp"):
        cfg = config(corpus, split="validation", objective=objective, seq_len=48)
        runs = []
        for workers in (0, 2):
            shards = [list(build_eval_loader(DataConfig(**{**cfg.__dict__, "num_workers": workers}), batch_size=3,
                                             rank=r, world_size=2)) for r in range(2)]
            assert len(shards[0]) == len(shards[1])
            runs.append(shards)
        for a, b in zip(runs[0], runs[1]):
            for x, y in zip(a, b):
                assert key(x) == key(y) and torch.equal(x["input_ids"], y["input_ids"])
                assert torch.equal(x["labels"], y["labels"])
        if objective == "clm":
            ranges = [r for shard in runs[0] for batch in shard for rows in batch["records"] for r in rows]
            assert sorted({r[0] for r in ranges}) == sorted(docs)
            assert sum(e - s for _, s, e in ranges) == sum(len(t) for t in docs.values())
