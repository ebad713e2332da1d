"""What every drawing shares: the lazy matplotlib import and new axes."""

import numpy as np


def import_matplotlib(func):
    """Import matplotlib, or say which extra to install.

    Parameters
    ----------
    func : str
        The public function asking, named in the error.

    Returns
    -------
    matplotlib : module
    """
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError(
            f"{func} draws with matplotlib, which is not installed: "
            "pip install sktune[plot]"
        ) from exc
    return matplotlib


def new_axes(func, figsize):
    """A new pyplot figure with one Axes (shown in notebooks like any plot)."""
    import_matplotlib(func)
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def panels(ax, n, func, what, *, width=3.2, height=3.0, sharex=False, sharey=True):
    """``n`` Axes: new ones in a grid of at most four columns, or the ones given.

    Parameters
    ----------
    ax : Axes, sequence of Axes or None
        What the caller passed as ``ax``.
    n : int
        Panels needed.
    func : str
        The public function asking, named in the error.
    what : str
        What each panel shows ("parameter", "bracket"), for the error.

    Returns
    -------
    axes : ndarray of Axes of shape (n,)
    """
    if ax is None:
        import_matplotlib(func)
        import matplotlib.pyplot as plt

        ncols = min(max(n, 1), 4)
        nrows = -(-max(n, 1) // ncols)
        _, grid = plt.subplots(
            nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False,
            sharex=sharex, sharey=sharey, layout="constrained",
        )
        for extra in grid.ravel()[n:]:
            extra.set_visible(False)
        return grid.ravel()[:n]
    axes = np.array([ax], dtype=object) if hasattr(ax, "plot") else np.ravel(
        np.asarray(ax, dtype=object)
    )
    if len(axes) != n:
        raise ValueError(
            f"The 'ax' parameter of {func} must hold one Axes per {what} ({n}). "
            f"Got {len(axes)} instead; pass ax=None for a new figure."
        )
    return axes


def score_label(metric):
    """Axis label of a metric's mean test score."""
    return f"mean_test_{metric}"
