"""Interactive plots in the offline HTML report and in Jupyter (plotly figures)."""

import re

import pytest
from dashboard_job import SCRIPT, random_search

import sktune
from sktune.plot import interactive_figures


@pytest.fixture(scope="module")
def search(tmp_path_factory):
    return random_search(tmp_path_factory.mktemp("ir") / "s.db", n_iter=10)


def test_the_report_embeds_interactive_figures_offline(search, tmp_path):
    path = sktune.write_report(search, tmp_path / "report.html", interactive=True)
    page = open(path, encoding="utf-8").read()
    # convergence, parallel, slices, importance, partial dependence
    assert page.count('<figure class="plotly">') == 5
    assert page.count("Plotly.newPlot(") == 5
    assert "<img " not in page
    # plotly.js is inline, once: no resource from the network
    assert not re.search(r"<script[^>]+src=", page)
    assert page.count("plotly.js v") <= 2 and len(page) > 3_000_000
    # the <script> choice is data inside the figures' JSON, escaped
    assert SCRIPT not in page
    assert "&lt;script&gt;document.title" in page


def test_interactive_must_be_a_bool_and_nothing_is_written(search, tmp_path):
    with pytest.raises(TypeError, match=r"The 'interactive' parameter of write_report must be a "
                       r"bool\. Got 'yes' instead\."):
        sktune.write_report(search, tmp_path / "r.html", interactive="yes")
    assert not (tmp_path / "r.html").exists()


def test_jupyter_shows_the_figures_as_plotly_figures(search):
    figures = interactive_figures(search)
    assert [c.split(":")[0] for c in figures] == [
        "Convergence", "Parallel coordinates", "Score against each parameter",
        "Hyperparameter importance", "Partial dependence"]
    # what a notebook shows for a cell's value: the figure, drawn by plotly.js
    shown = next(iter(figures.values()))._repr_html_()
    assert "Plotly.newPlot(" in shown and "best so far" in shown
