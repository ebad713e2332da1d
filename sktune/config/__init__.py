"""Tuning jobs described in a TOML file, as run by ``sktune run CONFIG.toml``.

A configuration names the estimator, the data, the search strategy with its
settings, and the search space. It is data: distributions are written as
text and parsed without ``eval``, classes are named by import path, and
only the classes the format needs, from scikit-learn and the libraries
beside it, may be named unless the user allows more (see *Trust* below).
Relative file paths (``data.csv``, ``search.checkpoint``) are relative to
the folder of the configuration file, so a job runs the same from any
working directory.

.. code-block:: toml

    [estimator]                      # a class, by import path ...
    path = "sklearn.svm.SVC"
    params = { kernel = "rbf" }      # ... with its arguments

    [data]
    dataset = "digits"               # a built-in scikit-learn dataset

    [search]
    strategy = "random"              # grid, random, bayes, hyperband or manual
    n_iter = 20                      # any argument of the strategy's class
    cv = 5
    scoring = "accuracy"
    n_jobs = -1
    random_state = 0
    checkpoint = "svc.db"            # resume from here when run again

    [space]
    C = "LogUniform(1e-3, 1e3)"      # a distribution, written as a call
    gamma = "LogUniform(1e-4, 1e-1)"
    shrinking = [true, false]        # a list of values

The tables:

``[estimator]``
    An object table (below): ``path`` (an import path such as
    ``"sklearn.svm.SVC"``) with optional ``args`` and ``params``, or
    ``steps``, a list of ``[name, step]`` pairs that make a
    :class:`~sklearn.pipeline.Pipeline`; a step is an import path,
    ``"passthrough"``, or an object table.

``[data]``
    Either ``dataset``, the name of a built-in scikit-learn dataset
    (``breast_cancer``, ``diabetes``, ``digits``, ``iris``, ``linnerud``,
    ``wine``), or a file read with pandas: ``csv`` (a CSV file with a header
    line; ``delimiter``, default ``","``) or ``parquet`` (pyarrow needed),
    with ``target`` (the target column) and optionally ``features`` (the
    feature columns; default every other column). ``X`` is then a
    DataFrame: text and categorical columns are kept as they are, for the
    estimator to encode; an empty cell is missing, every other cell is
    kept as written. The target must not be empty in any row.

``[search]``
    ``strategy`` picks the search class: ``grid`` (:class:`~sktune.GridSearch`),
    ``random`` (:class:`~sktune.RandomSearch`), ``bayes``
    (:class:`~sktune.BayesSearch`), ``hyperband``
    (:class:`~sktune.HyperbandSearch`) or ``manual``
    (:class:`~sktune.ManualSearch`). Every other key is an argument of that
    class (``n_iter``, ``n_points``, ``cv``, ``scoring``, ``n_jobs``,
    ``random_state``, ``checkpoint``, ``max_time``...). ``cv`` is a number
    of folds or an object table naming a splitter; ``scoring`` a scorer
    name, or a table or list of them (then ``refit`` names one).

``[space]``
    Parameter name -> one of

    * a distribution written as a call of a class of
      :mod:`sktune.distributions`, with literal arguments only (numbers,
      strings, ``None``, ``True``/``False``, lists, keyword arguments):
      ``"LogUniform(1e-3, 1e3)"``, ``"Integer(1, 10, log=True)"``,
      ``"Categorical(['rbf', 'linear'], weights=[0.7, 0.3])"``;
    * a table with ``distribution`` (the class name) and the class's
      arguments: ``{ distribution = "Integer", low = 2, high = 5 }``;
    * a list of values (a categorical choice; with ``grid``, exactly those
      values).

    ``[[space]]`` (an array of tables) gives a list of sub-spaces
    (conditional parameters), as a list of dicts does in Python.

``[[candidates]]``
    For the ``manual`` strategy, instead of ``[space]``: one table of
    parameter values per candidate, evaluated in order.

``[trust]``
    ``allow_import``, a list of modules this file may import beyond the
    trusted ones (see *Trust*).

Values: TOML has no null, so the string ``"None"`` stands for Python's
``None`` in arguments, lists of values, candidates and search settings.
An *object table* builds an object, with its arguments:

* ``{ path = "module.Class", args = [...], params = { ... } }`` calls the
  class with the positional ``args`` and the keyword arguments ``params``
  (a name with ``__``, such as ``svc__C``, is set afterwards with
  ``set_params``);
* ``{ steps = [[name, step], ...], params = { ... } }`` builds a pipeline;
* ``{ ref = "module.name" }`` is the object itself, not called (a function
  or type an argument takes, such as ``numpy.log1p``).

Arguments may hold object tables, and a list of ``[name, object]`` or
``[name, object, columns]`` lists is a list of tuples, as ``Pipeline``,
``ColumnTransformer`` and the ensembles take them.

Trust: by default a configuration may build, from the modules of
:data:`TRUSTED_MODULES` only, estimators (classes with ``fit``),
cross-validation splitters, Gaussian-process kernels and
``sklearn.compose.make_column_selector``, and reference numpy ufuncs and
scalar types and the score functions of :mod:`sklearn.feature_selection`;
every part of a path must be public, and an object is judged by the module
that defines it. Anything else must be allowed: ``sktune run
--allow-import MODULE`` (``allow_import=`` of :func:`load_config`), or
``[trust] allow_import = ["MODULE"]`` in the file, which cannot allow the
standard library. Nothing is imported from a module that is not allowed.
"""

import os
from collections.abc import Sequence
from typing import Any

from ._errors import ConfigError
from ._job import TuningJob, display_path
from ._reader import STRATEGIES, Reader
from ._trust import TRUSTED_MODULES, is_module_name

__all__ = [
    "STRATEGIES",
    "TRUSTED_MODULES",
    "ConfigError",
    "TuningJob",
    "display_path",
    "load_config",
    "run_config",
]


def _allowed(allow_import, owner):
    message = (
        f"The 'allow_import' parameter of {owner} must be a list of module names "
        f"such as ['mypackage']. Got {allow_import!r} instead."
    )
    if isinstance(allow_import, str) or not isinstance(allow_import, (list, tuple)):
        raise TypeError(message)
    if not all(map(is_module_name, allow_import)):
        raise ValueError(message)
    return tuple(allow_import)


def load_config(path: str | os.PathLike[str], *,
                allow_import: Sequence[str] = ()) -> TuningJob:
    """Read a TOML configuration: the search, unfitted, and its data.

    Everything is checked before any model is fitted: import paths,
    parameter names and values, distributions, the data and the strategy's
    settings. See :mod:`sktune.config` for the format.

    Parameters
    ----------
    path : str or os.PathLike
        The configuration file.
    allow_import : sequence of str, default=()
        Modules (with their submodules) the configuration may import beyond
        :data:`TRUSTED_MODULES`, as ``sktune run --allow-import`` allows them.

    Returns
    -------
    job : TuningJob
        The search (``job.search``), the data (``job.X``, ``job.y``) and
        where they come from.

    Raises
    ------
    ConfigError
        If the file cannot be read or a key is wrong; the message names the
        file, the key and the problem.
    TypeError, ValueError
        If ``allow_import`` is not a list of module names.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.config import load_config
    >>> path = os.path.join(tempfile.mkdtemp(), "job.toml")
    >>> with open(path, "w") as f:
    ...     _ = f.write('''
    ... [estimator]
    ... steps = [["scale", "sklearn.preprocessing.StandardScaler"],
    ...          ["svc", "sklearn.svm.SVC"]]
    ... [data]
    ... dataset = "iris"
    ... [search]
    ... strategy = "random"
    ... n_iter = 4
    ... cv = 3
    ... [space]
    ... svc__C = "LogUniform(1e-2, 1e2)"
    ... svc__kernel = ["rbf", "linear"]
    ... ''')
    >>> job = load_config(path)
    >>> job.search.param_distributions
    {'svc__C': LogUniform(low=0.01, high=100.0), 'svc__kernel': ['rbf', 'linear']}
    >>> job.X.shape, job.search.fit(job.X, job.y).n_splits_
    ((150, 4), 3)
    """
    return Reader(path, _allowed(allow_import, "load_config")).load()


def run_config(path: str | os.PathLike[str], *, allow_import: Sequence[str] = (),
               callbacks: Sequence[Any] = ()) -> Any:
    """Run the tuning job of a TOML configuration and return the fitted search.

    With ``search.checkpoint`` set, every finished candidate is recorded, and
    running the same configuration again resumes: recorded candidates are
    not fitted again.

    Parameters
    ----------
    path : str or os.PathLike
        The configuration file (see :mod:`sktune.config`).
    allow_import : sequence of str, default=()
        Modules the configuration may import beyond :data:`TRUSTED_MODULES`
        (see :func:`load_config`).
    callbacks : sequence of callback objects, default=()
        scikit-learn callbacks (such as ``sklearn.callback.ProgressBar()``)
        set on the search before fitting.

    Returns
    -------
    search : estimator
        The fitted search (``cv_results_``, ``best_params_``...).

    Raises
    ------
    ConfigError
        If the configuration is wrong (nothing has been fitted then).
    TypeError, ValueError
        If ``allow_import`` is not a list of module names.
    KeyboardInterrupt
        On Ctrl-C, with a message saying where the finished candidates are
        kept and how to resume.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktune.config import run_config
    >>> path = os.path.join(tempfile.mkdtemp(), "job.toml")
    >>> with open(path, "w") as f:
    ...     _ = f.write('''
    ... [estimator]
    ... path = "sklearn.linear_model.LogisticRegression"
    ... params = { max_iter = 500 }
    ... [data]
    ... dataset = "iris"
    ... [search]
    ... strategy = "grid"
    ... cv = 3
    ... checkpoint = "job.db"
    ... [space]
    ... C = [0.01, 1.0]
    ... ''')
    >>> search = run_config(path)
    >>> search.best_params_
    {'C': 1.0}
    >>> run_config(path).n_reused_  # the second run reads the checkpoint
    2
    """
    allow_import = _allowed(allow_import, "run_config")
    return load_config(path, allow_import=allow_import).run(callbacks)
