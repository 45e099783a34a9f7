"""Language identification: fastText lid.176 + script constraint + langdetect second opinion."""
from corpus.lang.detect import (
    DEFAULT_CONFIG,
    UNDETERMINED,
    Identification,
    LangConfig,
    filter_language,
    identify,
    identify_detailed,
    identify_language,
    label_language,
)

__all__ = ["DEFAULT_CONFIG", "Identification", "LangConfig", "UNDETERMINED", "filter_language", "identify",
           "identify_detailed", "identify_language", "label_language"]
