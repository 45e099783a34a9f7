"""Gopher quality and repetition rules: each threshold just inside and just outside."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.document import KEEP, Document, Verdict
from corpus.filters.gopher import (
    GopherQualityConfig,
    GopherRepetitionConfig,
    check_gopher_repetition,
    gopher_quality,
    gopher_repetition,
)
from corpus.text.words import TextStats

EN_STOP = frozenset({"the", "be", "to", "of", "and", "that", "have", "with"})
NO_STOP = GopherQualityConfig()
WITH_STOP = GopherQualityConfig(stop_words=EN_STOP)


def doc(text: str) -> Document:
    return Document.create("test", "1", text)


def words(n: int, word: str = "word") -> str:
    """``n`` distinct five-letter-ish words on one line ending in a full stop."""
    return " ".join(f"{word}{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}" for i in range(n)) + "."


def quality(text: str, config: GopherQualityConfig = NO_STOP) -> Verdict:
    return gopher_quality(doc(text), config=config)


def test_word_count_bounds():
    assert quality(words(49)) == Verdict.drop("gopher:too_few_words")
    assert quality(words(50)) == KEEP
    small = GopherQualityConfig(min_words=2, max_words=60)
    assert quality(words(60), small) == KEEP
    assert quality(words(61), small) == Verdict.drop("gopher:too_many_words")


def test_mean_word_length_bounds():
    assert quality(" ".join(["ab"] * 50 + ["abcd"] * 50)) == KEEP  # mean 3.0
    assert quality(" ".join(["ab"] * 51 + ["abcd"] * 49)) == Verdict.drop("gopher:mean_word_length")
    assert quality(" ".join(["a" * 10] * 60)) == KEEP
    assert quality(" ".join(["a" * 10] * 59 + ["a" * 11])) == Verdict.drop("gopher:mean_word_length")


def test_symbol_ratio_counts_hashes_and_ellipses_separately():
    assert quality(words(100) + " #" * 10) == KEEP
    assert quality(words(100) + " #" * 11) == Verdict.drop("gopher:symbol_ratio")
    assert quality("... …" * 5 + words(100)) == KEEP
    assert quality("... …" * 5 + "..." + words(100)) == Verdict.drop("gopher:symbol_ratio")
    assert quality(" #" * 10 + " …" * 10 + words(100)) == KEEP


def test_bullet_lines():
    bulleted = [f"- {words(6)}" for _ in range(9)]
    assert quality("\n".join(bulleted + ["\n", words(6)])) == KEEP  # 9 of 10 non-blank lines
    assert quality("\n".join(bulleted + ["• " + words(6)])) == Verdict.drop("gopher:bullet_lines")


def test_ellipsis_lines():
    lines = [words(10)] * 7 + [words(10)[:-1] + "..."] * 3
    assert quality("\n".join(lines)) == KEEP
    lines[0] = words(10)[:-1] + "…"
    assert quality("\n".join(lines)) == Verdict.drop("gopher:ellipsis_lines")


def test_alpha_words_ratio():
    assert quality(words(80) + " 1234" * 20) == KEEP
    assert quality(words(80) + " 1234" * 21) == Verdict.drop("gopher:alpha_words")
    assert quality(words(80) + " 3rd" * 21) == KEEP  # a digit word with a letter has a letter


def test_stop_words_need_two_and_ignore_case():
    base = words(60)
    assert quality(base + " the", WITH_STOP) == Verdict.drop("gopher:stop_words")
    assert quality(base + " The WITH", WITH_STOP) == KEEP
    assert quality(base, NO_STOP) == KEEP  # no list: the rule is skipped


def test_quality_config_validation_names_the_field():
    with pytest.raises(ValueError, match="max_words"):
        GopherQualityConfig(min_words=10, max_words=5)
    with pytest.raises(ValueError, match="min_alpha_words_ratio"):
        GopherQualityConfig(min_alpha_words_ratio=1.5)
    with pytest.raises(ValueError, match="stop_words"):
        GopherQualityConfig(stop_words="the")


# ---- repetition -----------------------------------------------------------------------------
DEFAULT_REP = GopherRepetitionConfig()


def rep(text: str, config: GopherRepetitionConfig = DEFAULT_REP) -> Verdict:
    return gopher_repetition(doc(text), config=config)


LINE_ONLY = GopherRepetitionConfig(max_dup_para_frac=1.0, max_dup_para_char_frac=1.0, max_dup_line_char_frac=1.0,
                                   top_ngrams=(), dup_ngrams=())
PARA_ONLY = GopherRepetitionConfig(max_dup_line_frac=1.0, max_dup_para_char_frac=1.0, max_dup_line_char_frac=1.0,
                                   top_ngrams=(), dup_ngrams=())


def test_duplicate_line_fraction():
    distinct = [f"line {i}" for i in range(7)]
    assert rep("\n".join(distinct + ["line 0"] * 3), LINE_ONLY) == KEEP  # 3 of 10
    assert rep("\n".join(distinct[:6] + ["line 0"] * 4), LINE_ONLY) == Verdict.drop("gopher_rep:dup_line_frac")


def test_duplicate_paragraph_fraction():
    distinct = [f"paragraph {i}" for i in range(7)]
    assert rep("\n\n".join(distinct + ["paragraph 0"] * 3), PARA_ONLY) == KEEP
    assert rep("\n\n".join(distinct[:6] + ["paragraph 0"] * 4), PARA_ONLY) == Verdict.drop(
        "gopher_rep:dup_para_frac")


def test_duplicate_line_and_paragraph_character_fractions():
    # 100 characters in all, one 20-character line repeated once: exactly 0.20
    text = "a" * 20 + "\n" + "a" * 20 + "\n" + "b" * 58
    assert len(text) == 100
    lines = GopherRepetitionConfig(max_dup_line_frac=1.0, max_dup_para_frac=1.0, top_ngrams=(), dup_ngrams=())
    assert rep(text, lines) == KEEP
    assert rep(text[:-1], lines) == Verdict.drop("gopher_rep:dup_line_char_frac")
    paras = text.replace("\n", "\n\n")[:-2]  # 20 + 2 + 20 + 2 + 56 = 100
    paras_only = GopherRepetitionConfig(max_dup_line_frac=1.0, max_dup_para_frac=1.0, max_dup_line_char_frac=1.0,
                                        top_ngrams=(), dup_ngrams=())
    assert rep(paras, paras_only) == KEEP
    assert rep(paras[:-1], paras_only) == Verdict.drop("gopher_rep:dup_para_char_frac")


def test_top_2gram_counts_characters_with_the_space():
    # "ab cd" (5 chars) 4 times = 20 chars; the text has 100: exactly 0.20
    text = "ab cd " * 4 + " ".join(f"w{i:02d}" for i in range(19))
    text = text + "x" * (100 - len(text))
    assert len(text) == 100
    only_top = GopherRepetitionConfig(top_ngrams=((2, 0.2),), dup_ngrams=())
    assert rep(text, only_top) == KEEP
    assert rep(text[:-1], only_top) == Verdict.drop("gopher_rep:top_2gram")


def test_duplicated_5grams_skip_overlaps_and_count_without_spaces():
    # a b c d e a b c d e a b c d e: the scan hits at 5 and 10: 2 repeats of 5 chars each = 10 chars
    rep_words = "a b c d e " * 3
    text = rep_words + "z" * (100 - len(rep_words))
    only5 = GopherRepetitionConfig(top_ngrams=(), dup_ngrams=((5, 0.10),))
    assert check_gopher_repetition(TextStats(text), only5) is None  # 10 / 100
    assert rep(text[:-1], only5) == Verdict.drop("gopher_rep:dup_5gram")


def test_overlapping_repeat_is_counted_once():
    # "a a a a a a a": 5-grams at 0,1,2 are equal; the hit at 1 skips to 6 (past the end) -> 5 chars
    only5 = GopherRepetitionConfig(top_ngrams=(), dup_ngrams=((5, 0.05),))
    text = "a " * 7 + "z" * 86
    assert len(text) == 100
    assert rep(text, only5) == KEEP
    assert rep(text[:-1], only5) == Verdict.drop("gopher_rep:dup_5gram")


def test_repetition_passes_prose_and_empty_text():
    prose = ("The committee met on Tuesday to review the proposal. Several members raised concerns "
             "about the budget, while others argued that the timeline was too short. After a long "
             "discussion, they agreed to meet again next week with revised figures.")
    assert rep(prose) == KEEP
    assert rep("") == KEEP


def test_repetition_config_validation_names_the_field():
    with pytest.raises(ValueError, match="max_dup_line_frac"):
        GopherRepetitionConfig(max_dup_line_frac=-0.1)
    with pytest.raises(ValueError, match="dup_ngrams"):
        GopherRepetitionConfig(dup_ngrams=((6, 0.1), (5, 0.1)))
    with pytest.raises(ValueError, match=r"top_ngrams\[n=2\]"):
        GopherRepetitionConfig(top_ngrams=((2, 2.0),))


def _reference_dup_chars(words: list[str], n: int) -> int:
    """datatrove's find_all_duplicate, written out plainly."""
    seen, total, idx = set(), 0, 0
    while idx < len(words) - n + 1:
        gram = "".join(words[idx:idx + n])
        if gram in seen:
            total += len(gram)
            idx += n
        else:
            seen.add(gram)
            idx += 1
    return total


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", "ccc", "a", "dd"]), max_size=60), st.integers(5, 10))
def test_hashed_duplicate_scan_equals_the_plain_scan(words, n):
    import numpy as np

    from corpus.filters.gopher import _covered_chars, _dup_ngram_chars, _ngram_hashes, _repeated_positions
    if len(words) < n:
        return
    ids = np.array([["a", "bb", "ccc", "dd"].index(w) for w in words], dtype=np.uint64)
    lengths = np.array([len(w) for w in words])
    cum = np.concatenate(([0], np.cumsum(lengths)))
    h = _ngram_hashes(ids, n)[n]
    repeated = _repeated_positions(h)
    expected = _reference_dup_chars(words, n)
    assert _dup_ngram_chars(h, cum[n:] - cum[:-n], n, repeated) == expected
    assert _covered_chars(repeated, lengths, n) >= expected
