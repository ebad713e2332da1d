"""Keep a search's own fits out of MLflow's scikit-learn autologging (issue 18).

``mlflow.sklearn.autolog()`` patches the ``fit`` of every scikit-learn
estimator. ``GridSearchCV`` is on MLflow's list of parameter searches, so its
patched ``fit`` opens an MLflow *training session* in which the patched fits
of its candidates do nothing but fit. sktune's searches are not on that list:
without a session, each cross-validation fit and the refit logged its
parameters into the user's run (the first candidate's ``C``, then an error
"Changing param values is not allowed" for every other candidate), or
created a run of its own when none was active, and the search ran 3 times
slower.

:func:`inner_fits_unlogged` opens the same session around the whole of a
search's ``fit``. MLflow is never imported here: a process that has not
imported ``mlflow.sklearn`` cannot have its autologging on, so
``import sktune`` stays light and ``fit`` pays one ``sys.modules`` lookup.

When MLflow logs the search itself (after ``sktune.mlflow.autolog``), the
session also hands the fit the listeners that log each candidate as soon as
it finishes (:func:`candidate_listeners`): the evaluator calls them in the
main process, so a killed search keeps the child runs of its finished
candidates.
"""

import contextvars
import functools
import sys
import warnings
from contextlib import ExitStack, contextmanager, nullcontext

# Set by sktune.mlflow.autolog: MLflow then patches the searches' fit itself
# and logs them as parameter searches, and the advice below is moot.
registered = False
# Set by sktune.mlflow.autolog: ``live_logging(search)`` returns the listener
# that logs each finished candidate of a search MLflow is logging, or None.
live_logging = None
# The listeners of the fit running in this context; a search fitted inside
# another one (as its estimator) gets its own, empty unless MLflow logs it.
_listeners = contextvars.ContextVar("sktune_candidate_listeners", default=())


def candidate_listeners():
    """The listeners the evaluator of the fit now running hands each finished candidate to.

    Returns
    -------
    listeners : tuple of callable
        Each is called as ``listener(params, outputs, extra)`` once all the
        folds of a candidate have finished: its parameter dict, the outputs
        of ``_fit_and_score`` of its folds and its extra ``cv_results_``
        values (``n_resources``...). Empty unless MLflow autologs the search
        with ``sktune.mlflow.autolog``.

    Examples
    --------
    >>> from sktune.search._autolog import candidate_listeners
    >>> candidate_listeners()
    ()
    """
    return _listeners.get()


@contextmanager
def _listening(listeners):
    token = _listeners.set(listeners)
    try:
        yield
    finally:
        _listeners.reset(token)


def _logged_by_mlflow(session, search):
    """Whether the innermost session is MLflow's, opened by its patched ``fit`` of this search."""
    stack = session._session_stack
    return bool(stack) and stack[-1].estimator is search and stack[-1].should_log()


def _training_session():
    """MLflow's session class when its scikit-learn autologging is on, else None."""
    mlflow_sklearn = sys.modules.get("mlflow.sklearn")
    utils = sys.modules.get("mlflow.utils.autologging_utils")
    if mlflow_sklearn is None or utils is None or utils.autologging_is_disabled("sklearn"):
        return None
    # the class MLflow's own xgboost and lightgbm integrations share with it
    return getattr(mlflow_sklearn, "_SklearnTrainingSession", None)


def _session_for(search):
    session = _training_session()
    if session is None:
        return nullcontext()
    # No session is open when MLflow did not patch this search's fit; under
    # cross_val_score MLflow has turned autologging off for the whole call.
    globally_off = getattr(sys.modules["mlflow.utils.autologging_utils"],
                           "_AUTOLOGGING_GLOBALLY_DISABLED", False)
    if not registered and not session.is_active() and not globally_off:
        warnings.warn(
            f"mlflow.sklearn.autolog() is on but does not log {type(search).__name__} as a "
            "parameter search: its cross-validation fits are kept out of the run and "
            "nothing of the search is logged. Call sktune.mlflow.autolog() to log it "
            "like GridSearchCV (parameters, best_* parameters, best_cv_score, child "
            "runs, cv_results.csv).",
            UserWarning,
            stacklevel=4,
        )
    listeners = ()
    if live_logging is not None and registered and _logged_by_mlflow(session, search):
        listener = live_logging(search)
        listeners = () if listener is None else (listener,)
    stack = ExitStack()
    # allow_children=False: no fit inside logs, nor starts a run of its own
    stack.enter_context(session(estimator=search, allow_children=False))
    # entered last, as setting a context variable cannot fail
    stack.enter_context(_listening(listeners))
    return stack


def inner_fits_unlogged(fit):
    """Decorate a search's ``fit`` so that no fit inside it is autologged by MLflow.

    Parameters
    ----------
    fit : callable
        The ``fit`` method of a search, ``fit(self, X, y=None, **params)``.

    Returns
    -------
    wrapped : callable
        The same method, run inside an MLflow scikit-learn training session
        when ``mlflow.sklearn.autolog()`` is on, as ``GridSearchCV.fit`` is;
        unchanged otherwise.

    Examples
    --------
    >>> from sktune.search._autolog import inner_fits_unlogged
    >>> class Search:
    ...     @inner_fits_unlogged
    ...     def fit(self, X, y=None):
    ...         return self
    >>> search = Search()
    >>> search.fit([[0.0]]) is search
    True
    """

    @functools.wraps(fit)
    def wrapped(self, *args, **kwargs):
        with _session_for(self):
            return fit(self, *args, **kwargs)

    return wrapped
