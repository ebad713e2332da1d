"""A killed search leaves no worker processes behind (issue 17).

loky's workers are children of the search's process; killed with SIGKILL
(or by the out-of-memory killer), the search used to leave them running
(still alive a minute later). The test kills a real search in a subprocess
and watches its workers from outside, through /proc.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")

JOB = textwrap.dedent("""
    from sklearn.datasets import load_digits
    from sklearn.svm import SVC
    from sktune import LogUniform, RandomSearch

    X, y = load_digits(return_X_y=True)
    RandomSearch(SVC(), {"C": LogUniform(1e-2, 1e2)}, n_iter=500, n_jobs=2, cv=5,
                 random_state=0).fit(X, y)
""")


def _workers(pid):
    """loky's worker processes among the children of ``pid``."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid and b"LokyProcess" in command:
            out.append(int(stat.parent.name))
    return out


def _alive(pid):
    try:
        # a zombie has exited already; its parent (init) reaps it
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_the_workers_of_a_killed_search_exit():
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen([sys.executable, "-c", JOB], env=env, cwd=root)
    workers = []
    try:
        assert _wait_for(lambda: len(_workers(proc.pid)) >= 2, 60), "no workers started"
        time.sleep(5.0)  # let each worker receive and run tasks
        workers = _workers(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        gone = _wait_for(lambda: not any(_alive(p) for p in workers), 15)
        left = [p for p in workers if _alive(p)]
        assert gone, f"workers {left} still run 15 s after their search was killed"
    finally:
        proc.kill()
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
