"""Apache Beam pipelines: thin transforms around corpus/, and the `build` / `crawl` entry points."""
from __future__ import annotations

import logging

# Messages Beam logs while it is imported that say nothing a user can act on. Importing
# apache_beam.io.gcp without the BigQuery client (not needed: the build reads and writes files)
# logs "apitools not found ..." through the root logger on every command.
_IMPORT_NOISE = ("apitools not found, and bigquery client libraries are not available",)


class _DropImportNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(noise in message for noise in _IMPORT_NOISE)


def _silence_import_noise() -> None:
    root = logging.getLogger()
    if not any(isinstance(f, _DropImportNoise) for f in root.filters):
        root.addFilter(_DropImportNoise())


_silence_import_noise()
