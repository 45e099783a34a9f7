"""The quality report of a build: figures (``report.json``), a page (``index.html``), a summary.

The build hands its counts to :func:`build_report` as :class:`ReportInputs`, calls
:func:`check_accounting` and writes the files; ``corpusforge report DIR`` reads them back.
"""
from corpus.report.files import REPORT_HTML, REPORT_JSON, read_report, report_files, write_report
from corpus.report.histogram import (
    BINS,
    bin_counts,
    bin_index,
    histogram,
    histogram_from_counts,
    merge_counts,
)
from corpus.report.html import render_html
from corpus.report.model import (
    STAGES,
    AccountingError,
    ReportInputs,
    build_report,
    check_accounting,
    domain_of,
    drops_from_counters,
)

__all__ = [
    "BINS", "REPORT_HTML", "REPORT_JSON", "STAGES", "AccountingError", "ReportInputs", "bin_counts", "bin_index",
    "build_report", "check_accounting", "domain_of", "drops_from_counters", "histogram", "histogram_from_counts",
    "merge_counts", "read_report", "render_html", "report_files", "write_report",
]
