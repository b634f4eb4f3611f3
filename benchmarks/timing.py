"""How the benchmarks time and measure: best of several runs on a chosen clock, memory of
this process, and the time and peak memory of a command.

It imports nothing of feedback-lint, so that a worker running another version of the
package (see versions.py) measures with exactly the same code.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence


def best_of(
    action: Callable[[], object], repeat: int = 1, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The shortest of ``repeat`` runs of ``action`` on ``clock``, in seconds.

    The wall clock (``time.perf_counter``, the default) counts what a user waits for;
    ``time.process_time`` counts this process's CPU alone, which other work on a
    shared machine disturbs less.
    """
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        action()
        best = min(best, clock() - start)
    return best


def interleaved(
    runs: Mapping[str, Callable[[], object]],
    rounds: int,
    clock: Callable[[], float] = time.process_time,
) -> dict[str, float]:
    """The shortest time of each named run over ``rounds`` rounds, in seconds.

    Every round runs each once, in the reverse order of the round before, so that
    neither a busy moment on the machine nor a warm cache always falls on one side.
    """
    best = dict.fromkeys(runs, float("inf"))
    order = list(runs.items())
    for _ in range(rounds):
        order.reverse()
        for name, run in order:
            start = clock()
            run()
            best[name] = min(best[name], clock() - start)
    return best


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_mb() -> float:
    """The peak resident memory of this process so far, in MB.

    Read from ``VmHWM`` where there is one: ``ru_maxrss`` survives ``exec``, so a
    process started by a large one would report that one's peak as its own.
    """
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def command(
    args: Sequence[str], cwd: str | None = None, env: Mapping[str, str] | None = None
) -> tuple[float, float | None]:
    """Wall time (s) and peak memory (MB, None without GNU time) of one command.

    The peak is read by ``/usr/bin/time``: a child forked from a large process
    would report that process's peak as its own.
    """
    timer = "/usr/bin/time"
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
        line = [timer, "-f", "%M", "-o", report.name, *args] if os.path.exists(timer) else args
        start = time.perf_counter()
        subprocess.run(line, capture_output=True, check=False, cwd=cwd, env=env)
        seconds = time.perf_counter() - start
        lines = report.read().split()
    peak = int(lines[-1]) / 1e3 if lines and lines[-1].isdigit() else None
    return seconds, peak


def command_seconds(args: Sequence[str], env: Mapping[str, str] | None = None) -> float:
    """Wall time of one run of a command, in seconds (output discarded)."""
    return best_of(lambda: subprocess.run(args, capture_output=True, check=False, env=env))
