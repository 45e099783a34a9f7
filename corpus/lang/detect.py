"""The shipped language identifier: fastText lid.176, constrained by script, with langdetect as a
second opinion; and the pipeline stages that label and filter Documents with it.

Why a combination: lid.176 is fast and broad but errs on short or ambiguous text (es/pt/gl,
ru/uk/bg, Chinese read as Japanese); langdetect is slower and narrower but makes different errors.
The combination is built from principles, not fitted to any evaluation set:

1. Script. The Unicode script of the letters is a hard fact a classifier can contradict: Han text
   with kana is Japanese, Han text without kana is not, Cyrillic text is not Serbian-Latin-or-English,
   and so on. Candidates whose writing system does not match the text's dominant script are removed
   and fastText's probabilities are renormalised over the rest.
2. Prior. Only languages to which fastText gives non-trivial probability stay candidates, so
   langdetect can break a tie but cannot bring in a language fastText never considered.
3. Product of experts. When fastText's best candidate has no majority (below ``confident``), each
   candidate's fastText probability is multiplied by its langdetect probability and the products
   are renormalised. langdetect's probabilities are extremely peaked, so they are floored at its
   own reporting threshold (0.1): it may shift the odds by at most 10:1, it cannot veto. A
   language langdetect does not know gets the floor too (no evidence either way). The score is
   the posterior, so ``min_score`` means the same with or without the second opinion.

Measured on lingua (docs/benchmarks/langid.md): asking langdetect for short texts too, or with a
floor of 0.01, made results worse than fastText alone (langdetect is weak on short text and reads
short Russian as Bulgarian/Macedonian); hence the trigger is low confidence only.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

from langdetect.detector import Detector

from corpus.counters import CounterFn, noop_counter
from corpus.document import KEEP, Document, Verdict
from corpus.lang import fasttext_lid, langdetect_lid

UNDETERMINED = "und"
DEFAULT_MIN_SCORE = 0.65
MAX_CHARS = 4000             # characters of a document that are examined (cost bound)
CHUNK_CHARS = 0              # 0: one prediction on the bounded prefix; >0: chunked mean (see benchmark)
CONFIDENT = 0.50             # fastText with a majority (after the script constraint) decides alone
MIN_CANDIDATE_PROB = 0.01    # fastText probability a language needs to stay a candidate
LANGDETECT_FLOOR = Detector.PROB_THRESHOLD  # 0.1: langdetect's own "not worth reporting" level
KANA_MIN_SHARE = 0.05        # share of kana among Han+kana letters that makes a text Japanese
HAN_ONLY_MIN_LETTERS = 10    # Han-only text at least this long is not Japanese (Japanese prose has kana)

# Writing systems of lid.176's languages that are not (only) written in Latin script; every other
# language is Latin-only. Script names are the first word of the letters' Unicode names.
NON_LATIN_SCRIPTS: dict[str, frozenset[str]] = {
    **{c: frozenset({"CYRILLIC"}) for c in (
        "ru uk be bg mk kk ky tg tt ba cv ce os sah mhr mrj kv xal myv av bxr krc lez tyv rue".split())},
    **{c: frozenset({"CYRILLIC", "LATIN"}) for c in ("sr", "sh", "uz", "mn")},
    **{c: frozenset({"ARABIC"}) for c in "ar arz fa ur ps ckb ug sd azb pnb mzn lrc".split()},
    **{c: frozenset({"DEVANAGARI"}) for c in "hi mr ne sa new bh mai gom dty".split()},
    **{c: frozenset({"BENGALI"}) for c in ("bn", "as", "bpy")},
    "he": frozenset({"HEBREW"}), "yi": frozenset({"HEBREW"}), "el": frozenset({"GREEK"}),
    "pa": frozenset({"GURMUKHI"}), "gu": frozenset({"GUJARATI"}), "or": frozenset({"ORIYA"}),
    "ta": frozenset({"TAMIL"}), "te": frozenset({"TELUGU"}), "kn": frozenset({"KANNADA"}),
    "ml": frozenset({"MALAYALAM"}), "si": frozenset({"SINHALA"}), "th": frozenset({"THAI"}),
    "lo": frozenset({"LAO"}), "my": frozenset({"MYANMAR"}), "km": frozenset({"KHMER"}),
    "bo": frozenset({"TIBETAN"}), "dv": frozenset({"THAANA"}), "am": frozenset({"ETHIOPIC"}),
    "ka": frozenset({"GEORGIAN"}), "xmf": frozenset({"GEORGIAN"}), "hy": frozenset({"ARMENIAN"}),
    "ko": frozenset({"HANGUL"}), "ja": frozenset({"KANA"}),
    "zh": frozenset({"HAN"}), "yue": frozenset({"HAN"}), "wuu": frozenset({"HAN"}),
}
_LATIN = frozenset({"LATIN"})
_KNOWN_SCRIPTS = frozenset().union(*NON_LATIN_SCRIPTS.values(), _LATIN)


class Identification(NamedTuple):
    language: str
    score: float
    detector: str  # "none", "fasttext" or "fasttext+langdetect"


@dataclass(frozen=True)
class LangConfig:
    """How documents are labelled and which are kept.

    ``languages="all"`` keeps every language, a tuple of codes only those; either way a document is
    kept only when its language's score reaches ``min_score`` (0 keeps everything it labels).
    """

    languages: tuple[str, ...] | Literal["all"] = "all"
    min_score: float = DEFAULT_MIN_SCORE
    second_opinion: bool = True
    max_chars: int = MAX_CHARS
    chunk_chars: int = CHUNK_CHARS
    confident: float = CONFIDENT
    min_candidate_prob: float = MIN_CANDIDATE_PROB
    model_path: str | None = None

    def __post_init__(self) -> None:
        langs = self.languages
        if langs != "all":
            if isinstance(langs, str) or not isinstance(langs, (tuple, list)):
                raise ValueError(f"LangConfig.languages must be 'all' or a tuple of codes, got {langs!r}")
            if not langs or not all(isinstance(c, str) and c and c == c.strip().lower() for c in langs):
                raise ValueError(f"LangConfig.languages must be non-empty lowercase codes, got {langs!r}")
            object.__setattr__(self, "languages", tuple(langs))
        for name in ("min_score", "confident", "min_candidate_prob"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise ValueError(f"LangConfig.{name} must be in [0, 1], got {value!r}")
        if not isinstance(self.max_chars, int) or self.max_chars <= 0:
            raise ValueError(f"LangConfig.max_chars must be a positive int, got {self.max_chars!r}")
        if not isinstance(self.chunk_chars, int) or self.chunk_chars < 0:
            raise ValueError(f"LangConfig.chunk_chars must be an int >= 0, got {self.chunk_chars!r}")
        if self.model_path is not None and not Path(self.model_path).is_file():
            raise ValueError(f"LangConfig.model_path: no such file {self.model_path!r}")


DEFAULT_CONFIG = LangConfig()


@lru_cache(maxsize=65536)
def char_script(ch: str) -> str | None:
    """The script of a letter (``LATIN``, ``CYRILLIC``, ``HAN``, ``KANA``, ...); None for non-letters."""
    if not ch.isalpha():
        return None
    words = unicodedata.name(ch, "").split()
    if words[:1] in (["FULLWIDTH"], ["HALFWIDTH"]):
        words = words[1:]
    if not words:
        return None
    first = words[0]
    if first in ("HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"):
        return "KANA"
    if first in ("CJK", "IDEOGRAPHIC"):
        return "HAN"
    return first


def script_counts(text: str) -> Counter[str]:
    """Letters per script; counted over distinct characters so long texts stay cheap."""
    counts: Counter[str] = Counter()
    for ch, n in Counter(text).items():
        script = char_script(ch)
        if script is not None:
            counts[script] += n
    return counts


def dominant_script(counts: Counter[str]) -> str | None:
    """The script most letters are in; Han with enough kana is ``KANA`` (Japanese). None: no letters."""
    if not counts:
        return None
    merged = Counter(counts)
    cjk = merged.pop("HAN", 0) + merged.pop("KANA", 0)
    if cjk:
        merged["CJK"] = cjk
    script, _ = max(merged.items(), key=lambda kv: (kv[1], kv[0]))
    if script != "CJK":
        return script
    return "KANA" if counts["KANA"] >= KANA_MIN_SHARE * cjk else "HAN"


def script_allows(language: str, script: str | None, han_letters: int) -> bool:
    """Whether ``language`` is written in ``script``; unknown scripts constrain nothing."""
    if script is None or script not in _KNOWN_SCRIPTS:
        return True
    if language == "ja" and script == "HAN":
        return han_letters < HAN_ONLY_MIN_LETTERS  # short kanji-only strings may be Japanese
    return script in NON_LATIN_SCRIPTS.get(language, _LATIN)


def _fasttext_distribution(text: str, config: LangConfig) -> dict[str, float]:
    model = fasttext_lid.load_model(config.model_path)
    if config.chunk_chars:
        pairs = fasttext_lid.predict_chunked(model, text, config.chunk_chars)
    else:
        pairs = fasttext_lid.predict(model, text)
    return dict(pairs)


def _candidates(ft: dict[str, float], script: str | None, han_letters: int,
                config: LangConfig) -> dict[str, float]:
    """Non-trivial script-compatible candidates, with fastText's probability renormalised over
    every script-compatible language (not just the kept ones, which would inflate the score)."""
    allowed = {c: p for c, p in ft.items() if script_allows(c, script, han_letters)} or dict(ft)
    kept = {c: p for c, p in allowed.items() if p >= config.min_candidate_prob}
    if not kept:  # nothing compatible is probable: keep the compatible ones fastText ranks highest
        best = max(allowed.values())
        kept = {c: p for c, p in allowed.items() if p >= best / 2}
    total = sum(allowed.values())
    return {c: p / total for c, p in kept.items()} if total > 0 else {c: 1.0 / len(kept) for c in kept}


def _fuse(candidates: dict[str, float], text: str) -> dict[str, float] | None:
    """Product of fastText and langdetect over the candidates; None if langdetect has no opinion."""
    ld = dict(langdetect_lid.predict(text))
    if not ld:
        return None
    product = {c: p * max(ld.get(c, 0.0), LANGDETECT_FLOOR) for c, p in candidates.items()}
    total = sum(product.values())
    return {c: v / total for c, v in product.items()}


def _best(dist: dict[str, float]) -> tuple[str, float]:
    code, score = max(dist.items(), key=lambda kv: (kv[1], kv[0]))
    return code, min(1.0, max(0.0, score))


def identify_detailed(text: str, config: LangConfig = DEFAULT_CONFIG) -> Identification:
    """Language, score in [0, 1], and which detectors decided; ``und``/0.0 for text without letters."""
    sample = fasttext_lid.one_line(text[:config.max_chars])
    counts = script_counts(sample)
    letters = sum(counts.values())
    if not letters:
        return Identification(UNDETERMINED, 0.0, "none")
    script = dominant_script(counts)
    candidates = _candidates(_fasttext_distribution(sample, config), script, counts["HAN"], config)
    code, score = _best(candidates)
    if config.second_opinion and len(candidates) > 1 and score < config.confident:
        fused = _fuse(candidates, sample)
        if fused is not None:
            code, score = _best(fused)
            return Identification(code, score, "fasttext+langdetect")
    return Identification(code, score, "fasttext")


def identify(text: str, config: LangConfig = DEFAULT_CONFIG) -> tuple[str, float]:
    """``(language code, score)``: ISO 639-1 where one exists, else lid.176's code; ``("und", 0.0)``."""
    result = identify_detailed(text, config)
    return result.language, result.score


def label_language(doc: Document, *, config: LangConfig = DEFAULT_CONFIG,
                   counter: CounterFn = noop_counter) -> Document:
    """The document with meta ``language``, ``language_score`` and ``language_detector`` set."""
    result = identify_detailed(doc.text, config)
    counter(f"lang:{result.language}")
    if result.detector == "fasttext+langdetect":
        counter("lang:second_opinion_used")
    return doc.with_meta(language=result.language, language_score=round(result.score, 4),
                         language_detector=result.detector)


def language_verdict(language: str, score: float, config: LangConfig) -> Verdict:
    """Keep/drop for an identified language: a listed language (any, with ``"all"``) identified with
    at least ``min_score``. ``min_score=0`` with ``"all"`` labels every document and drops none."""
    if config.languages != "all" and language not in config.languages:
        return Verdict.drop("lang:not_in_keep_list")
    if score < config.min_score:
        return Verdict.drop("lang:score_below_threshold")
    return KEEP


def filter_language(doc: Document, *, config: LangConfig = DEFAULT_CONFIG,
                    counter: CounterFn = noop_counter) -> Verdict:
    """Verdict on a document, reusing its ``language`` meta when an earlier stage labelled it.

    Drops are not counted here: whoever applies verdicts counts ``dropped:<reason>`` once.
    """
    if "language" not in doc.meta or "language_score" not in doc.meta:
        doc = label_language(doc, config=config, counter=counter)
    return language_verdict(doc.meta["language"], float(doc.meta["language_score"]), config)


def identify_language(doc: Document, *, config: LangConfig = DEFAULT_CONFIG,
                      counter: CounterFn = noop_counter) -> Document | Verdict:
    """Label, then filter: the labelled Document if kept, else the drop Verdict."""
    labelled = label_language(doc, config=config, counter=counter)
    verdict = language_verdict(labelled.meta["language"], labelled.meta["language_score"], config)
    return labelled if verdict.keep else verdict
