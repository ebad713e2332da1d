"""argparse front end: each command parses, calls one public function, prints."""

import argparse
import sys

import numpy as np


def _top_rows(cv_results, top):
    order = np.argsort(cv_results["rank_test_score"], kind="stable")[:top]
    return [
        (
            int(cv_results["rank_test_score"][i]),
            float(cv_results["mean_test_score"][i]),
            float(cv_results["std_test_score"][i]),
            cv_results["params"][i],
        )
        for i in order
    ]


def _print_search(name, search, seconds, top=5):
    n = len(search.cv_results_["params"])
    print(f"\n== {name}: {n} candidates in {seconds:.1f} s ==")
    print(f"best score  {search.best_score_:.4f}")
    print(f"best params {search.best_params_}")
    print(f"{'rank':>4}  {'mean':>7}  {'std':>6}  params")
    for rank, mean, std, params in _top_rows(search.cv_results_, top):
        shown = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                          for k, v in params.items())
        print(f"{rank:>4}  {mean:7.4f}  {std:6.4f}  {shown}")


def _cmd_demo(args):
    from ..demo import STRATEGIES, run_demo

    strategies = STRATEGIES if args.strategy == "all" else (args.strategy,)
    results = run_demo(strategies, random_state=args.random_state)
    for name, (search, seconds) in results.items():
        _print_search(name, search, seconds)
    print("\nstrategy   best score  evaluations  wall time")
    for name, (search, seconds) in results.items():
        n = len(search.cv_results_["params"])
        print(f"{name:<9}  {search.best_score_:10.4f}  {n:11d}  {seconds:8.1f} s")
    return 0


def build_parser():
    """Return the ``sktune`` argument parser."""
    from ..demo import STRATEGIES

    parser = argparse.ArgumentParser(prog="sktune", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="tune an SVC on the digits data with each strategy")
    demo.add_argument("--strategy", choices=(*STRATEGIES, "all"), default="all")
    demo.add_argument("--random-state", type=int, default=0)
    demo.set_defaults(func=_cmd_demo)
    return parser


def main(argv=None):
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : list of str or None, default=None
        Arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    status : int
    """
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
