"""A search autologged by MLflow in a process of its own, for the kill test.

    python tests/mlflow_job.py TRACKING_URI CHECKPOINT [--n-iter N]

Fits ``checkpoint_job``'s RandomSearch of a slow classifier (``$SKTUNE_FIT_DELAY``
seconds per fit) with a checkpoint, under ``sktune.mlflow.autolog`` with its
default settings, inside a run named "search".
"""

import argparse
import os
import sys

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")

import mlflow  # noqa: E402
from checkpoint_job import make_search  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402

import sktune.mlflow  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("tracking_uri")
    parser.add_argument("checkpoint")
    parser.add_argument("--n-iter", type=int, default=12)
    args = parser.parse_args(argv)
    X, y = load_iris(return_X_y=True)
    mlflow.set_tracking_uri(args.tracking_uri)
    sktune.mlflow.autolog(log_models=False)
    with mlflow.start_run(run_name="search"):
        make_search("random", args.checkpoint, args.n_iter, n_jobs=1).fit(X, y)
    return 0


if __name__ == "__main__":
    sys.exit(main())
