"""``python -m sktune.search._runner_main``: the fit runner process (see ``_runner``).

A module of its own, which the package does not import, so that running it
does not load ``_runner`` twice.
"""

from sktune.search._runner import main

if __name__ == "__main__":
    main()
