"""Whether the tests run in CI, where a missing real component is a failure, not a skip."""

import os


def in_ci():
    """True when the ``CI`` variable is set to anything but empty, 0, false or no."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
