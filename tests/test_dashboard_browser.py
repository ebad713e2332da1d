"""The dashboard in a real headless Chromium driven by selenium (Debian's chromium-driver).

The browser runs with no network but the dashboard's own server on 127.0.0.1:
the plots must draw from the plotly.js the dashboard serves, a ``<script>``
categorical must show as text, and a page open while a search runs must see
its candidates arrive without a reload. Without Chromium or chromedriver the
tests are skipped on a developer's machine, and fail in CI
(``.ci/install-browser`` installs both).
"""

import os
import shutil
import time

import pytest
from ci_env import in_ci
from dashboard_job import SCRIPT, random_search
from test_dashboard import ident, start_dashboard, start_writer, stop

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402

TIMEOUT = 120  # seconds; the first start of Chromium on a loaded machine takes a few


def _chromedriver():
    path = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
    if path is None or not os.path.exists("/usr/bin/chromium"):
        message = ("Chromium or chromedriver is not installed: run .ci/install-browser "
                   "(apt-get install chromium chromium-driver)")
        if in_ci():
            pytest.fail(message + "; CI must run the browser tests.")
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1300,2400",
        # no network: every host but the test's server resolves nowhere
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=http://0.0.0.0:9", "--proxy-bypass-list=127.0.0.1",
    ):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=_chromedriver())
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(TIMEOUT)
    yield driver
    driver.quit()


def wait_for(condition, timeout=TIMEOUT, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    random_search(folder / "random.db", n_iter=12)
    proc, base = start_dashboard(folder)
    yield base, folder
    stop(proc)


def _figures_drawn(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('.figure')].filter("
        "d => d.querySelector('.main-svg') && d.querySelector('.plot-container')).length")


def test_the_search_page_draws_its_plots_offline(browser, served, tmp_path):
    base, folder = served
    browser.get(f"{base}/search/{ident(folder / 'random.db')}")
    wait_for(lambda: _figures_drawn(browser) >= 5, what="five drawn figures")
    # the partial dependence: a band and a line for the log parameter, points for the tag
    assert browser.execute_script(
        "return document.querySelectorAll('#figure-dependence .scatterlayer .trace').length") == 3
    # one line per candidate in parallel coordinates, one point each in convergence
    assert browser.execute_script(
        "return document.querySelectorAll('#figure-parallel .scatterlayer .trace').length") == 12
    assert browser.execute_script(
        "return document.querySelectorAll('#figure-convergence .point').length") == 12
    # the timeline of fits: a bar per fit of the 12 candidates x 3 folds
    assert browser.execute_script(
        "return document.querySelectorAll('#figure-timeline .barlayer .point').length") == 36
    # every resource came from the dashboard itself
    urls = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert urls and all(u.startswith(base) for u in urls), urls
    rows = browser.find_elements(By.CSS_SELECTOR, "#leaderboard tbody tr")
    assert len(rows) == 12
    browser.save_screenshot(str(tmp_path / "search.png"))


def test_a_script_value_shows_as_text(browser, served):
    base, folder = served
    browser.get(f"{base}/search/{ident(folder / 'random.db')}")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#leaderboard tbody tr"),
             what="the leaderboard")
    cells = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#leaderboard td")]
    assert SCRIPT in cells
    # as text in the plots too; and it never ran
    wait_for(lambda: _figures_drawn(browser) >= 3, what="the plots")
    ticks = browser.execute_script(
        "return [...document.querySelectorAll('#figure-slices g[class$=tick] text')]"
        ".map(t => t.textContent)")
    assert any(t.startswith("<script>") for t in ticks), ticks
    assert browser.title == "random.db"
    assert not browser.find_elements(By.CSS_SELECTOR, "#leaderboard script")


def test_sorting_and_filtering_the_leaderboard(browser, served):
    base, folder = served
    browser.get(f"{base}/search/{ident(folder / 'random.db')}")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#leaderboard tbody tr"),
             what="the leaderboard")
    browser.find_element(By.ID, "filter").send_keys("plain")
    tags = browser.find_elements(By.CSS_SELECTOR, "#leaderboard tbody tr td:nth-child(5)")
    assert tags and {t.text for t in tags} == {"plain"}
    header = browser.find_elements(By.CSS_SELECTOR, "#leaderboard thead th")[0]
    header.click()  # rank, descending now
    ranks = [int(c.text) for c in browser.find_elements(
        By.CSS_SELECTOR, "#leaderboard tbody tr td:first-child")]
    assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) > 1


def test_an_open_page_follows_a_running_search_without_reload(browser, served):
    base, folder = served
    db = folder / "live.db"
    writer = start_writer(db, n_iter=16, delay=0.3)
    try:
        wait_for(lambda: db.exists() and os.path.exists(str(db) + "-wal"), what="the search")
        browser.get(f"{base}/search/{ident(db)}")
        browser.execute_script("window.sktuneMarker = 'same page'")

        def count():
            text = browser.find_element(By.ID, "n-candidates").text
            return int(text) if text.isdigit() else None

        first = wait_for(lambda: count() is not None and count() + 1, what="a count") - 1
        assert first < 16
        wait_for(lambda: (count() or 0) > first, what="the count to grow")
        wait_for(lambda: count() == 16, what="every candidate")
        assert browser.execute_script("return window.sktuneMarker") == "same page"
        wait_for(lambda: "finished" in browser.find_element(By.ID, "status").text,
                 what="the finished status")
        rows = browser.find_elements(By.CSS_SELECTOR, "#leaderboard tbody tr")
        assert len(rows) == 16
    finally:
        writer.kill()
        writer.wait()


def test_the_experiments_and_compare_pages(browser, served, tmp_path):
    base, folder = served
    random_search(folder / "second.db", n_iter=6, scoring="f1_macro")
    browser.get(base + "/")
    wait_for(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#experiments tbody tr")) >= 2,
             what="the experiments")
    text = browser.find_element(By.ID, "experiments").text
    assert "RandomSearch" in text and "finished" in text and "numpy" in text
    for box in browser.find_elements(By.CSS_SELECTOR, "#experiments input[type=checkbox]")[:2]:
        box.click()
    browser.save_screenshot(str(tmp_path / "experiments.png"))
    browser.find_element(By.ID, "compare").click()
    wait_for(lambda: "/compare?" in browser.current_url and _figures_drawn(browser) == 1,
             what="the compare page")
    legend = browser.execute_script(
        "return [...document.querySelectorAll('.legendtext')].map(t => t.textContent)")
    assert sum("best so far" in t for t in legend) == 2


def test_the_interactive_report_draws_offline_from_its_file(browser, served, tmp_path):
    import sktune
    from sktune.search import results_from_checkpoint

    _, folder = served
    path = sktune.write_report(results_from_checkpoint(folder / "random.db"),
                         tmp_path / "report.html", title="offline", interactive=True)
    browser.get("file://" + os.path.abspath(path))
    wait_for(lambda: browser.execute_script(
        "return document.querySelectorAll('figure.plotly .main-svg').length") >= 4,
        what="the report's interactive figures")
    assert browser.title == "offline"
    ticks = browser.execute_script(
        "return [...document.querySelectorAll('g[class$=tick] text')].map(t => t.textContent)")
    assert any(t.startswith("<script>") for t in ticks)
    urls = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(u.startswith("file://") or u.startswith("data:") for u in urls), urls
    browser.save_screenshot(str(tmp_path / "report.png"))
