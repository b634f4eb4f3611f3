"""The HTTP service (``feedback-lint serve``): a pre-send check that other tools call.

Routes (see docs/http.md and ``/openapi.json``):

- ``POST /v1/lint``: JSON in, the ``--format json`` document plus a ``verdict`` out;
- ``POST /v2/check`` (and ``GET``), ``GET /v2/languages``: LanguageTool's HTTP API;
- ``GET /``: a page to paste a draft into and see its findings.

The pipeline is loaded once, at start-up, and every call into spaCy (building a
linter, parsing, matching) runs in a worker thread that owns its pipeline, one
request at a time: spaCy's ``Language`` is not guaranteed to be thread-safe.
Short texts have a worker of their own, so that a long one never makes them
wait, and every request has a time limit. The event loop stays free to accept
requests, read bodies and write answers meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import ipaddress
import json
import logging
import socket
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar
from urllib.parse import parse_qsl

from . import __version__, languagetool
from .documents import Format
from .errors import FeedbackLintError, InputError
from .findings import Report, Severity
from .formatters import Context, json_format
from .linter import Linter
from .matching import required_components
from .parsing import load_pipeline
from .selection import Selection

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from spacy.language import Language
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Message, Receive, Scope, Send
    from uvicorn import Config

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8765
#: The largest request body accepted, in bytes (a long review is well under 100 kB).
DEFAULT_MAX_BODY: Final = 1_000_000
#: Seconds a request's linting may take before it is answered with an error.
DEFAULT_TIME_LIMIT: Final = 20.0
#: Seconds a client has to send a request's headers, and then its body.
DEFAULT_READ_TIMEOUT: Final = 30.0
#: Texts longer than this (in characters) are linted by the worker for long texts.
LONG_TEXT: Final = 10_000
#: Blocks parsed together by the worker for long texts: its time limit is checked between batches.
LONG_TEXT_BATCH: Final = 8
#: Seconds to take in the connections already made, and read their requests, at shutdown.
SHUTDOWN_DRAIN: Final = 0.5
#: How many linters for other option sets (select, ignore, profile) are kept.
LINTER_CACHE_SIZE: Final = 16
#: The path a request's text is reported under.
REQUEST_PATH: Final = "<request>"
STATIC_DIR: Final = Path(__file__).resolve().parent / "static"

_LINT_FIELDS: Final = ("text", "profile", "select", "ignore", "format")
_T = TypeVar("_T")

#: A linter's options, hashable: sorted ``(keyword, value)`` pairs.
Options = tuple[tuple[str, Any], ...]


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
    a linter built from ``linter_options`` and theirs, kept in a small LRU cache.
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
        self.base = linter if linter is not None else Linter(**self.options)
        self.cache_size = cache_size
        self.own_pipeline = own_pipeline
        self._linters: OrderedDict[Options, Linter] = OrderedDict()
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

    def close(self) -> None:
        """Stop the worker thread once its current work is done."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    # Everything below runs in the worker thread.

    def pipeline(self) -> Language:
        """The shared pipeline, loaded on first use with the components any rule may need."""
        if "nlp" not in vars(self.base):
            # Every rule's components, so that linters selecting other rules share this pipeline.
            needed = required_components(self.base.all_rules, self.base.signals)
            if self.own_pipeline:
                nlp = load_pipeline.__wrapped__(self.base.pipeline_name, needed)
                _add_time_checks(nlp)
            else:
                nlp = load_pipeline(self.base.pipeline_name, needed)
            self.base.nlp = nlp
        return self.base.nlp

    def warm_up(self) -> None:
        """Load the pipeline and compile the rules, so that the first request is quick."""
        self.pipeline()
        self.base.lint_text("You always miss deadlines.")

    def linter(self, options: Options) -> Linter:
        """The linter for ``options``: the base one, a cached one, or a new one."""
        if not options:
            return self.base
        cached = self._linters.get(options)
        if cached is not None:
            self._linters.move_to_end(options)
            return cached
        linter = Linter(**{**self.options, **dict(options)})
        nlp = self.pipeline()
        if required_components(linter.rules, linter.signals) <= set(nlp.pipe_names):
            linter.nlp = nlp
        self._linters[options] = linter
        while len(self._linters) > self.cache_size:
            self._linters.popitem(last=False)
        return linter

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


def _options(**values: Sequence[str] | str | None) -> Options:
    """Hashable linter options, leaving out the ones not given."""
    return tuple(
        sorted(
            (name, value if isinstance(value, str) else tuple(value))
            for name, value in values.items()
            if value is not None and (isinstance(value, str) or name == "select" or value)
        )
    )


def _codes_field(payload: Mapping[str, Any], name: str) -> list[str] | None:
    """A list-of-codes field: a JSON list of strings or a comma-separated string."""
    value = payload.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return languagetool.rule_keys(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item.strip() for item in value if item.strip()]
    raise ClientError(422, "invalid-field", f"{name!r} must be a list of rule codes or names")


def _checked_text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ClientError(422, "invalid-field", f"{name!r} must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ClientError(422, "invalid-field", f"{name!r} contains unpaired surrogates") from None
    return value


def lint_request(payload: object) -> tuple[str, Options, Format | None]:
    """Validate a ``/v1/lint`` body: ``(text, linter options, format)``."""
    if not isinstance(payload, dict):
        raise ClientError(422, "invalid-body", "the body must be a JSON object")
    unknown = sorted(set(payload) - set(_LINT_FIELDS))
    if unknown:
        raise ClientError(
            422,
            "invalid-field",
            f"unknown field {unknown[0]!r}; expected: {', '.join(_LINT_FIELDS)}",
        )
    if "text" not in payload:
        raise ClientError(422, "invalid-field", "missing field 'text'")
    text = _checked_text(payload["text"], "text")
    profile = payload.get("profile")
    if profile is not None and not isinstance(profile, str):
        raise ClientError(422, "invalid-field", "'profile' must be a string")
    format = payload.get("format")
    if format not in (None, "markdown", "text"):
        raise ClientError(422, "invalid-field", "'format' must be 'markdown' or 'text'")
    options = _options(
        profile=profile,
        select=_codes_field(payload, "select"),
        ignore=_codes_field(payload, "ignore"),
    )
    return text, options, format


def _form(body: bytes, content_type: str) -> dict[str, str]:
    """The fields of a form-encoded body (the last of repeated fields wins)."""
    if not body:
        return {}
    kind = content_type.split(";")[0].strip().lower()
    if kind not in ("", "application/x-www-form-urlencoded"):
        raise ClientError(
            415, "unsupported-media-type", "send the fields as application/x-www-form-urlencoded"
        )
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200))
    except UnicodeDecodeError:
        raise ClientError(400, "invalid-body", "the body is not UTF-8") from None
    except ValueError as error:
        raise ClientError(400, "invalid-body", str(error)) from None


def check_request(
    fields: Mapping[str, str], service: LintService
) -> tuple[languagetool.AnnotatedText, str, Options]:
    """Validate LanguageTool's ``/v2/check`` fields: ``(text, language, linter options)``.

    ``enabledRules`` add to the default rules (or replace them with
    ``enabledOnly=true``), ``disabledRules`` remove rules, and the
    ``...Categories`` fields do the same for every rule of a category.
    Unknown rule ids are ignored, as LanguageTool does.
    """
    try:
        language = languagetool.language_code(fields.get("language"))
        if "text" in fields and "data" in fields:
            raise languagetool.RequestError("set only one of 'text' and 'data'")
        if "text" in fields:
            annotated = languagetool.AnnotatedText.from_text(_checked_text(fields["text"], "text"))
        elif "data" in fields:
            annotated = languagetool.AnnotatedText.from_data(fields["data"])
            _checked_text(annotated.original, "data")
        else:
            raise languagetool.RequestError("missing 'text' or 'data' parameter")
    except languagetool.RequestError as error:
        raise ClientError(400, "bad-request", str(error)) from None

    def by_category(field: str) -> list[str]:
        wanted = {key.upper() for key in languagetool.rule_keys(fields.get(field))}
        rules = service.base.all_rules
        return [r.code for r in rules if languagetool.category_id(r) in wanted]

    enabled = service.known(languagetool.rule_keys(fields.get("enabledRules")))
    enabled += by_category("enabledCategories")
    disabled = service.known(languagetool.rule_keys(fields.get("disabledRules")))
    disabled += by_category("disabledCategories")
    if fields.get("enabledOnly", "").lower() == "true":
        if not (fields.get("enabledRules") or fields.get("enabledCategories")):
            raise ClientError(
                400, "bad-request", "enabledOnly=true needs enabledRules or enabledCategories"
            )
        options = _options(select=enabled, extend_ignore=disabled)
    else:
        options = _options(extend_select=enabled, extend_ignore=disabled)
    return annotated, language, options


def _error(status: int, code: str, message: str) -> Response:
    from starlette.responses import JSONResponse

    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


class BodyLimit:
    """ASGI middleware: answers 413 for a body over ``max_body`` bytes, declared or sent,
    and 408 for a body that has not arrived ``read_timeout`` seconds after its headers."""

    def __init__(
        self, app: ASGIApp, max_body: int, read_timeout: float = DEFAULT_READ_TIMEOUT
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length < 0:
                response = _error(400, "invalid-header", "Content-Length is not a number")
                await response(scope, receive, send)
                return
            if length > self.max_body:
                error = BodyTooLarge(self.max_body)
                await _error(error.status, error.code, error.message)(scope, receive, send)
                return
        received = 0
        deadline = time.monotonic() + self.read_timeout

        async def limited() -> Message:
            nonlocal received
            try:
                message = await asyncio.wait_for(receive(), deadline - time.monotonic())
            except asyncio.TimeoutError:
                raise ClientError(
                    408,
                    "request-timeout",
                    f"the request body did not arrive within {self.read_timeout:g} s",
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        await self.app(scope, limited, send)


class HostCheck:
    """ASGI middleware: answers 421 to a request whose Host header is not an allowed name.

    A web page whose own name has been pointed at 127.0.0.1 (DNS rebinding)
    would otherwise reach the service as if it were the same site.
    """

    def __init__(self, app: ASGIApp, allowed: frozenset[str] | None) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.allowed is not None:
            headers = dict(scope.get("headers") or [])
            host = headers.get(b"host")
            name = _host_name(host.decode("latin-1")) if host is not None else None
            if name is not None and not _host_allowed(name, self.allowed):
                response = _error(
                    421,
                    "unknown-host",
                    f"the service does not answer for the host name {name!r};"
                    " see feedback-lint serve --allow-host",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


#: In ``allowed_hosts``: every IP address (a name is needed for DNS rebinding).
ANY_ADDRESS: Final = "<any address>"
_LOOPBACK: Final = frozenset({"127.0.0.1", "localhost", "::1"})
_WILDCARDS: Final = frozenset({"", "0.0.0.0", "::"})


def _host_name(host: str) -> str:
    """The name of a Host header, without its port or brackets, in lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def _host_allowed(name: str, allowed: frozenset[str]) -> bool:
    if name.rstrip(".") in allowed:
        return True
    if ANY_ADDRESS in allowed:
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True
    return False


def allowed_hosts(host: str, extra: Sequence[str] = ()) -> frozenset[str] | None:
    """The Host header names a service bound to ``host`` answers for (None: any).

    A loopback address answers for the loopback names; a wildcard address
    (``0.0.0.0``, ``::``) for any IP address, ``localhost`` and this machine's
    names; another address or name for itself. ``extra`` adds names, and ``*``
    among them turns the check off.
    """
    if "*" in extra:
        return None
    names = {_host_name(name) for name in extra}
    bound = _host_name(host) if host.startswith("[") else host.lower()
    if bound in _LOOPBACK:
        names |= _LOOPBACK
    elif bound in _WILDCARDS:
        names |= {"localhost", ANY_ADDRESS, socket.gethostname().lower(), socket.getfqdn().lower()}
    else:
        names.add(bound)
    return frozenset(names)


def openapi_document() -> dict[str, Any]:
    """The OpenAPI description of the service (``static/openapi.json``, with the version)."""
    document: dict[str, Any] = json.loads((STATIC_DIR / "openapi.json").read_text("utf-8"))
    document["info"]["version"] = __version__
    return document


def create_app(
    linter: Linter | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    linter_options: Mapping[str, Any] | None = None,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
    allowed_hosts: frozenset[str] | None = None,
) -> Starlette:
    """The ASGI application.

    ``linter`` answers short requests without options (built from
    ``linter_options`` when not given); ``linter_options`` are the keyword
    arguments of every other :class:`Linter` the service builds (``rules_dirs``,
    ``model``, ``unit`` ...), to which a request adds its ``select``, ``ignore``
    or ``profile``; texts over ``LONG_TEXT`` characters are linted by linters
    built from them, on a pipeline of their own. ``max_body`` is the largest
    request body accepted, in bytes; ``time_limit`` the seconds a request may
    take; ``read_timeout`` the seconds its body may take to arrive;
    ``allowed_hosts`` the Host header names answered (see :func:`allowed_hosts`;
    None answers any).
    """
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.requests import ClientDisconnect
    from starlette.responses import FileResponse, JSONResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    service = LintService(linter, linter_options)
    long_texts = LintService(
        None, {"batch_size": LONG_TEXT_BATCH, **(linter_options or {})}, own_pipeline=True
    )
    software = {
        "name": "feedback-lint",
        "version": __version__,
        "buildDate": "",
        "apiVersion": 1,
        "premium": False,
        "status": "",
    }
    openapi = openapi_document()
    # Every linter of the service uses the same pipeline (the same ``model`` option).
    pipeline = service.base.pipeline_info

    async def read_json(request: Request) -> object:
        body = await request.body()
        try:
            return json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise ClientError(400, "invalid-body", "the body is not UTF-8") from None
        except RecursionError:
            raise ClientError(400, "invalid-json", "the body is nested too deeply") from None
        except ValueError as error:
            raise ClientError(400, "invalid-json", f"the body is not valid JSON: {error}") from None

    async def lint_within(
        options: Options, text: str, format: Format | None
    ) -> tuple[Report, Linter]:
        worker = long_texts if len(text) > LONG_TEXT else service
        if "nlp" not in vars(worker.base):  # loaded on the first long text, outside its time
            await worker.run(worker.warm_up)
        try:
            return await worker.run_within(time_limit, worker.lint, options, text, format)
        except InputError as error:  # a text the library refuses: "nested too deeply"
            raise ClientError(422, "not-linted", f"{error.code} {error.detail}") from None

    async def lint(request: Request) -> Response:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json" and not kind.endswith("+json"):
            # A browser sends other types (text/plain, forms) from any page without asking.
            raise ClientError(
                415, "unsupported-media-type", "send the body as application/json"
            )
        text, options, format = lint_request(await read_json(request))
        report, used = await lint_within(options, text, format)
        context = Context(tool_version=__version__, pipeline=pipeline, rules=used.rules)
        answer = json_format.document([report], [], context)
        answer["verdict"] = verdict(report)
        return JSONResponse(answer)

    async def check(request: Request) -> Response:
        fields = dict(request.query_params)
        if request.method == "POST":
            body = await request.body()
            fields.update(_form(body, request.headers.get("content-type", "")))
        annotated, language, options = check_request(fields, service)
        report, used = await lint_within(options, annotated.plain, "text")
        answer = languagetool.check_json(report, annotated, language, used.rules, software)
        return JSONResponse(answer)

    async def languages(request: Request) -> Response:
        return JSONResponse(languagetool.languages_json())

    async def page(request: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    async def openapi_json(request: Request) -> Response:
        return JSONResponse(openapi)

    async def client_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ClientError)
        return _error(exc.status, exc.code, exc.message)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _error(exc.status_code, f"http-{exc.status_code}", str(exc.detail))

    async def disconnected(request: Request, exc: Exception) -> Response:
        # The client left, or sent a malformed body that the protocol has answered already.
        return _error(400, "client-disconnected", "the client closed the request")

    async def server_error(request: Request, exc: Exception) -> Response:
        return _error(500, "internal-error", "the service failed to answer; see its log")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await service.run(service.warm_up)
        try:
            yield
        finally:
            service.close()
            long_texts.close()

    app = Starlette(
        routes=[
            Route("/", page, methods=["GET"]),
            Route("/v1/lint", lint, methods=["POST"]),
            Route("/v2/check", check, methods=["GET", "POST"]),
            Route("/v2/languages", languages, methods=["GET"]),
            Route("/openapi.json", openapi_json, methods=["GET"]),
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=[
            Middleware(HostCheck, allowed=allowed_hosts),
            Middleware(BodyLimit, max_body=max_body, read_timeout=read_timeout),
        ],
        exception_handlers={
            ClientError: client_error,
            HTTPException: http_error,
            ClientDisconnect: disconnected,
            Exception: server_error,
        },
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.long_texts = long_texts
    return app


class _QuerylessAccessLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """uvicorn's access logger without query strings, which can carry the text checked."""

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if len(args) == 5:  # uvicorn's (client, method, path and query, version, status)
            args = (*args[:2], str(args[2]).partition("?")[0], *args[3:])
        self.logger.log(level, msg, *args, **kwargs)


def _protocol(read_timeout: float) -> type[asyncio.Protocol]:
    """uvicorn's HTTP/1.1 protocol, answering malformed requests with JSON errors, closing
    connections whose headers take over ``read_timeout`` seconds, logging no query strings."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.access_logger = _QuerylessAccessLog(self.access_logger, {})  # type: ignore[assignment]

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)  # type: ignore[arg-type]
            self._time_headers()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._time_headers()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
            super().connection_lost(exc)

        def _time_headers(self) -> None:
            waiting = self.cycle is None or self.cycle.response_complete
            if waiting and self._header_timer is None and not self.transport.is_closing():
                self._header_timer = self.loop.call_later(read_timeout, self._headers_late)
            elif not waiting and self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_late(self) -> None:
            self._header_timer = None
            if self.cycle is None or self.cycle.response_complete:
                self.transport.close()

        def send_400_response(self, msg: str) -> None:
            message = "the request is not valid HTTP: a bad Content-Length, header line or chunk"
            error = {"code": "invalid-request", "message": message}
            body = json.dumps({"error": error}).encode("utf-8")
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"connection", b"close"),
            ]
            for event in (
                h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                h11.Data(data=body),
                h11.EndOfMessage(),
            ):
                self.transport.write(self.conn.send(event) or b"")
            self.transport.close()

    return Protocol


def server_config(
    app: ASGIApp,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    log_level: str = "info",
    read_timeout: float = DEFAULT_READ_TIMEOUT,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Config:
    """uvicorn's settings for ``app``: the service's protocol, timeouts and shutdown."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        lifespan="on",
        http=_protocol(read_timeout),
        ws="none",
        # Requests still being answered at shutdown get this long to finish.
        timeout_graceful_shutdown=int(time_limit + read_timeout) + 1,
    )


def _server(config: Config) -> Any:
    """A uvicorn server that, told to stop, still answers the requests already sent."""
    import uvicorn

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            # Connections the system has accepted but the event loop has not taken in yet
            # (it may have been slowed by the worker) would be reset: take them in, read
            # their requests, and only then stop listening. Several short sleeps, so that
            # the loop turns several times (accept, connect, read) however late it is.
            for _ in range(10):
                await asyncio.sleep(SHUTDOWN_DRAIN / 10)
            await super().shutdown(sockets)

    return Server(config)


def run_server(config: Config) -> None:
    """Serve until SIGTERM or SIGINT, then answer the requests in flight and stop."""
    _server(config).run()


@contextmanager
def serving(
    app: ASGIApp,
    host: str = DEFAULT_HOST,
    port: int = 0,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a background thread; yields its base URL, then stops it.

    ``port=0`` takes a free port; ``read_timeout`` is the seconds a client may take to
    send a request's headers. For tests, and for programs that embed the service.
    """
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound = sock.getsockname()[1]
    server = _server(server_config(app, host, bound, "warning", read_timeout))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="feedback-lint-http", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the HTTP service did not start")
            time.sleep(0.02)
        yield f"http://{host if ':' not in host else f'[{host}]'}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def build_parser() -> argparse.ArgumentParser:
    """The arguments of ``feedback-lint serve``."""
    parser = argparse.ArgumentParser(
        prog="feedback-lint serve",
        description="Serve the linter over HTTP: /v1/lint, LanguageTool's /v2/check, and a page.",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port (default: %(default)s)"
    )
    parser.add_argument(
        "--max-body",
        type=int,
        default=DEFAULT_MAX_BODY,
        metavar="BYTES",
        help="largest request body accepted (default: %(default)s)",
    )
    parser.add_argument(
        "--rules-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of extra rule files (repeatable)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        metavar="SECONDS",
        help="longest a request's linting may take (default: %(default)s)",
    )
    parser.add_argument(
        "--read-timeout",
        type=float,
        default=DEFAULT_READ_TIMEOUT,
        metavar="SECONDS",
        help="longest a client may take to send the headers, then the body (default: %(default)s)",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a Host header name to answer besides the bound ones (repeatable; * for any)",
    )
    parser.add_argument("--model", default=None, metavar="NAME_OR_PATH", help="the spaCy pipeline")
    parser.add_argument(
        "--unit",
        default="document",
        choices=("document", "section", "item"),
        help="how texts are split into feedback units (default: %(default)s)",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="server log level (default: %(default)s)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``feedback-lint serve``: load the pipeline, then serve until stopped."""
    args = build_parser().parse_args(argv)
    if importlib.util.find_spec("starlette") is None or importlib.util.find_spec("uvicorn") is None:
        sys.stderr.write(
            "feedback-lint: the HTTP service needs the server extra:"
            " python -m pip install 'feedback-lint[server]'\n"
        )
        return 2
    if args.time_limit <= 0 or args.read_timeout <= 0:
        sys.stderr.write("feedback-lint: --time-limit and --read-timeout must be above 0\n")
        return 2
    options = {"rules_dirs": args.rules_dir, "model": args.model, "unit": args.unit}
    try:
        app = create_app(
            max_body=args.max_body,
            linter_options=options,
            time_limit=args.time_limit,
            read_timeout=args.read_timeout,
            allowed_hosts=allowed_hosts(args.host, args.allow_host),
        )
    except FeedbackLintError as error:
        sys.stderr.write(f"feedback-lint: {error}\n")
        return 2
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        sys.stderr.write(
            f"feedback-lint: serving on {args.host}, beyond this machine; the service has no"
            " authentication and feedback is personal data\n"
        )
    run_server(
        server_config(
            app,
            args.host,
            args.port,
            log_level=args.log_level,
            read_timeout=args.read_timeout,
            time_limit=args.time_limit,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
