"""The fit runner: a child process that runs fits, so that a fit can be killed.

A fit stuck in one C call that never checks for signals (a large BLAS
product, ``sum(range(10**12))``, a native library that masks signals) cannot
be stopped from inside its process. Killing the process that runs it can,
but killing a loky worker breaks the whole executor. So each process that
runs fits under ``fit_timeout`` (the search's own with ``n_jobs=1``, each
worker otherwise, each thread under the threading backend) starts one small
child of its own, the *runner*, lazily at its first fit, and reuses it for
the next ones. On timeout the runner is killed (``SIGKILL``) and a new one
starts at the next fit.

The runner is ``python -m sktune.search._runner_main``, started with
:class:`subprocess.Popen`, which works from daemonic workers and from
threads where :mod:`multiprocessing` refuses to start a child. Requests go
to its standard input, results come back on a pipe of their own (so that
what a fit prints goes where the caller's output goes), each message a
length-prefixed pickle. This is between a process and its own child; no
file is read.

The runner must not outlive its owner: on Linux it asks the kernel for
``SIGKILL`` when the thread that started it ends (``prctl(PR_SET_PDEATHSIG)``),
and everywhere it exits on end of file on its standard input, which closes
when its owner dies.

The data (``X``, ``y`` and the routed ``fit`` and score parameters) go to a
runner once per search, under a token the search draws, not with every fit.
"""

import atexit
import ctypes
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import weakref

try:  # joblib < 1.6 ships its own copy; later ones depend on cloudpickle
    from joblib.externals import cloudpickle
except ImportError:
    import cloudpickle

# The keys of a task's arguments that stay the same for a whole search.
DATA_KEYS = ("X", "y", "fit_params", "score_params")
_HEADER = struct.Struct("<Q")
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

# Every runner this process started and has not closed, for release_data.
_RUNNERS: "weakref.WeakSet[FitRunner]" = weakref.WeakSet()
# One runner per thread: the kernel kills a runner when the thread that
# started it ends (PR_SET_PDEATHSIG), so a runner is never shared.
_LOCAL = threading.local()


class RunnerDied(Exception):
    """The runner process ended while it ran a fit; ``str`` says how."""


def _dumps(obj):
    return cloudpickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def _write(stream, obj):
    payload = _dumps(obj)
    stream.write(_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _read_exactly(fd, n):
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read(fd):
    """One message from ``fd``, or ``None`` at end of file."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    payload = _read_exactly(fd, _HEADER.unpack(header)[0])
    # the runner's own pipe: the other end is this process's parent or child
    return None if payload is None else pickle.loads(payload)  # noqa: S301


class FitRunner:
    """The parent's handle on one runner process.

    Examples
    --------
    >>> from sktune.search._runner import FitRunner
    >>> runner = FitRunner()
    >>> runner.call(dict, {"a": 7}, token="t", data={"b": 2}, seconds=lambda: 30)
    ('ok', {'b': 2, 'a': 7})
    >>> runner.close()
    """

    def __init__(self):
        self._proc = None
        self._results = None
        self._token = None

    def _start(self):
        read_end, write_end = os.pipe()
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "sktune.search._runner_main", str(write_end),
                 str(os.getpid())],
                stdin=subprocess.PIPE, pass_fds=(write_end,), env=env,
            )
        finally:
            os.close(write_end)
        self._results = read_end
        self._token = None
        _RUNNERS.add(self)
        # Wait for its imports (about 2 s of CPU with scikit-learn's, see
        # benchmarks/README.md) before a fit's clock starts.
        if _read(read_end) != ("ready",):
            raise RunnerDied(self._death())
        # the caller's import path, so that its estimators unpickle there
        _write(self._proc.stdin, ("path", [p or os.getcwd() for p in sys.path]))

    def call(self, func, kwargs, *, token, data, seconds):
        """Run ``func(**data, **kwargs)`` in the runner, waiting ``seconds`` at most.

        Parameters
        ----------
        func : callable
            What to run; picklable with cloudpickle, as are its arguments.
        kwargs : dict
            Its arguments of this call.
        token : str
            Names ``data``: sent only when the runner does not hold it yet.
        data : dict
            Its arguments shared by many calls.
        seconds : callable
            Returns how long to wait for the result, called once the runner
            has the call.

        Returns
        -------
        status : {"ok", "error", "timeout"}
            ``"ok"``: ``value`` is what ``func`` returned; ``"error"``:
            ``value`` is the exception it raised (or that unpickling the
            call raised); ``"timeout"``: the runner was killed after
            ``value`` seconds.
        value : object

        Raises
        ------
        RunnerDied
            If the runner ended (crashed, was killed) before it answered.
        """
        try:
            return self._call(func, kwargs, token, data, seconds)
        except BaseException:
            # interrupted (Ctrl-C) while the runner works: its answer would
            # be taken for the next call's
            if not isinstance(sys.exc_info()[1], RunnerDied):
                self.close()
            raise

    def _call(self, func, kwargs, token, data, seconds):
        try:
            if self._proc is not None and self._proc.poll() is not None:
                self._forget()  # ended while idle (killed from outside)
            if self._proc is None:
                self._start()
            if token != self._token:
                _write(self._proc.stdin, ("data", _dumps(data)))
                self._token = token
            _write(self._proc.stdin, ("call", _dumps((func, kwargs))))
        except OSError:
            raise RunnerDied(self._death()) from None
        # The clock starts once the runner has unpickled the call: importing
        # the estimator's module there is not the fit's time.
        answer = _read(self._results)
        if answer == ("started",):
            waited = max(seconds(), 0.0)
            ready, _, _ = select.select([self._results], [], [], waited)
            if not ready:
                self.close()
                return "timeout", waited
            answer = _read(self._results)
        if answer is None:
            raise RunnerDied(self._death())
        return answer

    def _death(self):
        if self._proc is None:
            return "its process could not be started"
        code = self._proc.wait()
        self._forget()
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"its process was killed by {name}"
        return f"its process exited with status {code}"

    def _forget(self):
        self._proc.stdin.close()
        os.close(self._results)
        self._proc = None
        _RUNNERS.discard(self)

    def release(self):
        """Have the runner drop its data; it stays for the next call."""
        if self._proc is None or self._token is None:
            return
        try:
            _write(self._proc.stdin, ("data", None))
        except OSError:
            pass  # it died meanwhile: the next call starts another
        self._token = None

    def __del__(self):
        # a thread's runner, dropped when its thread ended (the kernel has
        # killed or is killing the process): reap it, close its pipes
        if _RUNNERS is not None:  # None once the interpreter is shutting down
            self.close()

    def close(self):
        """Kill the runner (if it runs) and reap it."""
        if getattr(self, "_proc", None) is None:
            return
        self._proc.kill()
        self._proc.wait()
        self._forget()


def runner():
    """The runner of the calling thread, created on first use.

    Returns
    -------
    runner : FitRunner
        Its process starts at its first call.

    Examples
    --------
    >>> from sktune.search._runner import runner
    >>> runner() is runner()
    True
    """
    if getattr(_LOCAL, "runner", None) is None:
        _LOCAL.runner = FitRunner()
    return _LOCAL.runner


def _after_fork():
    # A forked child (multiprocessing's workers) inherits the handles on its
    # parent's runners: drop them without killing those processes, which are
    # not its own, and start its own runners when it needs them.
    for each in list(_RUNNERS):
        if each._proc is not None:
            each._proc.stdin.close()
            os.close(each._results)
            each._proc = None
    _RUNNERS.clear()
    _LOCAL.runner = None


os.register_at_fork(after_in_child=_after_fork)


@atexit.register
def _close_all():
    # at a normal exit, rather than leave each runner to notice end of file
    for each in list(_RUNNERS):
        each.close()


def release_data():
    """Have every runner of this process drop the data it holds (a search ended).

    The runners stay, so that the next search does not wait for their imports.

    Examples
    --------
    >>> from sktune.search._runner import release_data
    >>> release_data()
    """
    for each in list(_RUNNERS):
        each.release()


def _die_with_parent(parent_pid):
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # the parent may have died before prctl: then this process was re-parented
    if os.getppid() != parent_pid:
        os._exit(1)


def _serve(requests, results):
    data = {}
    while True:
        message = _read(requests)
        if message is None:
            return  # the parent closed the pipe or died
        kind, body = message
        if kind == "path":
            sys.path[:] = body
            continue
        # the call and the data are pickled again inside the message, so
        # that an estimator whose module does not import here fails its fit
        # alone: the framing of the pipe stays whole
        try:
            loaded = pickle.loads(body) if body is not None else {}  # noqa: S301
        except Exception as exc:
            loaded = exc
        if kind == "data":
            data = loaded
            continue
        _write(results, ("started",))
        answer = _answer(loaded, data)
        try:
            _write(results, answer)
        except Exception as exc:
            # nothing was written: the pickle is made before the first byte
            _write(results, ("error", TypeError(
                f"The result of the fit could not be sent back from its process: {exc}"
            )))


def _answer(call, data):
    for failed in (call, data):
        if isinstance(failed, Exception):
            return "error", failed
    func, kwargs = call
    try:
        return "ok", func(**data, **kwargs)
    except Exception as exc:
        return "error", exc


def main():
    """Serve fits until the parent closes the pipe or dies."""
    results_fd, parent_pid = int(sys.argv[1]), int(sys.argv[2])
    _die_with_parent(parent_pid)
    # a timed-out parent kills us; Ctrl-C goes to the parent alone
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with os.fdopen(results_fd, "wb") as results:
        _write(results, ("ready",))
        _serve(sys.stdin.buffer.fileno(), results)
