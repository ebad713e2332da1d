"""The command line, run as a user runs it: a subprocess per command."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sktune.cli import main
from sktune.dashboard._data import _read_checkpoint
from sktune.demo import STRATEGIES
from sktune.store import CheckpointError, CheckpointStore

IRIS = (
    '[data]\ndataset = "iris"\n'
)

# A classifier slow enough to interrupt: written into the test's folder and
# put on PYTHONPATH, so that the configuration can name it by import path.
SLOW_MODULE = '''
import os
import time
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin


class SlowCentroid(ClassifierMixin, BaseEstimator):
    """Sleeps $SLOW_FIT seconds per fit: not a parameter, so a resumed run
    with another delay has the same fingerprint."""

    def __init__(self, shrink=1.0, delay=0.0):
        self.shrink = shrink
        self.delay = delay

    def fit(self, X, y):
        time.sleep(self.delay + float(os.environ.get("SLOW_FIT", 0)))
        self.classes_ = np.unique(y)
        centre = X.mean(axis=0)
        w = 1.0 / (1.0 + self.shrink)
        self.centroids_ = np.array(
            [centre + w * (X[y == c].mean(axis=0) - centre) for c in self.classes_]
        )
        return self

    def predict(self, X):
        d = ((X[:, None, :] - self.centroids_[None]) ** 2).sum(axis=2)
        return self.classes_[d.argmin(axis=1)]
'''


# the sktune beside these tests, whichever one is installed
ROOT = Path(__file__).resolve().parents[1]


def _env(folder, **extra):
    env = dict(os.environ, **extra)
    paths = (str(ROOT), str(folder), env.get("PYTHONPATH"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env.pop("COLUMNS", None)
    return env


def _default_sigint():
    # A shell that starts a job in the background makes it ignore SIGINT,
    # and Python keeps that; a terminal user's sktune gets the default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def sktune(*args, cwd, timeout=300):
    """Run ``python -m sktune ARGS``; return (status, stdout, stderr)."""
    proc = subprocess.run(
        [sys.executable, "-m", "sktune", *map(str, args)], cwd=cwd, env=_env(cwd),
        capture_output=True, text=True, timeout=timeout,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _n_records(db):
    try:
        with CheckpointStore(db, read_only=True) as store:
            return len(store)
    except CheckpointError:  # not created yet
        return 0


def _leaderboard_rows(stdout):
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("rank"))
    rows = []
    for line in lines[start + 1:]:
        if not re.match(r"\s+\d+\s", line):
            break
        rows.append(line)
    return rows


def _assert_one_error_line(status, stdout, stderr, pattern):
    assert status == 2, stderr
    assert "Traceback" not in stderr
    assert stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert re.fullmatch(pattern, lines[0]), lines[0]


@pytest.fixture
def job(tmp_path):
    (tmp_path / "slowmod.py").write_text(SLOW_MODULE)

    def write(name="job.toml", estimator='path = "slowmod.SlowCentroid"', search="",
              space='shrink = "LogUniform(1e-2, 1e2)"'):
        # the test's own module, which the configuration allows itself to import
        path = tmp_path / name
        path.write_text(
            f'[trust]\nallow_import = ["slowmod"]\n[estimator]\n{estimator}\n{IRIS}'
            f"[search]\n{search}\n[space]\n{space}\n"
        )
        return path

    return write


# demo ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_compares_every_strategy_and_writes_the_reports(tmp_path):
    status, out, err = sktune(
        "demo", "--n-samples", "240", "--top", "2", "--report-dir", "reports", cwd=tmp_path,
    )
    assert status == 0, err
    comparison = out[out.index("== comparison =="):].splitlines()
    assert comparison[1].split() == ["strategy", "best", "score", "evaluations", "wall", "time"]
    assert [line.split()[0] for line in comparison[2:2 + len(STRATEGIES)]] == list(STRATEGIES)
    for line in comparison[2:2 + len(STRATEGIES)]:
        name, best, evaluations, seconds, unit = line.split()
        assert 0.5 < float(best) <= 1 and int(evaluations) >= 4 and unit == "s"
    for name in STRATEGIES:
        assert re.search(rf"== {name}: \w+Search, \d+ evaluations in [\d.]+ s ==", out)
        page = (tmp_path / "reports" / f"{name}.html").read_text()
        assert page.lstrip().lower().startswith("<!doctype html") and "leaderboard" in page
    assert "HTML reports: reports" in out
    assert out.rstrip().endswith("sktune dashboard reports")
    assert sorted(p.name for p in (tmp_path / "reports").glob("*.db")) == sorted(
        f"{name}.db" for name in STRATEGIES)
    assert "Search: 16 candidates, 3-fold CV" in err  # progress, on stderr


@pytest.mark.slow
def test_demo_of_one_strategy_without_report(tmp_path):
    status, out, err = sktune(
        "demo", "--strategy", "random", "--n-samples", "200", "--no-report", "-q", cwd=tmp_path,
    )
    assert status == 0, err
    assert "== random: RandomSearch, 16 evaluations" in out
    assert len(_leaderboard_rows(out)) == 10
    assert list(tmp_path.iterdir()) == [] and err == ""
    assert "dashboard" not in out


@pytest.mark.slow
def test_a_second_demo_replaces_its_checkpoint_and_the_dashboard_reads_it(tmp_path):
    args = ("demo", "--strategy", "grid", "--n-samples", "150", "-q", "--report-dir", "d d")
    for _ in range(2):
        status, out, err = sktune(*args, cwd=tmp_path)
        assert status == 0, err
        assert "== grid: GridSearch, 16 evaluations" in out
        assert out.rstrip().endswith("sktune dashboard 'd d'")
    path = tmp_path / "d d" / "grid.db"
    with CheckpointStore(path, read_only=True) as store:
        # one run: the second demo fitted afresh instead of resuming the first's file
        assert len(store) == 16 and len(store.runs()) == 1
    page = _read_checkpoint(str(path))
    assert page["summary"]["n_candidates"] == 16 and "timeline" in page["figures"]


# run, resume, show, report ----------------------------------------------------------------


@pytest.mark.slow
def test_run_prints_the_leaderboard_and_a_second_run_resumes(tmp_path, job):
    config = job(search='strategy = "grid"\nn_points = 4\ncv = 3\ncheckpoint = "runs/a.db"')
    (tmp_path / "runs").mkdir()
    status, out, err = sktune("run", config.name, "--top", "3", cwd=tmp_path)
    assert status == 0, err
    assert "== GridSearch: 4 evaluations ==" in out
    assert len(_leaderboard_rows(out)) == 3
    assert "best parameters: {'shrink': " in out
    assert f"checkpoint: {Path('runs', 'a.db')}" in out
    assert "GridSearch: 4 candidates, 3-fold CV" in err

    status, out, err = sktune("run", config.name, cwd=tmp_path)
    assert status == 0, err
    assert "== GridSearch: 4 evaluations (4 read from the checkpoint) ==" in out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups and signals")
@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_running_again_resumes(tmp_path, job):
    config = job(search='strategy = "random"\nn_iter = 20\ncv = 2\nn_jobs = 2\n'
                        'random_state = 0\ncheckpoint = "job.db"')
    db = tmp_path / "job.db"
    # Ctrl-C on a terminal signals the whole process group: sktune and its workers
    proc = subprocess.Popen(
        [sys.executable, "-m", "sktune", "run", config.name], cwd=tmp_path,
        env=_env(tmp_path, SLOW_FIT="1.0"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True, preexec_fn=_default_sigint,
    )
    try:
        end = time.monotonic() + 120
        while _n_records(db) < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < end, "no candidate finished in 120 s"
            time.sleep(0.05)

        # the leaderboard of a search that is still running
        status, out, err = sktune("show", db.name, cwd=tmp_path)
        assert status == 0, err
        assert re.search(r"== job.db: \d+ evaluations recorded ==", out)
        assert 2 <= len(_leaderboard_rows(out)) < 20
        assert proc.poll() is None, "the search ended before it could be interrupted"

        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    n_saved = _n_records(db)
    assert 2 <= n_saved < 20
    assert err.strip().splitlines()[-1] == (
        f"sktune: interrupted: {n_saved} finished candidates are saved in job.db; run the "
        f"same configuration again to resume (sktune run {config.name})"
    )

    status, out, err = sktune("run", config.name, "--top", "30", cwd=tmp_path)
    assert status == 0, err
    assert f"== RandomSearch: 20 evaluations ({n_saved} read from the checkpoint) ==" in out
    assert len(_leaderboard_rows(out)) == 20
    assert _n_records(db) == 20


@pytest.mark.slow
def test_show_and_report_read_a_finished_checkpoint(tmp_path, job):
    config = job(search='strategy = "random"\nn_iter = 5\ncv = 2\nrandom_state = 0\n'
                        'checkpoint = "done.db"')
    assert sktune("run", config.name, "-q", cwd=tmp_path)[0] == 0

    status, out, err = sktune("show", "done.db", "--top", "2", cwd=tmp_path)
    assert (status, err) == (0, "")
    assert "== done.db: 5 evaluations recorded ==" in out
    assert _leaderboard_rows(out)[0].split()[0] == "1"
    assert len(_leaderboard_rows(out)) == 2

    status, out, err = sktune("report", "done.db", "-o", "out/page.html", cwd=tmp_path)
    _assert_one_error_line(status, out, err, r"sktune: error: .*out/page\.html.*")
    (tmp_path / "out").mkdir()
    status, out, err = sktune("report", "done.db", "-o", "out/page.html", "--title", "Mine",
                              cwd=tmp_path)
    assert status == 0, err
    assert out.strip() == f"wrote {Path('out', 'page.html')}"
    page = (tmp_path / "out" / "page.html").read_text()
    assert "<title>Mine</title>" in page and "data:image/png;base64," in page


@pytest.mark.parametrize("command", ["show", "report"])
@pytest.mark.slow
def test_show_and_report_of_a_file_that_is_not_a_checkpoint(tmp_path, command):
    (tmp_path / "notes.db").write_text("hello")
    status, out, err = sktune(command, "notes.db", cwd=tmp_path)
    _assert_one_error_line(
        status, out, err,
        r"sktune: error: The checkpoint 'notes\.db' is not a readable sktune checkpoint .*",
    )
    status, out, err = sktune(command, "missing.db", cwd=tmp_path)
    _assert_one_error_line(
        status, out, err, r"sktune: error: The checkpoint 'missing\.db' does not exist\.",
    )
    assert not (tmp_path / "missing.db").exists()


# a configuration with mistakes -------------------------------------------------------------


@pytest.mark.parametrize(
    "mistake, key, problem",
    [
        (dict(estimator='path = "sklearn.svm.SVX"'), "estimator.path",
         r"cannot import 'sklearn\.svm\.SVX': module 'sklearn\.svm' has no 'SVX' "
         r"\(did you mean 'SVR'\?\)"),
        (dict(estimator='path = "sklearn.svm.SVC"', space='gama = [0.1, 1.0]'), "space.gama",
         r"Invalid parameter 'gama' in the search space of RandomSearch for estimator SVC "
         r"\(did you mean 'gamma'\?\)\. Valid parameters are: \[.*\]\."),
        (dict(space='shrink = "LogUniform(1e-2, 1e2"'), "space.shrink",
         r"malformed distribution 'LogUniform\(1e-2, 1e2': expected a call such as "
         r"\"LogUniform\(1e-3, 1e3\)\" with literal arguments"),
        (dict(data='csv = "data/train.csv"\ntarget = "y"'), "data.csv",
         r"no such file: .*/data/train\.csv"),
        (dict(data='csv = "train.csv"\ntarget = "label"'), "data.target",
         r"no column 'label' in train\.csv; the columns are a, b, y"),
    ],
    ids=["unknown-estimator", "unknown-parameter", "malformed-distribution",
         "missing-data-file", "missing-target-column"],
)
@pytest.mark.slow
def test_a_config_mistake_gives_one_error_line(tmp_path, job, mistake, key, problem):
    config = job(search='strategy = "random"\nn_iter = 2\ncv = 2',
                 **{k: v for k, v in mistake.items() if k != "data"})
    if "data" in mistake:
        (tmp_path / "train.csv").write_text("a,b,y\n1,2,0\n3,4,1\n")
        config.write_text(config.read_text().replace('dataset = "iris"', mistake["data"]))
    status, out, err = sktune("run", config.name, cwd=tmp_path)
    _assert_one_error_line(status, out, err, rf"sktune: error: job\.toml: {key}: {problem}")


@pytest.mark.slow
def test_an_error_during_the_search_gives_one_line_too(tmp_path, job):
    # every fit fails: scikit-learn's message holds the workers' tracebacks
    config = job(search='strategy = "grid"\ncv = 2',
                 space='shrink = [1.0]\ndelay = [-1.0]')
    status, out, err = sktune("run", config.name, "-q", cwd=tmp_path)
    assert status == 2, err
    last = err.strip().splitlines()[-1]
    assert re.fullmatch(
        r"sktune: error: job\.toml: All the 2 fits failed\..* \.\.\. ValueError: .*sleep.*", last
    ), last

    status, out, err = sktune("--traceback", "run", config.name, "-q", cwd=tmp_path)
    assert status == 1 and "Traceback (most recent call last)" in err


@pytest.mark.slow
def test_missing_config_file_and_bad_arguments(tmp_path):
    status, out, err = sktune("run", "nope.toml", cwd=tmp_path)
    _assert_one_error_line(status, out, err,
                           r"sktune: error: nope\.toml: no such configuration file")
    status, out, err = sktune("show", "x.db", "--top", "0", cwd=tmp_path)
    assert status == 2 and "argument --top: must be >= 1, got 0" in err
    status, out, err = sktune("frobnicate", cwd=tmp_path)
    assert status == 2 and "invalid choice: 'frobnicate'" in err


@pytest.mark.slow
def test_console_script_and_version(tmp_path):
    script = shutil.which("sktune", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.skip("the console script is not installed (pip install -e .)")
    proc = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert re.fullmatch(r"sktune \S+", proc.stdout.strip())


# in-process checks of the error boundary ---------------------------------------------------


def test_a_bug_keeps_its_traceback(monkeypatch):
    # only user errors become one line; anything else is a bug to report
    import sktune.search

    def broken(path):
        raise KeyError("bug")

    monkeypatch.setattr(sktune.search, "results_from_checkpoint", broken)
    with pytest.raises(KeyError, match="bug"):
        main(["show", "any.db"])


def test_progress_lines_come_from_the_main_process_only(capsys):
    import pickle

    from sktune.cli._progress import LineProgress, progress_callbacks

    assert progress_callbacks(quiet=True) == []
    (callback,) = progress_callbacks(stream=open(os.devnull, "w"))
    assert isinstance(callback, LineProgress)
    # the copy a worker gets has no stream, and a worker prints nothing
    copy = pickle.loads(pickle.dumps(callback))
    assert copy.stream is None
    copy._pid = -1

    class Context:
        task_name, max_subtasks, sequential_subtasks = "search", 6, False

    class Search:
        n_splits_ = 3

    copy.on_fit_task_begin(Search(), Context())
    assert capsys.readouterr().err == ""
    callback.stream = None
    callback.on_fit_task_begin(Search(), Context())
    assert capsys.readouterr().err == "Search: 2 candidates, 3-fold CV\n"


def test_a_checkpoint_of_another_search_is_refused_in_one_line(tmp_path, capsys):
    config = tmp_path / "job.toml"
    text = ('[estimator]\npath = "sklearn.svm.SVC"\n' + IRIS
            + '[search]\nstrategy = "grid"\ncv = 2\ncheckpoint = "job.db"\n[space]\nC = [1.0]\n')
    config.write_text(text)
    assert main(["run", str(config), "-q"]) == 0
    config.write_text(text.replace("C = [1.0]", "C = [2.0]"))
    capsys.readouterr()
    assert main(["run", str(config), "-q"]) == 2
    err = capsys.readouterr().err
    assert re.fullmatch(
        rf"sktune: error: {re.escape(str(config))}: The checkpoint '.*job\.db' of GridSearch "
        r"was written by a search with different search space; .* delete the file to start "
        r"over\.\n", err,
    ), err


@pytest.mark.slow
def test_show_prints_the_budget_columns_of_a_hyperband_checkpoint(tmp_path, job):
    config = job(search='strategy = "hyperband"\nresource = "n_samples"\nmin_resources = 20\n'
                        'cv = 2\nrandom_state = 0\ncheckpoint = "hb.db"')
    status, ran, err = sktune("run", config.name, "-q", "--top", "50", cwd=tmp_path)
    assert status == 0, err
    status, shown, err = sktune("show", "hb.db", "--top", "50", cwd=tmp_path)
    assert (status, err) == (0, "")
    header = next(line for line in shown.splitlines() if line.lstrip().startswith("rank"))
    assert "n_resources" in header and "bracket" in header
    assert header in ran
    # the same evaluations, budgets and brackets as the search's own leaderboard
    assert sorted(_leaderboard_rows(shown)) == sorted(_leaderboard_rows(ran))


# real tables and bounds, through the command line (issues 17 and 18) -------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.slow
def test_the_mixed_type_example_runs_and_resumes(tmp_path):
    for name in ("mixed_types.toml", "mixed_types.csv"):
        shutil.copy(EXAMPLES / name, tmp_path)
    status, out, err = sktune("run", "mixed_types.toml", "-q", "--top", "3", cwd=tmp_path)
    assert status == 0, err
    assert "== RandomSearch: 8 evaluations ==" in out
    best = float(_leaderboard_rows(out)[0].split()[1])
    assert 0.75 < best <= 1  # ROC AUC; the text, categories and numbers all carry signal
    # the same DataFrame, with its text columns, fingerprints the same in a new process
    status, out, err = sktune("run", "mixed_types.toml", "-q", cwd=tmp_path)
    assert status == 0, err
    assert "== RandomSearch: 8 evaluations (8 read from the checkpoint) ==" in out


@pytest.mark.slow
def test_a_huge_n_iter_is_refused_at_once(tmp_path):
    config = tmp_path / "job.toml"
    config.write_text('[estimator]\npath = "sklearn.svm.SVC"\n' + IRIS + '[search]\n'
                      'strategy = "random"\nn_iter = 1000000000000\n[space]\n'
                      'C = "LogUniform(1e-2, 1e2)"\n')
    start = time.monotonic()
    status, out, err = sktune("run", config.name, cwd=tmp_path, timeout=120)
    _assert_one_error_line(
        status, out, err, r"sktune: error: job\.toml: search\.n_iter: 1000000000000 candidates "
        r"is more than a configuration runs: at most 10000 .*",
    )
    assert time.monotonic() - start < 60


@pytest.mark.slow
def test_deeply_nested_toml_is_one_error_line_not_a_traceback(tmp_path):
    (tmp_path / "job.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    status, out, err = sktune("run", "job.toml", cwd=tmp_path)
    _assert_one_error_line(
        status, out, err, r"sktune: error: job\.toml: invalid TOML: nested too deeply to parse "
        r"\(a configuration nests at most 32 levels\)",
    )


@pytest.mark.slow
def test_allow_import_takes_module_names(tmp_path):
    status, out, err = sktune("run", "job.toml", "--allow-import", "os;rm", cwd=tmp_path)
    assert status == 2
    assert "argument --allow-import: must be a module name such as mypackage, got 'os;rm'" in err
