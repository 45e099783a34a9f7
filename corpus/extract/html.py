"""HTML → plain main-content text: resiliparse, trafilatura, and a hybrid of the two.

resiliparse is fast (well under a millisecond per page) but its main-content heuristics
keep menus, cookie banners, share rows and link lists; trafilatura is more precise but
about fifteen to forty times slower. The ``hybrid`` method (the default, chosen on the gold set in
benchmarks/extraction_gold) runs resiliparse, puts back link-free list items its main-content mode
dropped, runs the line filters of ``corpus.extract.lines`` (link-dense and boilerplate lines, orphan
headings, datelines and their posters, price/rating widgets, share and nav rows, trailing comment/review/
reference sections, leading infobox rows, pull quotes, what precedes the <h1> headline), and pays for
trafilatura only when what is left is too thin to trust.
Every method returns one block per line and never raises on bad input: the web is full
of broken, empty and binary "HTML", and one page must not stop a pipeline.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import trafilatura
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from corpus.extract.lines import (
    MAX_PRE_HEADLINE_SHARE,
    MAX_TAIL_SHARE,
    cut_tail_sections,
    drop_furniture_lines,
    drop_leading_key_value_rows,
    drop_metadata_lines,
    drop_repeated_lines,
    drop_shop_lines,
    drop_trailing_headings,
    filter_lines,
    filter_lines_with_orphans,
    is_metadata,
    line_tokens,
    start_at_headline,
    tokens,
)

# Re-exported: callers and tests import the line filters from here, where the hybrid chains them.
__all__ = ["DEFAULT_METHOD", "METHODS", "HtmlConfig", "cut_tail_sections", "drop_leading_key_value_rows",
           "drop_furniture_lines", "drop_metadata_lines", "drop_repeated_lines", "drop_shop_lines", "drop_trailing_headings", "extract_with", "filter_lines",
           "html_to_text", "recover_list_items", "start_at_headline", "tokens"]

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
# A list item in resiliparse's whole-page pass (list_bullets=True): indented "•" or "N." prefix.
_LIST_ITEM_RE = re.compile(r"^[ \t]+(?:•|\d+\.)\s+", re.MULTILINE)


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
    drop_furniture: bool = True
    drop_trailing_headings: bool = True
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


def _tidy(text: str) -> str:
    """One block per line: strip each line, drop empty ones."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


class ExtractionError(RuntimeError):
    """The extractor itself failed on a page (not: found no text). The extraction stage drops the
    page as ``extract:error`` and keeps the message with it."""


def _trafilatura(html: str, config: HtmlConfig, fast: bool = False) -> str:
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=config.include_tables,
                                   favor_precision=True, deduplicate=False, with_metadata=False, fast=fast)
    except Exception as e:  # noqa: BLE001 - lxml/trafilatura raise many types on hostile input
        raise ExtractionError(f"trafilatura: {type(e).__name__}: {e}") from e
    return _tidy(text or "")


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
        gap = tuple(text for is_item, text in page[pos:j] if is_item and not is_metadata(text)) if anchored else ()
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


def extract_with(html: str, method: str = DEFAULT_METHOD, *,
                 config: HtmlConfig = HtmlConfig()) -> tuple[str, str]:
    """The main-content text of ``html`` (one block per line, "" when none) and the extractor used.

    For ``hybrid`` the second value is ``"resiliparse"`` or ``"trafilatura"`` (the
    fallback), so callers can count how often the slow path runs. Raises :class:`ExtractionError`
    when the extractor fails on the page (the hybrid first falls back from resiliparse to
    trafilatura); an unknown ``method`` is a programming error and raises ValueError.
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
        lines, orphan_words = filter_lines_with_orphans(text, own, config.min_own_text_ratio)
        # The fallback decision looks at what the link and boilerplate filter left; dropping
        # orphan headings, metadata lines and the headline's preamble refines the text but is
        # no sign of a failed extraction, and must not send more pages to the slow path.
        words = sum(len(line_tokens(line)) for line in lines) + orphan_words
        lines = drop_metadata_lines(lines)
        if config.drop_shop_lines:
            lines = drop_shop_lines(lines)
        if config.drop_furniture:
            lines = drop_furniture_lines(lines)
        if config.max_tail_share > 0.0:
            lines = cut_tail_sections(lines, config.max_tail_share)
        if config.drop_infobox:
            lines = drop_leading_key_value_rows(lines)
        if config.drop_repeats:
            lines = drop_repeated_lines(lines)
        if config.drop_trailing_headings:
            lines = drop_trailing_headings(lines)
        h1 = tree.document.query_selector("h1")
        if h1 is not None:
            lines = start_at_headline(lines, h1.text, config.max_pre_headline_share)
        text = "\n".join(lines)
        if words >= config.min_hybrid_words and (config.min_kept_ratio == 0.0 or words >= config.min_kept_ratio
                                                 * len(tokens(extract_plain_text(tree, main_content=False)))):
            return text, "resiliparse"
    except Exception as e:  # noqa: BLE001 - resiliparse raises parser-specific errors on garbage
        if method == "resiliparse":
            raise ExtractionError(f"resiliparse: {type(e).__name__}: {e}") from e
    finally:
        line_tokens.cache_clear()  # a per-page memo: lines of different pages rarely repeat
    # The fallback runs on pages resiliparse found (nearly) empty, mostly home pages and listings;
    # trafilatura's own fallback extractors (readability, jusText) double its time there.
    return _trafilatura(html, config, fast=config.fast_fallback), "trafilatura"


def html_to_text(html: str, method: str = DEFAULT_METHOD, *, config: HtmlConfig = HtmlConfig()) -> str:
    """The main-content text of ``html``, one block per line; "" when there is none."""
    return extract_with(html, method, config=config)[0]
