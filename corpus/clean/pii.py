"""Optional masking of e-mail addresses, IP addresses and phone numbers.

Precision over recall: a masked year, price or version number damages the text for
everyone, an unmasked phone number in a web corpus is already public. So candidates
are found by loose patterns and then rejected unless they look unambiguous:

* IPv4: four octets 0-255 without leading zeros, not part of a longer dotted number, not
  right after "v"/"version" (software versions such as 1.2.3.4), and not four single digits
  (section numbers such as 1.1.2.1).
* IPv6: validated by :mod:`ipaddress`, with at least three groups (rules out ``a::b``
  in C++ and ``12:30:45`` times).
* Phone: 7-15 digits (E.164 allows 15) in separated groups, or with a leading ``+``.
  Rejected: bare digit runs (ids, counts), thousands-grouped numbers (1 000 000, 1.000.000),
  decimals, dates (2020-05-12, 12.05.2020, 12/05/2020), year ranges (1990-2000, 1877 1878),
  year-numbered references (decree 2002-241), runs of single digits, numbers after a currency
  sign or before a currency or unit (450-1500 m), and numbers right after ISBN/ISSN/DOI/BLZ/IBAN.

Order: e-mail, then IPv6, IPv4, then phone, so a number inside an address is not a phone.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from corpus.counters import CounterFn, noop_counter
from corpus.document import Document

EMAIL_PLACEHOLDER = "<EMAIL>"
IP_PLACEHOLDER = "<IP_ADDRESS>"
PHONE_PLACEHOLDER = "<PHONE>"
MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15
MIN_IPV6_GROUPS = 3

_EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*"
                       r"\.[^\W\d_]{2,}(?![\w@])")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4_RE = re.compile(rf"(?<![\w.])(?<!\bv)(?<!version ){_OCTET}(?:\.{_OCTET}){{3}}(?![\w]|\.\d)",
                      re.IGNORECASE)
_IPV6_CANDIDATE_RE = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"
                                r"(?:(?<=:)(?:\d{1,3}\.){3}\d{1,3})?(?![\w:.])")
_PHONE_CANDIDATE_RE = re.compile(
    r"(?<![\w+.,/-])"                       # not the tail of a longer number or word
    r"(?:\+\d{1,3}[ .-]?)?"                 # country code
    r"(?:\(\d{1,5}\)[ .-]?)?"               # area code in parentheses
    r"\d{1,12}(?:(?:[ .-]|/ ?)\d{1,12}){0,6}"
    r"(?![\w]|[.,/-]\d)")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:([ .])\d{3})(?:\1\d{3})*")
_DECIMAL_RE = re.compile(r"\d+\.\d+")
_DATE_RE = re.compile(r"(?:\d{4}([-./])\d{1,2}\1\d{1,2}|\d{1,2}([-./])\d{1,2}\2\d{2,4})")
_YEAR_RANGE_RE = re.compile(r"(?:1\d|20)\d\d(?: ?[-/] ?| )(?:1\d|20)\d\d")
_YEAR_NUMBERED_RE = re.compile(r"(?:1[89]|20)\d\d[-/]\d{1,4}")  # decree 2002-241, report 2019/1234
_CURRENCY_BEFORE_RE = re.compile(r"[$€£¥₹₽][ ]?$|\b(?:usd|eur|gbp|chf|rs\.?)[ ]?$", re.IGNORECASE)
_QUANTITY_AFTER_RE = re.compile(r"^[ ]?(?:[$€£¥₹₽%°]|(?:euro|eur|usd|dollars?|yen|руб|m|km|cm|mm|m²|km²|ha|kg|g|t|"
                                r"mi|ft|lbs?)\b|[元円])", re.IGNORECASE)
_IDENTIFIER_BEFORE_RE = re.compile(r"\b(?:isbn(?:-1[03])?|issn|doi|blz|iban)[:\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class PiiConfig:
    """Which kinds are masked, and with what."""

    mask_email: bool = True
    mask_ip: bool = True
    mask_phone: bool = True
    email_placeholder: str = EMAIL_PLACEHOLDER
    ip_placeholder: str = IP_PLACEHOLDER
    phone_placeholder: str = PHONE_PLACEHOLDER

    def __post_init__(self) -> None:
        for name in ("mask_email", "mask_ip", "mask_phone"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"PiiConfig.{name} must be a bool, got {getattr(self, name)!r}")
        for name in ("email_placeholder", "ip_placeholder", "phone_placeholder"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise ValueError(f"PiiConfig.{name} must be a non-empty str, got {value!r}")
            if any(ch.isdigit() or ch == "@" for ch in value):
                # a placeholder that a later rule could match again would be masked twice
                raise ValueError(f"PiiConfig.{name} must not contain digits or '@', got {value!r}")


DEFAULT_PII_CONFIG = PiiConfig()


def is_ipv6(candidate: str) -> bool:
    """A valid IPv6 address with enough groups that it is not a time or a C++ scope."""
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    # an embedded IPv4 tail (::ffff:192.0.2.1) holds two groups' worth of bits
    groups = sum(2 if "." in group else 1 for group in candidate.split(":") if group)
    return groups >= MIN_IPV6_GROUPS


def is_phone(candidate: str, before: str, after: str) -> bool:
    """Whether a phone-shaped candidate is a phone number; ``before``/``after`` are its context."""
    digits = sum(ch.isdigit() for ch in candidate)
    if not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
        return False
    international = candidate.startswith("+")
    if not international:
        if "(" not in candidate and not re.search(r"\d[ .\-/]+\d", candidate):
            return False  # a bare run of digits: an id, a count, a serial number
        if (_THOUSANDS_RE.fullmatch(candidate) or _DECIMAL_RE.fullmatch(candidate)
                or _DATE_RE.fullmatch(candidate) or _YEAR_RANGE_RE.fullmatch(candidate)
                or _YEAR_NUMBERED_RE.fullmatch(candidate)):
            return False
    groups = re.findall(r"\d+", candidate)
    if sum(1 for g in groups if len(g) == 1) > 1:
        return False
    if _CURRENCY_BEFORE_RE.search(before) or _QUANTITY_AFTER_RE.search(after):
        return False
    return not _IDENTIFIER_BEFORE_RE.search(before)


def _mask(pattern: re.Pattern[str], text: str, placeholder: str, accept) -> tuple[str, int]:
    count = 0

    def repl(match: re.Match[str]) -> str:
        nonlocal count
        if accept(match):
            count += 1
            return placeholder
        return match.group(0)

    return pattern.sub(repl, text), count


def mask_emails(text: str, *, placeholder: str = EMAIL_PLACEHOLDER, counter: CounterFn = noop_counter) -> str:
    masked, n = _mask(_EMAIL_RE, text, placeholder, lambda m: True)
    if n:
        counter("pii:email", n)
    return masked


def mask_ips(text: str, *, placeholder: str = IP_PLACEHOLDER, counter: CounterFn = noop_counter) -> str:
    if ":" in text:
        text, n6 = _mask(_IPV6_CANDIDATE_RE, text, placeholder, lambda m: is_ipv6(m.group(0)))
    else:
        n6 = 0
    text, n4 = _mask(_IPV4_RE, text, placeholder, lambda m: len(m.group(0)) > 7)  # 1.1.2.1: a section
    if n6 + n4:
        counter("pii:ip", n6 + n4)
    return text


def mask_phones(text: str, *, placeholder: str = PHONE_PLACEHOLDER, counter: CounterFn = noop_counter) -> str:
    def accept(m: re.Match[str]) -> bool:
        start, end = m.span()
        return is_phone(m.group(0), text[max(0, start - 12):start], text[end:end + 8])

    masked, n = _mask(_PHONE_CANDIDATE_RE, text, placeholder, accept)
    if n:
        counter("pii:phone", n)
    return masked


def mask_pii_text(text: str, *, config: PiiConfig = DEFAULT_PII_CONFIG, counter: CounterFn = noop_counter) -> str:
    """The text with each enabled kind replaced by its placeholder, counted as ``pii:<kind>``."""
    if config.mask_email and "@" in text:
        text = mask_emails(text, placeholder=config.email_placeholder, counter=counter)
    if config.mask_ip:
        text = mask_ips(text, placeholder=config.ip_placeholder, counter=counter)
    if config.mask_phone:
        text = mask_phones(text, placeholder=config.phone_placeholder, counter=counter)
    return text


def mask_pii(doc: Document, *, config: PiiConfig = DEFAULT_PII_CONFIG,
             counter: CounterFn = noop_counter) -> Document:
    """Stage: the document with PII masked. Never drops: a placeholder is still text."""
    text = mask_pii_text(doc.text, config=config, counter=counter)
    return doc if text == doc.text else doc.with_text(text)
