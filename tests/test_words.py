"""Script-aware word, sentence, line and paragraph splitting."""
from corpus.text.words import (
    TextStats,
    count_words,
    split_lines,
    split_paragraphs,
    split_sentences,
    split_words,
)


def test_latin_words_split_on_spaces_and_punctuation():
    assert split_words("Hello, world! State-of-the-art (x_y) #tag") == [
        "Hello", "world", "State", "of", "the", "art", "x", "y", "tag"]


def test_apostrophes_inside_a_word_keep_it_whole():
    assert split_words("Don't say l'homme’s 'quoted'") == ["Don't", "say", "l'homme’s", "quoted"]


def test_numbers_with_separators_are_one_word():
    assert split_words("3.14 and 1,000 or 2020. Then 3rd") == ["3.14", "and", "1,000", "or", "2020", "Then", "3rd"]


def test_chinese_is_one_word_per_character():
    assert split_words("我们在北京。2020年") == ["我", "们", "在", "北", "京", "2020", "年"]


def test_japanese_kana_and_kanji():
    assert split_words("日本語のテキストをコンピューターで処理する") == [
        "日", "本", "語", "の", "テキスト", "を", "コンピューター", "で", "処", "理", "す", "る"]


def test_thai_is_one_word_per_letter_with_its_marks():
    # ภาษาไทย: 7 letters; น้ำ: a letter with a tone mark, then two letters
    assert split_words("ภาษาไทย น้ำ") == ["ภ", "า", "ษ", "า", "ไ", "ท", "ย", "น้", "ำ"]


def test_scripts_with_spaces_keep_their_marks():
    assert split_words("हिन्दी भाषा 한국어 문장 Привет, мир! Αθήνα") == [
        "हिन्दी", "भाषा", "한국어", "문장", "Привет", "мир", "Αθήνα"]


def test_count_words_equals_len_of_split():
    text = "A paragraph of 中文 text, with 5 words?"
    assert count_words(text) == len(split_words(text)) == 9


def test_sentences_end_at_terminal_marks_not_ellipses():
    text = 'Hello world. Is it? Yes!! He said "no." Loading... A heading\nNext one. 你好。我是学生！尾'
    assert split_sentences(text) == [
        "Hello world.", "Is it?", "Yes!!", 'He said "no."', "Next one.", "你好。", "我是学生！"]


def test_sentence_never_spans_lines():
    assert split_sentences("no end here\nbut here.") == ["but here."]


def test_lines_drop_blank_ones_and_trailing_space():
    assert split_lines("a  \n\n  \n b\r\n") == ["a", " b"]


def test_paragraphs_split_on_blank_lines():
    assert split_paragraphs("a\nb\n\n  \n c \n\n\nd\n\n") == ["a\nb", "c", "d"]


def test_text_stats_compute_each_split_once():
    stats = TextStats("One two. Three four.\n\nFive")
    assert stats.words is stats.words
    assert stats.words == ["One", "two", "Three", "four", "Five"]
    assert stats.lines == ["One two. Three four.", "Five"]
    assert stats.paragraphs == ["One two. Three four.", "Five"]
    assert stats.sentences == ["One two.", "Three four."]
    assert stats.whitespace_tokens == ["One", "two.", "Three", "four.", "Five"]
