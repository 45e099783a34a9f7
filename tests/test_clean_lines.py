"""C4-style line cleaning: fixture page in, exact kept text and exact counters out."""
from __future__ import annotations

import pytest

from corpus.clean.lines import (
    LineCleanConfig,
    clean_lines,
    clean_lines_stage,
    count_words,
    has_terminal_punct,
)
from corpus.counters import DictCounter
from corpus.document import Document, Verdict

PAGE = """Home
About us | Contact
This is the first real sentence of the article.

Please enable JavaScript to view the comments.
We use cookies. By using this site you accept our privacy policy.
Lorem ipsum dolor sit amet, consectetur adipiscing elit.
function init() { return window.load(); }
Use the {placeholder} syntax in all of your template files.
Too short.
Read more about the story…
She said: "The weather will change tomorrow."
Another good sentence ends here (as shown above.)
Diese Website verwendet Cookies, um Ihnen das beste Erlebnis zu bieten.
Ce site utilise des cookies pour améliorer votre expérience.

The last paragraph has one more sentence!"""


def test_page_is_cleaned_with_one_reason_per_removed_line():
    counter = DictCounter()
    assert clean_lines(PAGE, config=LineCleanConfig(drop_lorem_ipsum=True), counter=counter) == (
        "This is the first real sentence of the article.\n"
        "\n"
        'She said: "The weather will change tomorrow."\n'
        "Another good sentence ends here (as shown above.)\n"
        "\n"
        "The last paragraph has one more sentence!")
    assert counter.as_dict() == {
        "lines:curly_brace": 1,
        "lines:javascript": 1,
        "lines:lorem_ipsum": 1,
        "lines:no_terminal_punct": 4,  # Home, About us, the "{ ... }" line, Read more…
        "lines:policy": 3,
        "lines:too_few_words": 1,
    }


def test_chinese_and_japanese_lines():
    counter = DictCounter()
    text = ("今天天气很好，我们去公园散步吧。\n"
            "首页\n"
            "联系我们\n"
            "你好。\n"
            "東京は日本の首都です。\n"
            "「本当にそうですか」\n"
            "隐私政策：我们重视您的个人信息。")
    assert clean_lines(text, counter=counter) == (
        "今天天气很好，我们去公园散步吧。\n東京は日本の首都です。\n「本当にそうですか」")
    assert counter.as_dict() == {"lines:no_terminal_punct": 2, "lines:policy": 1, "lines:too_few_words": 1}


def test_count_words():
    assert count_words("one two three") == 3
    assert count_words("今天天气很好。") == 3.0
    assert count_words("我爱你") == 1.5
    assert count_words("2002年的台湾 is here") == 2 + 4 / 2
    assert count_words("Привет мир") == 2


@pytest.mark.parametrize("line, expected", [
    ("A sentence.", True),
    ("A question?", True),
    ("句子。", True),
    ("本当？", True),
    ("Wow!", True),
    ('He said "yes"', True),
    ("l'été dit 'oui'", True),
    ("(See below.)", True),
    ("(see below)", False),
    ("A list:", False),
    ("Read more...", False),
    ("Read more…", False),
    ("क्या यह सही है।", True),
    ("", False),
])
def test_has_terminal_punct(line, expected):
    assert has_terminal_punct(line) is expected


def test_lorem_ipsum_lines_are_left_to_the_page_rule_by_default():
    text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\nA real sentence follows here."
    counter = DictCounter()
    assert clean_lines(text, counter=counter) == text
    assert counter.as_dict() == {}


def test_ellipsis_can_be_terminal():
    assert has_terminal_punct("And then it rained…", ellipsis_is_terminal=True) is True


def test_rules_can_be_switched_off():
    config = LineCleanConfig(require_terminal_punct=False, min_words_per_line=0, drop_lorem_ipsum=False,
                             drop_javascript=False, drop_curly_brace=False, drop_policy=False)
    counter = DictCounter()
    assert clean_lines(PAGE, config=config, counter=counter) == PAGE
    assert counter.as_dict() == {}


def test_rule_order_decides_the_reason():
    # No terminal punctuation wins over javascript, as in C4.
    counter = DictCounter()
    assert clean_lines("Please enable JavaScript\nLorem ipsum javascript { text }.",
                       config=LineCleanConfig(drop_lorem_ipsum=True), counter=counter) == ""
    assert counter.as_dict() == {"lines:lorem_ipsum": 1, "lines:no_terminal_punct": 1}


def test_policy_needs_a_policy_phrase_not_a_word():
    counter = DictCounter()
    text = "Bake the cookies for ten minutes.\nDer Datenschutz ist ein Grundrecht in Europa."
    assert clean_lines(text, counter=counter) == text
    assert counter.as_dict() == {}


def test_curly_apostrophe_in_policy_phrase():
    counter = DictCounter()
    assert clean_lines("Lisez nos conditions d’utilisation avant de commencer.", counter=counter) == ""
    assert counter.as_dict() == {"lines:policy": 1}


def test_stage_keeps_and_drops():
    doc = Document.create("test", "1", "Good line with words.\nMenu")
    counter = DictCounter()
    out = clean_lines_stage(doc, counter=counter)
    assert out == doc.with_text("Good line with words.")
    assert doc.text == "Good line with words.\nMenu"
    assert counter.as_dict() == {"lines:no_terminal_punct": 1}

    counter = DictCounter()
    assert clean_lines_stage(Document.create("test", "2", "Home\nContact"), counter=counter) == \
        Verdict.drop("lines:empty")
    assert counter.as_dict() == {"lines:no_terminal_punct": 2}


def test_stage_returns_same_document_when_nothing_removed():
    doc = Document.create("test", "1", "A perfectly fine line.")
    assert clean_lines_stage(doc) is doc


@pytest.mark.parametrize("kwargs, message", [
    ({"min_words_per_line": -1}, "LineCleanConfig.min_words_per_line"),
    ({"cjk_chars_per_word": 0}, "LineCleanConfig.cjk_chars_per_word"),
    ({"drop_policy": "yes"}, "LineCleanConfig.drop_policy"),
])
def test_config_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LineCleanConfig(**kwargs)
