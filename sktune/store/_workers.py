"""Where and when each fit ran: the rows of the ``fit_workers`` table.

They live in a table of their own rather than in ``splits`` so that an
sktune from before them, which writes six values into each ``splits`` row
and ignores tables it does not know, still continues a file holding them.
A file written before them has no such table, or rows for some candidates
only: a fit without a row says nothing of its worker.
"""

import math

from ._rows import WORKER_KEYS, _checked, _is_count, _is_real, _number


def worker_rows(outputs):
    """``(split, start_time, worker_host, worker_pid)`` for each split that says where it ran.

    Parameters
    ----------
    outputs : list of dict
        The per-split results of one record, already accepted by
        :func:`~sktune.store._rows.output_rows`; of them, ``start_time`` a
        finite number (Unix time), ``worker_host`` a str, ``worker_pid`` an
        int >= 0, each optional.

    Returns
    -------
    rows : list of tuple
        One per split holding any of the three; a split holding none has no row.

    Raises
    ------
    TypeError
        If one of the three is of another type.

    Examples
    --------
    >>> from sktune.store._workers import worker_rows
    >>> worker_rows([{"start_time": 5, "worker_host": "node", "worker_pid": 7}, {}])
    [(0, 5.0, 'node', 7)]
    """
    rows = []
    for i, out in enumerate(outputs):
        start, host, pid = (out.get(key) for key in WORKER_KEYS)
        _checked(f"outputs[{i}]['start_time']", start, "a finite number",
                 start is None or (_is_real(start) and math.isfinite(start)))
        _checked(f"outputs[{i}]['worker_host']", host, "a str or None",
                 host is None or type(host) is str)
        _checked(f"outputs[{i}]['worker_pid']", pid, "an int >= 0", _is_count(pid))
        if (start, host, pid) != (None, None, None):
            rows.append((i, None if start is None else float(start), host,
                         None if pid is None else int(pid)))
    return rows


def with_workers(outputs, rows):
    """Add to each split of ``outputs`` the worker fields its row read back holds.

    Parameters
    ----------
    outputs : list of dict
        One record's per-split results, from
        :func:`~sktune.store._rows.outputs_of`; changed in place.
    rows : list of tuple
        Its ``(split, start_time, worker_host, worker_pid)`` rows.

    Returns
    -------
    outputs : list of dict

    Raises
    ------
    ValueError
        If a row names no split of the record or holds a value of a type
        :func:`worker_rows` does not write.

    Examples
    --------
    >>> from sktune.store._workers import with_workers
    >>> with_workers([{"fit_time": 0.5}, {"fit_time": 0.25}], [(1, 5.0, "node", None)])
    [{'fit_time': 0.5}, {'fit_time': 0.25, 'start_time': 5.0, 'worker_host': 'node'}]
    """
    for split, start, host, pid in rows:
        if (
            type(split) is not int or not 0 <= split < len(outputs)
            or not (start is None or _number(start))
            or not (host is None or type(host) is str)
            or not (pid is None or (type(pid) is int and pid >= 0))
        ):
            raise ValueError(
                f"a fit_workers row of split {split!r} holds values of types sktune does not write"
            )
        values = (None if start is None else float(start), host, pid)
        outputs[split].update((k, v) for k, v in zip(WORKER_KEYS, values) if v is not None)
    return outputs
