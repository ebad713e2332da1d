"""HyperbandSearch: brackets of successive halving over a budget (Li et al. 2018).

The schedule (:class:`~sktune.optimizers.HyperbandSchedule`) is computed
before any model is fitted. The proposer here follows its rounds
(:meth:`~sktune.optimizers.HyperbandSchedule.rounds`): brackets in the
paper's order, so the most aggressive bracket's winner comes early, and rungs
of other brackets at the same budget joining a round that would leave
workers idle. A round has one budget, hence one cross-validation splitter,
and is one ``evaluate_candidates`` call.

Three kinds of budget ("resource") are supported:

* ``"n_samples"``: each training fold is subsampled to the budget; the test
  folds are untouched, so every score is a real cross-validation score;
* the name of an integer estimator parameter (``"max_iter"``,
  ``"clf__n_estimators"``), set to the budget in every candidate;
* ``"partial_fit"``: the estimator is trained by that many passes of
  ``partial_fit`` over each training fold. A promoted candidate continues
  its fold models of the previous rung: the fitted models come back from
  the workers with the rung's scores, those of the promoted candidates are
  sent with the next rung's tasks, and the others are dropped.

With ``asynchronous=True`` the rounds give way to ASHA (Li et al. 2020,
:class:`~sktune.optimizers.AsyncHyperbandPlan`): one evaluation is asked
whenever a worker is free, each with its own budget and splitter.
"""

from ._async_proposer import AsyncHyperbandProposer
from ._proposer import HyperbandProposer
from ._search import HyperbandSearch

__all__ = ["AsyncHyperbandProposer", "HyperbandProposer", "HyperbandSearch"]
