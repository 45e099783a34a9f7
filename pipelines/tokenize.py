"""Beam transforms of the tokenizer stage: train once on a deterministic sample, encode everywhere.

``docs | TrainTokenizer(config, work_dir)`` keeps the documents with the smallest
:func:`~corpus.tokenizer.train.sample_key` (``Top.Smallest``: the same rule as
:func:`~corpus.tokenizer.train.select_sample`), hands that one list to a single DoFn call that
trains, writes the model files under ``work_dir/tokenizer/`` through Beam's ``FileSystems`` (so
``gs://`` works) and yields the :class:`TokenizerInfo`. ``p | ExistingTokenizer(path, work_dir)``
does the same for ``--tokenizer PATH`` without training. Either result goes to
``TokenizeDocuments`` as a singleton side input; its DoFn loads the model on its first batch (side
inputs are not available in ``setup``) and keeps it while the model's sha256 stays the same.
"""
from __future__ import annotations

import dataclasses
import hashlib
import shutil
import tempfile
from pathlib import Path

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from corpus.document import Document
from corpus.shards.record import ShardRecord
from corpus.tokenizer.encode import MODEL_FILE, Encoder
from corpus.tokenizer.train import (
    TokenizerConfig,
    TokenizerInfo,
    apply_char_budget,
    sample_key,
    train_tokenizer,
    use_existing_tokenizer,
)
from pipelines.beam_util import BeamCounter, batch_elements, combine_globally

TOKENIZER_DIR = "tokenizer"
MIN_BATCH = 16
MAX_BATCH = 512
COPY_CHUNK_BYTES = 1 << 20


def _copy_dir_out(local_dir: Path, dest_dir: str) -> None:
    """Copy every file of ``local_dir`` to ``dest_dir`` (local or remote) through FileSystems."""
    if not FileSystems.exists(dest_dir):
        FileSystems.mkdirs(dest_dir)
    for path in sorted(local_dir.iterdir()):
        with path.open("rb") as src, FileSystems.create(FileSystems.join(dest_dir, path.name)) as dst:
            shutil.copyfileobj(src, dst, COPY_CHUNK_BYTES)


def _read_bytes(path: str) -> bytes:
    with FileSystems.open(path) as src:
        return src.read()


class _TrainDoFn(beam.DoFn):
    def __init__(self, config: TokenizerConfig, work_dir: str) -> None:
        self.config, self.work_dir = config, work_dir
        self.counter = BeamCounter()

    def process(self, sample: list[tuple[int, str, str]]):
        # The sample is a set of documents: a runner that replays elements (Beam's DaskRunner
        # recomputes shared steps) must not weight a document twice.
        distinct = sorted({(key, doc_id): text for key, doc_id, text in sample}.items())
        texts = apply_char_budget([text for _, text in distinct], self.config.sample_chars)
        self.counter("tokenizer:sample_documents", len(texts))
        dest = FileSystems.join(self.work_dir, TOKENIZER_DIR)
        with tempfile.TemporaryDirectory(prefix="tokenizer-") as tmp:
            info = train_tokenizer(texts, tmp, self.config, counter=self.counter)
            _copy_dir_out(Path(tmp), dest)
        yield dataclasses.replace(info, path=dest)


class TrainTokenizer(beam.PTransform):
    """Documents → one :class:`TokenizerInfo`, the model trained once on the bounded sample."""

    def __init__(self, config: TokenizerConfig, work_dir: str) -> None:
        super().__init__()
        self.config, self.work_dir = config, work_dir

    def expand(self, docs):
        seed = self.config.seed
        keyed = docs | "KeyForSample" >> beam.Map(lambda d: (sample_key(d.id, seed), d.id, d.text))
        sample = combine_globally(keyed, beam.combiners.TopCombineFn(self.config.sample_documents, reverse=True),
                                  "SmallestKeys")
        return sample | "TrainOnce" >> beam.ParDo(_TrainDoFn(self.config, self.work_dir))


class _ExistingDoFn(beam.DoFn):
    def __init__(self, work_dir: str, model_type: str) -> None:
        self.work_dir, self.model_type = work_dir, model_type

    def process(self, model_path: str):
        dest = FileSystems.join(self.work_dir, TOKENIZER_DIR)
        with tempfile.TemporaryDirectory(prefix="tokenizer-") as tmp:
            local = Path(tmp) / "in" / MODEL_FILE
            local.parent.mkdir()
            local.write_bytes(_read_bytes(model_path))
            info = use_existing_tokenizer(local, Path(tmp) / "out", model_type=self.model_type)
            _copy_dir_out(Path(tmp) / "out", dest)
        yield dataclasses.replace(info, path=dest)


class ExistingTokenizer(beam.PTransform):
    """``p | ExistingTokenizer(path, work_dir)`` → one :class:`TokenizerInfo` for ``--tokenizer PATH``."""

    def __init__(self, model_path: str, work_dir: str, model_type: str = "unigram") -> None:
        super().__init__()
        self.model_path, self.work_dir, self.model_type = model_path, work_dir, model_type

    def expand(self, pbegin):
        return (pbegin
                | "TokenizerPath" >> beam.Create([self.model_path])
                | "CopyAndExport" >> beam.ParDo(_ExistingDoFn(self.work_dir, self.model_type)))


class _EncodeDoFn(beam.DoFn):
    def __init__(self, keep_text: bool) -> None:
        self.keep_text = keep_text
        self.counter = BeamCounter()
        self._encoder: Encoder | None = None
        self._sha256: str | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None

    def _load(self, info: TokenizerInfo) -> Encoder:
        if self._encoder is None or self._sha256 != info.sha256:
            model_path = FileSystems.join(info.path, MODEL_FILE)
            model = _read_bytes(model_path)
            if hashlib.sha256(model).hexdigest() != info.sha256:
                raise ValueError(f"{model_path}: sha256 does not match the trained tokenizer {info.sha256}")
            self._tmp = tempfile.TemporaryDirectory(prefix="encoder-")
            (Path(self._tmp.name) / MODEL_FILE).write_bytes(model)
            self._encoder, self._sha256 = Encoder(self._tmp.name), info.sha256
            self.counter("tokenize:model_loads")
        return self._encoder

    def process(self, batch: list[Document], info: TokenizerInfo):
        encoder = self._load(info)
        arrays = encoder.encode_batch([doc.text for doc in batch], counter=self.counter)
        for doc, tokens in zip(batch, arrays):
            yield ShardRecord(id=doc.id, tokens=tokens, url=doc.url, source=doc.source,
                              language=str(doc.meta.get("language", "")),
                              text=doc.text if self.keep_text else None)

    def teardown(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


class TokenizeDocuments(beam.PTransform):
    """Documents → :class:`ShardRecord` (ids ending with eos), encoded in batches."""

    def __init__(self, tokenizer_info, keep_text: bool = False, *, min_batch: int = MIN_BATCH,
                 max_batch: int = MAX_BATCH) -> None:
        super().__init__()
        if not 1 <= min_batch <= max_batch:
            raise ValueError(f"TokenizeDocuments: need 1 <= min_batch <= max_batch, got {min_batch}, {max_batch}")
        self.tokenizer_info, self.keep_text = tokenizer_info, keep_text
        self.min_batch, self.max_batch = min_batch, max_batch

    def expand(self, docs):
        return (batch_elements(docs, self.min_batch, self.max_batch)
                | "Encode" >> beam.ParDo(_EncodeDoFn(self.keep_text),
                                         info=beam.pvalue.AsSingleton(self.tokenizer_info)))
