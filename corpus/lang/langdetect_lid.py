"""langdetect (Nakatani's character n-gram Naive Bayes) as a second opinion to fastText.

langdetect draws random n-gram samples, so it is only reproducible with a fixed seed. We build
our own ``DetectorFactory`` (profiles loaded once per process, seed fixed) instead of using the
module-level one, so no other code in the process can change the seed or reload profiles under us.
Each ``Detector`` seeds its own ``random.Random``, so detection does not touch global random state.
"""
from __future__ import annotations

import threading

from langdetect import detector_factory
from langdetect.lang_detect_exception import LangDetectException

SEED = 0
# langdetect copies its input one character at a time; beyond a few thousand characters the
# estimate does not change but the cost grows, so the input is cut here.
MAX_TEXT_CHARS = 2000

# langdetect codes that differ from lid.176's (ISO 639-1 where one exists).
_CODE_MAP = {"zh-cn": "zh", "zh-tw": "zh"}

_FACTORY: detector_factory.DetectorFactory | None = None
_LOCK = threading.Lock()


def normalize_code(code: str) -> str:
    """langdetect's code in the project's code set: ``zh-cn``/``zh-tw`` → ``zh``."""
    return _CODE_MAP.get(code, code)


def load_factory() -> detector_factory.DetectorFactory:
    """The process-wide factory with all 55 profiles loaded and the seed fixed (about 1 s once)."""
    global _FACTORY
    if _FACTORY is None:
        with _LOCK:
            if _FACTORY is None:
                factory = detector_factory.DetectorFactory()
                factory.load_profile(detector_factory.PROFILES_DIRECTORY)
                factory.set_seed(SEED)
                _FACTORY = factory
    return _FACTORY


def supported_languages() -> frozenset[str]:
    """Codes langdetect can answer with, in the project's code set."""
    return frozenset(normalize_code(code) for code in load_factory().get_lang_list())


def predict(text: str, max_chars: int = MAX_TEXT_CHARS) -> list[tuple[str, float]]:
    """The full langdetect distribution for ``text``, most probable first; ``[]`` without n-grams.

    We read the detector's whole ``langprob`` vector rather than ``get_probabilities()``, which
    drops everything under 0.1: the combination needs the small values too.
    """
    detector = load_factory().create()
    detector.set_max_text_length(max_chars)
    detector.append(text)
    try:
        detector.get_probabilities()
    except LangDetectException:
        return []
    total: dict[str, float] = {}
    for code, prob in zip(detector.langlist, detector.langprob, strict=True):
        key = normalize_code(code)
        total[key] = total.get(key, 0.0) + prob
    return sorted(total.items(), key=lambda cp: (-cp[1], cp[0]))
