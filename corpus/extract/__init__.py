"""The extraction stage: every Document leaves it as plain text, or is dropped.

Readers yield ``meta["format"]`` ``"html"`` (raw HTML), ``"wikitext"`` (Wikipedia) or
``"text"``; everything after this stage assumes plain text with one block per line.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus.counters import CounterFn, noop_counter
from corpus.document import Document, Verdict
from corpus.extract.html import DEFAULT_METHOD, METHODS, ExtractionError, HtmlConfig, extract_with

FORMATS = ("html", "wikitext", "text")
EMPTY_REASON = "extract:empty"
# The extractor raised: the page is dropped under this reason, and every such page is kept under
# rejected/ with the error (RejectSampleConfig keeps all of them), as a dead letter would be.
ERROR_REASON = "extract:error"


@dataclass(frozen=True, slots=True)
class ExtractConfig:
    """Which HTML extractor to use and how it is tuned."""

    html_method: str = DEFAULT_METHOD
    html: HtmlConfig = field(default_factory=HtmlConfig)

    def __post_init__(self) -> None:
        if self.html_method not in METHODS:
            raise ValueError(f"ExtractConfig.html_method must be one of {METHODS}, got {self.html_method!r}")
        if not isinstance(self.html, HtmlConfig):
            raise TypeError(f"ExtractConfig.html must be an HtmlConfig, got {type(self.html).__name__}")


def extract(doc: Document, *, config: ExtractConfig = ExtractConfig(),
            counter: CounterFn = noop_counter) -> Document | Verdict:
    """``doc`` as plain text (``meta["format"] = "text"``, ``meta["extractor"]`` = the method used),
    or ``Verdict.drop("extract:empty")`` when no text is left, ``Verdict.drop("extract:error")`` (with
    the error as its detail) when the extractor failed.

    Counts ``extract:<format>`` per input and ``extract:fallback`` each time the hybrid
    HTML method had to call trafilatura; the caller counts the drop.
    """
    fmt = doc.meta.get("format", "text")
    if fmt not in FORMATS:
        raise ValueError(f"extract: document {doc.id} has unknown meta['format'] {fmt!r}; expected one of {FORMATS}")
    counter(f"extract:{fmt}")
    try:
        if fmt == "text":
            text, extractor = doc.text, "none"
        elif fmt == "wikitext":
            from corpus.extract.wikitext import wikitext_to_text  # lazy: written alongside this module
            text, extractor = wikitext_to_text(doc.text), "wikitext"
        else:
            text, extractor = extract_with(doc.text, config.html_method, config=config.html)
            if config.html_method == "hybrid" and extractor == "trafilatura":
                counter("extract:fallback")
    except ExtractionError as e:
        return Verdict.drop(ERROR_REASON, detail=str(e))
    except Exception as e:  # noqa: BLE001 - mwparserfromhell on hostile wikitext: one page must not stop a build
        return Verdict.drop(ERROR_REASON, detail=f"wikitext: {type(e).__name__}: {e}")
    if not text.strip():
        return Verdict.drop(EMPTY_REASON)
    if fmt == "text":
        return doc
    return doc.with_text(text).with_meta(format="text", extractor=extractor)
