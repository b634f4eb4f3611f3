"""The linters of a running service and the one worker thread that runs them.

Every call into spaCy (building a linter, parsing, matching) runs in a worker
thread that owns its pipeline, one request at a time: spaCy's ``Language`` is
not guaranteed to be thread-safe. The linters come from one :class:`Linters`
cache, the library's own kind, and share one pipeline loaded with the
components that any rule may need.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Any, Final, TypeVar

from ..documents import Format
from ..errors import FeedbackLintError, InputError
from ..findings import Report, Severity
from ..linter import Linter, Linters, Options
from ..selection import Selection

if TYPE_CHECKING:
    from spacy.language import Language

#: Texts longer than this (in characters) are linted by the worker for long texts.
LONG_TEXT: Final = 10_000
#: Blocks parsed together by the worker for long texts: its time limit is checked between batches.
LONG_TEXT_BATCH: Final = 8
#: How many linters for other option sets (select, ignore, profile) are kept.
LINTER_CACHE_SIZE: Final = 16
#: The path a request's text is reported under.
REQUEST_PATH: Final = "<request>"

_T = TypeVar("_T")


class ClientError(Exception):
    """A request the service cannot answer; becomes a JSON error with ``status``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class BodyTooLarge(ClientError):
    """The request body is larger than the service accepts."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413, "body-too-large", f"the request body is larger than the limit of {limit} bytes"
        )


class TimeLimitExceeded(Exception):
    """Raised inside a worker's pipeline when the request it is linting is out of time."""


# The deadline of the request a worker thread is linting, read by its pipeline's checks.
_deadline = threading.local()
_TIME_CHECK: Final = "feedback_lint_time_limit"


def _check_time(doc: Any) -> Any:
    """A pipeline component: stops the work of a request that is out of time."""
    deadline: float | None = getattr(_deadline, "at", None)
    if deadline is not None and time.monotonic() > deadline:
        raise TimeLimitExceeded
    return doc


def _add_time_checks(nlp: Language) -> None:
    """Check the time limit after the tokenizer and after every component of ``nlp``."""
    from spacy.language import Language

    if not Language.has_factory(_TIME_CHECK):
        Language.component(_TIME_CHECK, func=_check_time)
    for index, name in enumerate(list(nlp.pipe_names)):
        nlp.add_pipe(_TIME_CHECK, name=f"{_TIME_CHECK}_{index}", after=name)
    nlp.add_pipe(_TIME_CHECK, name=f"{_TIME_CHECK}_first", first=True)


def verdict(report: Report) -> str:
    """What a send button should do: ``block`` on an error, ``review`` on a warning, else ``ok``."""
    severities = {finding.severity for finding in report.findings}
    if Severity.ERROR in severities:
        return "block"
    if Severity.WARNING in severities:
        return "review"
    return "ok"


class LintService:
    """The linters of a running service and the one worker thread that runs them.

    ``linter`` answers requests that give no options; requests with options get
    a linter built from ``linter_options`` and theirs, kept in a :class:`Linters` cache.
    Every linter uses the one pipeline loaded by the first: it is loaded with the
    components that any rule may need, so that no selection loads another.
    With ``own_pipeline`` that pipeline is this service's own copy, checking the
    time limit of :meth:`run_within` between its components; otherwise it is the
    one the process shares.
    """

    def __init__(
        self,
        linter: Linter | None = None,
        linter_options: Mapping[str, Any] | None = None,
        cache_size: int = LINTER_CACHE_SIZE,
        *,
        own_pipeline: bool = False,
    ) -> None:
        self.options = dict(linter_options or {})
        self._linters = Linters(self.options, cache_size, base=linter)
        self.base = self._linters.base
        self.own_pipeline = own_pipeline
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="feedback-lint")
            return self._executor

    async def run(self, function: Callable[..., _T], *args: Any) -> _T:
        """Run ``function(*args)`` in the worker thread, the only one that touches spaCy."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool(), partial(function, *args))

    async def run_within(self, limit: float, function: Callable[..., _T], *args: Any) -> _T:
        """:meth:`run`, answered within ``limit`` seconds of the call or refused.

        Work that runs out of time is a :class:`ClientError` (413: the text is too
        long to lint in time); work that waited that long for the worker is a 503.
        An own pipeline stops at its next check; the shared one finishes its text.
        """
        deadline = time.monotonic() + limit
        started: list[float] = []

        def timed() -> _T:
            started.append(time.monotonic())
            _deadline.at = deadline
            try:
                if time.monotonic() > deadline:
                    raise TimeLimitExceeded
                return function(*args)
            finally:
                _deadline.at = None

        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.run_in_executor(self._pool(), timed), limit)
        except (asyncio.TimeoutError, TimeLimitExceeded):
            if started and started[0] <= deadline:
                raise ClientError(
                    413,
                    "time-limit",
                    f"linting the text took longer than the limit of {limit:g} s;"
                    " send a shorter text",
                ) from None
            raise ClientError(
                503, "busy", f"the service could not start on the text within {limit:g} s"
            ) from None

    async def lint_within(
        self, limit: float, options: Options, text: str, format: Format | None
    ) -> tuple[Report, Linter]:
        """:meth:`lint` in the worker within ``limit`` seconds (see :meth:`run_within`);
        the pipeline is loaded first, outside the limit, if it is not yet."""
        if not self.base.pipeline_loaded:
            await self.run(self.warm_up)
        try:
            return await self.run_within(limit, self.lint, options, text, format)
        except InputError as error:  # a text the library refuses: "nested too deeply"
            raise ClientError(422, "not-linted", f"{error.code} {error.detail}") from None

    def close(self) -> None:
        """Stop the worker thread once its current work is done."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    # Everything below runs in the worker thread.

    def pipeline(self) -> Language:
        """The shared pipeline, loaded on first use with the components any rule may need."""
        if not self.base.pipeline_loaded:
            # Every rule's components, so that linters selecting other rules share this pipeline.
            nlp = self.base.load(every_rule=True, private=self.own_pipeline)
            if self.own_pipeline:
                _add_time_checks(nlp)
        return self.base.load()

    def warm_up(self) -> None:
        """Load the pipeline and compile the rules, so that the first request is quick."""
        self.pipeline()
        self.base.lint_text("You always miss deadlines.")

    def linter(self, options: Options) -> Linter:
        """The linter for ``options``: the base one, a cached one, or a new one."""
        if options:
            self.pipeline()  # loaded first, for the new linter to share
        return self._linters.get(options)

    def lint(self, options: Options, text: str, format: Format | None) -> tuple[Report, Linter]:
        """Lint ``text`` with the linter for ``options``; bad options raise :class:`ClientError`."""
        try:
            linter = self.linter(options)
        except FeedbackLintError as error:
            raise ClientError(422, error.code, error.detail) from None
        return linter.lint_text(text, path=REQUEST_PATH, format=format), linter

    def known(self, keys: Sequence[str]) -> list[str]:
        """The keys that name a rule (code, prefix or name); LanguageTool ignores the others."""
        kept = []
        for key in keys:
            try:
                Selection(select=(key,)).check(self.base.all_rules)
            except FeedbackLintError:
                continue
            kept.append(key)
        return kept
