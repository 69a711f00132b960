"""Acceptance 6: `nbaprops report` writes one self-contained HTML file; parsing it finds the heatmap and every
table."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from nbaprops.reports.svg import _runs
from nbaprops.validation.tables import table_specs
from nbaprops.warehouse import connect
from tests.validation.helpers import cli


class Outline(HTMLParser):
    """Collects what the tests look for: element ids, svg classes, heatmap row labels, cell states, external refs."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.svgs: list[str] = []
        self.states: set[str] = set()
        self.texts: list[str] = []
        self.external: list[str] = []
        self._in_text = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "svg":
            self.svgs.append(a.get("class", ""))
        if tag == "rect" and "data-state" in a:
            self.states.add(a["data-state"])
        if tag in ("script", "link") or (tag == "img" and not a.get("src", "").startswith("data:")):
            self.external.append(tag)
        self._in_text = tag == "text"

    def handle_endtag(self, tag):
        self._in_text = False

    def handle_data(self, data):
        if self._in_text:
            self.texts.append(data)


def _outline(path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.realdata
def test_report_has_the_heatmap_and_every_table(built_db, tmp_path):
    result = cli(built_db, "report", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    page = _outline(tmp_path / "out" / "report.html")
    assert "heatmap" in page.svgs
    assert {"validation-passes", "runs"} <= page.ids
    assert set(table_specs()) <= set(page.texts)  # one heatmap row per table
    assert {"done", "not_expected"} <= page.states
    assert page.external == []  # offline: no scripts, stylesheets or remote images
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "point_in_time" not in html and "nbaprops validate</code> runs it" in html  # reads, recomputes nothing


def test_report_on_an_empty_warehouse_with_a_feature_store_shows_default_rates(tmp_path):
    features = pytest.importorskip("nbaprops.features.ml_feature_store").FEATURES
    first, second = features[0], features[1]
    db = tmp_path / "w.duckdb"
    con = connect(db)
    con.execute(
        "CREATE TABLE features.ml_feature_store AS SELECT '2024-25' AS season, "
        "CASE WHEN i % 4 = 0 THEN [$first] ELSE []::VARCHAR[] END AS defaulted_features FROM range(8) t(i)",
        {"first": first},
    )
    con.close()
    result = cli(db, "report", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    page = _outline(tmp_path / "report.html")
    assert "feature-defaults" in page.ids and "bars" in page.svgs
    texts = page.texts
    assert texts[texts.index(first) + 1] == "25.0%" and texts[texts.index(second) + 1] == "0.0%"


def test_heatmap_runs_merge_equal_neighbours():
    assert _runs(["done", "done", "missing", "done"]) == [(0, 2, "done"), (2, 1, "missing"), (3, 1, "done")]
