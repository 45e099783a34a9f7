"""DataConfig: what the training data is, validated once, with messages that name the field."""

from __future__ import annotations

from dataclasses import dataclass

OBJECTIVES = ("clm", "mlm", "mlm+nsp")
SPLITS = ("train", "validation")
# Documents per shuffle window. The window's bookkeeping costs about 40 bytes per document
# (see training/data/order.py), so the default holds ~330 KB whatever the corpus size.
DEFAULT_SHUFFLE_WINDOW = 8192
MIN_SEQ_LEN = 8  # mlm+nsp needs [CLS] A [SEP] B [SEP]: 3 specials and a few tokens
MAX_SEQ_LEN = 1 << 20


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class DataConfig:
    """The training data of one run. Everything here but ``path``, ``num_workers`` and ``cache_dir``
    fixes the example stream (see :class:`training.data.position.DataPosition`).

    ``cache_dir``: where shards of a remote corpus (``gs://``, ``s3://``, ``memory://``) are copied
    to be memory-mapped; default ``$CORPUSFORGE_CACHE`` or ``~/.cache/corpusforge``. Local corpora
    (a path or ``file://``) are read in place.
    """

    path: str
    split: str = "train"
    seq_len: int = 128
    objective: str = "clm"
    seed: int = 0
    block_document_attention: bool = False
    mlm_probability: float = 0.15
    whole_word_mask: bool = False
    shuffle_window: int = DEFAULT_SHUFFLE_WINDOW
    num_workers: int = 0
    cache_dir: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.path, str) or not self.path:
            raise ValueError(f"DataConfig.path must be a non-empty str (a directory or URL), got {self.path!r}")
        if self.split not in SPLITS:
            raise ValueError(f"DataConfig.split must be one of {SPLITS}, got {self.split!r}")
        if not _is_int(self.seq_len) or not MIN_SEQ_LEN <= self.seq_len <= MAX_SEQ_LEN:
            raise ValueError(f"DataConfig.seq_len must be an int in [{MIN_SEQ_LEN}, {MAX_SEQ_LEN}], "
                             f"got {self.seq_len!r}")
        if self.objective not in OBJECTIVES:
            raise ValueError(f"DataConfig.objective must be one of {OBJECTIVES}, got {self.objective!r}")
        if not _is_int(self.seed) or self.seed < 0:
            raise ValueError(f"DataConfig.seed must be a non-negative int, got {self.seed!r}")
        for name in ("block_document_attention", "whole_word_mask"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"DataConfig.{name} must be a bool, got {getattr(self, name)!r}")
        p = self.mlm_probability
        if not isinstance(p, float) or not 0.0 < p < 1.0:
            raise ValueError(f"DataConfig.mlm_probability must be a float in (0, 1), got {p!r}")
        if self.whole_word_mask and self.objective == "clm":
            raise ValueError("DataConfig.whole_word_mask applies to the mlm objectives, not 'clm'")
        if not _is_int(self.shuffle_window) or self.shuffle_window < 1:
            raise ValueError(f"DataConfig.shuffle_window must be a positive int (documents), "
                             f"got {self.shuffle_window!r}")
        if not _is_int(self.num_workers) or self.num_workers < 0:
            raise ValueError(f"DataConfig.num_workers must be a non-negative int, got {self.num_workers!r}")
        if self.cache_dir is not None and (not isinstance(self.cache_dir, str) or not self.cache_dir):
            raise ValueError(f"DataConfig.cache_dir must be None or a non-empty path, got {self.cache_dir!r}")

    @property
    def is_mlm(self) -> bool:
        return self.objective in ("mlm", "mlm+nsp")

    @property
    def is_nsp(self) -> bool:
        return self.objective == "mlm+nsp"
