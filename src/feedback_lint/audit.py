"""The corpus audit (``feedback-lint audit``): lint many files on a Dask cluster.

The client expands the paths as the command line does and sends partitions of
them to the workers; each worker process builds its linter (and loads the
English pipeline) once, reads and lints the files of a partition in one
``nlp.pipe`` batch, and sends back one JSON record a file: the same object as
one entry of ``files`` in ``--format json`` output, or, for a file that cannot
be read, the same object as one entry of ``errors``. Records are streamed back
in input order and written to ``findings.jsonl`` and ``errors.jsonl``, and the
report (:mod:`feedback_lint.report`) is drawn from them.

Workers read the files themselves, so every worker must see the paths (the
same machine, or a shared file system mounted at the same place). A worker
that dies mid-run loses nothing: the scheduler runs its partitions again
elsewhere. :func:`lint_paths` is the partition function, usable as it is with
any engine that maps over partitions (Dask bags, Spark's ``mapPartitions``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from .documents import Document, read_document
from .errors import FeedbackLintError, InputError
from .findings import Severity

if TYPE_CHECKING:
    from dask.bag import Bag
    from distributed import Client

    from .config import Settings
    from .linter import Linter

#: Files sent to a worker at a time: enough for ``nlp.pipe`` batching, small enough to spread.
DEFAULT_PARTITION_SIZE: Final = 16
FINDINGS_FILE: Final = "findings.jsonl"
ERRORS_FILE: Final = "errors.jsonl"
REPORT_FILE: Final = "report.html"

#: A record: one file's ``--format json`` entry, or one unreadable file's error entry.
Record = dict[str, Any]

# One linter per worker process and set of options: built, and its pipeline loaded, once.
_worker_linters: dict[str, Linter] = {}


@dataclass(frozen=True)
class Job:
    """What every partition of an audit needs: the settings and where relative paths start."""

    settings: Settings
    base: str = field(default_factory=os.getcwd)


def make_job(options: Sequence[str] = (), *, config: str | None = None) -> Job:
    """A job from command-line options (``["--select", "FB1"]``) and the configuration file.

    The configuration file is the one ``config`` names, or the nearest one above
    the working directory, as on the command line; it is read here, on the
    client, and travels with the job.
    """
    from .config import build_parser, discover, settings

    args = build_parser().parse_args([*options, *(("--config", config) if config else ())])
    return Job(settings(args, discover(args.config, args.isolated)))


def _linter(settings: Settings) -> Linter:
    from .cli import build_linter
    from .config import build_parser

    key = repr(sorted(settings.linter_options.items()))
    linter = _worker_linters.get(key)
    if linter is None:
        linter = build_linter(build_parser().parse_args([]), settings)
        _worker_linters[key] = linter
    return linter


def error_record(error: FeedbackLintError) -> Record:
    """An unreadable file's record: one entry of ``errors`` in ``--format json``."""
    return {"path": error.path, "line": error.line, "code": error.code, "message": error.detail}


def is_error(record: Record) -> bool:
    """Whether a record is an unreadable file's error rather than a file's findings."""
    return "code" in record and "findings" not in record


def lint_paths(paths: Iterable[str], job: Job) -> list[Record]:
    """Lint one partition of files: one record a file, in order. Runs on a worker.

    Relative paths are read from ``job.base`` and reported as given.
    """
    from .formatters.json_format import report_json

    chosen = job.settings
    linter = _linter(chosen)
    slots: list[Record | None] = []
    documents: list[tuple[int, str, Document]] = []
    for path in paths:
        real = os.path.join(job.base, path)
        try:
            document = read_document(
                real,
                max_bytes=chosen.max_bytes,
                include_quotes=linter.include_quotes,
                display_path=path,
            )
        except InputError as error:
            slots.append(error_record(error))
            continue
        documents.append((len(slots), real, document))
        slots.append(None)
    reports = linter.lint_documents([document for _, _, document in documents])
    for (index, real, document), report in zip(documents, reports, strict=True):
        # Per-file ignores match where the file is, whatever the worker's working folder.
        kept = chosen.ignored(replace(report, path=os.path.abspath(real)))
        slots[index] = report_json(replace(kept, path=document.path))
    return [record for record in slots if record is not None]


def _partitions(paths: Sequence[str], size: int) -> list[list[str]]:
    iterator = iter(paths)
    return [chunk for chunk in iter(lambda: list(islice(iterator, size)), [])]


def lint_bag(paths: Bag, job: Job | None = None) -> Bag:
    """A Dask bag of file paths -> a bag of records (see :func:`lint_paths`), by partition."""
    bag: Bag = paths.map_partitions(lint_paths, job if job is not None else make_job())
    return bag


def lint_on_cluster(
    paths: Sequence[str],
    client: Client,
    job: Job,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    on_record: Callable[[Record], None] | None = None,
) -> Iterator[Record]:
    """Lint ``paths`` on the cluster behind ``client``; records come back in input order.

    Every partition is submitted at once; each result is released as soon as it
    has been yielded. ``on_record`` is called with each record as it arrives.
    """
    futures = client.map(
        lint_paths, _partitions(paths, partition_size), job=job, pure=False, key="feedback-lint"
    )
    try:
        while futures:
            future = futures.pop(0)
            records: list[Record] = future.result()
            del future
            for record in records:
                if on_record is not None:
                    on_record(record)
                yield record
    finally:
        client.cancel(futures)


@dataclass
class Outcome:
    """What an audit wrote: counts of files, findings and unreadable files, and the paths."""

    files: int = 0
    findings: int = 0
    errors: int = 0
    failing: bool = False
    written: list[Path] = field(default_factory=list)


def write_audit(
    records: Iterable[Record],
    output: Path,
    fail_on: Severity = Severity.INFO,
    title: str = "feedback-lint audit",
) -> Outcome:
    """Write the records to ``output`` (findings.jsonl, errors.jsonl, report.html)."""
    from .report import Tally, write_report

    output.mkdir(parents=True, exist_ok=True)
    outcome = Outcome()
    tally = Tally()
    findings_path, errors_path = output / FINDINGS_FILE, output / ERRORS_FILE
    with (
        open(findings_path, "w", encoding="utf-8") as findings_file,
        open(errors_path, "w", encoding="utf-8") as errors_file,
    ):
        for record in records:
            line = json.dumps(record, ensure_ascii=False) + "\n"
            tally.add(record)
            if is_error(record):
                errors_file.write(line)
                outcome.errors += 1
                continue
            findings_file.write(line)
            outcome.files += 1
            outcome.findings += len(record["findings"])
            outcome.failing = outcome.failing or any(
                Severity(f["severity"]).rank >= fail_on.rank for f in record["findings"]
            )
    report_path = output / REPORT_FILE
    write_report(tally, report_path, title=title)
    outcome.written = [findings_path, errors_path, report_path]
    return outcome


#: Options of the lint command that mean nothing for an audit.
_NOT_FOR_AUDIT: Final = {
    "fix": "--fix",
    "diff": "--diff",
    "list_rules": "--list-rules",
    "explain": "--explain",
    "show_parse": "--show-parse",
    "version": "--version",
    "statistics": "--statistics",
    "show_source": "--show-source",
}


def build_parser() -> argparse.ArgumentParser:
    """The arguments of ``feedback-lint audit``: the linting options and where to run."""
    from .config import build_parser as lint_parser

    parser = lint_parser()
    parser.prog = "feedback-lint audit"
    # The lint command's options for output, caching and local processes mean nothing here.
    hidden = {*_NOT_FOR_AUDIT, "format", "jobs", "no_cache", "cache_dir", "color", "stdin_filename"}
    for action in parser._actions:
        if action.dest in hidden:
            action.help = argparse.SUPPRESS
    parser.description = (
        "Lint many files on a Dask cluster and write DIR/findings.jsonl, DIR/errors.jsonl "
        "and DIR/report.html."
    )
    parser.add_argument(
        "--scheduler",
        required=True,
        metavar="ADDRESS|local",
        help="a Dask scheduler's address (tcp://host:8786), or 'local' for a cluster here",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="worker processes of a local cluster (default: the number of cores)",
    )
    parser.add_argument(
        "--output", required=True, metavar="DIR", help="the folder to write the results to"
    )
    parser.add_argument(
        "--connect-timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how long to try to reach the scheduler (default: %(default)s)",
    )
    parser.add_argument(
        "--partition-size",
        type=int,
        default=DEFAULT_PARTITION_SIZE,
        metavar="FILES",
        help="files sent to a worker at a time (default: %(default)s)",
    )
    return parser


def _usage_error(args: argparse.Namespace) -> str | None:
    for name, option in _NOT_FOR_AUDIT.items():
        if getattr(args, name):
            return f"{option} does not apply to an audit"
    if args.format != "default":
        return "--format does not apply to an audit: it writes JSON lines and a report"
    if not args.paths:
        return "give the files or folders to audit"
    if "-" in args.paths:
        return "an audit reads files, not standard input"
    if args.workers is not None and args.workers < 1:
        return "--workers takes a whole number of at least 1"
    if args.partition_size < 1:
        return "--partition-size takes a whole number of at least 1"
    return None


def _client(
    scheduler: str, workers: int | None, timeout: float
) -> tuple[Client, Callable[[], None]]:
    """A client of the named cluster, or of a new local one; and how to close them."""
    from distributed import Client, LocalCluster

    if scheduler != "local":
        client = Client(scheduler, timeout=timeout)
        return client, client.close
    from .runner import default_jobs

    cluster = LocalCluster(
        n_workers=workers or default_jobs(),
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    client = Client(cluster)

    def close() -> None:
        client.close()
        cluster.close()

    return client, close


def run(args: argparse.Namespace) -> int:
    """Carry out parsed ``audit`` arguments; returns the exit code."""
    from .config import discover, settings
    from .inputs import expand_paths
    from .progress import Progress

    problem = _usage_error(args)
    if problem is not None:
        sys.stderr.write(f"feedback-lint audit: {problem}\n")
        return 2
    chosen = settings(args, discover(args.config, args.isolated))
    this_job = Job(chosen)
    _linter(chosen)  # a bad selection or rule file stops the run here, with its message
    entries = list(expand_paths(args.paths, chosen.exclude))
    paths = [entry for entry in entries if isinstance(entry, str)]
    missing = [error_record(entry) for entry in entries if isinstance(entry, InputError)]
    progress = Progress(len(paths), sys.stderr)
    try:
        client, close = _client(args.scheduler, args.workers, args.connect_timeout)
    except (OSError, TimeoutError, ValueError) as error:
        sys.stderr.write(
            f"feedback-lint audit: cannot reach the scheduler {args.scheduler}: {error}\n"
        )
        return 2
    try:
        records = lint_on_cluster(
            paths,
            client,
            this_job,
            args.partition_size,
            on_record=lambda record: progress.advance(str(record["path"])),
        )
        outcome = write_audit(chain(missing, records), Path(args.output), chosen.fail_on)
    finally:
        progress.close()
        close()
    sys.stdout.write(
        f"feedback-lint audit: {outcome.files} files, {outcome.findings} findings, "
        f"{outcome.errors} unreadable; wrote {', '.join(str(p) for p in outcome.written)}\n"
    )
    if args.exit_zero:
        return 0
    return 1 if outcome.errors or outcome.failing else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``feedback-lint audit``."""
    if importlib.util.find_spec("distributed") is None:
        sys.stderr.write(
            "feedback-lint: the audit needs the dask extra:"
            " python -m pip install 'feedback-lint[dask]'\n"
        )
        return 2
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except FeedbackLintError as error:
        sys.stderr.write(f"feedback-lint: {error}\n")
        return 2
    except KeyboardInterrupt:
        return 130
