"""A run over paths: inputs read into documents, linted with the cache and worker processes.

This is what :meth:`Linter.lint_paths` does for the command and the audit: the
paths, folders and globs are expanded (see :mod:`inputs`), each file or
standard input is read into a document (an unreadable one becomes an error of
the run, and the others go on), the documents are linted by :mod:`runner`, and
a progress line is kept on a terminal for long runs.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .cache import Cache
from .documents import DEFAULT_MAX_BYTES, Document, from_bytes, read_document
from .errors import FeedbackLintError, InputError
from .findings import Report
from .inputs import PathFilter, expand_paths
from .progress import Progress
from .runner import lint_documents

if TYPE_CHECKING:
    from .linter import Linter


@dataclass
class Run:
    """What a run produced: reports in input order, their documents, and input errors."""

    reports: list[Report]
    documents: list[Document]
    errors: list[FeedbackLintError]


def read_source(
    source: str,
    stdin_name: str = "<stdin>",
    max_bytes: int = DEFAULT_MAX_BYTES,
    include_quotes: bool = False,
) -> Document:
    """The document of a file, or of ``-``: standard input, reported as ``stdin_name``."""
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)  # the limit of any file applies
        return from_bytes(data, stdin_name, max_bytes, include_quotes)
    return read_document(source, max_bytes=max_bytes, include_quotes=include_quotes)


def read_inputs(
    entries: Iterable[str | InputError],
    errors: list[FeedbackLintError],
    stdin_name: str = "<stdin>",
    max_bytes: int = DEFAULT_MAX_BYTES,
    include_quotes: bool = False,
) -> Iterator[Document]:
    """Documents for every readable input; unreadable ones are added to ``errors``."""
    for entry in entries:
        if isinstance(entry, InputError):
            errors.append(entry)
            continue
        try:
            yield read_source(entry, stdin_name, max_bytes, include_quotes)
        except InputError as error:
            errors.append(error)


def lint_paths(
    linter: Linter,
    paths: Sequence[str],
    *,
    exclude: PathFilter | None = None,
    stdin_name: str = "<stdin>",
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int = 1,
    cache_dir: str | os.PathLike[str] | None = None,
    read_cache: bool = True,
    adjust: Callable[[Report], Report] | None = None,
    progress: TextIO | None = None,
) -> Run:
    """Lint every input of ``paths`` (``-`` is standard input, reported as ``stdin_name``).

    ``exclude`` skips paths; files over ``max_bytes`` are refused; ``jobs`` worker
    processes share the work; results are kept in ``cache_dir`` (read from it only
    with ``read_cache``); ``adjust`` changes each report as it comes (per-file-ignores);
    ``progress`` is the stream of the progress line (shown on a terminal only).
    """
    errors: list[FeedbackLintError] = []
    entries = list(expand_paths(paths, exclude or PathFilter()))
    files = sum(1 for entry in entries if isinstance(entry, str))
    documents: deque[Document] = deque()
    kept: list[Document] = []

    def recorded() -> Iterator[Document]:
        for document in read_inputs(entries, errors, stdin_name, max_bytes, linter.include_quotes):
            documents.append(document)
            yield document

    cache = Cache(Path(cache_dir), linter.fingerprint, read=read_cache) if cache_dir else None
    shown = Progress(files, progress) if progress is not None else None
    reports: list[Report] = []
    try:
        for report in lint_documents(linter, recorded(), jobs=jobs, cache=cache):
            kept.append(documents.popleft())
            reports.append(adjust(report) if adjust is not None else report)
            if shown is not None:
                shown.advance(report.path)
    finally:
        if shown is not None:
            shown.close()
    return Run(reports, kept, errors)
