"""C4 page rules: sentences, long words, lorem ipsum, curly braces, bad words."""
import pytest

from corpus.document import KEEP, Document, Verdict
from corpus.filters.c4 import C4Config, c4_filter, load_bad_words

THREE = "The first sentence is here. The second one follows! Is this the third?"


DEFAULT = C4Config()


def c4(text: str, config: C4Config = DEFAULT, language: str | None = None) -> Verdict:
    meta = {"language": language} if language else {}
    return c4_filter(Document.create("test", "1", text, meta=meta), config=config)


def test_sentence_count_boundary():
    assert c4(THREE) == KEEP
    assert c4("The first sentence is here. The second one follows! Is this the third") == Verdict.drop(
        "c4:too_few_sentences")
    assert c4("一句话。两句话。三句话。") == KEEP
    assert c4("Menu\nHome\nContact\nAbout us") == Verdict.drop("c4:too_few_sentences")


def test_long_word_boundary():
    assert c4(THREE + " " + "x" * 1000) == KEEP
    assert c4(THREE + " " + "x" * 1001) == Verdict.drop("c4:long_word")


def test_lorem_ipsum_anywhere_any_case():
    assert c4(THREE + " Lorem Ipsum dolor sit amet.") == Verdict.drop("c4:lorem_ipsum")
    assert c4(THREE + " lorem  ipsum.") == KEEP
    assert c4(THREE + " Lorem Ipsum.", C4Config(drop_lorem_ipsum=False)) == KEEP


def test_curly_brace():
    assert c4(THREE + " function() { return 1; }") == Verdict.drop("c4:curly_brace")
    assert c4(THREE + " a } alone.") == KEEP
    assert c4(THREE + " {", C4Config(drop_curly_brace=False)) == KEEP


def test_bad_words_match_whole_words_of_the_documents_language(tmp_path):
    path = tmp_path / "en.txt"
    path.write_text("darn\nheck no\n\n", encoding="utf-8")
    config = C4Config(bad_words_files={"en": str(path)})
    assert c4(THREE + " Darn it.", config, "en") == Verdict.drop("c4:bad_words")
    assert c4(THREE + " Oh HECK NO.", config, "en") == Verdict.drop("c4:bad_words")
    assert c4(THREE + " Darnell and heck yes.", config, "en") == KEEP
    assert c4(THREE + " Darn it.", config, "de") == KEEP  # no list for de: skipped
    assert c4(THREE + " Darn it.", config) == KEEP  # no language: skipped


def test_bad_words_without_word_boundaries_for_chinese(tmp_path):
    path = tmp_path / "zh.txt"
    path.write_text("坏词\n", encoding="utf-8")
    config = C4Config(bad_words_files={"zh": str(path)})
    assert c4("这是一个坏词句子。第二句。第三句。", config, "zh") == Verdict.drop("c4:bad_words")
    assert c4("这是一个好句子。第二句。第三句。", config, "zh") == KEEP


def test_bad_words_unreadable_file_names_language_and_path(tmp_path):
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(OSError, match=f"language 'fr'.*{missing}"):
        c4(THREE, C4Config(bad_words_files={"fr": missing}), "fr")
    load_bad_words.cache_clear()


def test_config_validation_names_the_field():
    with pytest.raises(ValueError, match="min_sentences"):
        C4Config(min_sentences=-1)
    with pytest.raises(ValueError, match="max_word_chars"):
        C4Config(max_word_chars=0)
    with pytest.raises(ValueError, match="bad_words_files"):
        C4Config(bad_words_files={"en": ""})


def test_generated_filler_without_the_phrase_is_lorem_ipsum():
    from corpus.filters.c4 import check_c4, is_lorem_filler
    from corpus.text.words import TextStats

    filler = ("Curabitur pretium tincidunt lacus. Nulla gravida orci a odio. Nullam varius, turpis et commodo "
              "pharetra, est eros bibendum elit, nec luctus magna felis sollicitudin mauris. Integer in mauris "
              "eu nibh euismod gravida. Duis ac tellus et risus vulputate vehicula. Donec lobortis risus.")
    assert is_lorem_filler(TextStats(filler))
    assert check_c4(TextStats(filler), C4Config()) == "c4:lorem_ipsum"
    # Real Latin prose shares common words with filler but not its vocabulary.
    cicero = ("Quo usque tandem abutere, Catilina, patientia nostra? Quam diu etiam furor iste tuus nos "
              "eludet? Quem ad finem sese effrenata iactabit audacia? Nihilne te nocturnum praesidium "
              "Palati, nihil urbis vigiliae, nihil timor populi, nihil concursus bonorum omnium movent?")
    assert not is_lorem_filler(TextStats(cicero))
    assert check_c4(TextStats(cicero), C4Config()) is None
