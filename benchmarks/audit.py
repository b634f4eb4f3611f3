"""Files per second of the audit on a local Dask cluster against the command line's --jobs.

    python benchmarks/audit.py            # 300 generated reviews (benchmarks/corpus.py)
    python benchmarks/audit.py --count 60 # a smaller corpus, for a smoke run

Two figures for each: the whole command as a user runs it (start-up, loading
the pipeline in every process, linting, writing), and linting alone, on
processes that have already loaded the pipeline (a warm cluster; for
``--jobs``, the forked workers of a linter that has loaded it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from feedback_lint.audit import lint_on_cluster, lint_paths, make_job
from feedback_lint.documents import read_document
from feedback_lint.linter import Linter
from feedback_lint.runner import lint_documents


def _write(folder: Path, count: int) -> list[str]:
    paths = []
    for index, text in enumerate(corpus.documents(count)):
        path = folder / f"review-{index:04}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def _command(args: Sequence[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=False)
    return time.perf_counter() - start


def _warm_jobs(paths: list[str], jobs: int) -> float:
    linter = Linter()
    linter.lint_text("You always miss deadlines.")
    documents = [read_document(path) for path in paths]
    start = time.perf_counter()
    sum(1 for _ in lint_documents(linter, documents, jobs=jobs))
    return time.perf_counter() - start


def _warm_cluster(paths: list[str], workers: int) -> float:
    from distributed import Client, LocalCluster

    job = make_job(["--isolated"])
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lint_paths, paths[:1], job)  # every worker loads the pipeline first
        start = time.perf_counter()
        sum(1 for _ in lint_on_cluster(paths, client, job))
        return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300, help="documents to generate")
    args = parser.parse_args(argv)
    tool = [sys.executable, "-m", "feedback_lint"]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "reviews"
        folder.mkdir()
        paths = _write(folder, args.count)
        out = Path(scratch) / "out"
        rows = []
        for n in (1, 2):
            whole = _command([*tool, "--isolated", "--no-cache", "--jobs", str(n), str(folder)])
            rows.append((f"--jobs {n}", whole, _warm_jobs(paths, n)))
        for n in (1, 2):
            local = ["--scheduler", "local", "--workers", str(n), "--output", str(out)]
            whole = _command([*tool, "audit", "--isolated", str(folder), *local])
            rows.append(
                (f"audit, {n} local worker{'s' if n > 1 else ''}", whole, _warm_cluster(paths, n))
            )
    print(f"{args.count} files")
    print(f"{'run':<24} {'whole command':>16} {'linting alone':>16}")
    for name, whole, warm in rows:
        print(f"{name:<24} {args.count / whole:>10.1f} files/s {args.count / warm:>10.1f} files/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
