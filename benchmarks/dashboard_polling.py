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

``--windows`` measures instead within one long search, which resolves a
smaller cost than whole searches compared round by round: a grid search of
decision trees on the digits data (3 folds, ``n_jobs=1``, checkpoint on;
``--n-jobs 2`` on a two-core machine leaves the dashboard no core of its own)
runs for ``--duration`` seconds while a client process alternates silent
windows and polling windows of ``--window`` seconds each (silent, page,
silent, fast, silent, page, ...), polling the search's endpoint as the
search page does (the next request ``interval`` after the last answer,
naming the version of the data it shows, the first at a random offset in
the window). Before the first window the client opens the page and polls
it at the page's interval for ``--settle`` seconds, as a page left open
would have.
The search's throughput in a window is read from the checkpoint afterwards
(the ``finished`` time of each candidate, the count of finished candidates
interpolated linearly at the window's ends), its CPU per candidate from
its process's CPU time at the window's ends. Each polling window is
compared with the mean of its two silent neighbours, which cancels a load
that drifts slower than a window; the table gives the mean of these ratios
with a 95 % bootstrap interval (over the window triples) and a sign test.
It overstates the cost of a page open all the time: a full read of the
page that falls due in a silent window is made at the next polling
window's first poll, so the polling windows carry the full reads of the
whole run.

    python benchmarks/dashboard_polling.py --windows [--duration 560] [--window 2] \
        [--fast-ms 50] [--n-jobs 1]
"""

import argparse
import contextlib
import functools
import itertools
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

# The client process imports nothing heavy: its start must not load the CPU.

# a poll this many times slower than the condition's median got a full read
_FULL_READ_TIMES = 5


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


def _fetch(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def _get(url):
    return json.loads(_fetch(url))


def _get_page(url, version):
    """One poll of a search's endpoint as its page makes it (naming the version of
    the data it shows, when the dashboard gave one); the version to show next."""
    since = "" if version is None else "?since=" + urllib.parse.quote(version)
    return _get(url + since).get("version", version)


def client(base, interval, name, stop_file):
    """Poll like a page until ``stop_file`` exists; print the polls served as JSON."""
    served, ident, latencies, version = 0, None, [], None
    while not os.path.exists(stop_file):
        started = time.perf_counter()
        if ident is None:
            found = [e["id"] for e in _get(base + "/api/experiments") if e["name"] == name]
            ident = found[0] if found else None
        else:
            version = _get_page(f"{base}/api/search/{ident}", version)
        latencies.append(time.perf_counter() - started)
        served += 1
        if served == 1:
            print("ready", flush=True)  # the search starts now
        time.sleep(interval)
    print(json.dumps({"served": served, "latency_ms": 1000 * statistics.median(latencies)}))


def _stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def _cpu_seconds(pid):
    """User and system CPU time of process ``pid`` (Linux's /proc)."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree_cpu_seconds(pid, exclude=()):
    """:func:`_cpu_seconds` of ``pid`` and of every process descended from it
    (the workers of a search with ``n_jobs`` > 1) but those of ``exclude``
    and theirs (the dashboard and the client are children of the search's
    process too)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                parents[int(entry)] = int(_stat(entry)[1])
    tree, total = {pid}, 0.0
    for child in parents:
        ancestor = child
        while (ancestor in parents and ancestor not in tree and ancestor not in exclude
               and ancestor > 1):
            ancestor = parents[ancestor]
        if ancestor in tree:
            tree.add(child)
    for member in tree:
        with contextlib.suppress(OSError):
            total += _cpu_seconds(member)
    return total


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


def _warm_up(X, y, folder, base):
    """This process's imports and caches, and the dashboard's, before the clock runs."""
    run_once(X, y, 20, folder, "warm-up.db", base)
    (warm,) = [e["id"] for e in _get(base + "/api/experiments")]
    _get(f"{base}/api/search/{warm}")


def paired(ratios, draws=10000, seed=0, statistic=statistics.median, digits=3):
    """``statistic`` of paired ratios, its 95 % bootstrap interval and a sign test, as text."""
    from scipy.stats import binomtest

    rng = random.Random(seed)
    values = sorted(statistic(rng.choices(ratios, k=len(ratios))) for _ in range(draws))
    low, high = values[int(0.025 * draws)], values[int(0.975 * draws) - 1]
    slower = sum(r > 1 for r in ratios)
    p = binomtest(slower, sum(r != 1 for r in ratios)).pvalue
    return (f"{statistic(ratios):.{digits}f} [{low:.{digits}f}, {high:.{digits}f}] "
            f"| {slower}/{len(ratios)} (p={p:.{digits - 1}f})")


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


# --windows: one long search, silent and polling windows -------------------

def _long_search(path, max_time, n_jobs=1):
    """A grid search of 48,000 trees: every candidate is listed in
    microseconds (a random search of that size draws them one by one before
    its first fit), and ``max_time`` ends it long before the grid does.

    The grid's last key varies fastest, so the parameter that sets a fit's
    cost (``max_depth``) is last and runs through its 12 values in about a
    third of a second: every window holds several of its cycles. With the
    cost set by a slower axis (a cycle of 240 candidates, 7 s) neighbouring
    windows differed by the part of the cycle they held, and the ratio of a
    window to its silent neighbours had a standard deviation of 0.30
    instead of 0.07 (60 s silent searches)."""
    from sklearn.tree import DecisionTreeClassifier

    import sktune

    grid = {"ccp_alpha": [i / 40000 for i in range(2000)], "class_weight": [None, "balanced"],
            "max_depth": list(range(1, 13))}
    return sktune.GridSearch(DecisionTreeClassifier(random_state=0), grid, cv=3, n_jobs=n_jobs,
                             refit=False, max_time=max_time, checkpoint=path)


def _poll(url, interval, until, offset=0.0, version=None):
    """Poll ``url`` as a page does (the next request ``interval`` after the last
    answer, the first after ``offset``) until Unix time ``until``: the latencies,
    and the version of the data the page would show."""
    time.sleep(offset)
    latencies = []
    while time.time() < until:
        started = time.perf_counter()
        version = _get_page(url, version)
        latencies.append(time.perf_counter() - started)
        time.sleep(max(0.0, min(interval, until - time.time())))
    return latencies, version


def _window(page, interval, seconds, pids, rng):
    """One window of ``page`` (its URL and version), silent (``interval`` None) or
    polling: its ends (Unix time, a polling window ends with its last answer),
    CPU seconds of the search's and the dashboard's processes and of this one
    at its ends, and the latencies."""
    search = functools.partial(_tree_cpu_seconds, pids[0], exclude={pids[1], os.getpid()})
    cpu = [search(), _cpu_seconds(pids[1]), time.process_time()]
    start = time.time()
    if interval is None:
        time.sleep(seconds)
        latencies = []
    else:
        # a page polls on its own clock: a window starts anywhere in its period
        latencies, page[1] = _poll(page[0], interval, start + seconds,
                                   rng.uniform(0, min(interval, seconds)), page[1])
    end = time.time()
    after = [search(), _cpu_seconds(pids[1]), time.process_time()]
    return {"interval": interval, "start": start, "end": end, "cpu": [cpu, after],
            "latencies": latencies}


def window_client(base, name, pids, window, settle, intervals, until):
    """Alternate silent and polling windows over search ``name`` until Unix time
    ``until``; print the windows as JSON."""
    print("ready", flush=True)
    ident = None
    while ident is None:  # until the search's checkpoint is in the folder
        found = [e["id"] for e in _get(base + "/api/experiments") if e["name"] == name]
        ident = found[0] if found else time.sleep(0.2)
    url = f"{base}/api/search/{ident}"
    _fetch(f"{base}/search/{ident}")
    page = [url, _poll(url, intervals[0], time.time() + settle)[1]]  # open for a while
    rng, windows = random.Random(0), []
    for k in itertools.count():
        interval = None if k % 2 == 0 else intervals[(k // 2) % len(intervals)]
        # the last window is a silent one, and ends before the search does
        if interval is not None and time.time() + 2 * window > until:
            break
        windows.append(_window(page, interval, window, pids, rng))
        print(f"window {k}: {interval}", file=sys.stderr)
    print(json.dumps(windows))


def _finished_times(path):
    """The sorted ``finished`` times of the candidates of the checkpoint at ``path``."""
    import sqlite3

    import numpy as np

    uri = "file:" + urllib.request.pathname2url(os.path.abspath(path)) + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        return np.sort([row[0] for row in conn.execute("SELECT finished FROM candidates")])


def _window_stats(windows, finished):
    """Per window: candidates per second, search CPU seconds per candidate, and the
    dashboard's and the client's CPU seconds per second."""
    import numpy as np

    count = np.arange(1, len(finished) + 1)
    out = []
    for w in windows:
        seconds = w["end"] - w["start"]
        done = float(np.diff(np.interp([w["start"], w["end"]], finished, count))[0])
        (search0, server0, client0), (search1, server1, client1) = w["cpu"]
        out.append({"interval": w["interval"], "rate": done / seconds,
                    "cpu": (search1 - search0) / done, "server": (server1 - server0) / seconds,
                    "client": (client1 - client0) / seconds,
                    "polls": len(w["latencies"]) / seconds, "latencies": w["latencies"]})
    return out


def _triples(stats, interval):
    """(wall, CPU, full read) of each polling window at ``interval`` against its
    silent neighbours: their mean rate over its rate, its CPU per candidate
    over theirs, and whether one of its polls got a full read of the page
    (an answer over ``_FULL_READ_TIMES`` times the condition's median and
    over 0.1 s)."""
    polls = [x for s in stats if s["interval"] == interval for x in s["latencies"]]
    slow = max(0.1, _FULL_READ_TIMES * statistics.median(polls)) if polls else math.inf
    out = []
    for i in range(1, len(stats) - 1):
        if stats[i]["interval"] != interval:
            continue
        before, w, after = stats[i - 1], stats[i], stats[i + 1]
        out.append(((before["rate"] + after["rate"]) / 2 / w["rate"],
                    w["cpu"] / ((before["cpu"] + after["cpu"]) / 2),
                    max(w["latencies"], default=0.0) > slow))
    return out


def open_throughout(triples):
    """The slowdown of a page open all the time, from the polling windows' ratios.

    Full reads fall due on the clock, whatever the windows, and are made at
    the next poll, so the polling windows (half of the time) carry them all:
    twice their share. The windows without a full read give the cost of the
    polls alone; half the excess of the windows with one is added to it.
    """
    every = statistics.mean(t[0] for t in triples)
    polls = [t[0] for t in triples if not t[2]]
    # no window without a full read: nothing to tell the polls' cost apart by
    base = statistics.mean(polls) if polls else every
    return base + (every - base) / 2


def _open_row(name, triples, draws=10000, seed=0):
    rng = random.Random(seed)
    values = sorted(open_throughout(rng.choices(triples, k=len(triples)))
                    for _ in range(draws))
    low, high = values[int(0.025 * draws)], values[int(0.975 * draws) - 1]
    reads = sum(t[2] for t in triples)
    alone = paired([t[0] for t in triples if not t[2]], statistic=statistics.mean, digits=4)
    return (f"| {name} | {len(triples)} | {reads} | {alone} "
            f"| {open_throughout(triples):.4f} [{low:.4f}, {high:.4f}] |")


def _window_row(name, stats, triples):
    median = statistics.median
    if triples:
        wall = paired([t[0] for t in triples], statistic=statistics.mean, digits=4)
        cpu = paired([t[1] for t in triples], statistic=statistics.mean, digits=4)
        latencies = [1000 * x for s in stats for x in s["latencies"]]
        polls = (f"{median(s['polls'] for s in stats):.2f} | {median(latencies):.1f} "
                 f"/ {max(latencies):.0f}")
    else:
        wall = cpu = "1 | -"
        polls = "- | -"
    return (f"| {name} | {len(triples) or len(stats)} | {median(s['rate'] for s in stats):.1f} "
            f"| {wall} | {cpu} | {1000 * median(s['cpu'] for s in stats):.2f} "
            f"| {statistics.mean(s['server'] for s in stats):.4f} "
            f"| {statistics.mean(s['client'] for s in stats):.4f} | {polls} |")


def windows_main(args, conditions):
    """The ``--windows`` measurement: one long search, one client, one table."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    folder = tempfile.mkdtemp(prefix="sktune_windows_")
    server, base = _dashboard(folder)
    name, intervals = "long.db", list(conditions.values())
    try:
        _warm_up(X, y, folder, base)
        load = os.getloadavg()
        until = time.time() + args.duration
        client = subprocess.Popen(
            [sys.executable, __file__, "--window-client", base, name, str(os.getpid()),
             str(server.pid), str(args.window), str(args.settle), str(until),
             *map(str, intervals)], stdout=subprocess.PIPE, text=True)
        assert client.stdout.readline().strip() == "ready"
        _long_search(os.path.join(folder, name), until - time.time(), args.n_jobs).fit(X, y)
        windows = json.loads(client.communicate(timeout=600)[0])
    finally:
        server.terminate()
        server.wait()
    finished = _finished_times(os.path.join(folder, name))
    print(f"n_jobs={args.n_jobs}: {len(finished)} candidates x 3 folds in {args.duration:g} s, "
          f"{len(windows)} windows of {args.window:g} s; load average {load[0]:.2f} at the "
          f"start, {os.getloadavg()[0]:.2f} at the end")
    if args.save:
        with open(args.save, "w") as f:
            json.dump({"windows": windows, "finished": finished.tolist(),
                       "conditions": conditions}, f)
    windows_tables(windows, finished, conditions)


def windows_tables(windows, finished, conditions):
    """The tables of a ``--windows`` run: each window against its silent neighbours,
    then the estimate for a page open all the time."""
    import numpy as np

    stats = _window_stats(windows, np.asarray(finished))
    print("| dashboard | windows | candidates/s (median) | wall x silent: mean [95 % CI] "
          "| windows slower | search CPU per candidate x silent: mean [95 % CI] "
          "| windows slower | search CPU ms per candidate (median) "
          "| dashboard CPU s per s | client CPU s per s | polls per s (median) "
          "| poll ms median / max |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(_window_row("silent", [s for s in stats if s["interval"] is None], []))
    triples = {interval: _triples(stats, interval) for interval in conditions.values()}
    for label, interval in conditions.items():
        print(_window_row(label, [s for s in stats if s["interval"] == interval],
                          triples[interval]))
    print()
    print("| dashboard | windows | with a full read | wall x silent without a full read: "
          "mean [95 % CI] | windows slower | a page open throughout: wall x silent "
          "[95 % CI] |")
    print("|---|---|---|---|---|---|")
    for label, interval in conditions.items():
        print(_open_row(label, triples[interval]))


def rounds_main(args, conditions):
    """The paired-rounds measurement: whole searches with and without a client."""
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    conditions = {"none": None, **conditions}
    cores = sorted(os.sched_getaffinity(0))
    pinned = args.pin and len(cores) >= 2
    if pinned:
        conditions[f"page, pinned apart ({page_interval():g} s)"] = page_interval()
    times = {name: [] for name in conditions}
    polls = {name: [] for name in conditions}
    folder = tempfile.mkdtemp(prefix="sktune_polling_")
    server, base = _dashboard(folder)
    try:
        _warm_up(X, y, folder, base)
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


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--n-iter", type=int, default=300)
    parser.add_argument("--fast-ms", type=float, default=50.0)
    parser.add_argument("--pin", action="store_true",
                        help="add the page's condition with the search and the dashboard "
                        "on different cores")
    parser.add_argument("--windows", action="store_true",
                        help="silent and polling windows within one long search")
    parser.add_argument("--duration", type=float, default=560.0,
                        help="--windows: seconds the search runs")
    parser.add_argument("--window", type=float, default=2.0,
                        help="--windows: seconds of each window")
    parser.add_argument("--n-jobs", type=int, default=1,
                        help="--windows: the search's n_jobs (2 on two cores: no core to spare)")
    parser.add_argument("--save", help="--windows: write the windows to this JSON file")
    parser.add_argument("--tables", help="--windows: print the tables of a saved run")
    parser.add_argument("--settle", type=float, default=10.0,
                        help="--windows: seconds the page polls before the first window")
    parser.add_argument("--client", nargs=4, help=argparse.SUPPRESS,
                        metavar=("BASE", "INTERVAL", "NAME", "STOP_FILE"))
    parser.add_argument("--window-client", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        base, interval, name, stop = args.client
        return client(base, float(interval), name, stop)
    if args.window_client:
        base, name, search_pid, server_pid, window, settle, until, *intervals = args.window_client
        return window_client(base, name, (int(search_pid), int(server_pid)), float(window),
                             float(settle), [float(i) for i in intervals], float(until))
    if args.tables:
        with open(args.tables) as f:
            saved = json.load(f)
        return windows_tables(saved["windows"], saved["finished"], saved["conditions"])
    conditions = {f"page ({page_interval():g} s)": page_interval(),
                  f"fast ({args.fast_ms:g} ms)": args.fast_ms / 1000}
    return (windows_main if args.windows else rounds_main)(args, conditions)

if __name__ == "__main__":
    main()
