from __future__ import annotations

import numpy as np
import pytest

from corpus.dedup.config import DedupConfig
from corpus.dedup.index import check_compatible, index_record, parse_index_record


def test_index_lines_round_trip():
    sig = np.array([0, 1, 2**32 - 1, 123456789], dtype=np.uint32)
    doc_id, back, key = parse_index_record(index_record("abc", sig, "k1"), "x.jsonl")
    assert doc_id == "abc" and key == "k1" and back.dtype == np.uint32 and np.array_equal(back, sig)


@pytest.mark.parametrize("line", ["not json", '{"id": "a"}', '{"id": "a", "sig": "!!", "text_key": "k"}'])
def test_bad_lines_name_the_file(line):
    with pytest.raises(ValueError, match="prev/dedup/signatures-0.jsonl: not a dedup index line"):
        parse_index_record(line, "prev/dedup/signatures-0.jsonl")


def test_compatibility_of_parameters():
    cfg = DedupConfig()
    check_compatible(cfg.as_dict(), cfg, "prev")  # same parameters
    check_compatible({**cfg.as_dict(), "threshold": 0.7, "bands": 9, "rows": 13}, cfg, "prev")  # banding may differ
    with pytest.raises(ValueError, match="num_perm 64 != 128"):
        check_compatible({**cfg.as_dict(), "num_perm": 64}, cfg, "prev")
    with pytest.raises(ValueError, match="records no near-dedup parameters"):
        check_compatible(None, cfg, "prev")
