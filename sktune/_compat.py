"""The one module that imports scikit-learn's private names.

Everything else imports them from here, so a scikit-learn upgrade that moves
one of them is mended in one place.
"""

from sklearn.base import _fit_context
from sklearn.metrics._scorer import _MultimetricScorer, _PassthroughScorer
from sklearn.model_selection._search import (
    BaseSearchCV,
    ParameterGrid,
    _yield_masked_array_for_each_param,
)
from sklearn.model_selection._validation import (
    _fit_and_score,
    _insert_error_scores,
    _warn_or_raise_about_fit_failures,
)
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.validation import _check_method_params

__all__ = [
    "BaseSearchCV",
    "HasMethods",
    "Interval",
    "ParameterGrid",
    "StrOptions",
    "_MultimetricScorer",
    "_PassthroughScorer",
    "_check_method_params",
    "_fit_and_score",
    "_fit_context",
    "_insert_error_scores",
    "_warn_or_raise_about_fit_failures",
    "_yield_masked_array_for_each_param",
    "validate_parameter_constraints",
]
