"""The quality runner: per-language rule sets, one reason per drop, exact counters."""
import pytest

from corpus.counters import DictCounter
from corpus.document import KEEP, Document, Verdict
from corpus.filters.gopher import GopherQualityConfig
from corpus.filters.ruleset import QualityConfig, RuleSet, apply_quality
from corpus.stage import run_stage
from corpus.text.words import count_words

ARTICLES = {
    "en": """The history of the lighthouse

Lighthouses have guided sailors along dangerous coasts for more than two thousand years. The most famous \
early example stood at Alexandria, where a tall tower with a fire at its top warned ships of the shallow \
harbour entrance.

In the nineteenth century, engineers began to build towers of iron and stone on isolated rocks. The work \
was slow and dangerous, because the builders could only land when the sea was calm. Many of these towers \
still stand today, although most of them are now automatic.

A modern lighthouse uses an electric lamp and a rotating lens. Each station has its own pattern of flashes, \
so that a navigator who counts them can tell exactly which light is in view. Radio and satellite systems have \
replaced much of this work, but the lights remain a reassuring sight for anyone at sea after dark.""",
    "de": """Die Geschichte der Eisenbahn

Die erste öffentliche Eisenbahn in Deutschland fuhr im Jahr 1835 zwischen Nürnberg und Fürth. Die Strecke \
war nur sechs Kilometer lang, aber sie veränderte das Denken über Reisen und Handel.

In den folgenden Jahrzehnten wuchs das Netz sehr schnell. Städte, die einen Bahnhof bekamen, wurden zu \
wichtigen Zentren für Industrie und Verkehr. Kohle, Stahl und Getreide konnten nun in großen Mengen über \
weite Strecken transportiert werden, und die Preise vieler Waren sanken deutlich.

Heute ist die Bahn ein Teil des täglichen Lebens von Millionen Menschen. Sie ist schneller als früher und \
verbraucht weniger Energie pro Fahrgast als das Auto. Trotzdem gibt es viele Klagen über Verspätungen, und \
die Modernisierung der alten Strecken wird noch viele Jahre dauern.""",
    "ru": """История Московского метро

Первая линия Московского метрополитена была открыта в мае 1935 года. Она соединила станции Сокольники и \
Парк культуры, и в первый же день по ней проехали сотни тысяч пассажиров.

Станции строились не только как транспортные сооружения, но и как подземные дворцы. Архитекторы \
использовали мрамор, мозаику и бронзу, чтобы показать достижения страны. Многие из этих станций сегодня \
считаются памятниками архитектуры.

Сейчас метро перевозит миллионы людей каждый день. Сеть продолжает расти, и в последние годы появились \
новые линии, которые связывают центр города с отдалёнными районами. Поезда ходят часто, поэтому многие \
жители предпочитают метро автомобилю. Вечером в часы пик вагоны бывают переполнены, но интервал между \
поездами тогда составляет всего полторы минуты.""",
    "zh": """长城的历史

长城是中国古代最伟大的工程之一。它的修建开始于两千多年前的战国时期，当时各国为了防御北方的游牧民族，在边境上修筑了高大的城墙。

秦始皇统一中国以后，把各国的城墙连接起来，形成了一道很长的防线。后来的许多朝代也都在不同的地方修建和加固长城，其中明朝的工程规模最大，我们今天看到的长城大多是那个时期留下来的。

现在，长城已经成为中国的象征，每年都有大量的游客从世界各地来到这里参观。人们在登上城墙的时候，常常会感叹古代劳动人民的智慧和力量。""",
    "ja": """富士山について

富士山は日本で一番高い山で、高さは三千七百七十六メートルです。静岡県と山梨県の境にあり、天気の良い日には東京からも見ることができます。

昔から富士山は信仰の対象であり、多くの人々が山頂を目指して登ってきました。また、たくさんの画家や詩人が富士山の美しい姿を作品に残しています。

夏の登山シーズンには、毎年二十万人以上の人が山に登ります。山頂で日の出を見るために、夜のうちに登り始める人も少なくありません。""",
}

DEFAULT = QualityConfig()


def run(text: str, language: str | None, config: QualityConfig = DEFAULT) -> tuple[Verdict, dict]:
    counter = DictCounter()
    meta = {"language": language} if language else {}
    result = run_stage(apply_quality, Document.create("test", "1", text, meta=meta), config=config,
                       counter=counter)
    return (KEEP if isinstance(result, Document) else result), counter.as_dict()


@pytest.mark.parametrize("language", sorted(ARTICLES))
def test_a_normal_article_passes_every_rule(language):
    assert count_words(ARTICLES[language]) >= 100
    assert run(ARTICLES[language], language) == (KEEP, {"quality:kept": 1})


@pytest.mark.parametrize("language", ["zh", "ja"])
def test_cjk_is_not_punished_for_lacking_spaces(language):
    # Under the default (space-language) rule set, the mean word length of ~1 fails Gopher.
    assert run(ARTICLES[language], None) == (Verdict.drop("gopher:mean_word_length"),
                                            {"dropped:gopher:mean_word_length": 1})
    assert run(ARTICLES[language], language)[0] == KEEP


def test_stop_words_come_from_the_documents_language():
    # German prose has none of Gopher's English stop words.
    de_as_en = run(ARTICLES["de"], "en")
    assert de_as_en == (Verdict.drop("gopher:stop_words"), {"dropped:gopher:stop_words": 1})
    assert run(ARTICLES["de"], "sv")[0] == KEEP  # no list for sv: the rule is skipped


def test_one_reason_per_drop_the_first_failing_family():
    # Fails Gopher (too few words), C4 (curly brace) and FineWeb (no punctuation): Gopher comes first.
    text = "var x = { a: 1 }"
    assert run(text, "en") == (Verdict.drop("gopher:too_few_words"), {"dropped:gopher:too_few_words": 1})
    c4_fineweb = QualityConfig(families=("fineweb", "c4"))  # runs in the fixed order: c4, then fineweb
    assert run(text, "en", c4_fineweb) == (Verdict.drop("c4:too_few_sentences"),
                                          {"dropped:c4:too_few_sentences": 1})
    assert run(text, "en", QualityConfig(families=("fineweb",))) == (
        Verdict.drop("fineweb:line_punct_ratio"), {"dropped:fineweb:line_punct_ratio": 1})
    assert run(text, "en", QualityConfig(families=())) == (KEEP, {"quality:kept": 1})


def test_repetition_family_drops_a_repeated_page():
    page = ARTICLES["en"] + "\n\n" + "\n\n".join(["Buy cheap watches online today. Best prices guaranteed!"] * 6)
    assert run(page, "en") == (Verdict.drop("gopher_rep:dup_para_frac"), {"dropped:gopher_rep:dup_para_frac": 1})


def test_counts_accumulate_over_documents():
    counter = DictCounter()
    config = QualityConfig()
    for i, text in enumerate([ARTICLES["en"], "too short", ARTICLES["ru"], ARTICLES["en"] + " lorem ipsum."]):
        run_stage(apply_quality, Document.create("test", str(i), text, meta={"language": "en" if i != 2 else "ru"}),
                  config=config, counter=counter)
    assert counter.as_dict() == {"dropped:c4:lorem_ipsum": 1, "dropped:gopher:too_few_words": 1, "quality:kept": 2}


def test_by_language_overrides_replace_the_default():
    strict = RuleSet(gopher=GopherQualityConfig(min_words=500))
    config = QualityConfig(by_language={"en": strict})
    assert run(ARTICLES["en"], "en", config)[0] == Verdict.drop("gopher:too_few_words")
    assert run(ARTICLES["ru"], "ru", config)[0] == KEEP  # falls back to the default rule set
    assert config.rules_for("en") is strict
    assert config.rules_for(None) is config.default


def test_config_validation_names_the_field():
    with pytest.raises(ValueError, match="families"):
        QualityConfig(families=("gopher", "bert"))
    with pytest.raises(ValueError, match="by_language"):
        QualityConfig(by_language={"en": GopherQualityConfig()})
    with pytest.raises(ValueError, match="RuleSet.c4"):
        RuleSet(c4=None)
