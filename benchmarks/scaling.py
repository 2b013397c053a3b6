"""How the analysis functions scale: synthetic datasets of 10^3, 10^4 and 10^5 statements.

A synthetic dataset has the real schema and dtypes: its statements are drawn (seeded) from
the real ones and renumbered, and each carries the positions of the statement it was drawn
from, so the vocabularies, issues and delegations are the real ones at any size.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
import time

import numpy as np
import pandas as pd

import geneva_talks
from geneva_talks import analysis

SIZES = (1_000, 10_000, 100_000)

#: The analysis functions timed, as the chapters call them.
FUNCTIONS = {
    "coded_positions": analysis.coded_positions,
    "statements_of (Russia)": lambda d: analysis.statements_of(d, "Russia"),
    "speech_act_table": analysis.speech_act_table,
    "side_cells": analysis.side_cells,
    "stance_matrix": analysis.stance_matrix,
    "lean_matrix": analysis.lean_matrix,
    "classify_issues": analysis.classify_issues,
}


def synthetic(data: geneva_talks.Dataset, n: int, seed: int = 2022) -> geneva_talks.Dataset:
    """A dataset with ``n`` statements drawn from ``data``'s, and their positions."""
    rng = np.random.default_rng(seed)
    drawn = rng.integers(0, len(data.statements), size=n)
    statements = data.statements.iloc[drawn].reset_index(drop=True)
    new_ids = pd.Series([f"X{i:06d}" for i in range(n)], dtype=statements["statement_id"].dtype)
    old_ids = statements["statement_id"].astype(str)
    statements = statements.assign(statement_id=new_ids)
    mapping = pd.DataFrame({"statement_id": old_ids.to_numpy(), "new_id": new_ids.to_numpy()})
    positions = (data.positions.assign(statement_id=data.positions["statement_id"].astype(str))
                 .merge(mapping, on="statement_id")
                 .drop(columns="statement_id")
                 .rename(columns={"new_id": "statement_id"}))
    positions = positions[list(data.positions.columns)]
    return dataclasses.replace(data, statements=statements, positions=positions)


def time_function(function, dataset, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(dataset)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def scaling_report(runs: int) -> tuple[list[str], bool]:
    """Markdown lines: a table of median times by size, the fitted growth exponent and the
    goals (linear growth: exponent at most 1.2; under a second at 10^5); and whether every
    function meets them."""
    data = geneva_talks.load()
    datasets = {n: synthetic(data, n) for n in SIZES}
    lines = ["## Analysis functions on synthetic data", "",
             f"Median of {max(runs, 3)} runs per cell. Growth exponent: the slope of log(time) "
             "against log(statements) from 10^4 to 10^5 (1 = linear). Goals: linear, and "
             "under a second at 10^5 statements.", "",
             "| function | " + " | ".join(f"{n:,} statements" for n in SIZES)
             + " | exponent | goals met |",
             "|---|" + "---|" * (len(SIZES) + 2)]
    all_met = True
    for name, function in FUNCTIONS.items():
        times = [time_function(function, datasets[n], max(runs, 3)) for n in SIZES]
        exponent = math.log(times[-1] / times[-2]) / math.log(SIZES[-1] / SIZES[-2])
        met = exponent <= 1.2 and times[-1] < 1.0
        all_met &= met
        cells = " | ".join(f"{t * 1000:.1f} ms" for t in times)
        lines.append(f"| {name} | {cells} | {exponent:.2f} | {'yes' if met else '**no**'} |")
    lines.append("")
    return lines, all_met
