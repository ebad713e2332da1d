"""`sktune dashboard`, served for real: the CLI in a subprocess on a free port, fetched
with urllib and http.client; the checkpoints are only read, even while a search writes one."""

import hashlib
import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from dashboard_job import SCRIPT, random_search
from sklearn.datasets import load_iris
from sklearn.linear_model import SGDClassifier

from sktune import HyperbandSearch
from sktune.cli import main
from sktune.distributions import LogUniform
from sktune.search import results_from_checkpoint

TESTS = Path(__file__).parent
ROOT = TESTS.parent
X, y = load_iris(return_X_y=True)


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(TESTS), env.get("PYTHONPATH", "")])
    return env


def start_dashboard(*args):
    """``sktune dashboard ARGS --port 0`` in a subprocess; returns (process, base URL)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "sktune", "dashboard", *map(str, args), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT,
    )
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if match is None:
        proc.kill()
        raise AssertionError(f"no URL printed: {line!r} {proc.stderr.read()}")
    return proc, match.group(0).rstrip("/")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_writer(db, n_iter=12, delay=0.25):
    """A search writing ``db`` in a subprocess, a few seconds long."""
    return subprocess.Popen(
        [sys.executable, str(TESTS / "dashboard_job.py"), str(db), "--n-iter", str(n_iter),
         "--delay", str(delay)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    )


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, dict(response.headers), response.read()


def get_json(url):
    return json.loads(get(url)[2])


def status_of(base, path, host=None):
    """The status of a request for ``path`` sent as it is (no ``..`` folding)."""
    netloc = base.split("//")[1]
    conn = http.client.HTTPConnection(netloc, timeout=60)
    conn.putrequest("GET", path, skip_host=host is not None)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def ident(path):
    return hashlib.sha256(os.path.realpath(path).encode()).hexdigest()[:12]


def snapshot(folder):
    """Every file of ``folder``: name -> (bytes, mtime)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    random_search(folder / "random.db", n_iter=12)
    HyperbandSearch(
        SGDClassifier(random_state=0), {"alpha": LogUniform(1e-6, 1e-1)},
        resource="max_iter", max_resources=9, eta=3, cv=3, random_state=0,
        checkpoint=folder / "hb.db",
    ).fit(X, y)
    # neither is a checkpoint: the dashboard lists neither
    (folder / "notes.db").write_text("not a database")
    with sqlite3.connect(folder / "other.sqlite") as conn:
        conn.execute("CREATE TABLE t (x)")
    return folder


@pytest.fixture(scope="module")
def served(folder):
    proc, base = start_dashboard(folder)
    yield base
    stop(proc)


def test_the_experiments_list_every_checkpoint_of_the_folder(served, folder):
    found = {e["name"]: e for e in get_json(served + "/api/experiments")}
    assert sorted(found) == ["hb.db", "random.db"]
    random = found["random.db"]
    results = results_from_checkpoint(folder / "random.db")
    assert random["strategy"] == "RandomSearch"
    assert random["estimator"] == "TaggedCentroids()"
    assert random["status"] == "finished" and random["status_detail"] == "completed"
    assert random["n_candidates"] == 12
    assert random["best"] == pytest.approx(np.nanmax(results["mean_test_score"]))
    assert random["environment"]["numpy"] == np.__version__
    assert random["started"] and random["data"].startswith("X ")
    assert found["hb.db"]["strategy"] == "HyperbandSearch"
    status, headers, body = get(served + "/")
    assert status == 200 and b"/static/plotly.min.js" in body
    assert "default-src 'none'" in headers["content-security-policy"]
    assert b"<script>" not in body.replace(b'<script src="/static/', b"")  # no inline script


def test_a_search_page_and_its_data(served, folder):
    rid = ident(folder / "random.db")
    status, _, body = get(f"{served}/search/{rid}")
    assert status == 200 and b"random.db" in body
    page = get_json(f"{served}/api/search/{rid}")
    board = page["leaderboard"]
    assert board["columns"][:2] == ["rank", "mean_score"] and len(board["rows"]) == 12
    tag = board["columns"].index("tag")
    assert SCRIPT in {row[tag] for row in board["rows"]}  # as data, escaped by the page
    assert {"convergence", "parallel", "slices", "importance"} <= set(page["figures"])
    # the timeline: one bar per fit, on the one worker of a sequential search
    bars = page["figures"]["timeline"]["data"][0]
    assert len(bars["x"]) == 12 * 3 and len(set(bars["y"])) == 1
    assert bars["y"][0].endswith(f"pid {page['runs'][0]['pid']}")
    assert page["runs"][0]["environment"]["scikit-learn"]
    # the script's text reaches plotly as entities, never as markup
    text = json.dumps(page["figures"])
    assert "<script>" not in text and "&lt;script&gt;" in text
    # the surrogate's partial dependence: any strategy with 5 finite scores (here 12)
    dependence = page["figures"]["dependence"]
    assert dependence["layout"]["xaxis"]["type"] == "log"
    assert dependence["layout"]["xaxis2"]["type"] == "category"
    text = json.dumps(dependence)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert page["notes"] == []


def test_a_poll_naming_the_version_it_shows_gets_the_summary_alone(served, folder):
    url = f"{served}/api/search/{ident(folder / 'random.db')}"
    page = get_json(url)
    again = get_json(f"{url}?since={urllib.parse.quote(page['version'])}")
    assert again == {"id": page["id"], "version": page["version"], "unchanged": True,
                     "summary": page["summary"], "notes": page["notes"]}
    # another version (an older one, or another dashboard's) gets the whole page
    other = get_json(f"{url}?since=elsewhere.1")
    assert other["leaderboard"] == page["leaderboard"] and "unchanged" not in other


def test_hyperband_rows_at_the_full_budget_come_first(served, folder):
    page = get_json(f"{served}/api/search/{ident(folder / 'hb.db')}")
    columns, rows = page["leaderboard"]["columns"], page["leaderboard"]["rows"]
    budgets = [row[columns.index("n_resources")] for row in rows]
    n_full = budgets.count(max(budgets))
    assert all(b == max(budgets) for b in budgets[:n_full])
    assert [row[0] for row in rows[n_full:]] == [None] * (len(rows) - n_full)
    assert rows[0][0] == 1 and "hyperband" in page["figures"]
    results = results_from_checkpoint(folder / "hb.db")
    full = results["n_resources"] == max(budgets)
    assert rows[0][1] == pytest.approx(np.nanmax(results["mean_test_score"][full]))


def test_compare_puts_both_searches_on_one_axis(served, folder):
    ids = [ident(folder / "random.db"), ident(folder / "hb.db")]
    page = get_json(f"{served}/api/compare?id={ids[0]}&id={ids[1]}")
    assert [s["name"] for s in page["searches"]] == ["random.db", "hb.db"]
    assert page["same_data"] is True
    names = [trace["name"] for trace in page["figure"]["data"]]
    assert names == ["random.db: each candidate", "random.db: best so far",
                     "hb.db: each candidate", "hb.db: best so far"]
    assert get(f"{served}/compare?id={ids[0]}&id={ids[1]}")[0] == 200


@pytest.mark.parametrize("path", [
    "/search/000000000000", "/api/search/000000000000", "/api/compare?id=000000000000",
    "/compare?id=000000000000", "/search/../../../etc/passwd", "/../../etc/passwd",
    "/static/../_data.py", "/static/..%2f_data.py", "/static/..%2F..%2F..%2Fetc%2Fpasswd",
    "/api/search/..%2F..%2Fhb.db", "/hb.db", "/search/hb.db",
])
def test_only_the_catalog_ids_are_addressable(served, path):
    assert status_of(served, path) == 404


def test_another_host_name_is_refused(served):
    assert status_of(served, "/api/experiments", host="attacker.example") == 400
    assert status_of(served, "/api/experiments", host="localhost") == 200


def test_serving_writes_nothing_to_the_checkpoints(folder):
    before = snapshot(folder)
    proc, base = start_dashboard(folder)
    try:
        for e in get_json(base + "/api/experiments"):
            get(f"{base}/search/{e['id']}")
            get_json(f"{base}/api/search/{e['id']}")
    finally:
        stop(proc)
    assert snapshot(folder) == before  # no -wal nor -shm file either


def test_a_running_search_is_read_live_without_disturbing_it(tmp_path):
    db = tmp_path / "live.db"
    proc, base = start_dashboard(tmp_path)
    assert get_json(base + "/api/experiments") == []
    writer = start_writer(db)
    seen, states = [], set()
    try:
        deadline = time.monotonic() + 240
        while writer.poll() is None and time.monotonic() < deadline:
            for e in get_json(base + "/api/experiments"):
                seen.append(e["n_candidates"])
                states.add(e["status"])
                get_json(f"{base}/api/search/{e['id']}")
            time.sleep(0.05)
        _, err = writer.communicate(timeout=120)
        final = get_json(base + "/api/experiments")
    finally:
        stop(proc)
    assert writer.returncode == 0, err
    # the writer was never blocked: it kept no log open for a reader at close
    assert "write-ahead log" not in err
    assert "running" in states, (states, seen)
    assert len(set(seen)) >= 3 and seen == sorted(seen)  # the count grew as fits finished
    assert final[0]["status"] == "finished" and final[0]["n_candidates"] == 12
    assert final[0]["status_detail"] == "completed"


def test_bad_arguments_are_one_error_line_and_nothing_listens(tmp_path, capsys):
    assert main(["dashboard", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert re.search(r"The 'paths' parameter of sktune dashboard must name checkpoint "
                     r"files or folders\. Got '.*missing', which does not exist", err)
    with pytest.raises(SystemExit):
        main(["dashboard", str(tmp_path), "--port", "70000"])
    assert "must be in [0, 65535]" in capsys.readouterr().err


def test_serve_refuses_bad_host_and_port(tmp_path):
    from sktune.dashboard import serve

    with pytest.raises(ValueError, match=r"The 'port' parameter of sktune dashboard must be "
                       r"an int in \[0, 65535\] \(0: any free port\)\. Got -1 instead\."):
        serve([tmp_path], port=-1)
    with pytest.raises(TypeError, match=r"The 'host' parameter of sktune dashboard must be "
                       r"a non-empty str such as '127\.0\.0\.1'\. Got None instead\."):
        serve([tmp_path], host=None)
    with pytest.raises(ValueError, match=r"The 'paths' parameter of sktune dashboard must "
                       r"name at least one checkpoint file or folder of checkpoints\. "
                       r"Got \[\] instead\."):
        serve([])


def test_reading_a_stopped_search_s_checkpoint_creates_no_file(tmp_path):
    # SQLite made a -wal and a -shm file beside a WAL database to read it, even read-only
    random_search(tmp_path / "s.db", n_iter=3)
    before = snapshot(tmp_path)
    assert list(before) == ["s.db"]
    assert len(results_from_checkpoint(tmp_path / "s.db")["params"]) == 3
    assert snapshot(tmp_path) == before


def test_a_reader_left_open_sees_what_a_later_writer_adds(tmp_path):
    from sktune.store import CheckpointStore

    random_search(tmp_path / "s.db", n_iter=3)
    with CheckpointStore(tmp_path / "s.db", read_only=True) as reader:
        assert len(reader) == 3 and len(reader.runs()) == 1
        random_search(tmp_path / "s.db", n_iter=5)  # resumed: two more candidates
        assert len(reader) == 5 and len(reader.records()) == 5
        assert [r["stop_reason"] for r in reader.runs()] == ["completed", "completed"]
