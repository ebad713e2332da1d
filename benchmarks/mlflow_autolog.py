"""MLflow autologging: what each search logs and what it costs, beside GridSearchCV.

Every search tunes ``C`` of a logistic regression on a 300-sample
classification problem, 16 candidates (HyperbandSearch: its schedule at
``max_resources=200``), cv=3, n_jobs=1, inside a run the script opens, as a
user would (``with mlflow.start_run(): search.fit(X, y)``). Each search is
timed (wall and CPU time of this process, which includes MLflow's logging
threads) with autologging off and then on, back to back, ``--repeats``
times; each ratio, and the CPU time autologging added, is the median over
the repeats (after one untimed autologged fit, which imports what MLflow
logs with). Two ways of turning autologging on are compared:

* ``mlflow``: ``mlflow.sklearn.autolog(...)`` alone;
* ``sktune``: ``sktune.mlflow.autolog(...)`` (skipped where sktune has no
  ``sktune.mlflow``, as before issue 18);
* ``live``: ``sktune.mlflow.autolog(..., log_every_candidate=True)``, a child
  run logged as each candidate finishes (skipped where sktune has no such
  argument).

The table counts, in the run's experiment, the runs (the user's run and its
child runs, plus any run an inner fit started), the parameters and metrics
of the user's run, MLflow's "Changing param values" errors, and the models
logged (``--log-models``).

The last columns: ``x GridSearchCV``, the wall time with autologging on
over that of ``GridSearchCV`` under ``mlflow.sklearn.autolog``, measured in
the same run; ``live s``, the wall seconds the fit spent writing child runs
as candidates finished (``live`` only; their ranks are queued at the end
and written with MLflow's other end-of-fit logging), and ``ms/child``, that
time per child run.

    python benchmarks/mlflow_autolog.py [--repeats 3] [--log-models] [--store file]
                                        [--modes mlflow sktune live] [--searches NAME ...]
"""

import os

# no usage reporting to MLflow's servers; the file store is a plain folder
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import functools  # noqa: E402
import inspect  # noqa: E402
import io  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import mlflow  # noqa: E402
import mlflow.sklearn  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

import sktune  # noqa: E402
from sktune import (  # noqa: E402
    BayesSearch,
    GridSearch,
    HyperbandSearch,
    LogUniform,
    ManualSearch,
    RandomSearch,
)

try:
    import sktune.mlflow as sktune_mlflow
except ImportError:
    sktune_mlflow = None
LIVE = sktune_mlflow is not None and "log_every_candidate" in inspect.signature(
    sktune_mlflow.autolog).parameters


def searches():
    """name -> a function returning the unfitted search."""
    model = LogisticRegression(max_iter=500)
    grid = {"C": [float(c) for c in np.logspace(-3, 2, 16)]}
    space = {"C": LogUniform(1e-3, 1e2)}
    common = dict(cv=3, n_jobs=1)
    return {
        "GridSearchCV": lambda: GridSearchCV(model, grid, **common),
        "GridSearch": lambda: GridSearch(model, grid, **common),
        "RandomSearch": lambda: RandomSearch(model, space, n_iter=16, random_state=0, **common),
        "BayesSearch": lambda: BayesSearch(model, space, n_iter=16, random_state=0, **common),
        "HyperbandSearch": lambda: HyperbandSearch(
            model, space, resource="n_samples", max_resources=200, random_state=0, **common
        ),
        "ManualSearch": lambda: ManualSearch(model, [{"C": c} for c in grid["C"]], **common),
    }


def _autolog(mode, **kwargs):
    if mode == "live":
        sktune_mlflow.autolog(log_every_candidate=True, **kwargs)
    elif mode == "sktune":
        sktune_mlflow.autolog(**kwargs)
    else:
        mlflow.sklearn.autolog(**kwargs)


def _off():
    if sktune_mlflow is not None:
        sktune_mlflow.autolog(disable=True)
    mlflow.sklearn.autolog(disable=True)


class _LiveClock:
    """Wall seconds spent in the child runs written as candidates finish, while entered."""

    def __init__(self):
        self.seconds = 0.0
        self.calls = 0

    def _timed(self, call):
        @functools.wraps(call)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self.calls += 1

        return timed

    def __enter__(self):
        if LIVE:
            from sktune._mlflow_runs import LiveChildRuns

            self._call = LiveChildRuns.__call__
            LiveChildRuns.__call__ = self._timed(self._call)
        return self

    def __exit__(self, *exc):
        if LIVE:
            from sktune._mlflow_runs import LiveChildRuns

            LiveChildRuns.__call__ = self._call


def _fit(make, X, y, experiment=None):
    """(wall s, CPU s of this process, run id) of one fit, in a new run of ``experiment``."""
    search = make()
    start, cpu = time.perf_counter(), time.process_time()
    if experiment is None:
        search.fit(X, y)
        return time.perf_counter() - start, time.process_time() - cpu, None
    with mlflow.start_run(experiment_id=experiment) as run:
        search.fit(X, y)
    return time.perf_counter() - start, time.process_time() - cpu, run.info.run_id


def measure(name, make, mode, X, y, repeats, log_models):
    """Times off and on, and what the last repeat logged."""
    times = {"off": [], "on": [], "cpu off": [], "cpu on": [], "ratio": [], "cpu ratio": [],
             "cpu added": [], "live": [], "per child": []}
    for repeat in range(repeats):
        _off()
        off, cpu_off, _ = _fit(make, X, y)
        _autolog(mode, log_models=log_models)
        experiment = mlflow.create_experiment(f"{name}-{mode}-{log_models}-{repeat}")
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors), _LiveClock() as live:
            on, cpu_on, run_id = _fit(make, X, y, experiment)
        _off()
        values = (off, on, cpu_off, cpu_on, on / off, cpu_on / cpu_off, cpu_on - cpu_off,
                  live.seconds, live.seconds / max(live.calls, 1))
        for key, value in zip(times, values):
            times[key].append(value)
    run = mlflow.get_run(run_id)
    params = run.data.params
    return {
        "runs": len(mlflow.search_runs([experiment])),
        "params": len(params),
        "metrics": len(run.data.metrics),
        "best_C": f"{float(params['best_C']):.3g}" if "best_C" in params else "-",
        "errors": errors.getvalue().count("Changing param values"),
        "models": len(mlflow.search_logged_models([experiment])) if log_models else 0,
        **{key: statistics.median(values) for key, values in times.items()},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--log-models", action="store_true",
                        help="also log models (log_models=True), for GridSearchCV and GridSearch")
    parser.add_argument("--store", choices=["file", "sqlite"], default="file")
    parser.add_argument("--modes", nargs="+", choices=["mlflow", "sktune", "live"],
                        default=["mlflow", "sktune", "live"])
    parser.add_argument("--searches", nargs="+", choices=list(searches()),
                        default=list(searches()))
    args = parser.parse_args(argv)

    X, y = make_classification(n_samples=300, n_features=10, random_state=0)
    tmp = Path(tempfile.mkdtemp())
    uri = (tmp / "mlruns").as_uri() if args.store == "file" else f"sqlite:///{tmp}/mlflow.db"
    mlflow.set_tracking_uri(uri)
    print(f"mlflow {mlflow.__version__}, scikit-learn {sklearn.__version__}, "
          f"sktune {sktune.__version__}, {args.store} store, median of {args.repeats}\n")
    print("| search | autolog | log_models | runs | params | metrics | best_C | errors | "
          "models | wall s off | wall s on | wall on/off | CPU s off | CPU s on | CPU on/off "
          "| CPU s added | x GridSearchCV | live s | ms/child |")
    print("|---" * 19 + "|")
    available = {"mlflow": True, "sktune": sktune_mlflow is not None, "live": LIVE}
    modes = [mode for mode in args.modes if available[mode]]
    cases = [(name, mode, False) for name in args.searches for mode in modes
             if not (name == "GridSearchCV" and mode != "mlflow")]
    if args.log_models:
        cases += [(name, mode, True) for name in ("GridSearchCV", "GridSearch")
                  for mode in modes if not (name == "GridSearchCV" and mode != "mlflow")]
    # the reference of the last column, whatever the modes asked for
    if ("GridSearchCV", "mlflow", False) not in cases:
        cases.insert(0, ("GridSearchCV", "mlflow", False))
    reference = {}
    with warnings.catch_warnings():
        # scikit-learn's and MLflow's warnings about the metrics MLflow computes
        warnings.simplefilter("ignore")
        # not timed: the first autologged fit imports what MLflow draws and logs with
        measure("warm-up", searches()["GridSearchCV"], "mlflow", X, y, 1, args.log_models)
        for name, mode, log_models in cases:
            r = measure(name, searches()[name], mode, X, y, args.repeats, log_models)
            if name == "GridSearchCV":
                reference[log_models] = r["on"]
            print(f"| {name} | {mode} | {log_models} | {r['runs']} | {r['params']} | "
                  f"{r['metrics']} | {r['best_C']} | {r['errors']} | {r['models']} | "
                  f"{r['off']:.2f} | {r['on']:.2f} | {r['ratio']:.1f} | {r['cpu off']:.2f} | "
                  f"{r['cpu on']:.2f} | {r['cpu ratio']:.1f} | {r['cpu added']:.2f} | "
                  f"{r['on'] / reference[log_models]:.2f} | "
                  + (f"{r['live']:.2f} | {1000 * r['per child']:.1f} |" if mode == "live"
                     else "- | - |"),
                  flush=True)


if __name__ == "__main__":
    main()
