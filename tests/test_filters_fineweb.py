"""FineWeb rules: line punctuation, short lines, duplicated line characters, list ratio."""
import pytest

from corpus.document import KEEP, Document, Verdict
from corpus.filters.fineweb import FineWebConfig, fineweb_filter

LONG = "this line is long enough to not count as short at all"  # 53 chars, no end mark

DEFAULT = FineWebConfig()


def fw(text: str, config: FineWebConfig = DEFAULT) -> Verdict:
    return fineweb_filter(Document.create("test", "1", text), config=config)


def test_line_punctuation_ratio_boundary():
    # 3 of 25 lines = 0.12 (kept), 2 of 25 = 0.08 (dropped); blank lines are not lines
    lines = [f"{LONG} {i}" for i in range(22)] + [f"{LONG} {i}." for i in range(22, 25)]
    assert fw("\n\n".join(lines)) == KEEP
    lines[-1] = lines[-1][:-1]
    assert fw("\n\n".join(lines)) == Verdict.drop("fineweb:line_punct_ratio")


def test_cjk_and_quoted_line_ends_count_as_punctuation():
    lines = [f"{LONG} {i}" for i in range(4)]
    assert fw("\n".join(lines[:3] + ["他说：“好的。”"])) == KEEP
    assert fw("\n".join(lines[:3] + ["「はい」"])) == KEEP


def test_short_line_ratio_boundary():
    long_lines = [f"{LONG} {i}." for i in range(33)]
    short = [f"short {i}." for i in range(67)]
    assert fw("\n".join(long_lines + short)) == KEEP  # 0.67
    assert fw("\n".join(long_lines[:-1] + short + ["x" * 29 + "."])) == Verdict.drop("fineweb:short_line_ratio")


def test_duplicated_line_characters_boundary():
    unique = "".join(f"{LONG} {i:03d}. " for i in range(17))  # one line of 17 * 59 = 1003 chars
    dup = "A repeated line."  # 16 chars
    text = "\n".join([unique[:1000 - 2 * len(dup)], dup, dup])  # 1,000 characters in lines, 16 duplicated
    cfg = FineWebConfig(max_char_dup_ratio=0.016)
    assert fw(text, cfg) == KEEP
    assert fw(text[1:], cfg) == Verdict.drop("fineweb:char_dup_ratio")
    assert fw(text) == Verdict.drop("fineweb:char_dup_ratio")


def test_newlines_per_word_boundary():
    # 10 lines of 3 words: 9 breaks / 30 words = 0.3
    lines = [f"one two w{i}." for i in range(10)]
    short_ok = FineWebConfig(max_short_line_ratio=1.0)
    assert fw("\n".join(lines), short_ok) == KEEP
    assert fw("\n".join(lines + ["end."]), short_ok) == Verdict.drop("fineweb:list_ratio")


def test_empty_text_is_left_to_other_rules():
    assert fw("") == KEEP
    assert fw("\n\n") == KEEP


def test_config_validation_names_the_field():
    with pytest.raises(ValueError, match="max_short_line_ratio"):
        FineWebConfig(max_short_line_ratio=1.2)
    with pytest.raises(ValueError, match="short_line_chars"):
        FineWebConfig(short_line_chars=-1)
    with pytest.raises(ValueError, match="line_end_punctuation"):
        FineWebConfig(line_end_punctuation=())
