"""A record's values to SQL rows and JSON text and back, checked both ways.

A record read from a file is checked as strictly as one about to be
written: the file may come from anywhere, and an SQLite column holds
whatever type was put in it.
"""

import json
import math
import numbers

#: the keys of a per-split result that a record keeps
OUTPUT_KEYS = ("fit_error", "test_scores", "train_scores", "n_test_samples", "fit_time",
               "score_time", "start_time", "worker_host", "worker_pid")
#: where and when a fit ran (the dashboard's timeline), kept in a table of
#: their own (``_workers``): not results, never in ``cv_results_``
WORKER_KEYS = ("start_time", "worker_host", "worker_pid")
# nesting of the JSON a search writes: a tuple of tuples in a tagged value
_MAX_DEPTH = 32


def _is_json(value, depth=0):
    kind = type(value)
    if value is None or kind in (str, bool, int):
        return True
    if kind is float:
        return math.isfinite(value)
    if depth >= _MAX_DEPTH:
        return False
    if kind is list:
        return all(_is_json(v, depth + 1) for v in value)
    if kind is dict:
        return all(type(k) is str and _is_json(v, depth + 1) for k, v in value.items())
    return False


def to_json(value, what, *, mapping=True):
    """JSON text of ``value``, which must be made of JSON's own types.

    Parameters
    ----------
    value : object
        ``str``, ``int``, finite ``float``, ``bool``, ``None``, and lists and
        str-keyed dicts of them (exactly these types: a numpy float would
        read back as a float).
    what : str
        The argument, as a message names it (``"The 'params' argument of
        CheckpointStore.add"``).
    mapping : bool, default=True
        Whether ``value`` must be a dict.

    Returns
    -------
    text : str

    Raises
    ------
    TypeError
        If ``value`` holds anything else.

    Examples
    --------
    >>> from sktune.store._rows import to_json
    >>> to_json({"C": 1.0, "kernel": "rbf"}, "params")
    '{"C": 1.0, "kernel": "rbf"}'
    """
    if (mapping and type(value) is not dict) or not _is_json(value):
        kind = "dict of str to JSON values" if mapping else "JSON value"
        raise TypeError(
            f"{what} must be a {kind} (str, int, finite float, bool, None, and lists and "
            f"str-keyed dicts of them). Got {value!r} instead."
        )
    return json.dumps(value, allow_nan=False)


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def from_json(text, what, *, mapping=True):
    """Parse JSON text read from a column; raise ``ValueError`` for anything else.

    Parameters
    ----------
    text : object
        The column's value.
    what : str
        What it is, for the message (``"the params of record 3"``).
    mapping : bool, default=True
        Whether the JSON must be an object.

    Returns
    -------
    value : dict or JSON value

    Raises
    ------
    ValueError
        If ``text`` is not JSON text (a blob, a number), is not valid JSON
        (``NaN`` included), or is not an object when ``mapping``.

    Examples
    --------
    >>> from sktune.store._rows import from_json
    >>> from_json('{"C": 1.0}', "params")
    {'C': 1.0}
    >>> from_json(b"\\x80\\x04K\\x01.", "params")
    Traceback (most recent call last):
    ...
    ValueError: params is a blob of 5 bytes, not JSON text
    """
    if type(text) is not str:
        kind = f"a blob of {len(text)} bytes" if isinstance(text, bytes) else repr(text)
        raise ValueError(f"{what} is {kind}, not JSON text")
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"{what} is not valid JSON ({exc})") from None
    if mapping and type(value) is not dict:
        raise ValueError(f"{what} is not a JSON object")
    return value


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _is_count(value):
    """Whether ``value`` is ``None`` or an int >= 0 (a bool is not)."""
    return value is None or (
        isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0
    )


def _checked(where, value, allowed, ok):
    if not ok:
        raise TypeError(
            "The 'outputs' argument of CheckpointStore.add must be a list of per-split "
            f"dicts of results; {where} must be {allowed}. Got {value!r} instead."
        )
    return value


def _scores(where, value):
    """(metric, score) pairs; metric ``None`` for a single score."""
    allowed = "a number or a dict of metric names to numbers"
    if _is_real(value):
        return [(None, float(value))]
    _checked(where, value, allowed, isinstance(value, dict) and value and all(
        type(m) is str and _is_real(s) for m, s in value.items()
    ))
    return [(m, float(s)) for m, s in value.items()]


def output_rows(outputs):
    """Rows of the ``splits`` and ``scores`` tables for one record's per-split results.

    Parameters
    ----------
    outputs : list of dict
        Per split, some of :data:`OUTPUT_KEYS`: ``test_scores`` and
        ``train_scores`` a number or a dict of metric names to numbers (NaN
        allowed), ``fit_time`` and ``score_time`` finite numbers,
        ``n_test_samples`` an int >= 0, ``fit_error`` a str or ``None``;
        the :data:`WORKER_KEYS` are left to ``_workers.worker_rows``.

    Returns
    -------
    splits : list of tuple
        ``(split, fit_time, score_time, n_test_samples, fit_error)``.
    scores : list of tuple
        ``(split, subset, metric, score)``.

    Raises
    ------
    TypeError
        If an entry is not a dict of those keys and types.

    Examples
    --------
    >>> from sktune.store._rows import output_rows
    >>> output_rows([{"test_scores": {"acc": 0.9}, "fit_time": 0.1, "fit_error": None}])
    ([(0, 0.1, None, None, None)], [(0, 'test', 'acc', 0.9)])
    """
    if not isinstance(outputs, (list, tuple)):
        raise TypeError(
            "The 'outputs' argument of CheckpointStore.add must be a list of per-split "
            f"dicts of results. Got {outputs!r} instead."
        )
    splits, scores = [], []
    for i, out in enumerate(outputs):
        _checked(f"outputs[{i}]", out, f"a dict with keys among {OUTPUT_KEYS}",
                 isinstance(out, dict) and set(out) <= set(OUTPUT_KEYS))
        times = []
        for key in ("fit_time", "score_time"):
            value = out.get(key)
            ok = value is None or (_is_real(value) and math.isfinite(value))
            _checked(f"outputs[{i}][{key!r}]", value, "a finite number", ok)
            times.append(None if value is None else float(value))
        n_test = out.get("n_test_samples")
        _checked(f"outputs[{i}]['n_test_samples']", n_test, "an int >= 0", _is_count(n_test))
        error = out.get("fit_error")
        _checked(f"outputs[{i}]['fit_error']", error, "a str or None",
                 error is None or type(error) is str)
        splits.append((i, *times, None if n_test is None else int(n_test), error))
        for subset in ("test", "train"):
            key = f"{subset}_scores"
            if key in out:
                pairs = _scores(f"outputs[{i}][{key!r}]", out[key])
                scores += [(i, subset, m, s) for m, s in pairs]
    return splits, scores


def _number(value):
    return type(value) in (int, float)


def outputs_of(splits, scores):
    """Per-split result dicts rebuilt from rows, each value type-checked.

    Parameters
    ----------
    splits : list of tuple
        ``(split, fit_time, score_time, n_test_samples, fit_error)`` rows, by split.
    scores : list of tuple
        ``(split, subset, metric, score)`` rows, in the order written.

    Returns
    -------
    outputs : list of dict
        One per split, as given to :func:`output_rows`; a NULL score is NaN
        and a NULL time or count is left out.

    Raises
    ------
    ValueError
        If a row holds a value of the wrong type, splits are not numbered
        0, 1, ..., or the scores of a split mix a single score and metrics.

    Examples
    --------
    >>> from sktune.store._rows import outputs_of
    >>> outputs_of([(0, 0.1, 0.01, 30, None)], [(0, "test", None, None)])
    [{'fit_error': None, 'fit_time': 0.1, 'score_time': 0.01, 'n_test_samples': 30,
      'test_scores': nan}]
    """
    outputs = []
    for i, (split, fit_time, score_time, n_test, error) in enumerate(splits):
        if (
            split != i or type(split) is not int
            or not all(t is None or _number(t) for t in (fit_time, score_time))
            or not (n_test is None or type(n_test) is int)
            or not (error is None or type(error) is str)
        ):
            raise ValueError(f"split row {i} holds values of types sktune does not write")
        out = {"fit_error": error}
        for key, value in (("fit_time", fit_time), ("score_time", score_time),
                           ("n_test_samples", n_test)):
            if value is not None:
                out[key] = float(value) if key != "n_test_samples" else value
        outputs.append(out)
    for split, subset, metric, score in scores:
        if (
            type(split) is not int or not 0 <= split < len(outputs)
            or subset not in ("test", "train")
            or not (metric is None or type(metric) is str)
            or not (score is None or _number(score))
        ):
            raise ValueError(
                f"a score row of split {split!r} holds values of types sktune does not write"
            )
        value = math.nan if score is None else float(score)
        key, out = f"{subset}_scores", outputs[split]
        held = out.get(key)
        if metric is None and key not in out:
            out[key] = value
        elif metric is not None and (held is None or isinstance(held, dict)) and (
            metric not in (held or {})
        ):
            out.setdefault(key, {})[metric] = value
        else:
            raise ValueError(f"split {split} has conflicting {subset} scores")
    return outputs
