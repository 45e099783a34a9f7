"""The clean → language → quality composite in Beam, and the sampled rejects."""
from __future__ import annotations

import json

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to

from corpus import Document
from corpus.lang import LangConfig
from corpus.rejects import RejectSampleConfig
from pipelines.filter import CleanAndFilter, SampleRejects

ARTICLE_EN = (
    "The old lighthouse on the northern cape was built in 1872 to guide fishing boats home. "
    "For more than a century its keepers lived in the small stone cottage beside the tower, "
    "and they kept a daily log of the weather, the ships that passed and the birds that nested "
    "on the cliffs. The log books are now kept in the town museum, where visitors can read them.\n"
    "When the light was automated in 1985, the last keeper moved to the village. He still walks "
    "to the cape every morning, and he says that the sea has never looked the same twice. "
    "The town has restored the cottage, and in the summer it is open to anyone who wants to see "
    "how the keepers lived and worked through the long and stormy winters of the north.")
ARTICLE_DE = (
    "Die kleine Bäckerei am Marktplatz gibt es seit mehr als hundert Jahren. Jeden Morgen um vier "
    "Uhr beginnt der Bäcker mit der Arbeit, und wenn die ersten Kunden kommen, ist das Brot schon "
    "warm. Die Familie hat das Rezept für ihr dunkles Roggenbrot nie verändert, und viele Leute "
    "fahren extra aus der Stadt hierher, um es zu kaufen.\n"
    "Im Winter backt die Bäckerei auch Lebkuchen und Stollen nach alten Rezepten der Großmutter. "
    "Die Kinder aus der Schule kommen am Nachmittag vorbei, weil es für sie immer ein kleines "
    "Stück Kuchen gibt. Der Bäcker sagt, dass er keinen anderen Beruf haben möchte, auch wenn "
    "die Nächte kurz sind und die Arbeit schwer ist.")


def test_clean_language_quality_in_beam():
    docs = [
        Document("en", ARTICLE_EN, "t"),
        Document("de", ARTICLE_DE, "t"),
        Document("spam", "buy cheap pills now " * 60, "t"),
        Document("short", "Click here.", "t"),
    ]
    with BeamTestPipeline() as p:
        result = p | beam.Create(docs) | CleanAndFilter(lang_config=LangConfig(languages=("en", "de")))
        assert_that(result.kept | beam.Map(lambda d: (d.id, d.meta["language"])),
                    equal_to([("en", "en"), ("de", "de")]), label="kept")
        assert_that(result.dropped | beam.Map(lambda dr: (dr[0].id, dr[1])),
                    equal_to([("spam", "lines:empty"), ("short", "lines:empty")]), label="dropped")


def test_language_keep_list_drops_with_its_reason():
    docs = [Document("en", ARTICLE_EN, "t"), Document("de", ARTICLE_DE, "t")]
    with BeamTestPipeline() as p:
        result = p | beam.Create(docs) | CleanAndFilter(lang_config=LangConfig(languages=("de",)))
        assert_that(result.kept | beam.Map(lambda d: d.id), equal_to(["de"]), label="kept")
        assert_that(result.dropped | beam.Map(lambda dr: (dr[0].id, dr[1])),
                    equal_to([("en", "lang:not_in_keep_list")]), label="dropped")


def test_sampled_rejects_are_json_with_their_reason():
    dropped = [(Document(f"d{i}", f"text {i}", "t"), "c4:lorem_ipsum") for i in range(5)]
    with BeamTestPipeline() as p:
        lines = p | beam.Create(dropped) | SampleRejects(RejectSampleConfig(rate=1.0, max_text_chars=4))
        assert_that(lines | beam.Map(lambda s: (json.loads(s)["id"], json.loads(s)["reason"],
                                                json.loads(s)["text"])),
                    equal_to([(f"d{i}", "c4:lorem_ipsum", "text") for i in range(5)]))
