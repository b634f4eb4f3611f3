"""The HTTP service (``feedback-lint serve``): a pre-send check that other tools call.

Routes (see docs/http.md and ``/openapi.json``):

- ``POST /v1/lint``: JSON in, the ``--format json`` document plus a ``verdict`` out;
- ``POST /v2/check`` (and ``GET``), ``GET /v2/languages``: LanguageTool's HTTP API;
- ``GET /``: a page to paste a draft into and see its findings.

The pipeline is loaded once, at start-up; every call into spaCy runs in a worker
thread (see :mod:`.web.service`). Short texts have a worker of their own, so
that a long one never makes them wait, and every request has a time limit. The
event loop stays free to accept requests, read bodies and write answers
meanwhile. Requests are validated by :mod:`.web.requests`, and
:mod:`.web.transport` holds the HTTP plumbing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from . import __version__, languagetool
from .errors import FeedbackLintError
from .formatters import Context, json_format
from .linter import Linter, Options
from .web.requests import check_fields, check_request, lint_request, read_json
from .web.service import (
    LONG_TEXT,
    LONG_TEXT_BATCH,
    ClientError,
    LintService,
    verdict,
)
from .web.transport import (
    DEFAULT_HOST,
    DEFAULT_MAX_BODY,
    DEFAULT_PORT,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_TIME_LIMIT,
    BodyLimit,
    HostCheck,
    allowed_hosts,
    error_handlers,
    run_server,
    server_config,
    serving,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from .documents import Format
    from .findings import Report

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "STATIC_DIR",
    "BodyLimit",
    "ClientError",
    "HostCheck",
    "LintService",
    "allowed_hosts",
    "create_app",
    "main",
    "openapi_document",
    "serving",
    "verdict",
]

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"


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
    from starlette.middleware import Middleware
    from starlette.responses import FileResponse, JSONResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    service = LintService(linter, linter_options)
    long_texts = LintService(
        None, {"batch_size": LONG_TEXT_BATCH, **(linter_options or {})}, own_pipeline=True
    )
    software = languagetool.software_json(__version__)
    openapi = openapi_document()
    # Every linter of the service uses the same pipeline (the same ``model`` option).
    pipeline = service.base.pipeline_info

    async def lint_within(
        options: Options, text: str, format: Format | None
    ) -> tuple[Report, Linter]:
        worker = long_texts if len(text) > LONG_TEXT else service
        return await worker.lint_within(time_limit, options, text, format)

    async def lint(request: Request) -> Response:
        text, options, format = lint_request(await read_json(request))
        report, used = await lint_within(options, text, format)
        context = Context(tool_version=__version__, pipeline=pipeline, rules=used.rules)
        answer = json_format.document([report], [], context)
        answer["verdict"] = verdict(report)
        return JSONResponse(answer)

    async def check(request: Request) -> Response:
        annotated, language, options = check_request(await check_fields(request), service)
        report, used = await lint_within(options, annotated.plain, "text")
        answer = languagetool.check_json(report, annotated, language, used.rules, software)
        return JSONResponse(answer)

    async def languages(request: Request) -> Response:
        return JSONResponse(languagetool.languages_json())

    async def page(request: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    async def openapi_json(request: Request) -> Response:
        return JSONResponse(openapi)

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
        exception_handlers=error_handlers(),
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.long_texts = long_texts
    return app


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
