"""Hostile configurations, run as a user runs them: nothing they name executes (issue 17).

Each configuration tries to create the file ``PWNED`` beside itself while it
loads: through a shell command, a subprocess, ``exec``, a module whose import
has side effects, a function that a trusted package re-exports from the
standard library, or a numpy class or function that writes files. Each must
exit with status 2 and one line naming the key, what is refused and how to
allow it, and leave no ``PWNED`` behind.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# the sktune beside these tests, whichever one is installed
ROOT = Path(__file__).resolve().parents[1]

DATA = '[data]\ndataset = "iris"\n'
SEARCH = '[search]\nstrategy = "grid"\ncv = 2\n'
SPACE = '[space]\nC = [1.0]\n'
SVC = '[estimator]\npath = "sklearn.svm.SVC"\n'
TOUCH = '["touch", "PWNED"]'

# A module of the current folder: importing it creates PWNED.
EVIL_MODULE = '''
import pathlib

pathlib.Path("PWNED").touch()

from sklearn.dummy import DummyClassifier as Thing
'''

STDLIB = r"only the command line can allow the standard library: sktune run --allow-import "


def _run(folder, config, *args):
    (folder / "evilmod.py").write_text(EVIL_MODULE)
    (folder / "job.toml").write_text(config)
    env = dict(os.environ)
    # the folder of the configuration is importable, as a user's own folder is
    paths = (str(ROOT), str(folder), env.get("PYTHONPATH"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    proc = subprocess.run(
        [sys.executable, "-m", "sktune", "run", "job.toml", "-q", *args], cwd=folder, env=env,
        capture_output=True, text=True, timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr


HOSTILE = [
    ("os.system", '[estimator]\npath = "os.system"\nparams = { command = "touch PWNED" }\n'
     + DATA + SEARCH + SPACE,
     "estimator.path", rf"'os\.system' is not allowed: module 'os' is not one of sklearn, "
     rf"sktune, numpy, scipy, xgboost, lightgbm, catboost; {STDLIB}os"),
    ("subprocess-step", f'[estimator]\nsteps = [["x", {{ path = "subprocess.Popen", params = '
     f'{{ args = {TOUCH} }} }}]]\n' + DATA + SEARCH + '[space]\nx = ["passthrough"]\n',
     r"estimator\.steps\[0\]\.path", rf"'subprocess\.Popen' is not allowed: .*{STDLIB}subprocess"),
    ("cv", SVC + DATA + SEARCH.replace("cv = 2", 'cv = { path = "os.system", params = '
                                       '{ command = "touch PWNED" } }') + SPACE,
     r"search\.cv\.path", r"'os\.system' is not allowed"),
    ("space-value", SVC + DATA + SEARCH + f'[space]\nC = [{{ path = "subprocess.run", params = '
     f'{{ args = {TOUCH} }} }}]\n',
     r"space\.C\[0\]\.path", r"'subprocess\.run' is not allowed"),
    ("candidate", SVC + DATA + '[search]\nstrategy = "manual"\n[[candidates]]\nC = { path = '
     f'"subprocess.check_call", params = {{ args = {TOUCH} }} }}\n',
     r"candidates\[0\]\.C\.path", r"'subprocess\.check_call' is not allowed"),
    ("scoring", SVC + DATA + SEARCH + 'scoring = { path = "os.system", params = { command = '
     '"touch PWNED" } }\n' + SPACE,
     r"search\.scoring\.path", r"'os\.system' is not allowed"),
    ("exec", '[estimator]\npath = "builtins.exec"\nargs = ["open(\'PWNED\', \'w\')"]\n'
     + DATA + SEARCH + SPACE,
     "estimator.path", rf"'builtins\.exec' is not allowed: .*{STDLIB}builtins"),
    ("eval", '[estimator]\npath = "builtins.eval"\nargs = ["__import__(\'os\').system(\'touch '
     'PWNED\')"]\n' + DATA + SEARCH + SPACE,
     "estimator.path", r"'builtins\.eval' is not allowed"),
    ("__import__", '[estimator]\npath = "builtins.__import__"\nargs = ["evilmod"]\n'
     + DATA + SEARCH + SPACE,
     "estimator.path", r"'builtins\.__import__' is not allowed: a configuration names public "
     r"modules and names only \(no part may start with '_'\)"),
    ("bare-__import__", '[estimator]\npath = "__import__"\nargs = ["evilmod"]\n'
     + DATA + SEARCH + SPACE,
     "estimator.path", r"must be an import path such as 'sklearn\.svm\.SVC'; got '__import__'"),
    ("private-sklearn", '[estimator]\npath = "sklearn.utils._testing.TempMemmap"\n'
     + DATA + SEARCH + SPACE,
     "estimator.path", r"'sklearn\.utils\._testing\.TempMemmap' is not allowed: a configuration "
     r"names public modules and names only \(no part may start with '_'\)$"),
    # sklearn.utils.discovery holds importlib's import_module under its own name
    ("re-export", '[estimator]\npath = "sklearn.utils.discovery.import_module"\n'
     'params = { name = "evilmod" }\n' + DATA + SEARCH + SPACE,
     "estimator.path", r"'sklearn\.utils\.discovery\.import_module' is not allowed: it is "
     rf"importlib\.import_module, defined outside sklearn, .*; {STDLIB}importlib"),
    ("untrusted-module", '[estimator]\npath = "evilmod.Thing"\n' + DATA + SEARCH
     + '[space]\nstrategy = ["prior"]\n',
     "estimator.path", r"'evilmod\.Thing' is not allowed: module 'evilmod' is not one of .*; "
     r"to allow it: sktune run --allow-import evilmod, or \[trust\] allow_import = "
     r"\[\"evilmod\"\] in the configuration"),
    ("numpy-class", '[estimator]\npath = "numpy.memmap"\nparams = { filename = "PWNED", '
     'mode = "w+", shape = 1 }\n' + DATA + SEARCH + SPACE,
     "estimator.path", r"'numpy\.memmap' is not allowed: a configuration builds only "
     r"estimators .*, and memmap is none of them; to allow it: sktune run --allow-import numpy"),
    ("numpy-function", '[estimator]\npath = "numpy.savetxt"\nparams = { fname = "PWNED", '
     'X = [1.0] }\n' + DATA + SEARCH + SPACE,
     "estimator.path", r"'numpy\.savetxt' is not allowed: it is not a class"),
    ("sktune-store", '[estimator]\npath = "sktune.store.CheckpointStore"\nparams = { path = '
     '"PWNED" }\n' + DATA + SEARCH + SPACE,
     "estimator.path", r"'sktune\.store\.CheckpointStore' is not allowed: .*CheckpointStore is "
     "none of them"),
    ("ref", '[estimator]\npath = "sklearn.preprocessing.FunctionTransformer"\nparams = '
     '{ func = { ref = "os.system" } }\n' + DATA + SEARCH + '[space]\nvalidate = [true]\n',
     r"estimator\.params\.func\.ref", r"'os\.system' is not allowed"),
    ("file-vouches-for-os", '[trust]\nallow_import = ["os"]\n[estimator]\npath = "os.system"\n'
     'params = { command = "touch PWNED" }\n' + DATA + SEARCH + SPACE,
     r"trust\.allow_import\[0\]", r"a configuration file cannot allow the standard library "
     r"module 'os': .*; if you mean it, run sktune run --allow-import os"),
]


@pytest.mark.slow
@pytest.mark.parametrize("config, key, problem", [h[1:] for h in HOSTILE],
                         ids=[h[0] for h in HOSTILE])
def test_a_hostile_configuration_runs_nothing(tmp_path, config, key, problem):
    status, out, err = _run(tmp_path, config)
    assert not (tmp_path / "PWNED").exists(), err
    assert status == 2, err
    assert "Traceback" not in err and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert re.match(rf"sktune: error: job\.toml: {key}: {problem}", lines[0]), lines[0]


def test_what_the_command_line_allows_is_imported(tmp_path):
    # the counterpart: the user's consent on the command line is enough
    config = ('[estimator]\npath = "evilmod.Thing"\n' + DATA + SEARCH
              + '[space]\nstrategy = ["prior"]\n')
    status, out, err = _run(tmp_path, config, "--allow-import", "evilmod")
    assert status == 0, err
    assert (tmp_path / "PWNED").exists()
    assert "best parameters: {'strategy': 'prior'}" in out
