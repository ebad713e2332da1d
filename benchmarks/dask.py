"""A search on loky against a two-worker local Dask cluster, and what scattering saves.

1. Wall time of the same RandomSearch on joblib's default backend (loky,
   n_jobs=2) and on a ``distributed.LocalCluster`` of two single-threaded
   worker processes, for cheap fits (where per-task overhead shows) and for
   slower ones. The cluster's start-up is timed on its own line.
2. Bytes on the wire for a search over a large X, three ways:

   * ``sktune``: sktune broadcasts X, y and the fit parameters to every worker
     once per fit (the default);
   * ``joblib``: sktune's scattering off; joblib's Dask backend scatters each
     large top-level argument once per ``Parallel`` call, i.e. once per round
     of a BayesSearch;
   * ``none``: no scattering at all (joblib's off too): the data travel with
     every batch of tasks.

   * ``sktune, AMM off``: as ``sktune``, with the scheduler's Active Memory
     Manager stopped (``client.amm.stop()``), which otherwise drops the
     extra copies of X while no task needs them (between rounds), so that a
     worker copies X again from a peer in a later round.

   "received" is every byte the workers read from the network (from the
   client, the scheduler and each other); "from peers" is the part copied
   from worker to worker; "copies" is received / (X + y).

    python benchmarks/dask.py [--quick] [--repeats 3]
"""

import os
import sys

# This file is called dask.py: with its folder on sys.path (python puts it
# first), `import dask` would import this file instead of the package.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from contextlib import contextmanager  # noqa: E402

import joblib  # noqa: E402
import numpy as np  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402
from distributed.comm import tcp  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

import sktune  # noqa: E402
from sktune.distributions import LogUniform  # noqa: E402
from sktune.search import _backend  # noqa: E402

# ---------------------------------------------------------------------------
# byte counters (this module is __main__, so cloudpickle ships these
# functions to the workers by value)


def _count_received(dask_worker):
    dask_worker.transfer_incoming_log.clear()
    if not hasattr(tcp, "_bench_received"):
        read_bytes_rw = tcp.read_bytes_rw

        async def counted(stream, n):
            tcp._bench_received += n
            return await read_bytes_rw(stream, n)

        tcp.read_bytes_rw = counted
    tcp._bench_received = 0


def _received(dask_worker):
    peers = sum(t["total"] for t in dask_worker.transfer_incoming_log)
    return tcp._bench_received, peers


@contextmanager
def _scattering(client, mode):
    """One of the four scattering set-ups of the module docstring."""
    import joblib._dask as jd

    min_bytes, weakrefable = _backend._MIN_SCATTER_BYTES, jd.is_weakrefable
    filters = list(warnings.filters)
    if mode in ("joblib", "none"):
        _backend._MIN_SCATTER_BYTES = float("inf")
    if mode == "none":
        jd.is_weakrefable = lambda obj: False
        # distributed warns about the large task graphs this produces: the point
        warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
    if mode == "sktune, AMM off":
        client.amm.stop()
    try:
        yield
    finally:
        _backend._MIN_SCATTER_BYTES, jd.is_weakrefable = min_bytes, weakrefable
        warnings.filters[:] = filters
        if not client.amm.running():
            client.amm.start()


def _fit(make, X, y, backend):
    search = make()
    start = time.perf_counter()
    with joblib.parallel_backend(backend):
        search.fit(X, y)
    return time.perf_counter() - start, search


# ---------------------------------------------------------------------------


def wall_times(client, repeats, quick):
    X, y = make_classification(
        n_samples=2000, n_features=20, n_informative=8, random_state=0
    )
    n_iter = 20 if quick else 40
    cases = [
        ("cheap fits (logistic, 2k x 20)",
         lambda: sktune.RandomSearch(LogisticRegression(), {"C": LogUniform(1e-3, 1e2)},
                                     n_iter=n_iter, cv=3, random_state=0, n_jobs=2)),
        ("slower fits (SVC, 2k x 20)",
         lambda: sktune.RandomSearch(SVC(), {"C": LogUniform(1e-2, 1e2),
                                             "gamma": LogUniform(1e-4, 1e-1)},
                                     n_iter=n_iter // 2, cv=3, random_state=0, n_jobs=2)),
    ]
    print(f"\nRandomSearch wall time, median of {repeats} (n_jobs=2 on loky; the same "
          "search under parallel_backend('dask'))")
    print(f"{'search':<34}{'fits':>6}{'loky s':>9}{'dask s':>9}{'dask/loky':>11}")
    for name, make in cases:
        _fit(make, X, y, "loky")  # start loky's workers outside the timing
        loky, dask = [], []
        for _ in range(repeats):
            loky.append(_fit(make, X, y, "loky")[0])
            t, search = _fit(make, X, y, "dask")
            dask.append(t)
        n_fits = len(search.cv_results_["params"]) * search.n_splits_
        a, b = statistics.median(loky), statistics.median(dask)
        print(f"{name:<34}{n_fits:>6}{a:9.2f}{b:9.2f}{b / a:11.2f}")


def scatter_saving(client, quick):
    n = 10_000 if quick else 20_000
    rng = np.random.RandomState(0)
    X = rng.randn(n, 100)
    y = (X[:, :5].sum(axis=1) + rng.randn(n) > 0).astype(int)
    mb = (X.nbytes + y.nbytes) / 1e6
    space = {"C": LogUniform(1e-3, 1e2)}
    cases = [
        ("RandomSearch, 1 round", lambda: sktune.RandomSearch(
            LogisticRegression(max_iter=50), space, n_iter=8, cv=3, random_state=0,
            refit=False)),
        ("BayesSearch, rounds of 2", lambda: sktune.BayesSearch(
            LogisticRegression(max_iter=50), space, n_iter=12, n_initial_points=4,
            batch_size=2, cv=3, random_state=0, refit=False)),
    ]
    print(f"\nBytes received by the 2 workers, X + y = {mb:.1f} MB")
    print(f"{'search':<26}{'rounds':>7}{'fits':>6}  {'scattering':<16}{'recv MB':>9}"
          f"{'from peers':>11}{'copies':>8}{'wall s':>8}")
    for name, make in cases:
        for mode in ("sktune", "sktune, AMM off", "joblib", "none"):
            client.run(_count_received)
            with _scattering(client, mode):
                t, search = _fit(make, X, y, "dask")
            counts = client.run(_received).values()
            received = sum(r for r, _ in counts) / 1e6
            peers = sum(p for _, p in counts) / 1e6
            rounds = len(set(search.cv_results_.get("iter", [0])))
            n_fits = len(search.cv_results_["params"]) * search.n_splits_
            print(f"{name:<26}{rounds:>7}{n_fits:>6}  {mode:<16}{received:9.1f}{peers:11.1f}"
                  f"{received / mb:8.1f}{t:8.2f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smaller data and searches")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=":0")
    client = Client(cluster)
    client.wait_for_workers(2)
    print(f"LocalCluster(n_workers=2, threads_per_worker=1) up in "
          f"{time.perf_counter() - start:.1f} s")
    try:
        wall_times(client, args.repeats, args.quick)
        scatter_saving(client, args.quick)
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
