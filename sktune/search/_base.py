"""The shared base of every sktune search: one ask -> evaluate -> tell loop.

A concrete search only builds a *proposer*, an object that turns the search
space into batches of candidate dicts and learns from their scores:

* ``proposer.ask()`` returns a :class:`Batch`, or ``None`` when done;
* ``proposer.tell(batch, scores)`` receives the refit metric's mean test
  score of each candidate of the batch (NaN for a failed fit), higher is
  better;
* ``proposer.n_candidates`` is the total number of candidates when it is
  known before the search starts (one batch), else ``None``.
"""

from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state

from .._compat import BaseSearchCV
from ..space import SearchSpace


@dataclass
class Batch:
    """Candidates handed to ``evaluate_candidates`` in one call.

    Parameters
    ----------
    params : list of dict
        The candidates.
    more_results : dict of str -> list
        Extra ``cv_results_`` columns, one value per candidate.
    cv : cross-validation generator or None
        Splitter for this batch (Hyperband's subsampled folds); ``None`` uses
        the search's own.
    """

    params: list
    more_results: dict = field(default_factory=dict)
    cv: object = None


def check_param_names(estimator, space, search):
    """Raise if a searched name is not a parameter of ``estimator``.

    A nested name (``clf__C``) is also accepted when one of its prefixes
    (``clf``) is searched in the same sub-space, since the estimator put there
    decides which names exist, and when the step it belongs to is not a
    scikit-learn ``BaseEstimator`` (which alone is known to reject names).

    Parameters
    ----------
    estimator : estimator object
        The search's estimator.
    space : SearchSpace
        The parsed search space.
    search : str
        Class name of the search, for the message.
    """
    if not hasattr(estimator, "get_params"):
        return
    valid = estimator.get_params(deep=True)
    for sub in space.subspaces:
        for name in sub:
            parts = name.split("__")
            prefixes = ["__".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
            if name in valid or set(prefixes) & set(sub):
                continue
            owner = next((valid[p] for p in prefixes if p in valid), estimator)
            if owner is not estimator and not isinstance(owner, BaseEstimator):
                # Only BaseEstimator.set_params is known to reject unknown
                # names; a third-party step may accept more than it lists.
                continue
            raise ValueError(
                f"Invalid parameter {name!r} in the search space of {search} for "
                f"estimator {type(estimator).__name__}. Valid parameters are: "
                f"{sorted(valid)!r}."
            )


class FixedProposer:
    """Hands a list of candidates known in advance over in one batch.

    Parameters
    ----------
    candidates : list of dict
        The candidates, in evaluation order.
    """

    def __init__(self, candidates):
        self._candidates = candidates
        self.n_candidates = len(candidates)

    def ask(self):
        if self._candidates is None:
            return None
        batch, self._candidates = Batch(self._candidates), None
        return batch

    def tell(self, batch, scores):
        pass


class BaseSearch(BaseSearchCV):
    """Base class of sktune's searches; subclasses implement ``_make_proposer``.

    Fitted attributes added to scikit-learn's: ``search_space_``, the parsed
    :class:`~sktune.space.SearchSpace`.
    """

    _parameter_constraints: dict = {**BaseSearchCV._parameter_constraints}

    # name of the constructor argument that holds the search space
    _space_param = "param_distributions"

    def _space_argument(self):
        return getattr(self, self._space_param)

    def _build_space(self):
        """Parse and check the search space before any model is fitted."""
        owner = f"{self._space_param} of {type(self).__name__}"
        space = SearchSpace(self._space_argument(), owner=owner)
        check_param_names(self.estimator, space, type(self).__name__)
        return space

    def _make_proposer(self, space, random_state):
        raise NotImplementedError

    def _score_key(self, results):
        if "mean_test_score" in results:
            return "mean_test_score"
        metrics = sorted(k[len("mean_test_"):] for k in results if k.startswith("mean_test_"))
        if isinstance(self.refit, str):
            # scikit-learn's own message when a callable scorer lacks the key
            self._check_refit_for_multimetric(dict.fromkeys(metrics))
            return f"mean_test_{self.refit}"
        # multi-metric without a named refit: follow the first metric
        return f"mean_test_{metrics[0]}"

    def _run_search(self, evaluate_candidates, *, callback_ctx=None):
        space = self._build_space()
        rng = check_random_state(getattr(self, "random_state", None))
        proposer = self._make_proposer(space, rng)
        self.search_space_ = space

        n_total = proposer.n_candidates
        single = n_total is not None
        search_ctx = None
        if callback_ctx is not None:
            search_ctx = callback_ctx.subcontext(
                task_name="search",
                max_subtasks=n_total * self.n_splits_ if single else None,
                sequential_subtasks=not single,
            ).call_on_fit_task_begin(estimator=self)

        while (batch := proposer.ask()) is not None:
            round_ctx = search_ctx
            if search_ctx is not None and not single:
                round_ctx = search_ctx.subcontext(
                    task_name="search-round",
                    max_subtasks=len(batch.params) * self.n_splits_,
                    sequential_subtasks=False,
                ).call_on_fit_task_begin(estimator=self)
            results = evaluate_candidates(
                batch.params,
                cv=batch.cv,
                more_results=batch.more_results or None,
                callback_ctx=round_ctx,
            )
            scores = np.asarray(results[self._score_key(results)], dtype=float)
            proposer.tell(batch, scores[len(scores) - len(batch.params):])
            if round_ctx is not search_ctx:
                round_ctx.call_on_fit_task_end(estimator=self)

        if search_ctx is not None:
            search_ctx.call_on_fit_task_end(estimator=self)
