"""HTML → plain main-content text: resiliparse, trafilatura, and a hybrid of the two.

resiliparse is fast (well under a millisecond per page) but its main-content heuristics
keep menus, cookie banners, share rows and link lists; trafilatura is more precise but
about fifteen to forty times slower. The ``hybrid`` method (the default, chosen on the gold set in
benchmarks/extraction_gold) runs resiliparse, drops link-dense and boilerplate lines, orphan headings,
datelines and what precedes the <h1> headline, and
pays for trafilatura only when what is left is too thin to trust.
Every method returns one block per line and never raises on bad input: the web is full
of broken, empty and binary "HTML", and one page must not stop a pipeline.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import trafilatura
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

METHODS = ("resiliparse", "trafilatura", "hybrid")
DEFAULT_METHOD = "hybrid"

# A page larger than this is cut before parsing: real articles are far smaller, and
# parse time grows with size, so a multi-megabyte dump would stall a worker.
MAX_HTML_CHARS = 2_000_000
# A line is dropped when less than this share of its words lies outside <a> elements.
MIN_OWN_TEXT_RATIO = 0.5
# The hybrid falls back to trafilatura when the filtered resiliparse text has fewer
# words than this (resiliparse sometimes keeps nothing of a short page) ...
MIN_HYBRID_WORDS = 30
# ... or keeps less than this share of the page's visible words. Off by default: on the
# gold set 0.45 (with 100 words) gained 0.01 F1, but on real crawl pages (home pages,
# listings) it sent most pages to the slow path; see docs/benchmarks/extraction.md.
MIN_KEPT_RATIO = 0.0

_RESILIPARSE_OPTIONS = dict(preserve_formatting=True, main_content=True, list_bullets=False, alt_texts=False,
                            comments=False, post_meta=False)
# Lines no reader wants. Copyright marks and consent banners go at any length ...
_LEGAL_RE = re.compile(r"(©|\ball rights reserved\b|\(c\) ?\d{4}|\bcookie.*\b(accept|agree|consent|browsing|partners"
                       r"|personali[sz]e|website|site|webseite|einwilligung|zustimmung|consentement|acceptez|consenso"
                       r"|concorda|akkoord|toestemming|сайт|согла))", re.IGNORECASE)
# ... share rows, newsletter and legal links only in short lines ("share" or "privacy" in a
# paragraph is just a word).
BOILERPLATE_MAX_WORDS = 15
_BOILERPLATE_RE = re.compile(
    r"(\bcookies?\b|\bcopyright\b|\bshare\b|\bsign up\b|\bsubscribe\b|\bnewsletter\b|\bprivacy\b"
    r"|\bterms (of use|and conditions|& conditions)\b)", re.IGNORECASE)
# Lines before the page's <h1> headline are masthead, breadcrumbs and bylines, so the hybrid
# starts at the headline -- unless that would cut more than this share of the words (an <h1>
# used as a logo or sidebar title late in the page must not wipe the article).
MAX_PRE_HEADLINE_SHARE = 0.3
# A short line with a date or clock time is a dateline/byline/post header, not prose.
DATE_LINE_MAX_WORDS = 10
_DATE_RE = re.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-](\d{4}|\d{2})\b|\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b|\d{4}年\d{1,2}月\d{1,2}日"
    r"|\b\d{1,2}\.? [^\W\d_]{3,12}\.? (19|20)\d{2}\b|\b[^\W\d_]{3,12}\.? \d{1,2},? (19|20)\d{2}\b|\b\d{1,2}:\d{2}\b")
# ... and so is one with a "label: count" pair (a poster's "Posts: 58", "Views: 3,218").
_STAT_RE = re.compile(r"[^\W\d_]{3,}:\s*\d[\d.,]*\s*($|[·|•,;])")
# A line of at most this many words with no sentence punctuation is a heading; one whose
# section the link filter emptied (a sidebar's "Quick links") is dropped with it.
HEADING_MAX_WORDS = 4
_SENTENCE_END_RE = re.compile(r"[.!?。！？:：;]\s*$")
# One token per CJK ideograph or kana (no spaces there); other word-character runs are one token.
_TOKEN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+")


@dataclass(frozen=True, slots=True)
class HtmlConfig:
    """Tuning of the extractors; the defaults are what the gold-set benchmark chose."""

    max_html_chars: int = MAX_HTML_CHARS
    min_own_text_ratio: float = MIN_OWN_TEXT_RATIO
    min_hybrid_words: int = MIN_HYBRID_WORDS
    min_kept_ratio: float = MIN_KEPT_RATIO
    include_tables: bool = True
    max_pre_headline_share: float = MAX_PRE_HEADLINE_SHARE

    def __post_init__(self) -> None:
        if self.max_html_chars <= 0:
            raise ValueError(f"HtmlConfig.max_html_chars must be > 0, got {self.max_html_chars}")
        for name in ("min_own_text_ratio", "min_kept_ratio", "max_pre_headline_share"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"HtmlConfig.{name} must be in [0, 1], got {value}")
        if self.min_hybrid_words < 0:
            raise ValueError(f"HtmlConfig.min_hybrid_words must be >= 0, got {self.min_hybrid_words}")


def tokens(text: str) -> list[str]:
    """Lowercase word tokens; CJK characters count one each."""
    return _TOKEN_RE.findall(text.lower())


def _tidy(text: str) -> str:
    """One block per line: strip each line, drop empty ones."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _trafilatura(html: str, config: HtmlConfig) -> str:
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=config.include_tables,
                                   favor_precision=True, deduplicate=False, with_metadata=False)
    except Exception:  # noqa: BLE001 - lxml/trafilatura errors on hostile input must not escape
        return ""
    return _tidy(text or "")


def filter_lines(text: str, own_words: Counter, min_own_ratio: float) -> str:
    """Drop boilerplate lines, lines made mostly of link text, and headings whose section went with them."""
    return "\n".join(_filter_lines(text, own_words, min_own_ratio)[0])


def _filter_lines(text: str, own_words: Counter, min_own_ratio: float) -> tuple[list[str], int]:
    """The kept lines of ``text`` and the word count of the orphan headings dropped.

    ``own_words`` counts the words of the same extraction with every <a> removed; a line
    whose words are mostly not found there is a menu, a tag list or a "related" box.
    The first line is exempt when it has a few words: headlines are often links.
    """
    own_words = Counter(own_words)
    kept: list[str] = []
    orphan_words = 0
    orphan = False  # the last kept line is a heading and nothing has followed it yet
    for line in text.splitlines():
        toks = tokens(line)
        if not toks:
            continue
        drop = bool(_LEGAL_RE.search(line) or (len(toks) <= BOILERPLATE_MAX_WORDS and _BOILERPLATE_RE.search(line)))
        if not drop:
            own = 0
            for tok in toks:
                if own_words[tok] > 0:
                    own_words[tok] -= 1
                    own += 1
            drop = own < min_own_ratio * len(toks) and not (not kept and len(toks) > 3)
        if drop:
            if orphan:
                orphan_words += len(tokens(kept.pop()))
                orphan = False
            continue
        kept.append(line)
        orphan = len(toks) <= HEADING_MAX_WORDS and not _SENTENCE_END_RE.search(line)
    if orphan:
        orphan_words += len(tokens(kept.pop()))
    return kept, orphan_words


def drop_metadata_lines(lines: list[str]) -> list[str]:
    """Drop short datelines, post headers and "label: count" rows (bylines, post stats, view counts)."""
    return [line for line in lines
            if not (len(tokens(line)) <= DATE_LINE_MAX_WORDS and (_DATE_RE.search(line) or _STAT_RE.search(line)))]


def start_at_headline(lines: list[str], headline: str, max_share: float = MAX_PRE_HEADLINE_SHARE) -> list[str]:
    """Drop the lines before the one that begins with ``headline`` (the page's <h1> text).

    What precedes the headline is site name, login row, breadcrumbs and dateline. Kept as
    is when the headline is not found or would cut more than ``max_share`` of the words.
    """
    head = tokens(headline)
    if not head:
        return lines
    for i, line in enumerate(lines):
        if tokens(line)[:len(head)] == head:
            before = sum(len(tokens(x)) for x in lines[:i])
            total = before + sum(len(tokens(x)) for x in lines[i:])
            return lines[i:] if before <= max_share * total else lines
    return lines


def extract_with(html: str, method: str = DEFAULT_METHOD, *,
                 config: HtmlConfig = HtmlConfig()) -> tuple[str, str]:
    """The main-content text of ``html`` (one block per line, "" when none) and the extractor used.

    For ``hybrid`` the second value is ``"resiliparse"`` or ``"trafilatura"`` (the
    fallback), so callers can count how often the slow path runs. Never raises on bad
    input; an unknown ``method`` is a programming error and raises ValueError.
    """
    if method not in METHODS:
        raise ValueError(f"html method must be one of {METHODS}, got {method!r}")
    if not isinstance(html, str) or not html.strip():
        return "", method
    html = html[:config.max_html_chars].replace("\x00", "")
    if method == "trafilatura":
        return _trafilatura(html, config), "trafilatura"
    try:
        tree = HTMLTree.parse(html)
        text = _tidy(extract_plain_text(tree, **_RESILIPARSE_OPTIONS))
        if method == "resiliparse":
            return text, "resiliparse"
        own = Counter(tokens(extract_plain_text(tree, **_RESILIPARSE_OPTIONS, skip_elements=["a"])))
        lines, orphan_words = _filter_lines(text, own, config.min_own_text_ratio)
        # The fallback decision looks at what the link and boilerplate filter left; dropping
        # orphan headings, metadata lines and the headline's preamble refines the text but is
        # no sign of a failed extraction, and must not send more pages to the slow path.
        words = sum(len(tokens(line)) for line in lines) + orphan_words
        lines = drop_metadata_lines(lines)
        h1 = tree.document.query_selector("h1")
        if h1 is not None:
            lines = start_at_headline(lines, h1.text, config.max_pre_headline_share)
        text = "\n".join(lines)
        if words >= config.min_hybrid_words and (config.min_kept_ratio == 0.0 or words >= config.min_kept_ratio
                                                 * len(tokens(extract_plain_text(tree, main_content=False)))):
            return text, "resiliparse"
    except Exception:  # noqa: BLE001 - resiliparse raises parser-specific errors on garbage
        if method == "resiliparse":
            return "", "resiliparse"
    return _trafilatura(html, config), "trafilatura"


def html_to_text(html: str, method: str = DEFAULT_METHOD, *, config: HtmlConfig = HtmlConfig()) -> str:
    """The main-content text of ``html``, one block per line; "" when there is none."""
    return extract_with(html, method, config=config)[0]
