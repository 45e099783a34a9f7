"""C4-style line cleaning: keep the lines that read like sentences, drop the page furniture.

After TFDS ``c4_utils.clean_page`` (Raffel et al. 2020), line rules only; the document-level
C4 rules (lorem ipsum or ``{`` drop the whole page, at least three sentences) belong to the
quality filters. Differences from C4, each for a reason:

* Lorem ipsum and curly braces drop the *line* here (the quality filters drop documents).
* Terminal punctuation is multilingual (CJK 。！？, Arabic ؟, Devanagari ।, ...); a closing
  quote counts as terminal (as C4's ``"``), a closing bracket only after a terminal mark.
  A line ending in an ellipsis is a truncated teaser, as in C4, unless ``ellipsis_is_terminal``.
* Words of scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar) are counted
  as ``characters / cjk_chars_per_word``, so a Chinese sentence is not "one word". For the
  South-East Asian scripts this over-counts words, which errs on the side of keeping lines.
* Policy lines match phrases that name a site's policy pages or cookie notice in the
  languages we build for (not bare "cookie" or "Datenschutz", which occur in real prose).

Rules run in C4's order, and a removed line is counted under the first rule that matches:
``lines:no_terminal_punct``, ``lines:too_few_words``, ``lines:lorem_ipsum``,
``lines:javascript``, ``lines:curly_brace``, ``lines:policy``.
Blank lines are paragraph breaks, not content: they are kept (collapsed) between kept lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.counters import CounterFn, noop_counter
from corpus.document import Document, Verdict

MIN_WORDS_PER_LINE = 3
CJK_CHARS_PER_WORD = 2.0

# Sentence-final marks: Latin, CJK (full and halfwidth), Arabic/Urdu, Devanagari/Bengali
# danda, Armenian, Ethiopic, Myanmar, Tibetan shad, double marks; the ellipsis only counts
# when ``ellipsis_is_terminal`` lets a line ending in one through.
TERMINAL_MARKS = ".!?。．！？｡؟۔।॥։።။།‼⁇⁈⁉…"
# A closing quote ends a line of quoted speech (C4 accepts '"'); « closes in Danish/Swedish.
CLOSING_QUOTES = "\"'”’»«“」』"
# Closing brackets end a line only after a terminal mark or quote: "(See below.)".
CLOSING_BRACKETS = ")]）】〕》〉"
ELLIPSES = ("...", "…")

# Phrases that name policy pages or cookie notices. Lower-case, apostrophes as "'".
POLICY_PHRASES = (
    # en (C4's list, plus "cookie settings")
    "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies",
    "cookie settings",
    # de
    "datenschutzerklärung", "datenschutzrichtlinie", "datenschutzhinweise", "nutzungsbedingungen",
    "cookie-richtlinie", "cookies akzeptieren", "verwendet cookies", "nutzt cookies", "setzt cookies",
    "verwendung von cookies", "einsatz von cookies",
    # fr
    "politique de confidentialité", "conditions d'utilisation", "conditions générales d'utilisation",
    "utilise des cookies", "utilisation des cookies", "utilisation de cookies", "politique de cookies",
    "politique relative aux cookies", "accepter les cookies", "accepte les cookies",
    # es
    "política de privacidad", "política de cookies", "términos de uso", "condiciones de uso",
    "utiliza cookies", "usa cookies", "uso de cookies", "aceptar cookies", "acepta el uso de cookies",
    # it
    "informativa sulla privacy", "informativa privacy", "utilizza cookie", "utilizza i cookie",
    "uso dei cookie", "utilizzo dei cookie", "termini di utilizzo", "termini d'uso", "condizioni d'uso",
    "accetta i cookie",
    # pt
    "política de privacidade", "termos de uso", "termos de utilização", "utiliza cookies",
    "usa cookies", "uso de cookies", "utilização de cookies", "aceitar cookies",
    # nl
    "privacybeleid", "privacyverklaring", "cookiebeleid", "cookieverklaring", "gebruiksvoorwaarden",
    "gebruik van cookies", "maakt gebruik van cookies", "gebruikt cookies", "cookies accepteren",
    # ru
    "политика конфиденциальности", "политикой конфиденциальности", "пользовательское соглашение",
    "условия использования", "использует cookie", "использует файлы cookie", "файлы cookie",
    "использование cookie",
    # zh
    "隐私政策", "隱私政策", "隱私權政策", "隐私条款", "使用条款", "服务条款", "服務條款", "使用cookie",
    # ja
    "プライバシーポリシー", "個人情報保護方針", "利用規約", "クッキーを使用", "cookieを使用",
)

_UNSPACED_SCRIPT_RE = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]")
_POLICY_RE = re.compile("|".join(re.escape(p) for p in sorted(set(POLICY_PHRASES), key=len, reverse=True)))
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


@dataclass(frozen=True)
class LineCleanConfig:
    """Which line rules run, and their thresholds."""

    require_terminal_punct: bool = True
    ellipsis_is_terminal: bool = False
    min_words_per_line: int = MIN_WORDS_PER_LINE
    cjk_chars_per_word: float = CJK_CHARS_PER_WORD
    # Off by default: as in C4, lorem ipsum rejects the whole page (the quality stage's
    # c4:lorem_ipsum). Removing the line here would hide the filler from that rule.
    drop_lorem_ipsum: bool = False
    drop_javascript: bool = True
    drop_curly_brace: bool = True
    drop_policy: bool = True

    def __post_init__(self) -> None:
        for name in ("require_terminal_punct", "ellipsis_is_terminal", "drop_lorem_ipsum", "drop_javascript",
                     "drop_curly_brace", "drop_policy"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"LineCleanConfig.{name} must be a bool, got {getattr(self, name)!r}")
        if not isinstance(self.min_words_per_line, int) or self.min_words_per_line < 0:
            raise ValueError(f"LineCleanConfig.min_words_per_line must be an int >= 0 (0 disables the rule), "
                             f"got {self.min_words_per_line!r}")
        if not isinstance(self.cjk_chars_per_word, (int, float)) or not self.cjk_chars_per_word > 0:
            raise ValueError(f"LineCleanConfig.cjk_chars_per_word must be > 0, got {self.cjk_chars_per_word!r}")


DEFAULT_LINE_CONFIG = LineCleanConfig()


def has_terminal_punct(line: str, *, ellipsis_is_terminal: bool = False) -> bool:
    """Whether a stripped line ends like a sentence (see the module docstring)."""
    if not ellipsis_is_terminal and line.endswith(ELLIPSES):
        return False
    core = line.rstrip(CLOSING_BRACKETS)  # "(See below.)" ends at the mark inside the bracket
    return bool(core) and (core[-1] in TERMINAL_MARKS or core[-1] in CLOSING_QUOTES)


def count_words(line: str, *, cjk_chars_per_word: float = CJK_CHARS_PER_WORD) -> float:
    """Whitespace tokens, with characters of unspaced scripts counted at ``cjk_chars_per_word``."""
    unspaced = len(_UNSPACED_SCRIPT_RE.findall(line))
    if not unspaced:
        return len(line.split())
    spaced = sum(1 for token in line.split() if not _UNSPACED_SCRIPT_RE.search(token))
    return spaced + unspaced / cjk_chars_per_word


def line_drop_reason(line: str, *, config: LineCleanConfig = DEFAULT_LINE_CONFIG) -> str | None:
    """The first rule a stripped, non-empty line breaks, as ``lines:<rule>``; None to keep it."""
    if config.require_terminal_punct and not has_terminal_punct(
            line, ellipsis_is_terminal=config.ellipsis_is_terminal):
        return "lines:no_terminal_punct"
    if config.min_words_per_line and count_words(
            line, cjk_chars_per_word=config.cjk_chars_per_word) < config.min_words_per_line:
        return "lines:too_few_words"
    lower = line.lower()
    if config.drop_lorem_ipsum and "lorem ipsum" in lower:
        return "lines:lorem_ipsum"
    if config.drop_javascript and "javascript" in lower:
        return "lines:javascript"
    if config.drop_curly_brace and ("{" in line or "}" in line):
        return "lines:curly_brace"
    if config.drop_policy and _POLICY_RE.search(lower.translate(_APOSTROPHES)):
        return "lines:policy"
    return None


def clean_lines(text: str, *, config: LineCleanConfig = DEFAULT_LINE_CONFIG,
                counter: CounterFn = noop_counter) -> str:
    """The text with every line that breaks a rule removed; one count per removed line."""
    kept: list[str] = []
    paragraph_break = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            paragraph_break = True
            continue
        reason = line_drop_reason(line, config=config)
        if reason is not None:
            counter(reason)
            continue
        if paragraph_break and kept:
            kept.append("")
        paragraph_break = False
        kept.append(line)
    return "\n".join(kept)


def clean_lines_stage(doc: Document, *, config: LineCleanConfig = DEFAULT_LINE_CONFIG,
                      counter: CounterFn = noop_counter) -> Document | Verdict:
    """Stage: the document with its bad lines removed, or ``lines:empty`` if none is left."""
    text = clean_lines(doc.text, config=config, counter=counter)
    if not text:
        return Verdict.drop("lines:empty")
    return doc if text == doc.text else doc.with_text(text)
