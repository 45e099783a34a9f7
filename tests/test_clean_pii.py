"""PII masking: exact masked text and exact per-kind counters; look-alikes stay untouched."""
from __future__ import annotations

import pytest

from corpus.clean import CleanConfig, LineCleanConfig, clean
from corpus.clean.pii import PiiConfig, mask_pii, mask_pii_text
from corpus.counters import DictCounter
from corpus.document import Document, Verdict


def test_emails():
    counter = DictCounter()
    text = "Write to jane.doe+news@example.co.uk or info@münchen.de. Not an address: @handle, a@b."
    assert mask_pii_text(text, counter=counter) == \
        "Write to <EMAIL> or <EMAIL>. Not an address: @handle, a@b."
    assert counter.as_dict() == {"pii:email": 2}


def test_ip_addresses():
    counter = DictCounter()
    text = "Hosts 192.168.0.1, 10.0.0.254 and 2001:db8::8a2e:370:7334 and ::ffff:192.0.2.128 replied."
    assert mask_pii_text(text, counter=counter) == \
        "Hosts <IP_ADDRESS>, <IP_ADDRESS> and <IP_ADDRESS> and <IP_ADDRESS> replied."
    assert counter.as_dict() == {"pii:ip": 4}


@pytest.mark.parametrize("text", [
    "Update to version 1.2.3.4 or v10.0.0.1 today.",
    "See section 1.1.2.1 and 3.2.1.",
    "We met at 12:30:45 and used std::vector.",
    "Dated 2020.05.12 and 256.1.1.1 is no address.",
    "In 1990-2000 it cost $1 234 567 or 1.000.000 EUR.",
    "ISBN 978-3-16-148410-0, ISSN 1234-5678, BLZ 548 500 10.",
    "On 12.05.2020, 12/05/2020 and 2020-05-12; pi is 3.14159265.",
    "Order id 12345678901, population 3 000 000, steps 1 2 3 4 5 6 7.",
    "The decree n° 2002-241 of the war of 1877 1878.",
    "Altitude between 450-1500 m above sea level.",
])
def test_look_alikes_are_left_alone(text):
    counter = DictCounter()
    assert mask_pii_text(text, counter=counter) == text
    assert counter.as_dict() == {}


def test_phones():
    counter = DictCounter()
    text = ("Call +44 20 7946 0958, (555) 123-4567, 030 123456 78, +33 6 12 34 56 78, "
            "1-800-948-4267 or 0549/882165.")
    assert mask_pii_text(text, counter=counter) == \
        "Call <PHONE>, <PHONE>, <PHONE>, <PHONE>, <PHONE> or <PHONE>."
    assert counter.as_dict() == {"pii:phone": 6}


def test_kinds_switch_off_and_placeholders_change():
    text = "Mail a@example.org from 8.8.4.4 or call +1 202 555 0147."
    config = PiiConfig(mask_ip=False, mask_phone=True, email_placeholder="[email]", phone_placeholder="[tel]")
    counter = DictCounter()
    assert mask_pii_text(text, config=config, counter=counter) == "Mail [email] from 8.8.4.4 or call [tel]."
    assert counter.as_dict() == {"pii:email": 1, "pii:phone": 1}


def test_stage_never_drops_and_leaves_input_alone():
    doc = Document.create("test", "1", "Contact me at me@example.com please.")
    out = mask_pii(doc)
    assert out == doc.with_text("Contact me at <EMAIL> please.")
    assert doc.text == "Contact me at me@example.com please."
    assert mask_pii(Document.create("test", "2", "Nothing here.")).text == "Nothing here."


@pytest.mark.parametrize("kwargs, message", [
    ({"mask_email": "no"}, "PiiConfig.mask_email"),
    ({"ip_placeholder": ""}, "PiiConfig.ip_placeholder"),
    ({"phone_placeholder": "<PHONE1>"}, "PiiConfig.phone_placeholder"),
])
def test_config_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        PiiConfig(**kwargs)


def test_clean_runs_unicode_then_lines_then_pii():
    doc = Document.create("web", "1", "Menu\r\nWrite to jane&#64;example.org for the full report.\r\n"
                                      "Caf&eacute; opening hours are listed below.")
    counter = DictCounter()
    out = clean(doc, config=CleanConfig(pii=PiiConfig()), counter=counter)
    assert out == doc.with_text("Write to <EMAIL> for the full report.\nCafé opening hours are listed below.")
    assert counter.as_dict() == {
        "clean:ftfy_fix_line_breaks": 1,
        "clean:ftfy_unescape_html": 1,
        "lines:no_terminal_punct": 1,
        "pii:email": 1,
    }


def test_clean_pii_off_by_default_and_first_drop_wins():
    doc = Document.create("web", "1", "Write to jane@example.org for the full report.")
    assert clean(doc) is doc
    counter = DictCounter()
    assert clean(Document.create("web", "2", "\u200b \ufeff"), counter=counter) == Verdict.drop("clean:empty")
    assert counter.as_dict() == {"clean:ftfy_remove_control_chars": 1, "clean:invisible_removed": 1}
    counter = DictCounter()
    assert clean(Document.create("web", "3", "Home\nLogin"), counter=counter) == Verdict.drop("lines:empty")
    assert counter.as_dict() == {"lines:no_terminal_punct": 2}


def test_clean_steps_switch_off():
    doc = Document.create("web", "1", "Home\n\n\nLogin")
    assert clean(doc, config=CleanConfig(unicode=None, lines=None)) is doc
    assert clean(doc, config=CleanConfig(lines=LineCleanConfig(require_terminal_punct=False,
                                                               min_words_per_line=0))).text == "Home\n\nLogin"
    with pytest.raises(ValueError, match="CleanConfig.lines"):
        CleanConfig(lines=PiiConfig())
