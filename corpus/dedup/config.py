"""Dedup configuration: one validated place for every knob, recorded in the manifest."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from corpus.dedup.exact import URL_SCOPES
from corpus.dedup.lsh import (
    DEFAULT_MAX_BUCKET_PAIRS,
    DEFAULT_MAX_LEADERS,
    DEFAULT_THRESHOLD,
    FALSE_NEGATIVE_WEIGHT,
    FALSE_POSITIVE_WEIGHT,
    LshParams,
)
from corpus.dedup.minhash import DEFAULT_NGRAM, DEFAULT_NUM_PERM, DEFAULT_SEED, MinHashParams

CHECKS = ("exact", "signature", "none")
# Rounds of large-star + small-star unrolled in the pipeline graph. Components of
# near-duplicate graphs are shallow; if more were needed, the edges left are finished with
# union-find on one worker (pipelines/dedup.py), so the build never fails here.
DEFAULT_CC_ROUNDS = 8


@dataclass(frozen=True)
class DedupConfig:
    url: bool = True
    # "web": URL dedup of web captures only (WARC/ARC/WET); "all": also rows of JSONL/Parquet/text.
    url_scope: str = "web"
    exact: bool = True
    near: bool = True
    threshold: float = DEFAULT_THRESHOLD
    num_perm: int = DEFAULT_NUM_PERM
    ngram: int = DEFAULT_NGRAM
    seed: int = DEFAULT_SEED
    bands: int = 0  # 0: datasketch's optimum for (threshold, num_perm) under the weights below
    rows: int = 0
    fp_weight: float = FALSE_POSITIVE_WEIGHT
    fn_weight: float = FALSE_NEGATIVE_WEIGHT
    check: str = "exact"
    cc_rounds: int = DEFAULT_CC_ROUNDS
    max_bucket_pairs: int = DEFAULT_MAX_BUCKET_PAIRS
    max_leaders: int = DEFAULT_MAX_LEADERS
    batch_size: int = 256

    def __post_init__(self) -> None:
        if self.url_scope not in URL_SCOPES:
            raise ValueError(f"DedupConfig.url_scope must be one of {URL_SCOPES}, got {self.url_scope!r}")
        if self.check not in CHECKS:
            raise ValueError(f"DedupConfig.check must be one of {CHECKS}, got {self.check!r}")
        if (self.bands == 0) != (self.rows == 0):
            raise ValueError("DedupConfig.bands and DedupConfig.rows are given together or not at all")
        if not 1 <= self.cc_rounds <= 64:
            raise ValueError(f"DedupConfig.cc_rounds must be in [1, 64], got {self.cc_rounds}")
        if self.max_bucket_pairs < 2:
            raise ValueError(f"DedupConfig.max_bucket_pairs must be >= 2, got {self.max_bucket_pairs}")
        if self.max_leaders < 1:
            raise ValueError(f"DedupConfig.max_leaders must be >= 1, got {self.max_leaders}")
        if self.batch_size < 1:
            raise ValueError(f"DedupConfig.batch_size must be >= 1, got {self.batch_size}")
        self.minhash  # noqa: B018 - validates num_perm, seed, ngram with their own messages
        self.lsh  # noqa: B018

    @property
    def minhash(self) -> MinHashParams:
        return MinHashParams(num_perm=self.num_perm, seed=self.seed, ngram=self.ngram)

    @property
    def lsh(self) -> LshParams:
        if self.bands:
            return LshParams(self.threshold, self.num_perm, self.bands, self.rows)
        return LshParams.optimal(self.threshold, self.num_perm, self.fp_weight, self.fn_weight)

    def as_dict(self) -> dict:
        """What the manifest records: every knob, with bands x rows resolved."""
        d = asdict(self)
        d.update(bands=self.lsh.bands, rows=self.lsh.rows)
        return d
