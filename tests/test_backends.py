"""Every search under every joblib backend, Ray's included (issue 18).

A search streams its fits' results back as they finish, which some
backends cannot do (``multiprocessing``, Ray): under those it takes the
whole list of each call instead. Each search class is fitted with
``n_jobs=2`` under ``loky``, ``threading``, ``multiprocessing`` and a real
local Ray (two CPUs, started on 127.0.0.1 by a fixture of this module), and
must give the ``cv_results_`` of the default backend for the same
``random_state``. Dask has its own module, ``tests/test_dask.py``.

Without Ray (the ``ray`` extra) the Ray tests are skipped on a developer's
machine but fail in CI (``CI`` set): CI must run them.
"""

import os
import warnings

import joblib
import numpy as np
import pytest
from ci_env import in_ci
from search_cases import SEARCH_CASES
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from sktune.distributions import Integer, LogUniform
from sktune.search._backend import result_order
from sktune.store import CheckpointStore

pytestmark = pytest.mark.timeout(300)

X, y = make_classification(n_samples=120, n_features=6, n_informative=3, random_state=0)
SPACE = {"C": LogUniform(1e-3, 1e2), "max_iter": Integer(50, 200)}
CASES = sorted(SEARCH_CASES)
# backends that cannot stream results and those that can; "loky" is the default
LOCAL_BACKENDS = ["loky", "threading", "multiprocessing"]


def _search(name, **kwargs):
    return SEARCH_CASES[name](LogisticRegression(), SPACE, cv=3, n_jobs=2, **kwargs)


def _fit(name, backend, **kwargs):
    with warnings.catch_warnings():
        # a small grid or a Hyperband bracket may warn about the space's size
        warnings.simplefilter("ignore", UserWarning)
        with joblib.parallel_config(backend=backend):
            return _search(name, **kwargs).fit(X, y)


def _comparable(results):
    """Every column of cv_results_ except the timings, as plain lists.

    Compare two with ``np.testing.assert_equal``, for which NaN equals NaN.
    """
    return {
        key: np.ma.asarray(values).tolist() if key.startswith("param_") else
        (list(values) if key == "params" else np.asarray(values).tolist())
        for key, values in results.items()
        if not key.endswith("_time")
    }


@pytest.fixture(scope="module")
def reference():
    """cv_results_ of each search under the default backend, fitted once."""
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = _comparable(_fit(name, "loky").cv_results_)
        return cache[name]

    return get


def test_result_order_follows_the_backend():
    assert result_order() == "generator_unordered"
    with joblib.parallel_config(backend="threading"):
        assert result_order() == "generator_unordered"
    with joblib.parallel_config(backend="multiprocessing"):
        assert result_order() == "list"


@pytest.mark.slow
@pytest.mark.parametrize("backend", LOCAL_BACKENDS)
@pytest.mark.parametrize("name", CASES)
def test_every_search_runs_and_agrees_under_local_backends(name, backend, reference):
    search = _fit(name, backend)
    assert search.stop_reason_ == "completed"
    np.testing.assert_equal(_comparable(search.cv_results_), reference(name))


@pytest.mark.slow
def test_checkpoint_records_each_candidate_under_a_list_backend(tmp_path):
    # BayesSearch fits in several rounds (calls); each of its candidates
    # must reach the checkpoint, and a second fit takes them all from there.
    path = tmp_path / "search.db"
    first = _fit("BayesSearch", "multiprocessing", checkpoint=path)
    n = len(first.cv_results_["params"])
    with CheckpointStore(path, read_only=True) as store:
        assert len(store) == n
    again = _fit("BayesSearch", "multiprocessing", checkpoint=path)
    assert again.n_reused_ == n
    np.testing.assert_equal(_comparable(again.cv_results_), _comparable(first.cv_results_))


# -- Ray ---------------------------------------------------------------------------

# Read by Ray when it is imported: on Linux Ray otherwise binds its servers to
# the machine's outward address; this keeps the whole cluster on 127.0.0.1.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")


@pytest.fixture(scope="module")
def ray_backend():
    """A local Ray of two CPUs on 127.0.0.1, its joblib backend registered."""
    try:
        import ray
        from ray.util.joblib import register_ray
    except ImportError:  # pragma: no cover - depends on the environment
        if in_ci():
            pytest.fail(
                "ray is not installed; CI must run the Ray tests "
                "(pip install -e '.[dev]' installs it).",
                pytrace=False,
            )
        pytest.skip("ray (the 'ray' extra) cannot be imported on this Python")
    from joblib.pool import PicklingPool

    # Ray's backend rebases joblib's PicklingPool onto Ray's own Pool, for the
    # whole process: without undoing it, every later search on the
    # multiprocessing backend would run on Ray (and start a new Ray).
    bases = PicklingPool.__bases__
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    try:
        # Never let the test reach past the loopback interface.
        assert ray.util.get_node_ip_address() == "127.0.0.1"
        register_ray()
        yield "ray"
    finally:
        ray.shutdown()
        PicklingPool.__bases__ = bases


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_every_search_runs_and_agrees_under_ray(name, ray_backend, reference):
    search = _fit(name, ray_backend)
    assert search.stop_reason_ == "completed"
    np.testing.assert_equal(_comparable(search.cv_results_), reference(name))
