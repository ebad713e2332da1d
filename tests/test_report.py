"""The HTML report: one self-contained file with settings, best, leaderboard and plots."""

import base64
import io
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless, for this test process only

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

import sktune  # noqa: E402
from sktune.distributions import LogUniform  # noqa: E402
from sktune.plot import report_figures  # noqa: E402
from sktune.report import render_html, write_html  # noqa: E402

X, y = load_iris(return_X_y=True)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


class _Page(HTMLParser):
    """What a reader sees: title, headings, table cells, images."""

    def __init__(self, text):
        super().__init__()
        self.title, self.headings, self.images, self.tables = "", [], [], {}
        self._tag, self._table, self._row, self._cell = None, None, None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._tag = tag
        if tag == "img":
            self.images.append(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("id") or len(self.tables), [])
        if tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        if tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        self._tag = None

    def handle_data(self, data):
        if self._tag == "title":
            self.title += data
        elif self._tag in ("h1", "h2"):
            self.headings.append(data.strip())
        if self._cell is not None:
            self._cell += data


def _png(src):
    assert src.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))


@pytest.fixture(scope="module")
def search():
    space = {"C": LogUniform(1e-2, 1e2), "kernel": ["rbf", "linear"]}
    return sktune.RandomSearch(SVC(), space, n_iter=12, cv=3, random_state=0).fit(X, y)


@pytest.fixture(scope="module")
def page(search, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert sktune.write_report(search, path, top=5) == str(path)
    return path.read_text(encoding="utf-8")


def test_report_has_title_summary_best_leaderboard_plots_and_settings(search, page):
    html = _Page(page)
    assert html.title == "sktune report: RandomSearch"
    assert html.headings == [
        "sktune report: RandomSearch", "Summary", "Best candidate",
        "Leaderboard (top 5 of 12 candidates)", "Plots", "Settings",
    ]
    board = html.tables["leaderboard"]
    assert board[0] == ["rank", "mean_score", "std_score", "C", "kernel", "fit_time"]
    assert len(board) == 1 + 5
    best = search.best_index_
    assert board[1][1] == f"{search.cv_results_['mean_test_score'][best]:.4f}"
    assert board[1][4] == search.best_params_["kernel"]
    kv = {row[0]: row[1] for t in html.tables.values() if t is not board for row in t
          if len(row) == 2}
    assert kv["search"] == "RandomSearch"
    assert kv["estimator"] == "SVC()"
    assert kv["candidates"] == "12"
    assert kv["kernel"] == search.best_params_["kernel"]
    assert kv["n_iter"] == "12" and kv["random_state"] == "0"


def test_plots_are_embedded_png_images_that_decode(page):
    images = _Page(page).images
    assert [i["alt"].split(":")[0] for i in images] == [
        "Convergence", "Parallel coordinates", "Score against each parameter",
        "Hyperparameter importance",
    ]
    for img in images:
        picture = _png(img["src"])
        assert picture.width > 300 and picture.height > 200
        pixels = np.asarray(picture.convert("L"))
        assert pixels.std() > 5  # not blank


def test_the_page_is_self_contained(page):
    # nothing to fetch: no links, scripts, stylesheets or remote images
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!data:)""", page)
    assert "<script" not in page
    assert "http://" not in page and "https://" not in page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_report_of_scikit_learn_search_and_of_a_dict(tmp_path):
    grid = GridSearchCV(SVC(), {"C": [0.1, 1, 10], "kernel": ["rbf", "linear"]}, cv=3).fit(X, y)
    path = sktune.write_report(grid, tmp_path / "grid.html", title="Grid <check>")
    html = _Page(Path(path).read_text(encoding="utf-8"))
    assert html.title == "Grid <check>"  # escaped in the file, read back as text
    assert len(html.tables["leaderboard"]) == 1 + 6
    assert len(html.images) == 4

    text = sktune.write_report(dict(grid.cv_results_), tmp_path / "dict.html", top=None)
    raw = Path(text).read_text(encoding="utf-8")
    assert "Built from a cv_results_ dict" in raw
    assert "Leaderboard (every 6 candidates)" in raw


def test_report_of_a_hyperband_like_search_adds_the_budget_plot(tmp_path):
    results = {
        "params": [{"C": 1}, {"C": 2}, {"C": 2}, {"C": 3}],
        "mean_test_score": [0.5, 0.6, 0.8, 0.7], "n_resources": np.array([10, 10, 30, 30]),
        "bracket": np.array([1, 1, 1, 0]),
    }
    figures = report_figures(results)
    assert list(figures)[-1].startswith("Score against budget per bracket")
    page = Path(sktune.write_report(results, tmp_path / "hb.html")).read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 5
    assert "<th>n_resources</th>" in page and "<th>bracket</th>" in page


def test_write_html_without_plots_and_with_own_figures(search, tmp_path):
    fig = Figure(figsize=(2, 2))
    fig.subplots().plot([0, 1], [1, 0])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    path = write_html(search, tmp_path / "plain.html",
                      figures={"mine": fig, "as bytes": buf.getvalue()})
    html = _Page(Path(path).read_text(encoding="utf-8"))
    assert [i["alt"] for i in html.images] == ["mine", "as bytes"]
    assert "Plots" in html.headings
    bare = render_html(search)
    assert "<img" not in bare and "Plots" not in _Page(bare).headings


def test_report_with_a_failed_everything(tmp_path):
    results = {"params": [{"C": 1.0}, {"C": 2.0}], "mean_test_score": [np.nan, np.nan]}
    page = Path(sktune.write_report(results, tmp_path / "failed.html")).read_text(encoding="utf-8")
    assert "every fit failed" in page


def test_report_errors(search, tmp_path):
    with pytest.raises(TypeError, match=r"The 'path' parameter of write_report must be a str"):
        sktune.write_report(search, 3)
    with pytest.raises(TypeError, match=r"The 'path' parameter of write_html must be a str"):
        write_html(search, None)
    with pytest.raises(TypeError, match=r"'figures' parameter of render_html must be a dict"):
        render_html(search, figures=["not", "a", "dict"])
    with pytest.raises(TypeError, match=r"must be PNG bytes or a figure.*for 'bad'"):
        render_html(search, figures={"bad": 42})
    with pytest.raises(TypeError, match=r"The 'search' argument of write_report must be a fitted"):
        sktune.write_report(42, tmp_path / "x.html")
    with pytest.raises(ValueError, match=r"'top' parameter of render_html must be an int"):
        render_html(search, top=0)
    with pytest.raises(ValueError, match=r"'metric' parameter of write_report must be one of"):
        sktune.write_report(search, tmp_path / "x.html", metric="f1")
    with pytest.raises(ValueError, match=r"'top' parameter of write_report must be an int"):
        sktune.write_report(search, tmp_path / "x.html", top=0)
    with pytest.raises(ValueError, match=r"'metric' parameter of report_figures must be one"):
        report_figures(search, metric="f1")
    assert not (tmp_path / "x.html").exists()


def test_report_without_matplotlib_points_to_write_html(search, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install sktune\[plot\].*write_html"):
        sktune.write_report(search, tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize(
    "script, outputs",
    [
        ("plot_search_report.py", ["search_convergence.png", "search_parallel_coordinates.png",
                                   "search_param_slices.png", "search_importance.png",
                                   "report.html"]),
        ("plot_compare_searches.py", ["compare_convergence.png", "compare_hyperband.png"]),
    ],
)
@pytest.mark.slow
def test_gallery_examples_run_and_draw(script, outputs, tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, str(EXAMPLES / script), str(tmp_path)], check=True,
                   env=env, capture_output=True, timeout=300)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(outputs)
    for name in outputs:
        if name.endswith(".png"):
            assert np.asarray(Image.open(tmp_path / name).convert("L")).std() > 5
