"""Line filters of the hybrid HTML extractor: pure functions from extracted lines to kept lines.

Each filter removes one kind of page furniture that survives resiliparse's main-content mode
(menus, share rows, datelines, profile fields, widgets, tail sections); ``html.py`` chains them.
Tokens are memoised per line (``line_tokens``) because every filter looks at every line; the caller
clears the memo after each page.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# Lines no reader wants. Copyright marks and consent banners go at any length ...
_LEGAL_RE = re.compile(r"(©|\ball rights reserved\b|\(c\) ?\d{4}|\bcookie.*\b(accept|agree|consent|browsing|partners"
                       r"|personali[sz]e|website|site|webseite|einwilligung|zustimmung|consentement|acceptez|consenso"
                       r"|concorda|akkoord|toestemming|сайт|согла))", re.IGNORECASE)
# ... share rows, newsletter and legal links only in short lines ("share" or "privacy" in a
# paragraph is just a word).
BOILERPLATE_MAX_WORDS = 15
_BOILERPLATE_RE = re.compile(
    r"(\bcookies?\b|\bcopyright\b|\bshare\b|\bsign up\b|\bsubscribe\b|\bnewsletter\b|\bprivacy\b"
    r"|\bterms (of use|and conditions|& conditions)\b|\blast (updated|modified)\b|\bbest viewed\b)", re.IGNORECASE)
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
# A line of at most this many words right before a dateline is the name of its poster or author.
POSTER_MAX_WORDS = 3
# A line of at most this many words with no sentence punctuation is a heading; one whose
# section the link filter emptied (a sidebar's "Quick links") is dropped with it.
HEADING_MAX_WORDS = 4
_SENTENCE_END_RE = re.compile(r"[.!?。！？:：;]\s*$")
# One token per CJK ideograph or kana (no spaces there); other word-character runs are one token.
_TOKEN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+")
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
# ... and so is a short heading that ends in a bracketed count ("Comments (12)", "Отзывы (5)", "つくれぽ（152件）"):
# a count in a heading counts the contributions of readers, whatever the site calls them (a year is no count).
COUNT_HEADING_MAX_WORDS = 8
_COUNT_HEADING_RE = re.compile(r"[(（](?!(1[5-9]|20)\d\d[)）])\d[\d.,]*\s*[^\W\d_]{0,12}[)）]\s*$")
_FULL_STOP_RE = re.compile(r"[.!?。！？]\s*$")
# A short line that names two social networks is a share or follow row ("Share: Facebook LinkedIn WhatsApp").
SOCIAL_LINE_MAX_WORDS = 15
_SOCIAL_RE = re.compile(r"\b(facebook|twitter|linkedin|whatsapp|pinterest|telegram|reddit|xing|instagram|tumblr"
                        r"|vkontakte|mastodon|bluesky|weibo|wechat)\b|微博|微信", re.IGNORECASE)
# A line of at least three "|"-separated segments of at most this many words each is a navigation row
# ("[ Home | Planets | Links ]"); table cells come tab-separated, so tables are not touched.
NAV_SEGMENT_MAX_WORDS = 4
_NAV_SEP_RE = re.compile(r"\s[|¦]\s")


def tokens(text: str) -> list[str]:
    """Lowercase word tokens; CJK characters count one each."""
    return _TOKEN_RE.findall(text.lower())


@lru_cache(maxsize=4096)
def line_tokens(line: str) -> tuple[str, ...]:
    """``tokens`` of one line, memoised while one page is extracted: each line filter looks at every line."""
    return tuple(_TOKEN_RE.findall(line.lower()))



def filter_lines(text: str, own_words: Counter, min_own_ratio: float) -> str:
    """Drop boilerplate lines, lines made mostly of link text, and headings whose section went with them."""
    return "\n".join(filter_lines_with_orphans(text, own_words, min_own_ratio)[0])


def filter_lines_with_orphans(text: str, own_words: Counter, min_own_ratio: float) -> tuple[list[str], int]:
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
        toks = line_tokens(line)
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
                orphan_words += len(line_tokens(kept.pop()))
                orphan = False
            continue
        kept.append(line)
        orphan = len(toks) <= HEADING_MAX_WORDS and not _SENTENCE_END_RE.search(line)
    if orphan:
        orphan_words += len(line_tokens(kept.pop()))
    return kept, orphan_words


def is_metadata(line: str) -> bool:
    return len(line_tokens(line)) <= DATE_LINE_MAX_WORDS and bool(_DATE_RE.search(line) or _STAT_RE.search(line))


def drop_metadata_lines(lines: list[str], poster_max_words: int = POSTER_MAX_WORDS) -> list[str]:
    """Drop short datelines, post headers and "label: count" rows (bylines, post stats, view counts).

    A line of at most ``poster_max_words`` words just before such a line goes too: it is the name
    (or a profile field) of the poster or author the dateline belongs to. The first line is kept
    even then, as a short headline above a dateline is the common article layout.
    """
    meta = [is_metadata(line) for line in lines]
    return [line for i, line in enumerate(lines) if not (
        meta[i] or (0 < i < len(lines) - 1 and meta[i + 1] and len(line_tokens(line)) <= poster_max_words))]


def drop_shop_lines(lines: list[str]) -> list[str]:
    """Drop short lines with prices, star ratings or bracketed counts: product and review widgets."""
    return [line for line in lines if not (len(line_tokens(line)) <= SHOP_LINE_MAX_WORDS and _SHOP_RE.search(line))]


def drop_repeated_lines(lines: list[str], n: int = REPEAT_MIN_WORDS) -> list[str]:
    """Drop lines whose every ``n``-word run already appeared in earlier lines: pull quotes and teasers.

    Shingles, not substring search, so that the cost stays linear on long pages.
    """
    kept: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for line in lines:
        toks = line_tokens(line)
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
        if len(line_tokens(line)) >= LEAD_MIN_WORDS:
            return [x for x in lines[:i] if len(_CELL_SEP_RE.split(x.strip())) != 2] + lines[i:]
    return lines


def _is_heading(line: str) -> bool:
    return len(line_tokens(line)) <= HEADING_MAX_WORDS and not _SENTENCE_END_RE.search(line)


def cut_tail_sections(lines: list[str], max_share: float = MAX_TAIL_SHARE) -> list[str]:
    """Cut the text at the first heading of a comments/reviews/references section near the end.

    Such a heading names the section or ends in a bracketed count of its entries ("Reviews (48)").
    Such sections close articles, product pages and wiki pages; the cut is skipped when it would
    remove more than ``max_share`` of the words (the page may be a review or a comment thread).
    """
    counts = [len(line_tokens(line)) for line in lines]
    total, after = sum(counts), sum(counts)
    for i, line in enumerate(lines):
        tail = (_is_heading(line) and _TAIL_HEADING_RE.search(line)) or (
            counts[i] <= COUNT_HEADING_MAX_WORDS and _COUNT_HEADING_RE.search(line))
        if tail and after <= max_share * total:
            return lines[:i]
        after -= counts[i]
    return lines


def start_at_headline(lines: list[str], headline: str, max_share: float = MAX_PRE_HEADLINE_SHARE) -> list[str]:
    """Drop the lines before the one that begins with ``headline`` (the page's <h1> text).

    What precedes the headline is site name, login row, breadcrumbs and dateline. Kept as
    is when the headline is not found or would cut more than ``max_share`` of the words.
    """
    head = tuple(tokens(headline))
    if not head:
        return lines
    for i, line in enumerate(lines):
        if line_tokens(line)[:len(head)] == head:
            before = sum(len(line_tokens(x)) for x in lines[:i])
            total = before + sum(len(line_tokens(x)) for x in lines[i:])
            return lines[i:] if before <= max_share * total else lines
    return lines



def _is_furniture(line: str) -> bool:
    n = len(line_tokens(line))
    if n <= SOCIAL_LINE_MAX_WORDS and len({m.group(0).lower() for m in _SOCIAL_RE.finditer(line)}) >= 2:
        return True
    segments = _NAV_SEP_RE.split(line.strip(" []"))
    return len(segments) >= 3 and all(len(line_tokens(x)) <= NAV_SEGMENT_MAX_WORDS for x in segments)


def drop_furniture_lines(lines: list[str]) -> list[str]:
    """Drop share rows and "|"-separated navigation rows.

    "Share on" rows and the nav bars of hand-made sites survive main-content extraction because they
    sit inside the content block.
    """
    return [line for line in lines if not _is_furniture(line)]


def drop_trailing_headings(lines: list[str]) -> list[str]:
    """Drop headings (and "label:" lines) left at the very end: the section they introduced was dropped.

    Table rows (tab-separated cells such as "Guarantee | 2 years") are content, not headings.
    """
    end = len(lines)
    while end and "\t" not in lines[end - 1] and len(line_tokens(lines[end - 1])) <= HEADING_MAX_WORDS \
            and not _FULL_STOP_RE.search(lines[end - 1]):
        end -= 1
    return lines[:end]
