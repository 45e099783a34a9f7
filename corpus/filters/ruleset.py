"""Run every quality rule family on a document, with per-language thresholds.

One :class:`RuleSet` holds a config per family; :class:`QualityConfig` holds the default
rule set, the rule sets of particular languages, and which families are on. The
language is ``doc.meta["language"]``, written by the language-ID stage that runs first.

Families run in a fixed order: Gopher quality, Gopher repetition, C4, FineWeb; inside a
family, in the order its module documents. (datatrove's FineWeb pipeline runs repetition
first; quality goes first here because it is cheaper and because "too few words" says
more about a 15-word page than "top 3-gram".) The first
failing rule is the one reason a document is dropped for, counted once under
``dropped:<reason>``; a kept document is counted under ``quality:kept``. Splits of the
text (words, lines, paragraphs, sentences) are computed once and shared by all rules.

Why per-language rule sets: a Chinese or Japanese "word" is one character
(:mod:`corpus.text.words`), so the mean word length is about 1 and Gopher's 3–10 would
drop every such page; they get 1–4 and a higher minimum word count (75 characters is
about 50 words). Stop words are per language: Gopher's English list, similar short lists
of the most frequent function words for de, fr, es, it, pt, nl, ru, and for zh/ja
single-character function words and particles (的 了 是 在 / の は に を が で), which are
words in this segmentation. A language without a list skips the stop-word rule.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from corpus.counters import CounterFn, noop_counter
from corpus.document import KEEP, Document, Verdict
from corpus.filters.c4 import C4Config, check_c4
from corpus.filters.fineweb import FineWebConfig, check_fineweb
from corpus.filters.gopher import (
    GopherQualityConfig,
    GopherRepetitionConfig,
    check_gopher_quality,
    check_gopher_repetition,
)
from corpus.text.words import TextStats

FAMILY_ORDER = ("gopher", "gopher_rep", "c4", "fineweb")
KEPT_COUNTER = "quality:kept"

STOP_WORDS: Mapping[str, frozenset[str]] = MappingProxyType({
    "en": frozenset("the be to of and that have with".split()),
    "de": frozenset("der die das und ist zu den nicht von sie mit".split()),
    "fr": frozenset("le la les de des et est un une que pour dans".split()),
    "es": frozenset("el la los de que y en un una es por para".split()),
    "it": frozenset("il la di che e è un una per non del in".split()),
    "pt": frozenset("o a os de que e do da em um uma para".split()),
    "nl": frozenset("de het een en van is dat op te in niet".split()),
    "ru": frozenset("и в не на что с он как по это".split()),
    "zh": frozenset("的 了 是 在 和 有 我 不 这 也 就 人 都".split()),
    "ja": frozenset("の は に を が で と た し て も な".split()),
})

CJK_MIN_WORDS = 75
CJK_MIN_MEAN_WORD_LENGTH = 1.0
CJK_MAX_MEAN_WORD_LENGTH = 4.0


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One config per rule family."""

    gopher: GopherQualityConfig = field(default_factory=GopherQualityConfig)
    gopher_rep: GopherRepetitionConfig = field(default_factory=GopherRepetitionConfig)
    c4: C4Config = field(default_factory=C4Config)
    fineweb: FineWebConfig = field(default_factory=FineWebConfig)

    def __post_init__(self) -> None:
        for name, cls in (("gopher", GopherQualityConfig), ("gopher_rep", GopherRepetitionConfig),
                          ("c4", C4Config), ("fineweb", FineWebConfig)):
            if not isinstance(getattr(self, name), cls):
                raise ValueError(f"RuleSet.{name} must be a {cls.__name__}, got {getattr(self, name)!r}")


def default_rule_sets(base: RuleSet | None = None) -> dict[str, RuleSet]:
    """Rule sets for the languages with stop-word lists, derived from ``base``."""
    base = base or RuleSet()
    sets = {lang: replace(base, gopher=replace(base.gopher, stop_words=words))
            for lang, words in STOP_WORDS.items()}
    for lang in ("zh", "ja"):
        sets[lang] = replace(base, gopher=replace(
            base.gopher, stop_words=STOP_WORDS[lang], min_words=CJK_MIN_WORDS,
            min_mean_word_length=CJK_MIN_MEAN_WORD_LENGTH, max_mean_word_length=CJK_MAX_MEAN_WORD_LENGTH))
    return sets


@dataclass(frozen=True, slots=True)
class QualityConfig:
    """The rule set of each language, and which families run.

    ``default`` applies to a language missing from ``by_language`` (and to documents
    without a language); its Gopher config has no stop words, so the rule is skipped.
    """

    default: RuleSet = field(default_factory=RuleSet)
    by_language: Mapping[str, RuleSet] = field(default_factory=default_rule_sets)
    families: tuple[str, ...] = FAMILY_ORDER

    def __post_init__(self) -> None:
        if not isinstance(self.default, RuleSet):
            raise ValueError(f"QualityConfig.default must be a RuleSet, got {self.default!r}")
        if not isinstance(self.by_language, Mapping):
            raise ValueError(f"QualityConfig.by_language must map language -> RuleSet, got {self.by_language!r}")
        for lang, rules in self.by_language.items():
            if not isinstance(lang, str) or not lang or not isinstance(rules, RuleSet):
                raise ValueError(f"QualityConfig.by_language must map language -> RuleSet, got {lang!r}: {rules!r}")
        unknown = [f for f in self.families if f not in FAMILY_ORDER]
        if isinstance(self.families, str) or unknown:
            raise ValueError(f"QualityConfig.families must be a tuple of {FAMILY_ORDER}, got {self.families!r}")
        object.__setattr__(self, "by_language", MappingProxyType(dict(self.by_language)))
        # Whatever order the caller listed them in, families run in FAMILY_ORDER.
        object.__setattr__(self, "families", tuple(f for f in FAMILY_ORDER if f in self.families))

    def rules_for(self, language: str | None) -> RuleSet:
        return self.by_language.get(language, self.default) if language else self.default


def check_quality(stats: TextStats, rules: RuleSet, families: tuple[str, ...],
                  language: str | None = None) -> str | None:
    """The first failing rule's reason code over ``families`` (in FAMILY_ORDER), or None."""
    for family in families:
        if family == "gopher_rep":
            reason = check_gopher_repetition(stats, rules.gopher_rep)
        elif family == "gopher":
            reason = check_gopher_quality(stats, rules.gopher)
        elif family == "c4":
            reason = check_c4(stats, rules.c4, language)
        else:
            reason = check_fineweb(stats, rules.fineweb)
        if reason is not None:
            return reason
    return None


def apply_quality(doc: Document, *, config: QualityConfig, counter: CounterFn = noop_counter) -> Verdict:
    """Keep or drop ``doc`` by every enabled family; counts ``quality:kept``.

    The drop itself is counted by :func:`corpus.stage.run_stage`, like every stage's."""
    language = doc.meta.get("language")
    reason = check_quality(TextStats(doc.text), config.rules_for(language), config.families, language)
    if reason is None:
        counter(KEPT_COUNTER)
        return KEEP
    return Verdict.drop(reason)
