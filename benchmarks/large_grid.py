"""A grid search's cost per candidate as the grid grows, with ``n_jobs=2``.

Every fit's task used to carry the callback contexts of all the search's
fits (and the search, which holds their root), so what each task sends to a
worker grew with the grid, and a whole search with the square of its size.
This times sktune's ``GridSearch`` and scikit-learn's ``GridSearchCV`` side
by side, with the same arguments, on grids of decision trees on the digits
data (3 folds, ``refit=False``) of growing size. The grids differ in
``ccp_alpha`` only, a value too small to prune: every candidate fits the
same tree, so the cost per candidate is the same at every size and any
growth is the search's own. Each size runs ``GridSearch`` and then
``GridSearchCV``; the table gives the wall seconds per 1,000 candidates and
their ratio to the smallest grid, a row per size as it is measured.

    python benchmarks/large_grid.py [--sizes 250 1000 2000 4000] [--n-jobs 2]
"""

import argparse
import time


def _grid(size):
    return {"ccp_alpha": [i * 1e-9 for i in range(size)], "max_depth": [8]}


def timed(cls, X, y, size, n_jobs):
    from sklearn.tree import DecisionTreeClassifier

    started = time.perf_counter()
    cls(DecisionTreeClassifier(random_state=0), _grid(size), cv=3, n_jobs=n_jobs,
        refit=False).fit(X, y)
    return time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 2000, 4000])
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args(argv)

    import sklearn
    from sklearn.datasets import load_digits
    from sklearn.model_selection import GridSearchCV

    import sktune

    X, y = load_digits(return_X_y=True)
    searches = {"sktune GridSearch": sktune.GridSearch, "sklearn GridSearchCV": GridSearchCV}
    timed(sktune.GridSearch, X, y, 20, args.n_jobs)  # workers started, imports done
    print(f"sktune {sktune.__version__}, scikit-learn {sklearn.__version__}, "
          f"n_jobs={args.n_jobs}, 3 folds; seconds per 1,000 candidates (x the smallest grid)")
    print("| candidates | " + " | ".join(searches) + " |")
    print("|---|" + "---|" * len(searches))
    first = {}
    for size in args.sizes:
        cells = []
        for name, cls in searches.items():
            per = 1000 * timed(cls, X, y, size, args.n_jobs) / size
            first.setdefault(name, per)
            cells.append(f"{per:.2f} ({per / first[name]:.2f})")
        print(f"| {size:,} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
