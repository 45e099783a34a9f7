"""Find the character encoding of a fetched HTML body and decode it the way browsers do.

Order of evidence, as in the HTML standard: the HTTP ``Content-Type`` charset, then a
``<meta charset>`` / ``<meta http-equiv=Content-Type>`` in the first bytes, then statistical
detection (uchardet through resiliparse), then UTF-8. Labels are mapped to the codec browsers
actually use (``iso-8859-1`` is decoded as cp1252, ``shift_jis`` as cp932, ``gb2312`` as gb18030),
because pages labelled with the narrow codec routinely use the wider one.

All functions are pure; none raises on a bogus label or an undecodable body.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from resiliparse.parse.encoding import detect_encoding, map_encoding_to_html5

# How far into the body a <meta> charset declaration counts (the HTML standard prescans 1024
# bytes; real pages put long <title>s and scripts first, so we look a little further).
META_PRESCAN_BYTES = 2048
# How many bytes uchardet samples (half from each end of the body).
DETECT_SAMPLE_BYTES = 16 * 1024
DEFAULT_CHARSET = "utf-8"

SOURCE_HTTP = "http"
SOURCE_META = "meta"
SOURCE_DETECTED = "detected"
SOURCE_DEFAULT = "default"

# Browser (WHATWG) overrides: the label on the left decodes with the superset on the right.
_SUPERSETS = {
    "ascii": "cp1252", "us-ascii": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "iso_8859-1": "cp1252", "l1": "cp1252",
    "cp819": "cp1252", "ibm819": "cp1252", "iso-ir-100": "cp1252", "windows-1252": "cp1252",
    "iso-8859-9": "cp1254", "iso8859-9": "cp1254", "latin5": "cp1254", "l5": "cp1254",
    "iso-8859-11": "cp874", "tis-620": "cp874", "windows-874": "cp874",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "windows-31j": "cp932", "csshiftjis": "cp932",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
    "chinese": "gb18030", "csgb2312": "gb18030", "euc-cn": "gb18030", "cp936": "gb18030",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "windows-949": "cp949",
    "big5": "big5hkscs", "x-x-big5": "big5hkscs",
}
# Labels a page may not switch to (the HTML standard forbids them: they can smuggle markup).
_FORBIDDEN = {"utf-7", "utf7", "unicode-1-1-utf-7", "csunicode11utf7"}

_CT_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded body: the text, the codec used, where the codec came from, and whether bytes
    had to be replaced with U+FFFD."""

    text: str
    charset: str
    source: str
    replaced: bool


def normalize_charset(label: str | bytes | None) -> str | None:
    """The Python codec for a charset label as browsers interpret it, or None if unusable."""
    if label is None:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", errors="ignore")
    name = label.strip().strip("\"'").strip().lower()
    if not name or name in _FORBIDDEN:
        return None
    name = _SUPERSETS.get(name, name)
    mapped = map_encoding_to_html5(name, fallback_utf8=False) or name
    mapped = _SUPERSETS.get(mapped, mapped)
    for candidate in (mapped, name):
        try:
            info = codecs.lookup(candidate)
        except (LookupError, ValueError):
            continue
        # codecs.lookup also knows base64, zlib, rot13...: not text encodings.
        if getattr(info, "_is_text_encoding", True):
            return info.name
    return None


def charset_from_content_type(content_type: str | bytes | None) -> str | None:
    """The raw charset label of a Content-Type header value, if it has one."""
    if not content_type:
        return None
    if isinstance(content_type, str):
        content_type = content_type.encode("latin-1", errors="ignore")
    m = _CT_CHARSET_RE.search(content_type)
    return m.group(1).decode("ascii") if m else None


def charset_from_meta(body: bytes, prescan: int = META_PRESCAN_BYTES) -> str | None:
    """The raw charset label of the first ``<meta charset>`` or ``<meta http-equiv>`` tag."""
    m = _META_CHARSET_RE.search(body[:prescan])
    return m.group(1).decode("ascii") if m else None


def detect_charset(body: bytes, sample: int = DETECT_SAMPLE_BYTES) -> str | None:
    """The codec uchardet guesses for ``body``, mapped like a label; None if it cannot tell."""
    guess = detect_encoding(body, max_len=sample, html5_compatible=False)
    codec = normalize_charset(guess) if guess else None
    # uchardet calls binary junk UTF-16/32; web pages in them carry a BOM or a header label.
    if codec and codec.startswith(("utf-16", "utf-32")):
        return None
    return codec


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None = None, *,
                prescan: int = META_PRESCAN_BYTES) -> Decoded:
    """Decode an HTML body: HTTP charset, else <meta>, else detection, else UTF-8.

    A declared charset that does not decode the body cleanly yields to detection when the
    detected codec does (mislabelled pages are common); if nothing decodes cleanly, the first
    usable codec decodes with U+FFFD replacements and ``replaced`` is set so callers can count it.
    """
    declared: tuple[str, str] | None = None
    for source, label in ((SOURCE_HTTP, charset_from_content_type(content_type)),
                          (SOURCE_META, charset_from_meta(body, prescan))):
        codec = normalize_charset(label)
        if codec:
            declared = (codec, source)
            break
    if declared is not None:
        text = _strict(body, declared[0])
        if text is not None:
            return Decoded(text.removeprefix("\ufeff"), declared[0], declared[1], False)
    candidates = [declared] if declared else []
    detected = detect_charset(body)
    if detected:
        candidates.append((detected, SOURCE_DETECTED))
    candidates.append((DEFAULT_CHARSET, SOURCE_DEFAULT))
    for codec, source in candidates[1 if declared else 0:]:
        text = _strict(body, codec)
        if text is not None:
            return Decoded(text.removeprefix("\ufeff"), codec, source, False)
    codec, source = candidates[0]
    return Decoded(body.decode(codec, errors="replace").removeprefix("\ufeff"), codec, source, True)
