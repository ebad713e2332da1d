"""Write the dashboard screenshots of the user guide into docs/_static.

    python docs/dashboard_screenshots.py

(with this checkout's sktune importable: installed with ``pip install -e .``
or on ``PYTHONPATH``).

Runs the random and Bayesian searches of ``sktune demo`` (two searches of
one problem, on two workers so that the timeline has two rows) into a
temporary folder, serves it with ``sktune dashboard`` and photographs the
experiments, search and compare pages and the search page's timeline in
headless Chromium, driven by selenium as in tests/test_dashboard_browser.py
(Debian's chromium and chromium-driver; .ci/install-browser installs them).
"""

import os
import re
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.common.by import By

from sktune.demo import run_demo

STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_static")
WIDTH = 1200
_DRAWN = ("return [...document.querySelectorAll('.figure')].filter("
          "d => d.querySelector('.main-svg') && d.querySelector('.plot-container')).length")


def _wait_for(condition, what, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")


def _browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options,
                            service=webdriver.ChromeService("/usr/bin/chromedriver"))


def _shoot(driver, name, height):
    # the viewport itself, without the window's frame
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False})
    # the page's plots resize to the window: let them settle
    time.sleep(1.5)
    path = os.path.join(STATIC, name)
    driver.save_screenshot(path)
    print("wrote", path)


def _photograph(driver, base):
    driver.get(base + "/")
    _wait_for(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#experiments tbody tr")) == 2,
              "the experiments")
    links = {a.text: a.get_attribute("href")
             for a in driver.find_elements(By.CSS_SELECTOR, "#experiments a")}
    for box in driver.find_elements(By.CSS_SELECTOR, "#experiments input[type=checkbox]"):
        box.click()
    _shoot(driver, "dashboard_experiments.png", 330)
    driver.find_element(By.ID, "compare").click()
    _wait_for(lambda: driver.execute_script(_DRAWN) == 1, "the compare page")
    _shoot(driver, "dashboard_compare.png", 680)

    driver.get(links["bayes.db"])
    _wait_for(lambda: driver.execute_script(
        "return !!document.querySelector('#figure-timeline .main-svg')"), "the timeline")
    _shoot(driver, "dashboard_search.png", 1900)
    path = os.path.join(STATIC, "dashboard_timeline.png")
    driver.find_element(By.ID, "figure-timeline").screenshot(path)
    print("wrote", path)


def main():
    folder = tempfile.mkdtemp(prefix="sktune_screens_")
    run_demo(("random", "bayes"), n_jobs=2, report_dir=folder)
    server = subprocess.Popen(
        [sys.executable, "-m", "sktune", "dashboard", folder, "--port", "0"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        base = re.search(r"http://127\.0\.0\.1:\d+", server.stdout.readline()).group(0)
        driver = _browser()
        try:
            _photograph(driver, base)
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
