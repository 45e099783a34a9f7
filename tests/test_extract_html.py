"""HTML → text extraction: boilerplate dropped, paragraphs kept, every method, the stage, bad input."""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.counters import DictCounter
from corpus.document import Document, Verdict
from corpus.extract import ExtractConfig, extract
from corpus.extract.html import (
    METHODS,
    HtmlConfig,
    cut_tail_sections,
    drop_furniture_lines,
    drop_leading_key_value_rows,
    drop_metadata_lines,
    drop_shop_lines,
    drop_trailing_headings,
    extract_with,
    filter_lines,
    html_to_text,
    recover_list_items,
    start_at_headline,
    tokens,
)

PARAS = [
    "The river rose by two metres overnight, and the old bridge was closed to traffic before dawn.",
    "Engineers inspected the piers in the morning and found no damage, but the council kept the road "
    "closed until the water level began to fall in the afternoon.",
    "Residents were advised to avoid the towpath for the rest of the week while debris is cleared.",
]
ARTICLE = f"""<!DOCTYPE html><html><head><title>Bridge closed</title>
<style>body {{ color: red }}</style><script>var tracking = "do not extract me";</script></head><body>
<div class="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies?</p><button>OK</button></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather</a></li></ul></nav>
<article><h1>Bridge closed after flood</h1>
<p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p></article>
<div class="related"><a href="/a">Flood warnings issued</a> <a href="/b">Rain forecast for weekend</a></div>
<footer><p>&copy; 2024 Example News. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""
EXPECTED = "\n".join(["Bridge closed after flood", *PARAS])
BOILERPLATE = ["cookies", "Home", "Weather", "All rights reserved", "Privacy", "tracking", "Flood warnings"]

DIV_PAGE = """<html><body><div class="m"><a href="/">SITE</a> <a href="/x">STORIES</a> <a href="/y">ABOUT</a></div>
<div class="c"><div class="t">Notes from a night train</div>
<div class="x">The sleeper left Vienna at ten past ten, half empty, and the conductor brought tea without being
asked. Outside the window the suburbs gave way to dark fields and the occasional lit station.</div>
<div class="x">By morning we were crossing the plain, and the light came up pink over the sunflowers while the
train slowed for a long stretch of track works near the border.</div></div>
<div class="f">all content (c) 2019 site by hand</div></body></html>"""


@pytest.mark.parametrize("method", ["resiliparse", "hybrid"])
def test_simple_article_exact_text(method):
    assert html_to_text(ARTICLE, method) == EXPECTED


def test_trafilatura_keeps_paragraphs_and_drops_boilerplate():
    text = html_to_text(ARTICLE, "trafilatura")
    assert text.splitlines()[-3:] == PARAS
    for phrase in BOILERPLATE:
        assert phrase not in text


def test_hybrid_drops_link_menu_and_copyright_in_div_soup():
    assert html_to_text(DIV_PAGE, "hybrid").splitlines() == [
        "Notes from a night train",
        "The sleeper left Vienna at ten past ten, half empty, and the conductor brought tea without being "
        "asked. Outside the window the suburbs gave way to dark fields and the occasional lit station.",
        "By morning we were crossing the plain, and the light came up pink over the sunflowers while the "
        "train slowed for a long stretch of track works near the border.",
    ]


def test_hybrid_reports_which_extractor_ran():
    assert extract_with(ARTICLE, "hybrid") == (EXPECTED, "resiliparse")
    short = "<html><body><nav><a href='/'>Home</a></nav><p>Closed today.</p></body></html>"
    assert extract_with(short, "hybrid")[1] == "trafilatura"


def test_unknown_method_and_bad_config_raise():
    with pytest.raises(ValueError, match="html method must be one of"):
        html_to_text(ARTICLE, "readability")
    with pytest.raises(ValueError, match="min_kept_ratio"):
        HtmlConfig(min_kept_ratio=1.5)
    with pytest.raises(ValueError, match="max_pre_headline_share"):
        HtmlConfig(max_pre_headline_share=-0.1)
    with pytest.raises(ValueError, match="max_tail_share"):
        HtmlConfig(max_tail_share=2.0)
    with pytest.raises(ValueError, match="max_html_chars"):
        HtmlConfig(max_html_chars=0)
    with pytest.raises(ValueError, match="html_method"):
        ExtractConfig(html_method="nope")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("html", ["", "   \n", "<html></html>", "<html><body><div><p>", "\x00\x01\xff\ufffd" * 50,
                                  "<p>unclosed <b>bold <i>italic</p></div></span>", "<!-- only a comment -->",
                                  "<" * 1000, "<html><body>" + "<div>" * 3000 + "deep" + "</div>" * 3000])
def test_bad_html_never_raises(method, html):
    assert isinstance(html_to_text(html, method), str)


@pytest.mark.parametrize("method", METHODS)
def test_empty_html_gives_empty_text(method):
    assert html_to_text("", method) == ""
    assert html_to_text("<html><head><script>var a = 1;</script></head><body></body></html>", method) == ""


def test_huge_page_is_cut_not_fatal():
    config = HtmlConfig(max_html_chars=50_000)
    page = "<html><body>" + "<p>A sentence of ordinary words that repeats many times.</p>" * 20_000 + "</body></html>"
    text = html_to_text(page, "hybrid", config=config)
    assert 0 < len(text) < 50_000


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_random_strings_never_raise(s):
    for method in METHODS:
        assert isinstance(html_to_text(s, method), str)
        assert isinstance(html_to_text("<html><body><p>" + s + "</p></body></html>", method), str)


def _doc(text, fmt):
    return Document.create("test", "n1", text, url="https://example.org/a", meta={"format": fmt})


def test_extract_html_document():
    counter = DictCounter()
    out = extract(_doc(ARTICLE, "html"), counter=counter)
    assert isinstance(out, Document)
    assert out.text == EXPECTED
    assert dict(out.meta) == {"format": "text", "extractor": "resiliparse"}
    assert out.id == _doc(ARTICLE, "html").id and out.url == "https://example.org/a"
    assert counter.as_dict() == {"extract:html": 1}


def test_extract_counts_fallback_and_uses_configured_method():
    counter = DictCounter()
    short = "<html><body><nav><a href='/'>Home</a></nav><p>Closed today for the holiday.</p></body></html>"
    out = extract(_doc(short, "html"), counter=counter)
    assert out.meta["extractor"] == "trafilatura" and out.text == "Closed today for the holiday."
    assert counter.as_dict() == {"extract:fallback": 1, "extract:html": 1}
    out = extract(_doc(ARTICLE, "html"), config=ExtractConfig(html_method="trafilatura"))
    assert out.meta["extractor"] == "trafilatura"


def test_extract_text_passes_through_unchanged():
    doc = _doc("Already plain.\nTwo lines.", "text")
    counter = DictCounter()
    assert extract(doc, counter=counter) is doc
    assert counter.as_dict() == {"extract:text": 1}


def test_extract_drops_empty_content():
    counter = DictCounter()
    empty_html = "<html><head><script>var a = 1;</script></head><body><img src='x.png'></body></html>"
    assert extract(_doc(empty_html, "html"), counter=counter) == Verdict.drop("extract:empty")
    assert extract(_doc("  \n ", "text"), counter=counter) == Verdict.drop("extract:empty")
    assert counter.as_dict() == {"extract:fallback": 1, "extract:html": 1, "extract:text": 1}


def test_extract_unknown_format_names_doc_and_format():
    doc = _doc("x", "pdf")
    with pytest.raises(ValueError, match=f"{doc.id}.*'pdf'"):
        extract(doc)


FOOTER_PHRASES = ["All rights reserved", "Alle Rechte vorbehalten", "Все права защищены", "Privacy policy",
                  "Cookie settings", "Impressum"]


def test_sample_corpus_articles_keep_title_and_drop_footer():
    from corpus.sample import WARC, cases
    from corpus.sources.warc import read_warc

    planted = {case["url"]: case for case in cases(file="web.warc.gz", kind="article")}
    with open(WARC, "rb") as stream:
        docs = [r for r in read_warc(stream, str(WARC)) if isinstance(r, Document) and r.url in planted]
    assert len(docs) == len(planted) > 0
    for doc in docs:
        out = extract(doc)
        assert isinstance(out, Document), doc.url
        assert planted[doc.url]["title"] in out.text, doc.url
        assert [p for p in FOOTER_PHRASES if p in out.text] == [], doc.url


def test_long_paragraph_with_boilerplate_words_is_kept():
    para = ("The company's share price fell sharply after the results, and analysts said new privacy rules had "
            "hurt advertising revenue across the whole sector this year.")
    page = f"<html><body><article><h1>Markets slide</h1><p>{para}</p><p>{PARAS[1]}</p></article>" \
           "<div class='share'>Share this article</div></body></html>"
    assert html_to_text(page, "hybrid").splitlines() == ["Markets slide", para, PARAS[1]]


def test_hybrid_starts_at_headline_and_drops_datelines_and_post_stats():
    page = f"""<html><body><div>Harbour Gazette</div><div>You are here: News &gt; Local</div>
<article><h1>Bridge closed after flood</h1><div>Posted 12 May 2024 in Local</div><div>12.05.2024 08:15</div>
<div>Views: 3,218 · Comments: 14</div><p>{PARAS[0]}</p><p>{PARAS[1]}</p></article></body></html>"""
    assert html_to_text(page, "hybrid").splitlines() == ["Bridge closed after flood", PARAS[0], PARAS[1]]


def test_headline_late_in_page_does_not_cut_the_article():
    page = f"""<html><body><article><p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p></article>
<aside><h1>About this blog</h1><p>Written on weekends by a retired engineer who likes bridges.</p></aside></body></html>"""
    assert html_to_text(page, "hybrid").splitlines()[:3] == PARAS
    assert start_at_headline(["Site", "Title", "Body text here"], "Title") == ["Title", "Body text here"]
    assert start_at_headline(["Lots of words before it", "Title"], "Title") == ["Lots of words before it", "Title"]
    assert start_at_headline(["Site", "Title"], "Not there") == ["Site", "Title"]


def test_heading_emptied_by_link_filter_is_dropped():
    page = f"""<html><body><article><h1>Bridge closed after flood</h1><p>{PARAS[0]}</p>
<h3>Sports club</h3><p>{PARAS[2]}</p><h3>Quick links</h3>
<p><a href="/a">Council tax</a> <a href="/b">Bin collections</a> <a href="/c">Parking permits</a></p>
</article></body></html>"""
    assert html_to_text(page, "hybrid").splitlines() == ["Bridge closed after flood", PARAS[0], "Sports club",
                                                          PARAS[2]]


def test_long_line_with_date_is_kept():
    para = "On 12 May 2024 the council voted to rebuild the old bridge with a wider footpath and a cycle lane."
    assert filter_lines(f"Title\n{para}\n12 May 2024", Counter(tokens(f"Title {para} 12 May 2024")), 0.5) \
        == f"Title\n{para}"


RECIPE = f"""<html><body><nav><ul><li><a href="/">Home</a></li><li><a href="/r">Recipes</a></li></ul></nav>
<article><h1>Lentil soup</h1><p>{PARAS[0]}</p><h2>Ingredients</h2><ul><li>200 g red lentils</li><li>1 onion</li>
<li>2 carrots</li><li>1 litre stock</li></ul><h2>Method</h2><p>{PARAS[1]}</p><p>{PARAS[2]}</p></article>
<aside><ul><li>Tomato soup</li><li>Pea soup</li></ul></aside></body></html>"""


def test_hybrid_recovers_list_dropped_by_main_content_mode():
    # resiliparse alone drops the ingredient list but keeps the headings around it.
    assert html_to_text(RECIPE, "resiliparse").splitlines() == ["Lentil soup", PARAS[0], "Ingredients", "Method",
                                                                 PARAS[1], PARAS[2]]
    assert html_to_text(RECIPE, "hybrid").splitlines() == [
        "Lentil soup", PARAS[0], "Ingredients", "200 g red lentils", "1 onion", "2 carrots", "1 litre stock",
        "Method", PARAS[1], PARAS[2]]
    assert html_to_text(RECIPE, "hybrid", config=HtmlConfig(recover_lists=False)).splitlines() \
        == ["Lentil soup", PARAS[0], "Ingredients", "Method", PARAS[1], PARAS[2]]


def test_recover_list_items_only_inside_kept_region_and_without_links():
    main = "Title\nFirst paragraph.\n  • kept item\nLast paragraph."
    page = ("Site\n  • Home\n  • free before\nTitle\nFirst paragraph.\n  • link item\n  • dropped item\n"
            "  • Posted 12 May 2024\n  • kept item\nLast paragraph.\n  • free after")
    link_free = "Site\n  • \n  • free before\nTitle\nFirst paragraph.\n  • \n  • dropped item\n" \
                "  • Posted 12 May 2024\n  • kept item\nLast paragraph.\n  • free after"
    assert recover_list_items(main, page, lambda: link_free) == [
        "Title", "First paragraph.", "dropped item", "kept item", "Last paragraph."]

    def never() -> str:
        raise AssertionError("the link-free pass must not run without candidates")
    assert recover_list_items("A\n  • b\nC", "A\n  • b\nC\n  • d", never) == ["A", "b", "C"]
    # A main line missing from the page pass stays in place; an item only aligns with an item.
    assert recover_list_items("A\nodd\nb", "  • A\nA\n  • x\nb", lambda: "  • x") == ["A", "odd", "x", "b"]


def test_shop_lines_are_dropped_but_years_and_servings_stay():
    lines = ["★★★★☆ 4.3 (318 reviews)", "£49.99 £64.99 Save £15.00", "89,95 € inkl. MwSt.", "Helpful? Yes (12) No (1)",
             "♡ お気に入り（2,341）", "Casablanca (1942)", "材料（4人分）", "Capacity 1.7 litres",
             "Standard delivery costs £3.95 and is free on every order over £40, returns are accepted within 30 days."]
    assert drop_shop_lines(lines) == ["Casablanca (1942)", "材料（4人分）", "Capacity 1.7 litres", lines[-1]]


def test_trailing_references_and_reviews_are_cut_unless_they_are_the_page():
    body = [PARAS[0], PARAS[1], PARAS[2]]
    assert cut_tail_sections([*body, "References[edit]", "Smith, J. (2004). Waterfalls."]) == body
    assert cut_tail_sections(["Kettle", PARAS[0], "Customer reviews", "Great kettle."]) == ["Kettle", PARAS[0]]
    # A heading in the middle of the text, or a "tail" holding most of the words, is kept.
    whole = ["Film", "Reviews", PARAS[0], PARAS[1]]
    assert cut_tail_sections(whole) == whole
    # Only headings: a sentence that mentions comments is prose.
    prose = [PARAS[0], "Readers left comments about this."]
    assert cut_tail_sections(prose) == prose


def test_key_value_rows_before_the_lead_are_dropped():
    infobox = ["Aldwater (river)", "Length\t\t64 km", "Source\t\tHarrow Moss", "Name\t\tA\t\tB", PARAS[0],
               "Capacity\t\t1.7 litres"]
    assert drop_leading_key_value_rows(infobox) == ["Aldwater (river)", "Name\t\tA\t\tB", PARAS[0],
                                                    "Capacity\t\t1.7 litres"]
    assert drop_leading_key_value_rows(["Short\t\trow"]) == ["Short\t\trow"]


def test_count_heading_starts_a_tail_section():
    body = [PARAS[0], PARAS[1], PARAS[2]]
    assert cut_tail_sections([*body, "つくれぽ（152件）", "とても美味しかったです！"]) == body
    assert cut_tail_sections([*body, "Answers (3)", "Use a join."]) == body
    # A bracketed year is no count, a long line is no heading, and most of the words are never cut.
    for lines in ([*body, "Casablanca (1942)", "A film."], [*body, "We asked the readers of this paper about the floods (12)", "x"],
                  ["Film", "Comments (2)", PARAS[0], PARAS[1]]):
        assert cut_tail_sections(lines) == lines


def test_share_and_navigation_rows_are_dropped():
    lines = ["Deel deze pagina: Facebook LinkedIn WhatsApp", "[ Home | The Moon | Planets | Sign my Guestbook! ]",
             "Follow us on Facebook", "Pos\t\tTeam | A\t\tPts", "Kick-off | 10.30 | Riverside Park",
             "Rock | Paper", PARAS[0] + " | " + PARAS[1] + " | Links",
             "Facebook and Twitter " + PARAS[0]]
    assert drop_furniture_lines(lines) == lines[2:4] + lines[5:]


def test_poster_name_before_a_dateline_goes_with_it():
    lines = ["Tomato leaves turn yellow", "Galina_K", "Posts: 58", "City: Tver", "12.07.2022 08:15", PARAS[0],
             "Olga M.", "Posts: 340", PARAS[1], "Short closing words here", "12 May 2024"]
    assert drop_metadata_lines(lines) == ["Tomato leaves turn yellow", PARAS[0], PARAS[1], "Short closing words here"]
    # The headline above a dateline is the article's title, not a poster.
    assert drop_metadata_lines(["Flood", "12 May 2024", PARAS[0]]) == ["Flood", PARAS[0]]


def test_trailing_headings_and_labels_are_dropped_but_table_rows_stay():
    assert drop_trailing_headings([PARAS[0], "Upcoming meetings", "New in the book:"]) == [PARAS[0]]
    assert drop_trailing_headings([PARAS[0], "Guarantee\t\t2 years"]) == [PARAS[0], "Guarantee\t\t2 years"]
    assert drop_trailing_headings([PARAS[0], "Thanks!"]) == [PARAS[0], "Thanks!"]
    assert drop_trailing_headings(["Only a title"]) == []


def test_hybrid_drops_forum_furniture_end_to_end():
    page = f"""<html><body><h1>Tomato leaves turn yellow</h1><table>
<tr><td><b>Galina_K</b><br>Posts: 58</td><td><div>12.07.2022 08:15</div><p>{PARAS[0]}</p></td></tr>
<tr><td><b>Petrovich</b><br>Posts: 1203</td><td><div>12.07.2022 10:40</div><p>{PARAS[1]}</p></td></tr></table>
<p>[ Home | Forum | Rules | Contact ]</p><p>Last updated 14/09/2003. Best viewed with any browser at 800x600.</p>
<h3>Related topics</h3></body></html>"""
    assert html_to_text(page, "hybrid").splitlines() == ["Tomato leaves turn yellow", PARAS[0], PARAS[1]]
    raw = html_to_text(page, "resiliparse").splitlines()
    assert raw[1:4] == ["Galina_K", "Posts: 58", "12.07.2022 08:15"] and raw[-3:] == [
        "[ Home | Forum | Rules | Contact ]", "Last updated 14/09/2003. Best viewed with any browser at 800x600.",
        "Related topics"]


def test_an_extractor_that_raises_drops_the_page_as_extract_error(monkeypatch):
    """Not ``extract:empty``: the page may well have had text; the error goes with the drop."""
    import trafilatura

    def broken(*args, **kwargs):
        raise ValueError("lxml could not parse this")

    monkeypatch.setattr(trafilatura, "extract", broken)
    doc = Document.create("warc", "r1", "<html><body><p>Some words here.</p></body></html>", meta={"format": "html"})
    verdict = extract(doc, config=ExtractConfig(html_method="trafilatura"))
    assert verdict == Verdict.drop("extract:error")
    assert verdict.detail == "trafilatura: ValueError: lxml could not parse this"
    assert extract(doc.with_text("  "), config=ExtractConfig(html_method="trafilatura")) == \
        Verdict.drop("extract:empty")
