"""Type aliases of the public API's hints, shared so that each is written once."""

from typing import Any

import numpy as np

#: What every ``random_state`` parameter takes, as in scikit-learn.
RandomStateLike = int | np.random.RandomState | None

#: A fitted search (any object with ``cv_results_``: sktune's, scikit-learn's)
#: or a ``cv_results_`` dict; checked at run time by SearchResults.from_search.
SearchLike = Any
