"""Issue 17 item 4: the report opened in headless Chromium (Debian's `chromium`, which .ci/run installs) renders
every chart with a non-empty box, logs no console error, and fits a 1024 px wide window (the coverage heatmap's
last season included)."""

from __future__ import annotations

import json

import pytest

from tests.reports import chromium

pytestmark = pytest.mark.skipif(
    not chromium.available(), reason=f"{chromium.CHROMIUM} not installed (`apt-get install -y chromium`; .ci/run does)"
)

BOXES = """JSON.stringify([...document.querySelectorAll('svg')].map(s => {
  const r = s.getBoundingClientRect();
  return {cls: s.getAttribute('class'), left: r.left, right: r.right, width: r.width, height: r.height};
}))"""
# the right edge of the heatmap's last drawn date (a rect of the first table row) and the page's widths
LAST_DATE = """(() => {
  const rects = [...document.querySelectorAll('svg.heatmap rect[data-state]')];
  const right = Math.max(...rects.map(r => r.getBoundingClientRect().right));
  return [right, document.documentElement.scrollWidth, window.innerWidth];
})()"""


@pytest.fixture
def browser():
    b = chromium.Browser()
    yield b
    b.close()


@pytest.mark.realdata
def test_every_chart_renders_with_no_console_error_at_1024_px(stored_report, browser):
    browser.open(stored_report.html.as_uri(), 1024, 800)
    boxes = json.loads(browser.evaluate(BOXES))
    classes = {b["cls"] for b in boxes}
    assert {"calibration", "intervals", "timeline", "bars", "heatmap"} <= classes, classes
    assert sum(b["cls"] == "calibration" for b in boxes) == 2  # P(over) vs the market, and points by decile
    for box in boxes:
        assert box["width"] > 0 and box["height"] > 0, box
        assert box["right"] <= 1024, box  # nothing cut at the right edge
    right, page_width, window = browser.evaluate(LAST_DATE)
    assert right <= window and page_width <= window  # 2025-26, the last season, is on screen: no horizontal scroll
    assert browser.errors() == []


def test_the_harness_sees_console_errors_and_empty_charts(tmp_path, browser):
    """The assertions above are not vacuous: a console error, an uncaught exception and a zero-size chart show."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><body><svg class="empty" width="0" height="0"></svg>'
        "<script>console.error('boom'); undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    browser.open(page.as_uri(), 1024, 800)
    boxes = json.loads(browser.evaluate(BOXES))
    assert boxes == [{"cls": "empty", "left": 8, "right": 8, "width": 0, "height": 0}]
    errors = browser.errors()
    assert any("boom" in e for e in errors) and any("undefinedFunction" in e for e in errors), errors
