"""wikitext_to_text, one construct at a time, with the exact text expected."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.counters import DictCounter
from corpus.extract import wikitext
from corpus.extract.wikitext import wikitext_to_text

WIKITEXT_SYNTAX = ("{{", "}}", "[[", "]]", "'''", "<ref", "|-")

CASES = [
    # templates, nested ones and infoboxes
    ("{{Infobox person|name=X|birth={{birth date|1900|1|1}}}}\nText.", "Text."),
    ("Born {{circa}} 1900.", "Born 1900."),
    ("{{{{{{deep}}}}}} Text.", "Text."),
    ("Name (born {{birth date|1900|1|1}}) was.", "Name (born) was."),
    ("Name ({{lang-fr|Nom}}) was.", "Name (Nom) was."),
    ("{{nowrap|5 km}}, {{lang|fr|texte}} and {{lang-de|Wort}}.", "5 km, texte and Wort."),
    ("A {{{1|default}}} B", "A B"),
    # links
    ("[[A|b]] and [[A]] and [[apple]]s.", "b and A and apples."),
    ("[[Paris (band)|]] played.", "Paris played."),
    ("[[A|''italic'' label]]", "italic label"),
    ("A[[File:x.jpg|thumb|a [[link]] caption]] B [[Image:y.png]] C", "A B C"),
    ("A [[Datei:z.png|mini|Bild]] [[Fichier:a.png]] [[Файл:b.png|thumb|c]] B", "A B"),
    ("A [[Category:Foo]] [[Kategorie:Bar|x]] B", "A B"),
    ("See [[:Category:Baz|the category]].", "See the category."),
    ("A [[de:Foo]] [[fr:Bar]] [[zh-min-nan:Baz]] B", "A B"),
    ("A [[wikt:word|word]] B", "A word B"),
    ("See [http://x.org the ''site''] and [http://y.org] and http://z.org now.",
     "See the site and and http://z.org now."),
    # tags
    ("x <ref>a {{cite web|url=x}}</ref> y <ref name=n/> z <ref name=\"m\" />.", "x y z."),
    ("<gallery>\nFile:a.jpg|cap\n</gallery>\nAfter.", "After."),
    ("Energy <math>E=mc^{2}}</math> is.", "Energy is."),
    ("Code <syntaxhighlight lang=\"c\">int x;</syntaxhighlight> done.", "Code done."),
    ("Before <nowiki>''not markup''</nowiki> after.", "Before not markup after."),
    ("A<br/>B<br>C", "A B C"),
    ("<blockquote>Quoted text.</blockquote>\nAfter.", "Quoted text.\nAfter."),
    ("Text <span style=\"x\">inside</span> and <small>small</small>.", "Text inside and small."),
    ("A<!-- hidden\nmulti-line -->B", "AB"),
    ("A &amp; B&nbsp;C &lt;tag&gt; &mdash;", "A & B C <tag> —"),
    # formatting, magic words
    ("'''Bold''' and ''italic'' and '''''both'''''.", "Bold and italic and both."),
    ("__TOC__\nText __NOTOC__ more.", "Text more."),
    # tables
    ("{| class=\"wikitable\"\n|-\n! H\n| c\n|}\nAfter table.", "After table."),
    ("Before.\n{|\n| a || b\n|-\n| {{x}}\n|}", "Before."),
    # layout: headings, lists, paragraphs
    ("Intro.\n== Heading ==\nBody.\n=== Sub [[x|y]] ===\nMore.", "Intro.\nHeading\nBody.\nSub y\nMore."),
    ("* one\n** two [[x]]\n# three\n; term : def\n: indented", "one\ntwo x\nthree\nterm def\nindented"),
    ("Line one\nline two.\n\n\n\nNext paragraph.", "Line one line two.\nNext paragraph."),
    ("Para.\n* item\nNext para.", "Para.\nitem\nNext para."),
    ("Intro.\n== References ==\n{{reflist}}\n== External links ==\n* {{official website}}\n[[Category:X]]",
     "Intro.\nReferences\nExternal links"),
    ("== A ==\n=== A1 ===\nText.\n=== A2 ===\n{{empty}}\n== B ==\n", "A\nA1\nText.\nA2\nB"),
    ("Intro.\n== Types ==\n{|\n| a\n|}\n== Use ==\nText.", "Intro.\nTypes\nUse\nText."),
    ("  spaced\t\ttext  ", "spaced text"),
    # malformed
    ("Text {{unclosed template\n| a = b\nmore", "Text unclosed template\nmore"),
    ("]] stray [[ and }} {{ and ''' x", "stray and and x"),
    ("Text <ref>never closed", "Text never closed"),
    ("", ""),
]


@pytest.mark.parametrize("source,expected", CASES)
def test_construct(source, expected):
    assert wikitext_to_text(source) == expected


def test_fallback_when_the_parser_fails(monkeypatch):
    def fail(*args, **kwargs):
        raise RecursionError("too deep")

    monkeypatch.setattr(wikitext.mwparserfromhell, "parse", fail)
    counter = DictCounter()
    source = ("{{Infobox|x={{y}}}}'''Alpha''' is a [[letter|Letter]] <ref>{{cite}}</ref>.\n"
              "== History ==\n* [[File:a.png|thumb|c]] Old [http://x.org site].\n[[Category:X]]")
    assert wikitext_to_text(source, counter=counter) == "Alpha is a Letter.\nHistory\nOld site."
    assert counter.as_dict() == {"wikitext:fallback": 1}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("{}[]|='*#:;!<>/-\n ab&") + ["ref", "File:", "{|", "|}", "<ref>"]),
                max_size=60).map("".join))
def test_never_raises_and_leaves_no_syntax(source):
    out = wikitext_to_text(source)
    assert isinstance(out, str)
    assert not any(s in out for s in WIKITEXT_SYNTAX)
