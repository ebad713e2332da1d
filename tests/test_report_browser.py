"""The HTML report opened in a real browser: headless Chromium, offline.

Chromium comes from Debian's packages (``.ci/install-browser``). Without it
the test is skipped on a developer's machine, but fails in CI (``CI`` set),
so the check never disappears silently.
"""

import io
import os
import re
import shutil
import subprocess

import matplotlib

matplotlib.use("Agg")  # headless, for this test process only

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from ci_env import in_ci
from PIL import Image  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

import sktune  # noqa: E402
from sktune.distributions import LogUniform  # noqa: E402

# Without a display, GPU, network or user profile: a fresh, isolated browser.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT = 120  # seconds; a first start on a loaded machine takes a few


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None and os.path.exists("/usr/bin/chromium"):
        path = "/usr/bin/chromium"
    if path is None:
        message = "Chromium is not installed: run .ci/install-browser (apt-get install chromium)"
        if in_ci():
            pytest.fail(message + "; CI must run the browser test.")
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def report_path(tmp_path_factory):
    X, y = load_iris(return_X_y=True)
    space = {"C": LogUniform(1e-2, 1e2), "kernel": ["rbf", "linear"]}
    search = sktune.ManualSearch(
        SVC(), [{"C": 1.0, "kernel": "rbf"}, {"C": 0.01, "kernel": "linear"},
                {"C": 50.0, "kernel": "rbf"}], cv=3,
    ).fit(X, y)
    random = sktune.RandomSearch(SVC(), space, n_iter=8, cv=3, random_state=0).fit(X, y)
    path = tmp_path_factory.mktemp("browser") / "report.html"
    sktune.write_report(random, path, title="Browser check of the sktune report")
    manual = path.with_name("manual.html")
    sktune.write_report(search, manual)
    return path


def _run(chromium, tmp_path, *args):
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    cmd = [chromium, *FLAGS, f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.decode("utf-8", errors="replace")


def _screenshot(chromium, tmp_path, url, size):
    shot = tmp_path / f"shot-{size.replace(',', 'x')}.png"
    _run(chromium, tmp_path, f"--screenshot={shot}", f"--window-size={size}", url)
    assert shot.exists(), "Chromium wrote no screenshot"
    return Image.open(io.BytesIO(shot.read_bytes())).convert("RGB")


def test_report_renders_in_headless_chromium(chromium, report_path, tmp_path):
    url = report_path.as_uri()
    picture = _screenshot(chromium, tmp_path, url, "1200,900")
    assert picture.size == (1200, 900)
    gray = np.asarray(picture.convert("L"), dtype=float)
    # a rendered page: mostly white background, with a good deal of dark text
    assert gray.std() > 10
    assert (gray < 100).mean() > 0.005
    assert (gray > 240).mean() > 0.5

    dom = _run(chromium, tmp_path, "--dump-dom", url)
    assert "<title>Browser check of the sktune report</title>" in dom
    assert '<table id="leaderboard">' in dom
    for column in ("rank", "mean_score", "C", "kernel"):
        assert re.search(rf"<th[^>]*>{column}</th>", dom), column
    assert dom.count("<img") == 4


def test_plots_show_up_in_the_browser(chromium, report_path, tmp_path):
    # The page is grey text on white; colour can only come from the plots,
    # so coloured pixels in a tall screenshot mean the base64 images decoded.
    picture = _screenshot(chromium, tmp_path, report_path.as_uri(), "1200,4000")
    rgb = np.asarray(picture, dtype=int)
    saturation = rgb.max(axis=2) - rgb.min(axis=2)
    assert (saturation > 60).mean() > 0.002

    manual = _run(chromium, tmp_path, "--dump-dom", report_path.with_name("manual.html").as_uri())
    assert "<title>sktune report: ManualSearch</title>" in manual
