"""Wikitext to plain text with mwparserfromhell: the prose a reader of the rendered page sees.

What goes and what stays, and why:

* templates (infoboxes, citations, navboxes, maintenance tags) go: their output lives in other pages
  that a dump does not carry. A few wrappers whose output *is* their argument stay as that argument
  (``{{nowrap|5 km}}``, ``{{lang|fr|texte}}``, ``{{lang-de|Wort}}``) so sentences keep their words;
* tables, ``<ref>``, ``<gallery>``, ``<math>``/``<chem>`` (LaTeX, not prose, and full of braces),
  code blocks, file/image links with their captions, category and interlanguage links, comments and
  behaviour switches (``__TOC__``) go;
* link labels, external-link labels, bold/italic text, and the contents of other HTML tags stay;
* headings become their own line without ``==``, all of them, also those whose section held only a
  table or templates (``References``): the heading still says what the article covers there, and a
  line filter downstream can drop short lines if it wants to;
* every block (paragraph, heading, list item) is one line; lines inside a paragraph join with a space,
  as MediaWiki renders them.

It never raises: markup mwparserfromhell cannot take (pathological nesting) goes through a
conservative regex strip, counted as ``wikitext:fallback``. Stray markup the parser left as text
(an unclosed ``{{``) is scrubbed in both cases, so no wikitext syntax reaches the corpus.
"""
from __future__ import annotations

import html
import re

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from corpus.counters import CounterFn, noop_counter

# Namespace prefixes of file and category links, in the languages whose dumps we expect (lowercase).
FILE_PREFIXES = frozenset({
    "file", "image", "media", "datei", "bild", "fichier", "archivo", "imagen", "immagine", "ficheiro",
    "arquivo", "imagem", "bestand", "afbeelding", "файл", "изображение", "plik", "grafika", "fil",
    "ファイル", "画像", "文件", "檔案", "图像", "圖像", "tiedosto", "kuva", "soubor", "obrázek", "dosya", "resim"})
CATEGORY_PREFIXES = frozenset({
    "category", "kategorie", "catégorie", "categoría", "categoria", "categorie", "категория",
    "kategoria", "kategori", "カテゴリ", "分类", "分類", "luokka", "kategorija", "kategória"})
# Tags whose contents are not prose.
DROP_TAGS = frozenset({
    "ref", "references", "gallery", "math", "chem", "ce", "score", "timeline", "graph", "mapframe",
    "maplink", "syntaxhighlight", "source", "templatedata", "imagemap", "hiero", "inputbox", "categorytree",
    "table", "noinclude", "includeonly", "onlyinclude", "indicator", "templatestyles", "style", "script"})
LIST_MARKUPS = frozenset({"*", "#", ";", ":"})
# Wrapper templates whose rendered text is one of their positional arguments (1-based).
TEXT_TEMPLATES = {"nowrap": 1, "nobr": 1, "small": 1, "smaller": 1, "big": 1, "lang": 2, "transl": 2,
                  "nihongo": 1, "vanchor": 1}
_LANG_X_RE = re.compile(r"^lang-[a-z]{2,3}(-[a-z]+)*$")
# An interlanguage link: a language code prefix without a leading colon ([[de:Foo]]).
_INTERLANG_RE = re.compile(r"^(?:[a-z]{2,3}(?:-[a-z0-9]+)*|simple|be-x-old|zh-min-nan|zh-classical|zh-yue)$")
_MAGIC_WORD_RE = re.compile(r"__[A-Z]+__")
# Sentinels the tree walk leaves for the layout pass; stripped from the input first.
_HEAD = "\x1d"
_ITEM = "\x1f"
_SENTINEL_RE = re.compile("[\x1d\x1e\x1f]")
_HEADING_LINE_RE = re.compile(r"^\x1d(\d)\x1d(.*)$")
_SPACE_RE = re.compile(r"[ \t\u00a0\u2009\u202f]+")
# Removed references and templates leave "word ." and "( born)": close up what they opened.
_HOLE_RULES = [(re.compile(r" +([.,)])"), r"\1"), (re.compile(r"\( +"), "("), (re.compile(r" ?\(\)"), "")]
# Scrub of markup left over as text (unclosed templates, broken tables): a last line of defence.
_STRAY_RE = re.compile(r"\{\{|\}\}|\[\[|\]\]|'{2,}|</?ref[^>\n]*>?|\{\||\|\}|\|-")
_TABLE_LINE_RE = re.compile(r"^\s*(?:\{\||\|\}|\|-|\|\+|\|)")


def wikitext_to_text(text: str, *, counter: CounterFn = noop_counter) -> str:
    """The readable text of a page's wikitext, one block per line; never raises."""
    text = _SENTINEL_RE.sub("", text or "")
    try:
        rendered = _render(mwparserfromhell.parse(text, skip_style_tags=True))
    except (RecursionError, ValueError, TypeError, AttributeError, IndexError):
        counter("wikitext:fallback")
        rendered = _regex_strip(text)
    return _layout(rendered)


# --- tree walk -------------------------------------------------------------------------------------

def _render(code: Wikicode) -> str:
    return "".join(_render_node(node) for node in code.nodes)


def _render_node(node) -> str:
    if isinstance(node, Text):
        return node.value
    if isinstance(node, Wikilink):
        return _render_wikilink(node)
    if isinstance(node, ExternalLink):
        if node.title is not None:
            return _render(node.title)
        return "" if node.brackets else str(node.url)
    if isinstance(node, Tag):
        return _render_tag(node)
    if isinstance(node, Heading):
        title = _render(node.title).replace("\n", " ").strip()
        return f"\n{_HEAD}{node.level}{_HEAD}{title}\n"
    if isinstance(node, HTMLEntity):
        return node.normalize()
    if isinstance(node, Template):
        return _render_template(node)
    if isinstance(node, (Comment, Argument)):
        return ""
    return ""


def _render_wikilink(link: Wikilink) -> str:
    title = str(link.title).strip()
    leading_colon = title.startswith(":")
    prefix, sep, rest = title.lstrip(":").partition(":")
    prefix = prefix.strip().lower()
    if sep and prefix in CATEGORY_PREFIXES and not leading_colon:
        return ""
    if sep and prefix in FILE_PREFIXES:
        return ""
    if sep and not leading_colon and _INTERLANG_RE.match(prefix) and rest.strip():
        return ""
    if link.text is not None:
        label = _render(link.text)
        if label.strip():
            return label
        # The pipe trick: [[Paris (band)|]] shows "Paris".
        return re.sub(r"\s*\([^)]*\)$", "", rest if sep else title.lstrip(":"))
    return _render(link.title).lstrip(":")


def _render_tag(tag: Tag) -> str:
    name = str(tag.tag).strip().lower()
    if name in DROP_TAGS:
        return ""
    if tag.wiki_markup in LIST_MARKUPS:
        return _ITEM
    if name in ("br", "hr"):
        return " " if name == "br" else "\n"
    if tag.contents is None:
        return ""
    if name == "nowiki":
        return html.unescape(str(tag.contents))
    inner = _render(tag.contents)
    if name in ("p", "div", "blockquote", "center", "poem", "pre", "li", "dd", "dt"):
        return f"\n{inner}\n"
    return inner


def _render_template(template: Template) -> str:
    name = str(template.name).strip().lower().replace("_", " ")
    index = TEXT_TEMPLATES.get(name, 1 if _LANG_X_RE.match(name) else 0)
    if index and template.has(str(index)):
        return _render(template.get(str(index)).value)
    return ""


# --- fallback ------------------------------------------------------------------------------------

_FALLBACK_RULES = [
    (re.compile(r"<!--.*?(?:-->|$)", re.S), ""),
    (re.compile(r"<ref[^>/]*/>", re.I), ""),
    (re.compile(r"<(ref|math|gallery|chem|syntaxhighlight|source)\b[^>]*>.*?(?:</\1\s*>|$)", re.I | re.S), ""),
    (re.compile(r"\[\[(?:[^\[\]|]*:)[^\[\]]*\]\]"), ""),  # namespaced links: files, categories
    (re.compile(r"\[\[[^\[\]|]*\|([^\[\]]*)\]\]"), r"\1"),
    (re.compile(r"\[\[([^\[\]|]*)\]\]"), r"\1"),
    (re.compile(r"\[(?:https?:)?//[^\s\]]+\s+([^\]]*)\]"), r"\1"),
    (re.compile(r"\[(?:https?:)?//[^\s\]]+\]"), ""),
    (re.compile(r"^(=+)\s*(.*?)\s*\1\s*$", re.M), lambda m: f"{_HEAD}{len(m.group(1))}{_HEAD}{m.group(2)}"),
    (re.compile(r"^[*#:;]+", re.M), _ITEM),
    (re.compile(r"<[^<>]{0,200}>"), ""),
]
_INNER_TEMPLATE_RE = re.compile(r"\{\{[^{}]*\}\}")
_INNER_TABLE_RE = re.compile(r"\{\|(?:(?!\{\|).)*?\|\}", re.S)


def _regex_strip(text: str) -> str:
    """A conservative strip for input the parser cannot take: drops more than it keeps."""
    for pattern in (_INNER_TEMPLATE_RE, _INNER_TABLE_RE):
        while True:
            text, n = pattern.subn("", text)
            if not n:
                break
    for pattern, repl in _FALLBACK_RULES:
        text = pattern.sub(repl, text)
    return html.unescape(text)


# --- layout --------------------------------------------------------------------------------------

def _layout(rendered: str) -> str:
    """One block per line: headings and list items alone, paragraph lines joined, no blank lines."""
    blocks: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(" ".join(paragraph))
            paragraph.clear()

    for line in rendered.split("\n"):
        if _TABLE_LINE_RE.match(line):
            flush()
            continue
        heading = _HEADING_LINE_RE.match(line)
        if heading:
            flush()
            blocks.append(_clean(heading.group(2)))
        elif _ITEM in line:
            flush()
            blocks.append(_clean(line))
        else:
            cleaned = _clean(line)
            if cleaned:
                paragraph.append(cleaned)
            else:
                flush()
    flush()
    return "\n".join(block for block in blocks if block)


def _clean(line: str) -> str:
    line = _MAGIC_WORD_RE.sub("", line.replace(_ITEM, " "))
    while True:  # removing one stray mark can join two others: "{{|-" leaves "|-"
        line, n = _STRAY_RE.subn("", line)
        if not n:
            break
    line = _SPACE_RE.sub(" ", line).strip()
    for pattern, repl in _HOLE_RULES:
        line = pattern.sub(repl, line)
    return line
