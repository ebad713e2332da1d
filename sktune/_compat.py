"""The one module that imports scikit-learn's private names.

Everything else imports them from here, so a scikit-learn upgrade that moves
one of them is mended in one place.
"""

from sklearn.model_selection._search import BaseSearchCV, ParameterGrid
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

__all__ = ["BaseSearchCV", "HasMethods", "Interval", "ParameterGrid", "StrOptions"]
