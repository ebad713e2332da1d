"""Test settings shared by every module."""

import os

from hypothesis import settings

# In CI the property tests draw the same examples on every run, so a result
# depends on the commit only; on a developer's machine they explore afresh
# each time, which is how new counter-examples are found.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
    settings.load_profile("ci")
