"""
The data of the mixed-type configuration
========================================

``mixed_types.toml`` tunes a pipeline on ``mixed_types.csv``: 600
customers of a made-up subscription service, with numbers (``age``, with
a few cells left empty, and ``monthly_fee``), categories (``plan``,
``region``), a line of free text (``feedback``) and whether they left
(``churned``, the target). This script wrote that file; run it again with
``python examples/mixed_types_data.py`` to write the same bytes. The
chance to leave grows with the fee, falls with age, and depends on the
plan and on the words of the feedback, so each kind of column carries
part of the answer.
"""

import csv
import sys
from pathlib import Path

import numpy as np

N_ROWS = 600
PLANS = {"basic": 0.4, "standard": 0.0, "premium": -0.6}
REGIONS = {"north": 0.0, "south": 0.3, "east": -0.2, "west": 0.1}
WORDS = {
    1.0: ["slow", "outage", "expensive", "rude", "confusing"],
    -1.0: ["fast", "friendly", "reliable", "cheap", "helpful"],
    0.0: ["app", "billing", "support", "contract", "router", "website"],
}


def rows(n_rows=N_ROWS, seed=0):
    """The table, as a header and rows of text cells."""
    # RandomState: its stream never changes across numpy versions, so the
    # file is the same wherever the script runs
    rng = np.random.RandomState(seed)
    vocabulary = [(w, tone) for tone, words in WORDS.items() for w in words]
    yield ["age", "monthly_fee", "plan", "region", "feedback", "churned"]
    for _ in range(n_rows):
        age = int(rng.randint(18, 80))
        fee = round(float(rng.uniform(10, 60)), 2)
        plan = list(PLANS)[rng.randint(len(PLANS))]
        region = list(REGIONS)[rng.randint(len(REGIONS))]
        picked = [vocabulary[i] for i in rng.choice(len(vocabulary), 3, replace=False)]
        tone = sum(t for _, t in picked)
        logit = -0.04 * (age - 45) + 0.06 * (fee - 35) + PLANS[plan] + REGIONS[region] + tone
        churned = rng.uniform() < 1 / (1 + np.exp(-logit))
        age_cell = "" if rng.uniform() < 0.03 else str(age)
        yield [age_cell, f"{fee:.2f}", plan, region, " ".join(w for w, _ in picked),
               "yes" if churned else "no"]


def write(path):
    """Write the table to ``path``."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows())


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("mixed_types.csv")
    write(out)
    print(f"wrote {out}")
