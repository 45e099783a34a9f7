"""The MediaWiki dump reader on dumps written here: plain, bz2, multistream with index, odd encodings, damage."""
from __future__ import annotations

import bz2
import io
from xml.sax.saxutils import escape

import pytest

from corpus import sample
from corpus.counters import DictCounter
from corpus.document import Document, make_doc_id
from corpus.extract.wikitext import wikitext_to_text
from corpus.sources.base import DeadLetter, Skipped
from corpus.sources.wikipedia import (
    IndexEntry,
    SiteInfo,
    WikiConfig,
    is_disambiguation,
    is_redirect,
    read_dump,
    read_dump_range,
    read_multistream_index,
    read_siteinfo,
    stream_ranges,
)

BASE = "https://xx.wikipedia.org/wiki/Main_Page"


def header(version: str = "0.11", ns_decl: bool = True) -> str:
    xmlns = f' xmlns="http://www.mediawiki.org/xml/export-{version}/"' if ns_decl else ""
    return (f'<mediawiki{xmlns} version="{version}" xml:lang="xx">\n  <siteinfo>\n'
            f"    <sitename>Testwiki</sitename>\n    <dbname>xxwiki</dbname>\n    <base>{BASE}</base>\n"
            '    <namespaces>\n      <namespace key="0" case="first-letter" />\n'
            '      <namespace key="4" case="first-letter">Project</namespace>\n'
            '      <namespace key="14" case="first-letter">Category</namespace>\n    </namespaces>\n'
            "  </siteinfo>\n")


TRAILER = "</mediawiki>\n"


def page(page_id: int | None, title: str | None, text: str | None, ns: int | None = 0,
         redirect: str | None = None, rev_id: int = 1000) -> str:
    parts = ["  <page>\n"]
    if title is not None:
        parts.append(f"    <title>{escape(title)}</title>\n")
    if ns is not None:
        parts.append(f"    <ns>{ns}</ns>\n")
    if page_id is not None:
        parts.append(f"    <id>{page_id}</id>\n")
    if redirect is not None:
        parts.append(f'    <redirect title="{escape(redirect)}" />\n')
    parts.append(f"    <revision>\n      <id>{rev_id + (page_id or 0)}</id>\n"
                 "      <timestamp>2024-01-02T03:04:05Z</timestamp>\n      <model>wikitext</model>\n")
    if text is None:
        parts.append('      <text bytes="0" />\n')
    else:
        parts.append(f'      <text xml:space="preserve">{escape(text)}</text>\n')
    parts.append("    </revision>\n  </page>\n")
    return "".join(parts)


ARTICLE = "'''Alpha''' is a [[letter]].\n\n== History ==\nIt is old."
MIXED_PAGES = [
    page(1, "Alpha", ARTICLE),
    page(2, "Beta", "#REDIRECT [[Alpha]]", redirect="Alpha"),
    page(3, "Gamma", "#redirect [[Alpha]]"),
    page(4, "Delta (disambiguation)", "'''Delta''' may be:\n* [[Delta river]]\n{{Disambiguation|geo}}"),
    page(5, "Project:About", "About this wiki.", ns=4),
    page(6, "Epsilon", None),
    page(7, "Zeta", "Zeta text with {{surname}} set index, an article."),
]
MIXED_COUNTS = {"wiki:disambiguation": 1, "wiki:empty": 1, "wiki:non_article_namespace": 1,
                "wiki:redirect": 2, "wikipedia:documents": 2}


def dump(pages: list[str], version: str = "0.11") -> bytes:
    return (header(version) + "".join(pages) + TRAILER).encode("utf-8")


def multistream(groups: list[list[str]], version: str = "0.10") -> tuple[bytes, bytes, list[int]]:
    """A multistream dump (header stream, one stream per group, trailer stream), its bz2 index, offsets."""
    data, index_lines, offsets = bytearray(bz2.compress(header(version).encode())), [], []
    for group in groups:
        offsets.append(len(data))
        for p in group:
            pid = p.split("<id>")[1].split("<")[0] if "<id>" in p else "0"
            title = p.split("<title>")[1].split("<")[0] if "<title>" in p else ""
            index_lines.append(f"{len(data)}:{pid}:{title}\n")
        data += bz2.compress("".join(group).encode())
    data += bz2.compress(TRAILER.encode())
    return bytes(data), bz2.compress("".join(index_lines).encode()), offsets


def read(data: bytes, path: str = "/d/xxwiki-pages.xml", **kw) -> tuple[list, dict]:
    counter = DictCounter()
    return list(read_dump(io.BytesIO(data), path, counter=counter, **kw)), counter.as_dict()


def summary(results: list) -> list[tuple]:
    out = []
    for r in results:
        if isinstance(r, Document):
            out.append(("doc", r.meta["title"]))
        elif isinstance(r, Skipped):
            out.append((r.reason, r.record))
        else:
            out.append(("dead", r.record))
    return out


MIXED_SUMMARY = [("doc", "Alpha"), ("wiki:redirect", "Beta"), ("wiki:redirect", "Gamma"),
                 ("wiki:disambiguation", "Delta (disambiguation)"), ("wiki:non_article_namespace", "Project:About"),
                 ("wiki:empty", "Epsilon"), ("doc", "Zeta")]


# --- whole-file reads ------------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["0.10", "0.11", "0.3"])
@pytest.mark.parametrize("compress", [False, True])
def test_schema_versions_plain_and_bz2(version, compress):
    data = dump(MIXED_PAGES, version)
    path = "/d/xxwiki-pages.xml" + (".bz2" if compress else "")
    results, counts = read(bz2.compress(data) if compress else data, path)
    assert summary(results) == MIXED_SUMMARY
    assert counts == MIXED_COUNTS
    doc = results[0]
    assert doc.id == make_doc_id("wikipedia", "xxwiki:1")
    assert doc.source == "wikipedia"
    assert doc.text == ARTICLE
    assert doc.url == "https://xx.wikipedia.org/wiki/Alpha"
    assert doc.meta == {"format": "wikitext", "title": "Alpha", "page_id": 1, "revision_id": 1001,
                        "timestamp": "2024-01-02T03:04:05Z", "lang": "xx", "path": path,
                        "offset": 0 if compress else None}


def test_bz2_recognised_by_magic_without_the_name():
    results, counts = read(bz2.compress(dump(MIXED_PAGES)), "/d/xxwiki-pages.xml")
    assert summary(results) == MIXED_SUMMARY and counts == MIXED_COUNTS


def test_tags_without_namespace_declaration_and_without_ns_element():
    # Schemas before 0.5 have no <ns>: the title prefix names the namespace.
    pages = [page(1, "Alpha", ARTICLE, ns=None), page(5, "Project:About", "About.", ns=None)]
    data = (header("0.4", ns_decl=False) + "".join(pages) + TRAILER).encode()
    results, counts = read(data)
    assert summary(results) == [("doc", "Alpha"), ("wiki:non_article_namespace", "Project:About")]


@pytest.mark.parametrize("encoding,bom", [("utf-16", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_utf16_and_utf8_bom(encoding, bom):
    pages = MIXED_PAGES + [page(8, "Ünïcödé Straße", "Text über Straßen — ok.")]
    text = f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n' + header() + "".join(pages) + TRAILER
    results, counts = read(bom + text.encode(encoding))
    assert summary(results) == MIXED_SUMMARY + [("doc", "Ünïcödé Straße")]
    assert results[-1].text == "Text über Straßen — ok."
    assert results[-1].url == "https://xx.wikipedia.org/wiki/%C3%9Cn%C3%AFc%C3%B6d%C3%A9_Stra%C3%9Fe"


def test_url_keeps_the_characters_mediawiki_keeps():
    site = SiteInfo(base=BASE)
    assert site.article_url("C++ (language)/A, b: c?&") == \
        "https://xx.wikipedia.org/wiki/C%2B%2B_(language)/A,_b:_c%3F%26"
    assert SiteInfo().article_url("X") == ""


def test_read_siteinfo_plain_and_bz2():
    expected = SiteInfo(sitename="Testwiki", dbname="xxwiki", base=BASE, lang="xx",
                        namespaces={0: "", 4: "Project", 14: "Category"})
    data = dump(MIXED_PAGES)
    assert read_siteinfo(io.BytesIO(data), "d.xml") == expected
    assert read_siteinfo(io.BytesIO(bz2.compress(data)), "d.xml.bz2") == expected
    assert read_siteinfo(io.BytesIO(multistream([MIXED_PAGES[:2]])[0]), "m.xml.bz2") == expected


def test_read_siteinfo_without_header_names_the_file():
    with pytest.raises(ValueError, match="nohead.xml: no <siteinfo> before the first <page>"):
        read_siteinfo(io.BytesIO(("<mediawiki>" + "".join(MIXED_PAGES) + TRAILER).encode()), "nohead.xml")
    with pytest.raises(ValueError, match="empty.xml: no <siteinfo> element found"):
        read_siteinfo(io.BytesIO(b"<mediawiki></mediawiki>"), "empty.xml")


# --- redirects and disambiguation ------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("#REDIRECT [[A]]", True), ("#redirect[[A]]", True), ("  #Redirect: [[A]]", True),
    ("#WEITERLEITUNG [[A]]", True), ("#REDIRECTION [[A]]", True), ("#перенаправление [[A]]", True),
    ("#転送 [[A]]", True), ("Text\n#REDIRECT [[A]]", False), ("#REDIRECTS are pages", False), ("", False)])
def test_is_redirect(text, expected):
    assert is_redirect(text) is expected


@pytest.mark.parametrize("text,expected", [
    ("{{disambiguation}}", True), ("{{Disambiguation|geo|surname}}", True), ("{{ disambig }}", True),
    ("{{Dab}}", True), ("{{hndis|Smith, John}}", True), ("{{Geodis}}", True),
    ("{{Human name disambiguation}}", True), ("{{Template:Disambiguation}}", True),
    ("{{Begriffsklärung}}", True), ("Text __DISAMBIG__", True), ("{{Place_name_disambiguation}}", True),
    ("{{surname}}", False), ("{{given name}}", False), ("{{set index article}}", False),
    ("{{Disambiguation needed|date=May 2020}}", False), ("{{Other uses|Alpha (disambiguation)}}", False),
    ("plain disambiguation text", False)])
def test_is_disambiguation(text, expected):
    assert is_disambiguation(text) is expected


# --- multistream and ranges ------------------------------------------------------------------------

GROUPS = [MIXED_PAGES[:3], MIXED_PAGES[3:5], MIXED_PAGES[5:], [page(9, "Eta", "Eta text."), page(10, "Theta: x",
                                                                                                "Theta.")]]


def test_multistream_index_and_ranges_give_the_whole_read():
    data, index_bytes, offsets = multistream(GROUPS)
    path = "/d/xxwiki-pages-articles-multistream.xml.bz2"
    whole, counts = read(data, path)
    assert summary(whole) == MIXED_SUMMARY + [("doc", "Eta"), ("doc", "Theta: x")]
    assert counts == {**MIXED_COUNTS, "wikipedia:documents": 4}
    assert [r.offset if isinstance(r, Skipped) else r.meta["offset"] for r in whole] == \
        [offsets[0]] * 3 + [offsets[1]] * 2 + [offsets[2]] * 2 + [offsets[3]] * 2
    index = read_multistream_index(io.BytesIO(index_bytes))
    assert index[0] == IndexEntry(offsets[0], 1, "Alpha")
    assert index[-1] == IndexEntry(offsets[3], 10, "Theta: x")
    site = read_siteinfo(io.BytesIO(data), path)
    for k in (1, 2, 3, 4):
        ranges = stream_ranges(index, len(data), k)
        assert ranges[0][0] == offsets[0] and ranges[-1][1] == len(data)
        counter, parts = DictCounter(), []
        for start, end in ranges:
            parts += read_dump_range(io.BytesIO(data), path, start, end, siteinfo=site, counter=counter)
        assert parts == whole
        assert counter.as_dict() == counts


def test_stream_ranges_groups_distinct_offsets():
    index = [IndexEntry(10, 1, "a"), IndexEntry(10, 2, "b"), IndexEntry(50, 3, "c"), IndexEntry(90, 4, "d")]
    assert stream_ranges(index, 120, 1) == [(10, 50), (50, 90), (90, 120)]
    assert stream_ranges(iter(index), 120, 2) == [(10, 90), (90, 120)]
    assert stream_ranges(index, 120, 5) == [(10, 120)]
    assert stream_ranges([], 120, 5) == []
    with pytest.raises(ValueError, match="streams_per_range must be a positive int"):
        stream_ranges(index, 120, 0)
    with pytest.raises(ValueError, match="file_size=90 is not past the last stream offset 90"):
        stream_ranges(index, 90, 1)


def test_multistream_index_plain_text_and_bad_line():
    assert read_multistream_index(io.BytesIO(b"5:1:A: b:c\n\n7:2:B\n")) == [IndexEntry(5, 1, "A: b:c"),
                                                                          IndexEntry(7, 2, "B")]
    with pytest.raises(ValueError, match="multistream index line 2: expected 'offset:page_id:title'"):
        read_multistream_index(io.BytesIO(bz2.compress(b"5:1:A\nfive:2:B\n")))


def test_read_dump_range_rejects_reversed_range():
    with pytest.raises(ValueError, match="x.bz2: need 0 <= start <= end"):
        list(read_dump_range(io.BytesIO(b""), "x.bz2", 10, 5, siteinfo=SiteInfo()))


# --- damage --------------------------------------------------------------------------------------

def test_malformed_stream_is_a_dead_letter_and_the_other_streams_read():
    bad = [page(20, "Broken", "text").replace("</title>", "</titel>"), page(21, "Lost", "text")]
    groups = [GROUPS[0], bad, GROUPS[3]]
    data, index_bytes, offsets = multistream(groups)
    path = "/d/xxwiki-multistream.xml.bz2"
    whole, counts = read(data, path)
    # The title never closed, so the dead letter has no record name; its snippet shows the stream.
    assert summary(whole) == MIXED_SUMMARY[:3] + [("dead", ""), ("doc", "Eta"), ("doc", "Theta: x")]
    dead = whole[3]
    assert (dead.path, dead.offset, dead.source) == (path, offsets[1], "wikipedia")
    assert "<title>Broken</titel>" in dead.snippet
    assert dead.error == "malformed XML: mismatched tag at line 2, column 19"
    assert counts == {"dead_letter:wikipedia": 1, "wiki:redirect": 2, "wikipedia:documents": 3}
    site = read_siteinfo(io.BytesIO(data), path)
    index = read_multistream_index(io.BytesIO(index_bytes))
    parts = []
    for start, end in stream_ranges(index, len(data), 1):
        parts += read_dump_range(io.BytesIO(data), path, start, end, siteinfo=site)
    assert parts == whole


def test_corrupt_bz2_stream_resyncs_at_the_next_stream():
    data, _, offsets = multistream(GROUPS)
    damaged = bytearray(data)
    damaged[offsets[1] + 40: offsets[1] + 60] = b"\x00" * 20
    results, counts = read(bytes(damaged), "/d/xxwiki-multistream.xml.bz2")
    dead = [r for r in results if isinstance(r, DeadLetter)]
    assert len(dead) == 1 and dead[0].offset == offsets[1] and "corrupt bz2 stream" in dead[0].error
    assert summary(results) == MIXED_SUMMARY[:3] + [("dead", "")] + MIXED_SUMMARY[5:] + [("doc", "Eta"),
                                                                                         ("doc", "Theta: x")]
    assert counts == {"dead_letter:wikipedia": 1, "wiki:empty": 1, "wiki:redirect": 2, "wikipedia:documents": 4}


def test_truncated_bz2_keeps_the_pages_before_and_dead_letters_the_rest():
    data = bz2.compress(dump(MIXED_PAGES))
    results, counts = read(data[: len(data) - 40], "/d/xxwiki.xml.bz2")
    assert isinstance(results[-1], DeadLetter)
    assert results[-1].error == "truncated bz2 stream at offset 0: the file ends inside it"
    assert all(not isinstance(r, DeadLetter) for r in results[:-1])
    assert counts["dead_letter:wikipedia"] == 1


def test_truncated_plain_xml_is_a_dead_letter_at_the_end():
    data = dump(MIXED_PAGES)
    cut = data.index(b"<title>Gamma") + 20
    results, counts = read(data[:cut])
    assert summary(results) == MIXED_SUMMARY[:2] + [("dead", "Gamma")]
    assert results[-1].error.startswith("truncated or malformed XML at the end: no element found at line ")
    assert counts == {"dead_letter:wikipedia": 1, "wiki:redirect": 1, "wikipedia:documents": 1}


def test_pages_missing_id_or_title_are_dead_letters_and_reading_goes_on():
    pages = [page(None, "No id", "text"), page(31, None, "text"), page(32, "Bad id", "x").replace(
        "<id>32</id>", "<id>x32</id>"), page(33, "Bad ns", "x", ns=None).replace("<id>33", "<ns>main</ns><id>33"),
        MIXED_PAGES[0]]
    results, counts = read(dump(pages))
    assert summary(results) == [("dead", "No id"), ("dead", "31"), ("dead", "Bad id"), ("dead", "Bad ns"),
                                ("doc", "Alpha")]
    assert [r.error for r in results[:4]] == [
        "page has no numeric <id> (got '')", "page has no <title>", "page has no numeric <id> (got 'x32')",
        "page has a non-numeric <ns> 'main'"]
    assert counts == {"dead_letter:wikipedia": 4, "wikipedia:documents": 1}


def test_page_text_over_max_page_bytes_is_a_dead_letter():
    pages = [page(40, "Big", "é" * 600), MIXED_PAGES[0]]
    results, counts = read(dump(pages), config=WikiConfig(max_page_bytes=1000))
    assert summary(results) == [("dead", "Big"), ("doc", "Alpha")]
    assert results[0].error == "page text exceeds max_page_bytes=1000"
    assert counts == {"dead_letter:wikipedia": 1, "wikipedia:documents": 1}


def test_runaway_page_stops_the_parser_within_the_bound_and_the_next_stream_reads():
    groups = [[page(50, "Huge", "x" * 300_000)], GROUPS[3]]
    data, _, offsets = multistream(groups)
    results, counts = read(data, "/d/xxwiki-multistream.xml.bz2",
                           config=WikiConfig(max_page_bytes=1000, chunk_bytes=1000))
    assert summary(results) == [("dead", "Huge"), ("doc", "Eta"), ("doc", "Theta: x")]
    assert results[0].offset == offsets[0]
    assert results[0].error == f"page too large: no page end within {1000 + 1000 + 65536} decompressed bytes"
    assert counts == {"dead_letter:wikipedia": 1, "wikipedia:documents": 2}


def test_dump_without_readable_header_takes_the_dbname_from_the_file_name():
    data, _, _ = multistream([GROUPS[3]])
    broken = bz2.compress(b"<mediawiki><siteinfo><dbname>x</db></siteinfo>") + data[len(bz2.compress(header("0.10").encode())):]
    results, counts = read(broken, "/d/yywiki-20240101-pages-articles-multistream.xml.bz2")
    assert summary(results) == [("dead", ""), ("doc", "Eta"), ("doc", "Theta: x")]
    assert results[1].id == make_doc_id("wikipedia", "yywiki:9") and results[1].url == ""


@pytest.mark.parametrize("kwargs,field", [({"max_page_bytes": 0}, "max_page_bytes"),
                                          ({"chunk_bytes": True}, "chunk_bytes"),
                                          ({"article_namespaces": frozenset()}, "article_namespaces"),
                                          ({"disambiguation_templates": frozenset({"Dab"})},
                                           "disambiguation_templates")])
def test_config_validation_names_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"WikiConfig.{field}"):
        WikiConfig(**kwargs)


def test_more_article_namespaces_by_config():
    results, _ = read(dump(MIXED_PAGES), config=WikiConfig(article_namespaces=frozenset({0, 4})))
    assert summary(results)[4] == ("doc", "Project:About")


# --- the project's sample corpus -------------------------------------------------------------------

SAMPLE_REASONS = {"redirect": "wiki:redirect", "disambiguation": "wiki:disambiguation",
                  "non_article_namespace": "wiki:non_article_namespace"}


def _sample_read() -> list:
    with open(sample.WIKI_DUMP, "rb") as f:
        return list(read_dump(f, str(sample.WIKI_DUMP)))


def test_sample_every_planted_page_is_classified_as_planted():
    planted = sample.cases(file=sample.WIKI_DUMP.name)
    results = _sample_read()
    by_id = {}
    for r in results:
        assert not isinstance(r, DeadLetter), r
        by_id[r.meta["page_id"] if isinstance(r, Document) else r.record] = r
    assert len(results) == len(planted) == sample.load_planted()["files"][sample.WIKI_DUMP.name]["pages"]
    for case in planted:
        if case["kind"] == "article":
            doc = by_id[case["page_id"]]
            assert (doc.meta["title"], doc.meta["revision_id"]) == (case["title"], case["revision_id"])
            text = wikitext_to_text(doc.text)
            for phrase in case["must_contain"]:
                assert phrase in text, (case["title"], phrase)
            for phrase in case["must_not_contain"]:
                assert phrase not in text, (case["title"], phrase)
            assert not [s for s in ("{{", "}}", "[[", "]]", "'''", "<ref", "|-") if s in text], case["title"]
        else:
            skipped = by_id[case["title"]]
            assert isinstance(skipped, Skipped) and skipped.reason == SAMPLE_REASONS[case["kind"]], case


def test_sample_index_ranges_equal_the_whole_read():
    whole = _sample_read()
    with open(sample.WIKI_INDEX, "rb") as f:
        index = read_multistream_index(f)
    size = sample.WIKI_DUMP.stat().st_size
    with open(sample.WIKI_DUMP, "rb") as f:
        site = read_siteinfo(f, str(sample.WIKI_DUMP))
        for k in (1, 2):
            parts = []
            for start, end in stream_ranges(index, size, k):
                parts += read_dump_range(f, str(sample.WIKI_DUMP), start, end, siteinfo=site)
            assert parts == whole
