"""argparse front end: each command parses, calls one public function, prints.

Errors a user can fix (a wrong configuration, a missing file, an unusable
checkpoint, a bad setting) print one line, ``sktune: error: <file>: <key>:
<problem>``, and exit with status 2; Ctrl-C prints how to resume and exits
with 130. Anything else is a bug and keeps its traceback; ``--traceback``
shows the traceback of the user errors too.
"""

import argparse
import shlex
import sys
from collections.abc import Sequence

from .. import __version__ as version
from ._progress import progress_callbacks

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


def _print_leaderboard(results, top, title=None, budgets="full"):
    from ..report import format_leaderboard

    if title:
        print(f"\n== {title} ==")
    print(format_leaderboard(results, top=top, budgets=budgets), flush=True)


def _budgets(args):
    return "all" if getattr(args, "all_budgets", False) else "full"


def _cmd_demo(args):
    from ..demo import STRATEGIES, format_comparison, run_demo

    strategies = STRATEGIES if args.strategy == "all" else (args.strategy,)
    callbacks = progress_callbacks(args.quiet)
    results = {}
    for name in strategies:
        # one strategy at a time, to print its leaderboard as soon as it is done
        try:
            results.update(run_demo(
                [name],
                random_state=args.random_state,
                n_samples=args.n_samples,
                report_dir=None if args.no_report else args.report_dir,
                callbacks=callbacks,
            ))
        except KeyboardInterrupt:
            # the search's own advice (pass checkpoint=...) is for Python users
            raise KeyboardInterrupt(f"the demo stopped during the {name} search") from None
        run = results[name]
        n = len(run.search.cv_results_["params"])
        _print_leaderboard(
            run.search, args.top,
            f"{name}: {type(run.search).__name__}, {n} evaluations in {run.seconds:.1f} s",
        )
    print("\n== comparison ==")
    print(format_comparison(results))
    reports = [run.report for run in results.values() if run.report is not None]
    if reports:
        print(f"\nHTML reports: {', '.join(reports)}")
    if any(run.checkpoint is not None for run in results.values()):
        print(f"Open them in the dashboard: sktune dashboard {shlex.quote(args.report_dir)}")
    return 0


def _cmd_run(args):
    from ..config import display_path, run_config

    search = run_config(
        args.config, allow_import=args.allow_import, callbacks=progress_callbacks(args.quiet)
    )
    n = len(search.cv_results_["params"])
    reused = getattr(search, "n_reused_", 0)
    stop = getattr(search, "stop_reason_", "completed")
    summary = f"{type(search).__name__}: {n} evaluations"
    if reused:
        summary += f" ({reused} read from the checkpoint)"
    if stop != "completed":
        summary += f", stopped early ({stop})"
    _print_leaderboard(search, args.top, summary, _budgets(args))
    if hasattr(search, "best_params_"):
        print(f"\nbest parameters: {search.best_params_}")
    checkpoint = getattr(search, "checkpoint", None)
    if checkpoint is not None:
        print(f"checkpoint: {display_path(checkpoint)} (read by sktune show and sktune report)")
    return 0


def _cmd_show(args):
    from ..search import results_from_checkpoint

    results = results_from_checkpoint(args.checkpoint)
    n = len(results["params"])
    _print_leaderboard(
        results, args.top, f"{args.checkpoint}: {n} evaluations recorded", _budgets(args)
    )
    return 0


def _cmd_report(args):
    from .. import write_report
    from ..search import results_from_checkpoint
    from ..store import CheckpointStore

    results = results_from_checkpoint(args.checkpoint)
    with CheckpointStore(args.checkpoint, read_only=True) as store:
        runs = store.runs()
    path = write_report(
        results, args.output,
        title=args.title or f"sktune report: {args.checkpoint}", top=args.top,
        environment=runs[-1].get("environment") if runs else None,
    )
    print(f"wrote {path}")
    return 0


def _cmd_export(args):
    from ..report import export_results

    # the format is checked before the checkpoint is read or a file created
    from ..report._export import _check_format
    from ..search import results_from_checkpoint

    fmt = _check_format(args.format, args.output)
    path = export_results(results_from_checkpoint(args.checkpoint), args.output, format=fmt)
    print(f"wrote {path}")
    return 0


def _cmd_dashboard(args):
    from ..dashboard import serve

    serve(args.paths, host=args.host, port=args.port)
    return 0


def _port(text):
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be in [0, 65535] (0: any free port), got {value}")
    return value


def _module(text):
    from ..config._trust import is_module_name

    if not is_module_name(text):
        raise argparse.ArgumentTypeError(f"must be a module name such as mypackage, got {text!r}")
    return text


def _top(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _add_browse_commands(sub):
    # the commands that read checkpoints for other programs: a browser, a file
    dash = sub.add_parser(
        "dashboard",
        help="browse checkpoints in a local web page that updates while searches run",
        description="Serve a web page of the searches recorded in checkpoint files (or "
        "in the folders given): every search, its leaderboard and plots, and comparisons. "
        "The checkpoints are only read. Needs pip install sktune[dashboard].",
    )
    dash.add_argument("paths", nargs="+", metavar="PATH",
                      help="a checkpoint file, or a folder searched for checkpoints")
    dash.add_argument("--host", default="127.0.0.1",
                      help="interface to listen on (default: 127.0.0.1, this machine only)")
    dash.add_argument("--port", type=_port, default=8050, metavar="N",
                      help="port (default: 8050; 0 for any free port)")
    dash.set_defaults(func=_cmd_dashboard)

    export = sub.add_parser(
        "export",
        help="write the results of a checkpoint to a CSV, Parquet or JSON file",
        description="Write every evaluation recorded in a checkpoint (one row each, "
        "one column per parameter and per result) to a file for other tools.",
    )
    export.add_argument("checkpoint", metavar="CHECKPOINT")
    export.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="the file to write")
    export.add_argument("--format", choices=("csv", "parquet", "json"), default=None,
                        help="default: from the extension of FILE")
    export.set_defaults(func=_cmd_export)


def build_parser() -> argparse.ArgumentParser:
    """Return the ``sktune`` argument parser.

    Returns
    -------
    parser : argparse.ArgumentParser

    Examples
    --------
    >>> from sktune.cli import build_parser
    >>> args = build_parser().parse_args(["show", "search.db", "--top", "3"])
    >>> args.command, args.checkpoint, args.top
    ('show', 'search.db', 3)
    """
    from ..config import TRUSTED_MODULES
    from ..demo import STRATEGIES

    parser = argparse.ArgumentParser(
        prog="sktune",
        description="Hyperparameter search for scikit-learn estimators.",
    )
    parser.add_argument("--version", action="version", version=f"sktune {version}")
    parser.add_argument(
        "--traceback", action="store_true",
        help="show the Python traceback of errors (for bug reports)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    top = argparse.ArgumentParser(add_help=False)
    top.add_argument("--top", type=_top, default=10, metavar="N",
                     help="rows of the leaderboard (default: 10)")
    top.add_argument(
        "--all-budgets", action="store_true",
        help="Hyperband and halving searches: rank the evaluations of every budget "
        "together (default: only those at the largest budget, which compare)",
    )
    quiet = argparse.ArgumentParser(add_help=False)
    quiet.add_argument("-q", "--quiet", action="store_true", help="no progress output")

    demo = sub.add_parser(
        "demo", parents=[top, quiet],
        help="tune an SVC on the digits data with each strategy and compare them",
        description="Tune an SVC on scikit-learn's digits data with each strategy, "
        "print a leaderboard per strategy and a comparison, and write HTML reports and "
        "checkpoints that `sktune dashboard DIR` shows.",
    )
    demo.add_argument("--strategy", choices=(*STRATEGIES, "all"), default="all")
    demo.add_argument("--random-state", type=int, default=0, metavar="SEED")
    demo.add_argument("--n-samples", type=int, default=None, metavar="N",
                      help="use only the first N digits (quicker)")
    demo.add_argument("--report-dir", default="sktune-demo", metavar="DIR",
                      help="folder of the HTML reports and checkpoints, replaced at each "
                      "run (default: sktune-demo)")
    demo.add_argument("--no-report", action="store_true",
                      help="write no HTML report nor checkpoint")
    demo.set_defaults(func=_cmd_demo)

    run = sub.add_parser(
        "run", parents=[top, quiet],
        help="run the tuning job of a TOML configuration",
        description="Run the tuning job described by a TOML file, then print the "
        "leaderboard. With search.checkpoint set, running it again resumes.",
    )
    run.add_argument("config", metavar="CONFIG.toml")
    run.add_argument(
        "--allow-import", action="append", default=[], type=_module, metavar="MODULE",
        help="let the configuration import MODULE and its submodules, beyond the "
        f"estimators and splitters of {', '.join(TRUSTED_MODULES)} (repeatable; "
        "importing a module runs its code)",
    )
    run.set_defaults(func=_cmd_run)

    show = sub.add_parser(
        "show", parents=[top],
        help="print the leaderboard of a checkpoint (finished or still running)",
    )
    show.add_argument("checkpoint", metavar="CHECKPOINT")
    show.set_defaults(func=_cmd_show)

    rep = sub.add_parser(
        "report", parents=[top],
        help="write the HTML report of a checkpoint",
    )
    rep.add_argument("checkpoint", metavar="CHECKPOINT")
    rep.add_argument("-o", "--output", default="report.html", metavar="FILE",
                     help="the HTML file to write (default: report.html)")
    rep.add_argument("--title", default=None, help="title of the page")
    rep.set_defaults(func=_cmd_report)

    _add_browse_commands(sub)
    return parser


def _one_line(text):
    # scikit-learn's "All the fits failed" message carries the workers'
    # tracebacks: keep its first line and the error it ends with
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else ""
    return f"{lines[0]} ... {lines[-1]}"


def _where(args):
    # the file an error is about, when the message does not say it already
    return getattr(args, "config", None) or getattr(args, "checkpoint", None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : list of str or None, default=None
        Arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    status : int
        0 on success, 2 for an error the user can fix, 130 when interrupted.

    Examples
    --------
    >>> from sktune.cli import main
    >>> main(["show", "no-such-file.db"])
    2
    """
    from ..config import ConfigError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt as exc:
        print(f"\nsktune: interrupted: {str(exc) or 'nothing was saved'}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (ConfigError, ValueError, TypeError, OSError) as exc:
        # ValueError covers CheckpointError and scikit-learn's parameter errors
        if args.traceback:
            raise
        message = _one_line(exc)
        where = _where(args)
        if not isinstance(exc, ConfigError) and where and where not in message:
            message = f"{where}: {message}"
        print(f"sktune: error: {message}", file=sys.stderr)
        return EXIT_ERROR
