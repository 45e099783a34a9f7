"""HTML → plain main-content text: resiliparse, trafilatura, and a hybrid of the two.

resiliparse is fast (well under a millisecond per page) but its main-content heuristics
keep menus, cookie banners, share rows and link lists; trafilatura is more precise but
about fifteen to forty times slower. The ``hybrid`` method (the default, chosen on the gold set in
benchmarks/extraction_gold) runs resiliparse, puts back link-free list items its main-content mode
dropped, drops link-dense and boilerplate lines, orphan headings, datelines, price/rating widgets,
trailing comment/review/reference sections, leading infobox rows, pull quotes and what precedes the
<h1> headline, and pays for trafilatura only when what is left is too thin to trust.
Every method returns one block per line and never raises on bad input: the web is full
of broken, empty and binary "HTML", and one page must not stop a pipeline.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

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
# A list item in resiliparse's whole-page pass (list_bullets=True): indented "•" or "N." prefix.
_LIST_ITEM_RE = re.compile(r"^[ \t]+(?:•|\d+\.)\s+", re.MULTILINE)
# A short line with a price, star rating or a bare count in brackets ("(318 reviews)", "（2,341）") is a
# product/review widget; years in brackets ("(1998)") are not counts.
SHOP_LINE_MAX_WORDS = 10
_SHOP_RE = re.compile(r"[£$€¥₹₽]\s?\d|\d\s?[€₽]|[★☆]|[(（](?!(1[5-9]|20)\d\d[)）])\d[\d.,]*[)）]")
# A line of at least this many words that repeats an earlier passage word for word is a pull quote.
REPEAT_MIN_WORDS = 6
# The first line with at least this many words is the lead paragraph; a table row is a line whose
# cells resiliparse separated by tabs.
LEAD_MIN_WORDS = 15
_CELL_SEP_RE = re.compile(r"\t+")
# A heading naming a trailing section of comments, reviews or references: that section is no part of the
# text a reader wants, and it is cut with what follows -- unless that is more than this share of the words.
MAX_TAIL_SHARE = 0.4
_TAIL_HEADING_RE = re.compile(
    r"\b(reviews?|comments?|references|notes|see also|external links|further reading|sources"
    r"|bewertungen|kommentare|einzelnachweise|anmerkungen|avis|commentaires|références|notes et références"
    r"|reseñas|comentarios|referencias|recensioni|commenti|opmerkingen|reacties|bronnen|recensies"
    r"|отзывы|комментарии|примечания|литература|источники)\b|评论|評論|参考文献|レビュー|コメント|脚注|注釈",
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class HtmlConfig:
    """Tuning of the extractors; the defaults are what the gold-set benchmark chose."""

    max_html_chars: int = MAX_HTML_CHARS
    min_own_text_ratio: float = MIN_OWN_TEXT_RATIO
    min_hybrid_words: int = MIN_HYBRID_WORDS
    min_kept_ratio: float = MIN_KEPT_RATIO
    include_tables: bool = True
    max_pre_headline_share: float = MAX_PRE_HEADLINE_SHARE
    max_tail_share: float = MAX_TAIL_SHARE
    recover_lists: bool = True
    drop_shop_lines: bool = True
    drop_infobox: bool = True
    drop_repeats: bool = True
    fast_fallback: bool = True

    def __post_init__(self) -> None:
        if self.max_html_chars <= 0:
            raise ValueError(f"HtmlConfig.max_html_chars must be > 0, got {self.max_html_chars}")
        for name in ("min_own_text_ratio", "min_kept_ratio", "max_pre_headline_share", "max_tail_share"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"HtmlConfig.{name} must be in [0, 1], got {value}")
        if self.min_hybrid_words < 0:
            raise ValueError(f"HtmlConfig.min_hybrid_words must be >= 0, got {self.min_hybrid_words}")


def tokens(text: str) -> list[str]:
    """Lowercase word tokens; CJK characters count one each."""
    return _TOKEN_RE.findall(text.lower())


@lru_cache(maxsize=4096)
def _line_tokens(line: str) -> tuple[str, ...]:
    """``tokens`` of one line, memoised while one page is extracted: each line filter looks at every line."""
    return tuple(_TOKEN_RE.findall(line.lower()))


def _tidy(text: str) -> str:
    """One block per line: strip each line, drop empty ones."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _trafilatura(html: str, config: HtmlConfig, fast: bool = False) -> str:
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=config.include_tables,
                                   favor_precision=True, deduplicate=False, with_metadata=False, fast=fast)
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
        toks = _line_tokens(line)
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
                orphan_words += len(_line_tokens(kept.pop()))
                orphan = False
            continue
        kept.append(line)
        orphan = len(toks) <= HEADING_MAX_WORDS and not _SENTENCE_END_RE.search(line)
    if orphan:
        orphan_words += len(_line_tokens(kept.pop()))
    return kept, orphan_words


def _is_metadata(line: str) -> bool:
    return len(_line_tokens(line)) <= DATE_LINE_MAX_WORDS and bool(_DATE_RE.search(line) or _STAT_RE.search(line))


def drop_metadata_lines(lines: list[str]) -> list[str]:
    """Drop short datelines, post headers and "label: count" rows (bylines, post stats, view counts)."""
    return [line for line in lines if not _is_metadata(line)]


def drop_shop_lines(lines: list[str]) -> list[str]:
    """Drop short lines with prices, star ratings or bracketed counts: product and review widgets."""
    return [line for line in lines if not (len(_line_tokens(line)) <= SHOP_LINE_MAX_WORDS and _SHOP_RE.search(line))]


def drop_repeated_lines(lines: list[str], n: int = REPEAT_MIN_WORDS) -> list[str]:
    """Drop lines whose every ``n``-word run already appeared in earlier lines: pull quotes and teasers.

    Shingles, not substring search, so that the cost stays linear on long pages.
    """
    kept: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for line in lines:
        toks = _line_tokens(line)
        grams = {tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)}
        if grams and grams <= seen:
            continue
        kept.append(line)
        seen |= grams
    return kept


def drop_leading_key_value_rows(lines: list[str]) -> list[str]:
    """Drop two-cell table rows ("Length | 64 km") that come before the first prose paragraph.

    A key-value table ahead of the lead is an infobox or fact sheet that sums up the article; the
    same table after the lead (specifications, ingredients) is content and stays.
    """
    for i, line in enumerate(lines):
        if len(_line_tokens(line)) >= LEAD_MIN_WORDS:
            return [x for x in lines[:i] if len(_CELL_SEP_RE.split(x.strip())) != 2] + lines[i:]
    return lines


def _is_heading(line: str) -> bool:
    return len(_line_tokens(line)) <= HEADING_MAX_WORDS and not _SENTENCE_END_RE.search(line)


def cut_tail_sections(lines: list[str], max_share: float = MAX_TAIL_SHARE) -> list[str]:
    """Cut the text at the first heading of a comments/reviews/references section near the end.

    Such sections close articles, product pages and wiki pages; the cut is skipped when it would
    remove more than ``max_share`` of the words (the page may be a review or a comment thread).
    """
    counts = [len(_line_tokens(line)) for line in lines]
    total, after = sum(counts), sum(counts)
    for i, line in enumerate(lines):
        if _is_heading(line) and _TAIL_HEADING_RE.search(line) and after <= max_share * total:
            return lines[:i]
        after -= counts[i]
    return lines


def _list_items(page_text: str) -> list[tuple[bool, str]]:
    """(is a list item, text without bullet) for each non-empty line of a whole-page pass."""
    out = []
    for raw in page_text.splitlines():
        if raw.strip():
            m = _LIST_ITEM_RE.match(raw)
            out.append((m is not None, raw[m.end():].strip() if m else raw.strip()))
    return out


def recover_list_items(main_text: str, page_text: str, link_free_text: Callable[[], str]) -> list[str]:
    """The lines of ``main_text`` with the link-free list items main-content mode dropped from inside it.

    resiliparse's main-content heuristics sometimes drop whole lists of short items (ingredients,
    requirements) from the middle of an article. ``main_text`` and ``page_text`` are the main-content
    and whole-page passes with list bullets; their lines are aligned in order (an item only with an
    item), and the unmatched list items that lie between two matched lines (inside the kept region,
    never before or after it) are put back if they are no datelines and are also items of
    ``link_free_text()`` (the page pass without <a>: a list of links is a menu; called only when
    there is a candidate, as it costs a pass). Bullets are stripped.
    """
    page = _list_items(page_text)
    where: dict[tuple[bool, str], list[int]] = {}
    for i, line in enumerate(page):
        where.setdefault(line, []).append(i)
    merged: list[str | tuple[str, ...]] = []  # a tuple holds the candidate items of one gap
    pos = 0
    anchored = False  # a main line has been found in the page pass: the kept region has begun
    for line in _list_items(main_text):
        found = where.get(line, ())
        k = bisect.bisect_left(found, pos)
        if k == len(found):  # not in the page pass (after the last match): keep it where it is
            merged.append(line[1])
            continue
        j = found[k]
        gap = tuple(text for is_item, text in page[pos:j] if is_item and not _is_metadata(text)) if anchored else ()
        if gap:
            merged.append(gap)
        merged.append(line[1])
        pos, anchored = j + 1, True
    if not any(isinstance(x, tuple) for x in merged):
        return list(merged)  # type: ignore[arg-type]
    free = {text for is_item, text in _list_items(link_free_text()) if is_item}
    out: list[str] = []
    for x in merged:
        if isinstance(x, tuple):
            out.extend(text for text in x if text in free)
        else:
            out.append(x)
    return out


def start_at_headline(lines: list[str], headline: str, max_share: float = MAX_PRE_HEADLINE_SHARE) -> list[str]:
    """Drop the lines before the one that begins with ``headline`` (the page's <h1> text).

    What precedes the headline is site name, login row, breadcrumbs and dateline. Kept as
    is when the headline is not found or would cut more than ``max_share`` of the words.
    """
    head = tuple(tokens(headline))
    if not head:
        return lines
    for i, line in enumerate(lines):
        if _line_tokens(line)[:len(head)] == head:
            before = sum(len(_line_tokens(x)) for x in lines[:i])
            total = before + sum(len(_line_tokens(x)) for x in lines[i:])
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
        if method == "resiliparse":
            return _tidy(extract_plain_text(tree, **_RESILIPARSE_OPTIONS)), "resiliparse"
        # With bullets, so that list items can be told from other lines; they are stripped below.
        main = extract_plain_text(tree, **{**_RESILIPARSE_OPTIONS, "list_bullets": True})
        text = "\n".join(line for _, line in _list_items(main))
        own = Counter(tokens(extract_plain_text(tree, **_RESILIPARSE_OPTIONS, skip_elements=["a"])))
        if config.recover_lists:
            whole = {**_RESILIPARSE_OPTIONS, "main_content": False, "list_bullets": True}
            page = extract_plain_text(tree, **whole)
            if _LIST_ITEM_RE.search(page):
                merged = recover_list_items(main, page, lambda: extract_plain_text(tree, **whole, skip_elements=["a"]))
                if len(merged) > len(text.splitlines()):
                    own += Counter(tokens("\n".join(merged))) - Counter(tokens(text))  # recovered items are link-free
                    text = "\n".join(merged)
        lines, orphan_words = _filter_lines(text, own, config.min_own_text_ratio)
        # The fallback decision looks at what the link and boilerplate filter left; dropping
        # orphan headings, metadata lines and the headline's preamble refines the text but is
        # no sign of a failed extraction, and must not send more pages to the slow path.
        words = sum(len(_line_tokens(line)) for line in lines) + orphan_words
        lines = drop_metadata_lines(lines)
        if config.drop_shop_lines:
            lines = drop_shop_lines(lines)
        if config.max_tail_share > 0.0:
            lines = cut_tail_sections(lines, config.max_tail_share)
        if config.drop_infobox:
            lines = drop_leading_key_value_rows(lines)
        if config.drop_repeats:
            lines = drop_repeated_lines(lines)
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
    finally:
        _line_tokens.cache_clear()  # a per-page memo: lines of different pages rarely repeat
    # The fallback runs on pages resiliparse found (nearly) empty, mostly home pages and listings;
    # trafilatura's own fallback extractors (readability, jusText) double its time there.
    return _trafilatura(html, config, fast=config.fast_fallback), "trafilatura"


def html_to_text(html: str, method: str = DEFAULT_METHOD, *, config: HtmlConfig = HtmlConfig()) -> str:
    """The main-content text of ``html``, one block per line; "" when there is none."""
    return extract_with(html, method, config=config)[0]
