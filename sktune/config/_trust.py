"""What a configuration may import: the trust model of :mod:`sktune.config`.

Naming ``module.Name`` in a configuration imports ``module``, which runs its
code, and building ``Name`` calls it: ``path = "os.system"`` would run a
shell command while the file loads. A configuration is data, so by default
it may only name what the format needs, from the libraries it is for:

* a class to build, defined under one of :data:`TRUSTED_MODULES`, that is an
  estimator (it has ``fit``), a cross-validation splitter (``split`` and
  ``get_n_splits``), a kernel of :mod:`sklearn.gaussian_process.kernels` or
  :class:`sklearn.compose.make_column_selector`;
* a reference (``{ ref = "numpy.log1p" }``), passed as an argument without
  being called: a numpy ufunc, a numpy scalar type, or a score function of
  :mod:`sklearn.feature_selection`.

Every part of the path must be public (no leading ``_``), and the object
must be defined under the same roots: a name a trusted module imported from
elsewhere (``sklearn.utils.discovery.import_module`` is importlib's) is
judged by where it was defined.

Anything else needs the consent of whoever runs the job: ``sktune run
--allow-import MODULE`` or a ``[trust] allow_import = ["MODULE"]`` table in
the file. An allowed module and its submodules may be imported, and any
class or callable defined there built or referenced. The standard library
holds no estimators but holds ``os``, ``subprocess`` and ``builtins``: a
file cannot allow it, only the command line can.
"""

import importlib
import inspect
import re
import sys

import numpy as np

from ._errors import suggest

#: Module roots whose estimators, splitters, kernels and column selectors a
#: configuration may build without being allowed to (estimator packages
#: count only where installed).
TRUSTED_MODULES = ("sklearn", "sktune", "numpy", "scipy", "xgboost", "lightgbm", "catboost")

_MODULE_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
_IMPORT_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")

_BUILT = "estimators (with fit), cross-validation splitters, kernels and column selectors"
_REFERENCED = "numpy ufuncs and scalar types and the score functions of sklearn.feature_selection"


class ImportRefused(ValueError):
    """An import path a configuration may not use; the message says why and how to allow it."""


def is_module_name(name):
    """Whether ``name`` is a dotted module name such as ``"mypackage.models"``."""
    return isinstance(name, str) and _MODULE_NAME.fullmatch(name) is not None


def is_standard_library(name):
    """Whether the module ``name`` belongs to Python's standard library."""
    return name.partition(".")[0] in sys.stdlib_module_names


def _under(module, roots):
    return any(module == root or module.startswith(root + ".") for root in roots)


def how_to_allow(module):
    """The remedy for a refused ``module``: the flag, and the table where a file may say it."""
    flag = f"sktune run --allow-import {module}"
    if is_standard_library(module):
        return f"only the command line can allow the standard library: {flag}"
    return f'to allow it: {flag}, or [trust] allow_import = ["{module}"] in the configuration'


def _is_built_kind(obj):
    from sklearn.compose import make_column_selector
    from sklearn.gaussian_process.kernels import Kernel

    return (
        hasattr(obj, "fit")
        or (hasattr(obj, "split") and hasattr(obj, "get_n_splits"))
        or issubclass(obj, Kernel)
        or obj is make_column_selector
    )


def _is_referenced_kind(obj, home):
    return (
        isinstance(obj, np.ufunc)
        or (inspect.isclass(obj) and issubclass(obj, np.generic))
        or (inspect.isfunction(obj) and home.startswith("sklearn.feature_selection."))
    )


class ImportPolicy:
    """The import paths one configuration may use.

    Parameters
    ----------
    allowed : iterable of str, default=()
        Modules the user allowed (``--allow-import`` and ``[trust]``), each
        with its submodules.

    Examples
    --------
    >>> from sktune.config._trust import ImportPolicy
    >>> ImportPolicy().resolve("sklearn.svm.SVC", "build").__name__
    'SVC'
    >>> ImportPolicy().resolve("os.system", "build")
    Traceback (most recent call last):
    ...
    sktune.config._trust.ImportRefused: 'os.system' is not allowed: ...
    """

    def __init__(self, allowed=()):
        self.allowed = tuple(allowed)

    def _refuse(self, path, module, why):
        return ImportRefused(f"{path!r} is not allowed: {why}; {how_to_allow(module)}")

    def resolve(self, path, use):
        """The object ``path`` names, if the configuration may ``use`` it.

        Parameters
        ----------
        path : str
            An import path, ``"package.module.Name"``.
        use : {"build", "ref"}
            ``"build"`` for a class the configuration calls, ``"ref"`` for
            an object it passes uncalled.

        Returns
        -------
        obj : object

        Raises
        ------
        ImportRefused
            If the path is malformed, not allowed, or cannot be imported;
            nothing is imported from a module that is not allowed.
        """
        if not isinstance(path, str) or not _IMPORT_PATH.fullmatch(path):
            raise ImportRefused(f"must be an import path such as 'sklearn.svm.SVC'; got {path!r}")
        module_name, _, name = path.rpartition(".")
        if any(part.startswith("_") for part in path.split(".")):
            # no remedy: what a library keeps private is not the format's to name
            raise ImportRefused(
                f"{path!r} is not allowed: a configuration names public modules and names "
                "only (no part may start with '_')"
            )
        trusted = _under(module_name, TRUSTED_MODULES)
        if not trusted and not _under(module_name, self.allowed):
            root = module_name.partition(".")[0]
            raise self._refuse(
                path, module_name,
                f"module {root!r} is not one of {', '.join(TRUSTED_MODULES)}"
                f"{suggest(root, TRUSTED_MODULES)}",
            )
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ImportRefused(f"cannot import {path!r}: {exc}") from None
        if not hasattr(module, name):
            public = [n for n in dir(module) if not n.startswith("_")]
            raise ImportRefused(
                f"cannot import {path!r}: module {module_name!r} has no "
                f"{name!r}{suggest(name, public)}"
            )
        obj = getattr(module, name)
        if inspect.ismodule(obj) or (use == "build" and not callable(obj)):
            raise ImportRefused(f"{path!r} is not a class")
        if _under(module_name, self.allowed):
            return obj  # the user vouched for this module and whatever it holds
        return self._check_trusted(path, module_name, obj, use)

    def _check_trusted(self, path, module_name, obj, use):
        # judged by where the object was defined, not where it was found:
        # a trusted module may hold what it imported from anywhere
        home = getattr(obj, "__module__", None)
        home = home if isinstance(home, str) else ""
        if _under(home, self.allowed):
            return obj
        if not _under(home, TRUSTED_MODULES):
            name = getattr(obj, "__qualname__", type(obj).__name__)
            where = f"{home}.{name}" if home else repr(obj)
            raise self._refuse(
                path, home or module_name,
                f"it is {where}, defined outside {', '.join(TRUSTED_MODULES)}",
            )
        if use == "build":
            if not inspect.isclass(obj):
                raise self._refuse(path, module_name, f"it is not a class, and from "
                                   f"{', '.join(TRUSTED_MODULES)} a configuration builds "
                                   f"only {_BUILT}")
            if not _is_built_kind(obj):
                raise self._refuse(path, module_name, f"a configuration builds only "
                                   f"{_BUILT}, and {obj.__name__} is none of them")
        elif not _is_referenced_kind(obj, home):
            raise self._refuse(path, module_name,
                               f"a configuration references only {_REFERENCED}")
        return obj
