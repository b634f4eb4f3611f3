"""The HTTP plumbing around the service's routes: body limits and read timeouts, the
Host header check, and uvicorn's protocol, settings and shutdown.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

from .service import BodyTooLarge, ClientError

if TYPE_CHECKING:
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
#: Seconds to take in the connections already made, and read their requests, at shutdown.
SHUTDOWN_DRAIN: Final = 0.5


def error_response(status: int, code: str, message: str) -> Response:
    """The JSON error answer: ``{"error": {"code": ..., "message": ...}}``."""
    from starlette.responses import JSONResponse

    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def error_handlers() -> dict[Any, Any]:
    """Starlette's exception handlers: every error, ours or the framework's, as JSON."""
    from starlette.exceptions import HTTPException
    from starlette.requests import ClientDisconnect, Request

    async def client_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ClientError)
        return error_response(exc.status, exc.code, exc.message)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(exc.status_code, f"http-{exc.status_code}", str(exc.detail))

    async def disconnected(request: Request, exc: Exception) -> Response:
        # The client left, or sent a malformed body that the protocol has answered already.
        return error_response(400, "client-disconnected", "the client closed the request")

    async def server_error(request: Request, exc: Exception) -> Response:
        return error_response(500, "internal-error", "the service failed to answer; see its log")

    return {
        ClientError: client_error,
        HTTPException: http_error,
        ClientDisconnect: disconnected,
        Exception: server_error,
    }


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
                response = error_response(400, "invalid-header", "Content-Length is not a number")
                await response(scope, receive, send)
                return
            if length > self.max_body:
                error = BodyTooLarge(self.max_body)
                await error_response(error.status, error.code, error.message)(scope, receive, send)
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
                response = error_response(
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
