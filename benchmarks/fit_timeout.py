"""Cost of ``fit_timeout``: per-fit overhead, first-fit startup, data size.

Times ``GridSearch`` over a cheap estimator (a ridge fit on a small
problem), ``n_jobs=1``, without ``fit_timeout`` and with it. Run it with
the sktune to measure on the import path: run once from a checkout whose
``fit_timeout`` uses the timer signal and once from one whose fits run in
a fit runner process to compare the two.

* **per fit**: (search time - search time without fit_timeout) / fits,
  over ``--fits`` fits, the runner already started (a first search warms it).
* **first fit**: the extra time of the first search of a process with
  fit_timeout (starting the runner and its imports) over a warm one.
* **data**: per-fit overhead with ``X`` of 1 MB and 50 MB (float64), few
  fits, so that sending the data dominates.

    python benchmarks/fit_timeout.py [--fits 200] [--repeats 3]
"""

import argparse
import statistics
import time

import numpy as np
from sklearn.linear_model import Ridge

from sktune import GridSearch


def _search_time(X, y, n_fits, fit_timeout, cv=2):
    # n_fits // cv candidates, cv folds each
    grid = {"alpha": list(np.linspace(0.1, 10.0, max(n_fits // cv, 1)))}
    search = GridSearch(Ridge(), grid, cv=cv, n_jobs=1, refit=False,
                        fit_timeout=fit_timeout)
    start = time.perf_counter()
    search.fit(X, y)
    return time.perf_counter() - start


def _data(n_bytes, n_features=50, seed=0):
    rng = np.random.default_rng(seed)
    n_rows = max(n_bytes // (8 * n_features), 20)
    X = rng.normal(size=(n_rows, n_features))
    return X, X @ rng.normal(size=n_features) + rng.normal(size=n_rows)


def _overhead(X, y, n_fits, repeats):
    """Median seconds per fit that fit_timeout adds, with its runner warm."""
    _search_time(X, y, 2, 60.0)  # the runner of this process, started once
    extra = []
    for _ in range(repeats):
        plain = _search_time(X, y, n_fits, None)
        limited = _search_time(X, y, n_fits, 60.0)
        extra.append((limited - plain) / n_fits)
    return statistics.median(extra)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fits", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    X, y = _data(40_000)  # 100 rows x 50 features
    first = _search_time(X, y, 2, 60.0)
    warm = _search_time(X, y, 2, 60.0)
    rows = [("first search with fit_timeout (2 fits), s", f"{first:.2f}"),
            ("same search again, s", f"{warm:.2f}")]
    plain = _search_time(X, y, args.fits, None)
    rows.append((f"{args.fits} fits without fit_timeout, ms per fit",
                 f"{1000 * plain / args.fits:.2f}"))
    small = _overhead(X, y, args.fits, args.repeats)
    rows.append(("overhead per fit, 32 kB X, ms", f"{1000 * small:.2f}"))
    for megabytes, n_fits in ((1, 20), (50, 6)):
        X, y = _data(megabytes * 1_000_000)
        cost = _overhead(X, y, n_fits, args.repeats)
        rows.append((f"overhead per fit, {megabytes} MB X, ms", f"{1000 * cost:.1f}"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>8}")


if __name__ == "__main__":
    main()
