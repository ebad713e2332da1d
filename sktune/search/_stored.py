"""``cv_results_`` rebuilt from a checkpoint file, without the search that wrote it."""

import math
import os
from typing import Any

import numpy as np

from .._compat import _insert_error_scores, _yield_masked_array_for_each_param
from .._ranks import ranks
from ..store import CheckpointError, CheckpointStore
from ._json_values import decode_params
from .hyperband._resources import drop_epochs


def _store_column(results, key, values, *, splits=False, rank=False):
    """Add the mean, std (and per-split, rank) columns of one (n_candidates, n_splits) table."""
    table = np.asarray(values, dtype=np.float64)
    if splits:
        for k in range(table.shape[1]):
            results[f"split{k}_{key}"] = table[:, k]
    means = table.mean(axis=1)
    results[f"mean_{key}"] = means
    results[f"std_{key}"] = np.sqrt(((table - means[:, None]) ** 2).mean(axis=1))
    if rank:
        results[f"rank_{key}"] = ranks(means)


def _scores_by_metric(scores):
    """metric -> (n_candidates, n_splits) table; ``score`` for a single metric."""
    first = scores[0][0]
    if not isinstance(first, dict):
        return {"score": scores}
    return {m: [[s[m] for s in row] for row in scores] for m in first}


def cv_results_from_rows(params, outputs, more):
    """The ``cv_results_`` dict of stored candidates, in a fitted search's layout.

    ``outputs`` holds, per candidate, one dict per split (``fit_time``,
    ``score_time``, ``test_scores`` and optionally ``train_scores``, a float
    or a metric -> float dict); ``more`` the search's own columns.
    """
    results = {k: np.asarray(v) for k, v in more.items()}
    for key in ("fit_time", "score_time"):
        _store_column(results, key, [[o[key] for o in row] for row in outputs])
    results.update(_yield_masked_array_for_each_param(params))
    results["params"] = params
    test = _scores_by_metric([[o["test_scores"] for o in row] for row in outputs])
    train = None
    if all("train_scores" in o for row in outputs for o in row):
        train = _scores_by_metric([[o["train_scores"] for o in row] for row in outputs])
    for metric, table in test.items():
        _store_column(results, f"test_{metric}", table, splits=True, rank=True)
        if train is not None:
            _store_column(results, f"train_{metric}", train[metric], splits=True)
    return results


def results_from_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``cv_results_`` of the candidates recorded in a checkpoint file.

    Works on the checkpoint of a finished search and on one that is still
    being written: the file is opened read-only, without the writer's lock.
    Rows come in the order the candidates finished, which for a parallel
    search may differ from the fitted search's candidate order. The columns a
    search adds on its own (HyperbandSearch's ``bracket``, ``rung`` and
    ``n_resources``, BayesSearch's ``iter`` and its surrogate's prediction...)
    come back too when every record has them. Nothing in the file is
    executed: parameter values are read from JSON, and an object the search
    drew from its space (an estimator, a dict of class weights) comes back as
    a :class:`~sktune.search._json_values.StoredRepr`, a ``str`` that prints
    as the object did.

    Parameters
    ----------
    path : str or os.PathLike
        A checkpoint file written by a search's ``checkpoint=``.

    Returns
    -------
    cv_results : dict
        In the layout of ``cv_results_`` (``params``, ``mean_test_score``,
        ``rank_test_score``, ``split0_test_score``, ``mean_fit_time``...), one
        row per recorded candidate; ``*_test_<metric>`` columns for a
        multi-metric search.

    Raises
    ------
    CheckpointError
        If the file does not exist, is not an sktune checkpoint (or one of the
        older, pickled format), holds values sktune does not write, or
        records no candidate yet.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import SVC
    >>> from sktune import GridSearch
    >>> from sktune.search import results_from_checkpoint
    >>> X, y = load_iris(return_X_y=True)
    >>> path = os.path.join(tempfile.mkdtemp(), "search.db")
    >>> search = GridSearch(SVC(), {"C": [0.01, 1.0]}, cv=3, checkpoint=path).fit(X, y)
    >>> results = results_from_checkpoint(path)
    >>> results["params"]
    [{'C': 0.01}, {'C': 1.0}]
    >>> bool((results["mean_test_score"] == search.cv_results_["mean_test_score"]).all())
    True
    """
    with CheckpointStore(path, read_only=True) as store:
        records = list(store.records(decode=decode_params).values())
        extras = list(store.extras(decode=decode_params).values())
    return results_from_records(path, records, extras)


def results_from_records(path, records, extras):
    """:func:`results_from_checkpoint` of records already read from the file at ``path``.

    ``records`` is a list of ``(params, outputs)`` and ``extras`` the list of
    the records' own columns, in finishing order, as
    :meth:`~sktune.store.CheckpointStore.records` and
    :meth:`~sktune.store.CheckpointStore.extras` give them (their values);
    ``path`` only names the file in errors.
    """
    if not records:
        raise CheckpointError(
            f"The checkpoint {str(path)!r} records no finished candidate yet."
        )
    n_splits = len(records[0][1])
    if any(len(outputs) != n_splits for _, outputs in records):
        # Hyperband's subsampled rungs keep the search's number of splits,
        # so different counts mean a file written by hand or by another tool
        raise CheckpointError(
            f"The checkpoint {str(path)!r} records candidates with different numbers "
            "of cross-validation splits; it cannot be read as one search."
        )
    names = [n for n in extras[0] if all(n in e for e in extras)]
    more = {n: [e[n] for e in extras] for n in names}
    params = [p for p, _ in records]
    outputs = [[dict(o) for o in row] for _, row in records]
    # A failed fit of a multi-metric search is stored before the search fills
    # in its per-metric error scores (it does so when the results are formatted).
    _insert_error_scores([o for row in outputs for o in row], math.nan)
    return drop_epochs(cv_results_from_rows(params, outputs, more))
