"""The results of one call of ``evaluate_candidates``, formatted only when read.

scikit-learn's ``BaseSearchCV._format_results`` builds every column of
``cv_results_`` from all the candidates so far. A sequential search calls
``evaluate_candidates`` once per round, and formatting after each one made
the bookkeeping quadratic in the number of rounds (3.2 ms a round at 100
rounds of BayesSearch, benchmarks/optimizer_cost.py), while the loop needs
only the refit metric's mean test scores until the search ends.
"""

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np


class RoundResults(Mapping):
    """The cumulative results after one round, as a read-only mapping.

    Reading any key formats the whole dict once (scikit-learn's layout, see
    ``BaseSearchCV._format_results``); :attr:`mean_scores` is there without
    formatting.

    Parameters
    ----------
    format_results : callable
        Called without arguments, at most once, to build the results dict.
    mean_scores : ndarray of shape (n_candidates,)
        The refit metric's mean test score of every candidate so far, the
        ``mean_test_*`` column that ``_run_search`` tells the proposer.

    Examples
    --------
    >>> import numpy as np
    >>> from sktune.search._round_results import RoundResults
    >>> calls = []
    >>> results = RoundResults(lambda: calls.append(1) or {"mean_test_score": [0.5]},
    ...                        np.array([0.5]))
    >>> results.mean_scores.tolist(), calls
    ([0.5], [])
    >>> results["mean_test_score"], dict(results), len(calls)
    ([0.5], {'mean_test_score': [0.5]}, 1)
    """

    def __init__(self, format_results: Any, mean_scores: np.ndarray) -> None:
        self._format_results = format_results
        self._results: dict | None = None
        self.mean_scores = mean_scores

    def to_dict(self) -> dict:
        """The formatted results dict (built on the first call, then kept).

        Returns
        -------
        results : dict
            What ``BaseSearchCV._format_results`` returns.

        Examples
        --------
        >>> import numpy as np
        >>> from sktune.search._round_results import RoundResults
        >>> RoundResults(lambda: {"params": [{}]}, np.array([1.0])).to_dict()
        {'params': [{}]}
        """
        if self._results is None:
            self._results = self._format_results()
        return self._results

    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())
