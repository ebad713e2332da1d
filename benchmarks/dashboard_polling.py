"""What a dashboard watching a running search costs the search.

A random search of a few hundred cheap candidates (a decision tree on the
iris data, 3 folds, ``n_jobs=1``) writes a checkpoint, timed

* ``none``: with no page polling the dashboard (it sits idle);
* ``page``: with ``sktune dashboard`` serving the checkpoint's folder and a
  client polling it at the page's own interval (``POLL_MS`` of the page's
  script, read from the file the dashboard serves);
* ``fast``: the same at ``--fast-ms`` (50 ms by default).

One dashboard serves a folder for the whole benchmark, as a dashboard left
open does, warmed by reading a small search first (its imports and its
first figures are not charged to the searches). The client is a separate
process, as a browser is: it polls the experiments endpoint until the
search's checkpoint appears, then the search's endpoint, as the search's
page does. The three conditions are interleaved (none, page, fast, none,
page, fast, ...) so that a change in the machine's load hits all of them
alike; each run writes a new checkpoint into the folder. The table gives the
median wall time, the median of the per-round (paired) ratios to ``none``
with a 95 % bootstrap interval of that median and a sign test (how many
rounds were slower, and the two-sided binomial p-value), the same for the
search's own CPU seconds (user + system of this process, which contention
for the cores changes less than wall time), the dashboard's CPU seconds per
second of search, and the polls the dashboard served (medians per run).

``--pin`` adds a condition with the search and the dashboard pinned to
different cores (``os.sched_setaffinity``), as on a machine with cores to
spare; the plain conditions are the main result.

    python benchmarks/dashboard_polling.py [--repeats 5] [--n-iter 300] [--fast-ms 50] [--pin]
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

# The client process imports nothing heavy: its start must not load the CPU.


def page_interval():
    """The polling interval of the dashboard's pages, in seconds."""
    import sktune

    script = os.path.join(os.path.dirname(sktune.__file__), "dashboard", "static",
                          "dashboard.js")
    with open(script) as f:
        return int(re.search(r"const POLL_MS = (\d+);", f.read()).group(1)) / 1000


def _search(path, n_iter):
    from sklearn.tree import DecisionTreeClassifier

    import sktune
    from sktune.distributions import Integer, Uniform

    space = {"max_depth": Integer(1, 12), "min_samples_leaf": Integer(1, 20),
             "ccp_alpha": Uniform(0.0, 0.05)}
    return sktune.RandomSearch(DecisionTreeClassifier(random_state=0), space, n_iter=n_iter,
                               cv=3, n_jobs=1, random_state=0, checkpoint=path)


def _get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def client(base, interval, name, stop_file):
    """Poll like a page until ``stop_file`` exists; print the polls served as JSON."""
    served, ident, latencies = 0, None, []
    while not os.path.exists(stop_file):
        started = time.perf_counter()
        if ident is None:
            found = [e["id"] for e in _get(base + "/api/experiments") if e["name"] == name]
            ident = found[0] if found else None
        else:
            _get(f"{base}/api/search/{ident}")
        latencies.append(time.perf_counter() - started)
        served += 1
        if served == 1:
            print("ready", flush=True)  # the search starts now
        time.sleep(interval)
    print(json.dumps({"served": served, "latency_ms": 1000 * statistics.median(latencies)}))


def _cpu_seconds(pid):
    """User and system CPU time of process ``pid`` (Linux's /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _dashboard(folder):
    server = subprocess.Popen(
        [sys.executable, "-m", "sktune", "dashboard", folder, "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base = re.search(r"http://127\.0\.0\.1:\d+", server.stdout.readline()).group(0)
    return server, base


def run_once(X, y, n_iter, folder, name, base, interval=None, server_pid=None):
    """One search into ``folder/name``: its wall and CPU seconds, the dashboard's CPU
    seconds meanwhile, the polls the dashboard at ``base`` served (``None``
    without a client), and the number of candidates."""
    path = os.path.join(folder, name)
    poller = None
    if interval is not None:
        stop = os.path.join(folder, name + ".stop")
        poller = subprocess.Popen(
            [sys.executable, __file__, "--client", base, str(interval), name, stop],
            stdout=subprocess.PIPE, text=True)
        assert poller.stdout.readline().strip() == "ready"
    try:
        search = _search(path, n_iter)
        server_cpu = _cpu_seconds(server_pid) if server_pid else 0.0
        started, cpu = time.perf_counter(), time.process_time()
        search.fit(X, y)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        server_cpu = (_cpu_seconds(server_pid) if server_pid else 0.0) - server_cpu
    finally:
        polls = None
        if poller is not None:
            open(stop, "w").close()
            polls = json.loads(poller.communicate(timeout=120)[0])
    # a dashboard left open has read every finished search: so must this one,
    # before the next run's experiments poll, and not on the clock
    _get(base + "/api/experiments")
    return (seconds, cpu, server_cpu), polls, len(search.cv_results_["params"])


def paired(ratios, draws=10000, seed=0):
    """Median of paired ratios, its 95 % bootstrap interval and a sign test, as text."""
    from scipy.stats import binomtest

    rng = random.Random(seed)
    medians = sorted(statistics.median(rng.choices(ratios, k=len(ratios)))
                     for _ in range(draws))
    low, high = medians[int(0.025 * draws)], medians[int(0.975 * draws) - 1]
    slower = sum(r > 1 for r in ratios)
    p = binomtest(slower, sum(r != 1 for r in ratios)).pvalue
    return (f"{statistics.median(ratios):.3f} [{low:.3f}, {high:.3f}] "
            f"| {slower}/{len(ratios)} (p={p:.2f})")


def _row(name, runs, base, polls):
    wall = statistics.median(r[0] for r in runs)
    if base is None:
        wall_ratio = cpu_ratio = "1 | -"
    else:
        wall_ratio = paired([r[0] / b[0] for r, b in zip(runs, base)])
        cpu_ratio = paired([r[1] / b[1] for r, b in zip(runs, base)])
    share = statistics.median(r[2] / r[0] for r in runs)
    served = "-" if not polls else f"{statistics.median(p['served'] for p in polls):.0f}"
    latency = "-" if not polls else f"{statistics.median(p['latency_ms'] for p in polls):.1f}"
    return (f"| {name} | {wall:.2f} | {wall_ratio} | {cpu_ratio} "
            f"| {statistics.median(r[1] for r in runs):.2f} | {share:.3f} | {served} "
            f"| {latency} |")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--n-iter", type=int, default=300)
    parser.add_argument("--fast-ms", type=float, default=50.0)
    parser.add_argument("--pin", action="store_true",
                        help="add the page's condition with the search and the dashboard "
                        "on different cores")
    parser.add_argument("--client", nargs=4, help=argparse.SUPPRESS,
                        metavar=("BASE", "INTERVAL", "NAME", "STOP_FILE"))
    args = parser.parse_args(argv)
    if args.client:
        base, interval, name, stop = args.client
        return client(base, float(interval), name, stop)
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    conditions = {"none": None, f"page ({page_interval():g} s)": page_interval(),
                  f"fast ({args.fast_ms:g} ms)": args.fast_ms / 1000}
    cores = sorted(os.sched_getaffinity(0))
    pinned = args.pin and len(cores) >= 2
    if pinned:
        conditions[f"page, pinned apart ({page_interval():g} s)"] = page_interval()
    times = {name: [] for name in conditions}
    polls = {name: [] for name in conditions}
    folder = tempfile.mkdtemp(prefix="sktune_polling_")
    server, base = _dashboard(folder)
    try:
        # this process's imports and caches, and the dashboard's, before the clock runs
        run_once(X, y, 20, folder, "warm-up.db", base)
        (warm,) = [e["id"] for e in _get(base + "/api/experiments")]
        _get(f"{base}/api/search/{warm}")
        for i in range(args.repeats):
            for c, (name, interval) in enumerate(conditions.items()):
                apart = pinned and "pinned" in name
                if apart:
                    os.sched_setaffinity(0, cores[:1])
                    os.sched_setaffinity(server.pid, cores[1:])
                try:
                    seconds, served, n = run_once(X, y, args.n_iter, folder,
                                                  f"run{i}-{c}.db", base, interval,
                                                  server.pid)
                finally:
                    if apart:
                        os.sched_setaffinity(0, cores)
                        os.sched_setaffinity(server.pid, cores)
                times[name].append(seconds)
                if served is not None:
                    polls[name].append(served)
                print(f"{name}: {seconds} s, {n} candidates, {served}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait()
    print(f"{n} candidates x 3 folds, {args.repeats} interleaved repetitions")
    print("| dashboard | wall s (median) | wall x none: median [95 % CI] | rounds slower "
          "| search CPU x none: median [95 % CI] | rounds slower | search CPU s "
          "| dashboard CPU s per search s | polls served | poll ms (median) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in conditions:
        print(_row(name, times[name], None if name == "none" else times["none"],
                   polls[name]))


if __name__ == "__main__":
    main()
