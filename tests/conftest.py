"""Test settings shared by every module."""

import os

import pytest
from hypothesis import settings

# In CI the property tests draw the same examples on every run, so a result
# depends on the commit only; on a developer's machine they explore afresh
# each time, which is how new counter-examples are found.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
    settings.load_profile("ci")


def pytest_collection_modifyitems(items):
    # scikit-learn's checks come from one parametrize_with_checks each, which
    # takes no marks per check: a module lists its slow checks by name in
    # SLOW_CHECKS and they are marked here
    for item in items:
        slow = getattr(getattr(item, "module", None), "SLOW_CHECKS", ())
        callspec = getattr(item, "callspec", None)
        check = callspec.params.get("check") if callspec is not None else None
        if slow and check is not None and getattr(check, "func", check).__name__ in slow:
            item.add_marker(pytest.mark.slow)
