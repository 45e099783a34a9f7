"""The report page in a real browser: headless Chromium draws every chart and raises no error.

Chromium runs offline (background networking, sync and component updates off) on a file://
page. A probe script, added to a copy of the page only, records script errors and the
drawn size and shapes of each ``[data-chart]`` into the DOM, which ``--dump-dom`` prints.
A second run takes a screenshot for people to look at.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_report import CHART_IDS, EVIL, fixture_report

from corpus.report import write_report

SCREENSHOT_COPY = Path("/tmp/report_screenshot.png")
WINDOW = "1280,3000"
CHROMIUM_TIMEOUT_S = 90
PROBE = """<script>
window.__errors = [];
window.addEventListener("error", e => window.__errors.push(String(e.message || e)));
window.addEventListener("load", () => {
  const charts = [...document.querySelectorAll("[data-chart]")].map(el => {
    const box = el.getBoundingClientRect();
    return {id: el.id, width: box.width, height: box.height,
            shapes: el.querySelectorAll("rect.bar").length};
  });
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({errors: window.__errors, charts, title: document.title});
  document.body.appendChild(out);
});
</script>"""


def _chromium() -> str:
    """The chromium binary. `make test` installs it (the Makefile's `browser` target) and sets
    CORPUSFORGE_REQUIRE_BROWSER=1, so under CI a missing browser fails the test instead of skipping it."""
    found = shutil.which("chromium")
    if found:
        return found
    message = "chromium is not installed: `make browser` installs Debian's package"
    if os.environ.get("CORPUSFORGE_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _chromium_args(binary: str, profile: Path) -> list[str]:
    return [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", f"--window-size={WINDOW}",
            "--virtual-time-budget=5000"]


def _probe(binary: str, page: Path, tmp: Path) -> dict:
    """Load a probed copy of ``page`` and return what the probe found."""
    html = page.read_text(encoding="utf-8")
    probed = page.with_name("probed.html")
    probed.write_text(html.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    run = subprocess.run(_chromium_args(binary, tmp / "profile-probe") + ["--dump-dom", probed.as_uri()],
                         capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S)
    match = re.search(r'<pre id="probe">(.*?)</pre>', run.stdout, re.S)
    assert match, f"chromium printed no probe result (exit {run.returncode}); stderr:\n{run.stderr[-2000:]}"
    result = json.loads(match.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                        .replace("&amp;", "&"))
    # The page logs nothing, so any console line (an uncaught error, a blocked load) is a fault.
    result["console"] = [ln for ln in run.stderr.splitlines() if ":CONSOLE" in ln]
    return result


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary = _chromium()
    tmp = tmp_path_factory.mktemp("report-browser")
    write_report(tmp, fixture_report())
    return binary, tmp, tmp / "report" / "index.html"


def test_every_chart_is_drawn_without_script_errors(browser):
    binary, tmp, page = browser
    result = _probe(binary, page, tmp)
    assert result["errors"] == [] and result["console"] == []
    assert result["title"] == "Corpus quality report"  # the <script> in a sampled document did not run
    charts = {c["id"]: c for c in result["charts"]}
    assert sorted(charts) == sorted(CHART_IDS)
    for chart in charts.values():
        assert chart["width"] > 100 and chart["height"] > 20, chart
        assert chart["shapes"] > 0, chart
    assert charts["chart-funnel"]["shapes"] == 8  # input + seven stages
    assert charts["chart-drop-reasons"]["shapes"] == 11  # ten reasons + dead letters


def test_the_probe_sees_script_errors(browser):
    """The check above could pass vacuously if errors went unseen: a page that throws must show."""
    binary, tmp, _ = browser
    page = tmp / "broken" / "index.html"
    page.parent.mkdir()
    page.write_text("<!DOCTYPE html><html><head><title>t</title></head><body>"
                    "<script>undefinedFunction()</script></body></html>", encoding="utf-8")
    result = _probe(binary, page, tmp)
    assert len(result["errors"]) == 1 and "undefinedFunction" in result["errors"][0]
    assert len(result["console"]) == 1 and "Uncaught ReferenceError" in result["console"][0]


def test_escaped_document_text_is_shown_as_text(browser):
    binary, tmp, page = browser
    run = subprocess.run(_chromium_args(binary, tmp / "profile-dom") + ["--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S)
    # The DOM holds the text node, serialised escaped again; no <script> element came from the data.
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in run.stdout
    assert "<script" not in run.stdout and EVIL not in run.stdout


def test_screenshot(browser):
    binary, tmp, page = browser
    shot = tmp / "report.png"
    run = subprocess.run(_chromium_args(binary, tmp / "profile-shot") + [f"--screenshot={shot}", page.as_uri()],
                         capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S)
    assert shot.is_file(), f"no screenshot (exit {run.returncode}); stderr:\n{run.stderr[-2000:]}"
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a blank page compresses far smaller
    shutil.copyfile(shot, SCREENSHOT_COPY)
    print(f"report screenshot: {shot} (copied to {SCREENSHOT_COPY})")
