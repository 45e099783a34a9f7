"""fix_unicode / clean_unicode: fixture text in, exact text and exact counters out."""
from __future__ import annotations

import pytest

from corpus.clean.unicode import UnicodeConfig, clean_unicode, fix_unicode, normalize_whitespace
from corpus.counters import DictCounter
from corpus.document import Document, Verdict

CORRECT_TEXTS = [
    "ÀÉÎÕÜ",
    "naïve café",
    "Привет, мир! Как дела?",
    "你好，世界！今天天气很好。",
    "こんにちは、世界。「テスト」です。",
    "👨\u200d👩\u200d👧 family 🇬🇧 ❤️ 👍🏽",
    "∀x∈ℝ: x² ≥ 0, ∑ 1/n² = π²/6, µ ≠ μ",
    "SÃO PAULO e a MÃE do IRMÃO.",
    "« français » and ‹guillemets› stay",
    "می\u200cخواهم",
    "क्\u200dष",
    "ＡＢＣ and ｶﾀｶﾅ stay as written",
    "a < b && c > d; x &amp; y",
]


@pytest.mark.parametrize("text", CORRECT_TEXTS)
def test_correct_text_is_left_alone(text):
    counter = DictCounter()
    assert fix_unicode(text, counter=counter) == text
    assert counter.as_dict() == {}


def test_mojibake_is_repaired_and_counted():
    counter = DictCounter()
    text = "The Mona Lisa doesnÃ¢â‚¬â„¢t have eyebrows.\nSmÃ¶rgÃ¥sbord is fine."
    assert fix_unicode(text, counter=counter) == "The Mona Lisa doesn't have eyebrows.\nSmörgåsbord is fine."
    assert counter.as_dict() == {"clean:ftfy_uncurl_quotes": 1, "clean:mojibake_fixed": 1}


def test_quotes_fold_to_ascii_by_default_and_can_be_kept():
    # ftfy's default, and what ftfy's own expected fixes assume; typographic quotes are
    # kept with uncurl_quotes=False.
    text = "“curly” ‘quotes’ „deutsch“"
    counter = DictCounter()
    assert fix_unicode(text, counter=counter) == "\"curly\" 'quotes' \"deutsch\""
    assert counter.as_dict() == {"clean:ftfy_uncurl_quotes": 1}
    assert fix_unicode(text, config=UnicodeConfig(uncurl_quotes=False)) == text


def test_html_entities_ligatures_and_controls():
    counter = DictCounter()
    text = "caf&eacute; &amp; ﬁsh\x07 \x1b[31mred\x1b[0m"
    assert fix_unicode(text, counter=counter) == "café & fish red"
    assert counter.as_dict() == {
        "clean:ftfy_fix_latin_ligatures": 1,
        "clean:ftfy_remove_control_chars": 1,
        "clean:ftfy_remove_terminal_escapes": 1,
        "clean:ftfy_unescape_html": 1,
    }


def test_entities_kept_after_a_literal_tag():
    # ftfy's "auto": once a line holds "<", the text is HTML and entities are content.
    text = "Tom &amp; Jerry\n<b>Tom &amp; Jerry</b>\nTom &amp; Jerry"
    assert fix_unicode(text) == "Tom & Jerry\n<b>Tom &amp; Jerry</b>\nTom &amp; Jerry"


def test_line_endings_and_whitespace():
    counter = DictCounter()
    text = "  one\r\ntwo\rthree\u2028four\u2029five\x0csix \t\u00a0 seven\u3000eight  \n\n\n\n\nnine\u202f!  "
    assert fix_unicode(text, counter=counter) == "one\ntwo\nthree\nfour\nfive\nsix seven eight\n\nnine !"
    assert counter.as_dict() == {"clean:ftfy_fix_line_breaks": 1}


def test_invisible_characters_removed_joiners_between_letters_kept():
    counter = DictCounter()
    text = "\ufeffzero\u200bwidth soft\u00adhyphen \u200e\u202bbidi\u202c\u2066x\u2069 \u200djoin می\u200cخواهم\u200d"
    assert fix_unicode(text, counter=counter) == "zerowidth softhyphen bidix join می\u200cخواهم"
    # ftfy removes the BOM itself; we remove ZWSP, SHY, LRM, RLE, PDF, LRI, PDI and two stray joiners.
    assert counter.as_dict() == {"clean:ftfy_remove_control_chars": 1, "clean:invisible_removed": 9}


def test_bidi_controls_can_be_kept():
    text = "\u200fשלום\u200f abc"
    assert fix_unicode(text, config=UnicodeConfig(remove_bidi_controls=False)) == text
    assert fix_unicode(text) == "שלום abc"


def test_quote_and_width_options():
    config = UnicodeConfig(uncurl_quotes=True, fix_character_width=True)
    assert fix_unicode("“hi” ＡＢＣ，！", config=config) == "\"hi\" ABC,!"


def test_normalize_whitespace_alone():
    assert normalize_whitespace("a  b \n\n\n c\t\n") == "a b\n\nc"


def test_nfc():
    assert fix_unicode("cafe\u0301") == "café"


def test_stage_returns_new_document_and_keeps_the_input():
    doc = Document.create("test", "1", "caf&eacute;  ", url="http://x/", meta={"lang": "fr"})
    out = clean_unicode(doc)
    assert out == Document(id=doc.id, text="café", source="test", url="http://x/", meta={"lang": "fr"})
    assert doc.text == "caf&eacute;  "


def test_stage_returns_same_document_when_clean():
    doc = Document.create("test", "1", "Already clean.")
    assert clean_unicode(doc) is doc


def test_stage_drops_empty_text():
    counter = DictCounter()
    doc = Document.create("test", "1", " \u200b\n\t\ufeff ")
    assert clean_unicode(doc, counter=counter) == Verdict.drop("clean:empty")
    assert counter.as_dict() == {"clean:ftfy_remove_control_chars": 1, "clean:invisible_removed": 1}


@pytest.mark.parametrize("kwargs, message", [
    ({"unescape_html": "yes"}, "UnicodeConfig.unescape_html"),
    ({"uncurl_quotes": 1}, "UnicodeConfig.uncurl_quotes"),
    ({"max_decode_length": 0}, "UnicodeConfig.max_decode_length"),
])
def test_config_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        UnicodeConfig(**kwargs)
