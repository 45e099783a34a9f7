"""Training data: a streaming, resumable, elastic dataset over corpus shards (the contract with the loop).

Usage::

    cfg = DataConfig(path="gs://bucket/corpus", seq_len=512, objective="clm", num_workers=2)
    loader = build_train_loader(cfg, batch_size=8, grad_accum=4, rank=rank, world_size=world,
                                position=DataPosition.from_dict(ckpt["data_position"]) if resuming else None)
    for step_batches in batched(loader, 4):          # endless; the loop stops it
        for batch in step_batches:
            extra = {k: batch.pop(k) for k in NON_MODEL_KEYS}
            loss = model(**batch).loss ...
        ckpt["data_position"] = loader.position.to_dict()   # after whole steps

What the loop can rely on (refinements of TRAINING_INTERFACE.md are marked *):

* ``open_training_corpus(path, cache_dir=None) -> TrainingCorpus``: ``.manifest``, ``.manifest_sha256``,
  ``.tokenizer_dir`` (local path or URL of the tokenizer directory), ``.special_ids`` (pad, unk, bos,
  eos, cls, sep, mask), ``.vocab_size``; ``.shards(split)``; ``.vocab()`` the token tables (*).
  Refuses a directory without manifest.json ("the build did not finish"), a split without
  documents ("holds no documents"), and, when a shard is first read, a size or sha256 mismatch
  (naming the shard and the corpus).
* ``DataConfig`` (frozen, validated): path, split, seq_len, objective ("clm" | "mlm" | "mlm+nsp"),
  seed, block_document_attention, mlm_probability, whole_word_mask, shuffle_window (documents,
  default 8192), num_workers, cache_dir (*: where remote shards are copied).
* ``DataPosition(epoch, cursor, seed, fingerprint)``: ``to_dict()`` / ``from_dict()``; ``cursor`` counts
  the epoch's examples consumed by all ranks together. (*) ``fingerprint`` names the stream (manifest,
  split, seed, seq_len, objective, shuffle window); a position from another stream is refused.
* ``build_train_loader(cfg, *, batch_size, grad_accum=1, rank=0, world_size=1, position=None) -> TrainLoader``:
  iterating yields rank ``rank``'s micro-batches, epoch after epoch, without end. Global micro-batch
  ``j`` after the position covers examples ``[cursor + j*W*B, cursor + (j+1)*W*B)``; rank r takes the
  r-th ``B``. An epoch's remainder smaller than ``W*B*grad_accum`` examples is skipped and counted in
  ``loader.stats.dropped_sequences``. ``loader.position`` is the position after the micro-batches
  yielded so far; ``loader.position_after(n)`` after ``n`` micro-batches from the loader's start;
  ``loader.stats`` / ``loader.epoch_stats(e)`` -> ``EpochStats`` (documents, tokens, sequences,
  micro_batches, steps, dropped_sequences, padding_tokens, padding_fraction; padding is ``None`` for
  mlm+nsp). Too few examples for one optimizer step raises ValueError at construction.
* ``build_eval_loader(cfg, *, batch_size, rank=0, world_size=1) -> EvalLoader``: every document of the
  split once, manifest order, fixed seed (the same masks and pairs on every run); ``len(loader)``
  batches on every rank, the last padded with all-padding rows (weight losses by ``num_targets``).

A batch (dict) — model inputs:

* ``input_ids``, ``labels`` LongTensor [B, L] (-100 = ignore; CLM labels unshifted, the model shifts;
  with blocking, a document's first token in a sequence is -100 too);
* ``position_ids`` LongTensor [B, L]: restart at 0 at every document run in the sequence;
* ``attention_mask``: LongTensor [B, L] 0/1 without blocking — always given, because without it
  transformers would infer packing from the restarting ``position_ids`` —, and with
  ``block_document_attention`` a bool [B, 1, L, L] (True = may attend: block-diagonal causal for
  clm, block-diagonal for mlm), which GPT2, Llama and BERT pass unchanged to ``sdpa`` attention.
  (*) For ``attn_implementation="eager"`` convert it with ``training.objectives.additive_mask``.
* ``token_type_ids`` LongTensor [B, L] and ``next_sentence_label`` LongTensor [B] (mlm+nsp only;
  0 = B follows A; padding rows -100).

and the non-model keys ``NON_MODEL_KEYS`` (pop them before ``model(**batch)``):

* ``records``: per sequence, a list of ``(document_id, start, end)`` token ranges (ints and the
  document's id string; NSP lists A then B);
* ``num_tokens`` (int): real, non-padding tokens; (*) ``num_targets`` (int): predicted tokens (CLM:
  ``labels[:, 1:] != -100``; MLM: ``labels != -100``);
* ``num_bytes`` (int): UTF-8 bytes of text those predicted tokens stand for, for bits per byte
  ``= sum of token losses (nats) / ln 2 / num_bytes`` (see training/data/vocab.py for the rule).

``training.data.records``: ``BatchRecordWriter(path).write(step, sequences)``, ``.truncate_after(step)``,
``read_batch_records(path)``, and ``step_sequences(micro_batches)`` to join a step's records.
"""

from training.data.batch import EVAL_SEED, NON_MODEL_KEYS
from training.data.config import OBJECTIVES, DataConfig
from training.data.loader import EpochStats, EvalLoader, TrainLoader, build_eval_loader, build_train_loader
from training.data.position import DataPosition
from training.data.records import BatchRecordWriter, read_batch_records, step_sequences
from training.data.source import TrainingCorpus, open_training_corpus

__all__ = [
    "EVAL_SEED", "NON_MODEL_KEYS", "OBJECTIVES", "BatchRecordWriter", "DataConfig", "DataPosition", "EpochStats",
    "EvalLoader", "TrainLoader", "TrainingCorpus", "build_eval_loader", "build_train_loader", "open_training_corpus",
    "read_batch_records", "step_sequences",
]
