"""Lint many documents: take what the cache has, spread the rest over worker processes.

Workers are forked after the parent has loaded the pipeline and compiled the
rules, so they start at once and share those pages; each takes chunks of
documents and returns their reports. Reports come back in input order.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING

from .cache import Cache
from .documents import Document
from .errors import FeedbackLintError
from .findings import Report

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .linter import Linter

#: Documents sent to a worker at a time: enough to amortise the round trip.
CHUNK: int = 8
#: The most worker processes a run starts, whatever ``--jobs`` asks for.
MAX_JOBS: int = 32

_worker_linter: Linter | None = None


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def _lint_chunk(documents: Sequence[Document]) -> list[Report] | FeedbackLintError:
    """A worker's reports for one chunk, or the error that stopped it, as a value."""
    assert _worker_linter is not None, "worker started without a linter"
    try:
        return list(_worker_linter.lint_documents(documents))
    except FeedbackLintError as error:
        return error


def _parallel(linter: Linter, documents: Iterable[Document], jobs: int) -> Iterator[Report]:
    global _worker_linter
    _ = linter.compiled  # load and compile once, before the fork, for every worker to share
    _worker_linter = linter
    # Imported here: process pools cost start-up time that one-file runs never repay.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    iterator = iter(documents)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        in_flight: deque[Future[list[Report] | FeedbackLintError]] = deque()
        while True:
            while len(in_flight) < jobs * 4 and (chunk := list(islice(iterator, CHUNK))):
                in_flight.append(pool.submit(_lint_chunk, chunk))
            if not in_flight:
                return
            result = in_flight.popleft().result()
            if isinstance(result, FeedbackLintError):
                for waiting in in_flight:
                    waiting.cancel()
                raise result
            yield from result


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def _linted(linter: Linter, documents: Sequence[Document], jobs: int) -> Iterator[Report]:
    if not documents:
        return iter(())
    # Each worker holds a pipeline: no more of them than there are chunks, or MAX_JOBS.
    jobs = min(jobs, MAX_JOBS, -(-len(documents) // CHUNK))
    use_processes = jobs > 1 and "fork" in _start_methods()
    if use_processes:
        return _parallel(linter, documents, jobs)
    return linter.lint_documents(documents)


def lint_documents(
    linter: Linter,
    documents: Iterable[Document],
    jobs: int = 1,
    cache: Cache | None = None,
) -> Iterator[Report]:
    """Reports for ``documents`` in order, from the cache where possible."""
    documents = list(documents)
    cached: list[Report | None] = [cache.get(d) if cache else None for d in documents]
    missing = [d for d, report in zip(documents, cached, strict=True) if report is None]
    fresh = _linted(linter, missing, jobs)
    for document, report in zip(documents, cached, strict=True):
        if report is None:
            report = next(fresh)
            if cache is not None:
                cache.put(document, report)
        yield report
