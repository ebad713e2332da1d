"""The fits of a checkpoint placed in time: which worker ran each, when, how long."""

from ..plot._timeline import timeline_figure


def worker_fits(records):
    """``(worker, start, seconds, candidate)`` per fit that says where it ran.

    Parameters
    ----------
    records : list of list of dict
        Per candidate, in the checkpoint's order, its per-split outputs as
        :meth:`~sktune.store.CheckpointStore.records` reads them.

    Returns
    -------
    fits : list of tuple
        Sorted by start. Fits written before sktune recorded their worker
        (no ``start_time``) are left out, so an older file gives ``[]``.

    Examples
    --------
    >>> from sktune.dashboard._timeline import worker_fits
    >>> out = {"start_time": 10.0, "fit_time": 1.5, "score_time": 0.5,
    ...        "worker_host": "node", "worker_pid": 42}
    >>> worker_fits([[out], [{"fit_time": 1.0}]])
    [('node pid 42', 10.0, 2.0, 0)]
    """
    fits = []
    for i, outputs in enumerate(records):
        for out in outputs:
            if out.get("start_time") is None:
                continue
            worker = f"{out.get('worker_host', '?')} pid {out.get('worker_pid', '?')}"
            seconds = out.get("fit_time", 0.0) + out.get("score_time", 0.0)
            fits.append((worker, out["start_time"], seconds, i))
    return sorted(fits, key=lambda fit: fit[1])


def timeline_spec(records, cv_results, metric, *, sign=1, label="score"):
    """The timeline figure of a checkpoint, or ``None`` when no fit says where it ran.

    Parameters
    ----------
    records : list of list of dict
        As for :func:`worker_fits`, in the rows' order of ``cv_results``.
    cv_results : dict
        :func:`~sktune.search.results_from_checkpoint` of the same file.
    metric : str
        The refit metric (``score`` for a single one): the bars' colour.
    sign : {1, -1}, default=1
        From :func:`~sktune.plot._readable.metric_view`.
    label : str, default="score"
        The metric's name as shown.

    Returns
    -------
    figure : dict or None

    Examples
    --------
    >>> from sktune.dashboard._timeline import timeline_spec
    >>> out = {"start_time": 10.0, "fit_time": 1.0, "worker_host": "node", "worker_pid": 1}
    >>> results = {"params": [{"C": 1.0}], "mean_test_score": [0.9]}
    >>> timeline_spec([[out]], results, "score")["data"][0]["y"]
    ['node pid 1']
    >>> timeline_spec([[{"fit_time": 1.0}]], results, "score") is None
    True
    """
    fits = worker_fits(records)
    if not fits:
        return None
    return timeline_figure(fits, cv_results["params"], cv_results[f"mean_test_{metric}"],
                           sign=sign, metric=label)
