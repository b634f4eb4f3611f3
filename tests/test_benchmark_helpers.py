"""The benchmarks' own helpers: best-of timing on a given clock, and the direction of the
speed-ups in the table of versions (no measuring here: fake clocks and figures)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import timing
import versions


def test_benchmark_best_of_takes_the_shortest_run_on_the_given_clock() -> None:
    ticks = iter([0.0, 5.0, 10.0, 12.0, 20.0, 24.0])  # runs of 5, 2 and 4
    calls: list[int] = []
    best = timing.best_of(lambda: calls.append(1), repeat=3, clock=lambda: next(ticks))
    assert (best, len(calls)) == (2.0, 3)


def test_benchmark_interleaved_alternates_the_order_and_keeps_each_runs_shortest() -> None:
    now = [0.0]
    order: list[str] = []
    lengths = {"a": iter([3.0, 1.0, 2.0]), "b": iter([5.0, 6.0, 4.0])}

    def run(name: str) -> None:
        order.append(name)
        now[0] += next(lengths[name])

    best = timing.interleaved(
        {"a": lambda: run("a"), "b": lambda: run("b")}, rounds=3, clock=lambda: now[0]
    )
    assert order == ["b", "a", "a", "b", "b", "a"]
    assert best == {"a": 1.0, "b": 4.0}


def test_benchmark_versions_table_speed_ups_above_one_mean_better() -> None:
    old = versions.Version("v1", Path("old"), {})
    new = versions.Version("this tree", Path("new"), {})
    old.figures = {"lint_many": 1000.0, "latency": 50.0, "--list-rules": 400.0}
    new.figures = {"lint_many": 2000.0, "latency": 25.0, "--list-rules": 200.0}
    new.figures["--list-rules share"] = 0.25
    figures = [f for f in versions.FIGURES if f[0] in new.figures]
    table = versions._table([old, new], figures).splitlines()
    assert table[0] == "| figure | v1 | this tree | against v1 |"
    rows = {row.split(" | ")[0].strip("| "): row.split(" | ")[-1].strip(" |") for row in table[2:]}
    assert set(rows.values()) == {"2.00x"}
    assert "200 (0.25 of import spacy)" in table[-1]
