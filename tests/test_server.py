"""The HTTP service: /v1/lint, LanguageTool's /v2/check, errors, limits and sharing."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jsonschema
import pytest

pytest.importorskip("starlette", reason="the server extra is not installed")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice that it prefers httpx2 to httpx
    from starlette.testclient import TestClient

from feedback_lint import Finding, Linter, Report, Severity, __version__, cli, server
from feedback_lint.documents import MAX_SYMBOL_RUN
from feedback_lint.formatters import Context, json_format
from feedback_lint.rules.profiles import profile_names
from feedback_lint.server import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    LintService,
    allowed_hosts,
    create_app,
    openapi_document,
    serving,
    verdict,
)
from feedback_lint.web import transport

ABSOLUTE = "You always miss deadlines."
LABEL = "You are lazy."
CLEAN = "Thanks for fixing the login bug yesterday."
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """A client of the service with the default rules, started (pipeline loaded) once."""
    with TestClient(create_app(max_body=10_000)) as test_client:
        yield test_client


def _schema(name: str) -> dict[str, Any]:
    """A component schema of the OpenAPI document, resolvable on its own."""
    document = openapi_document()
    return {**document, "$ref": f"#/components/schemas/{name}"}


def _utf16_slice(text: str, offset: int, length: int) -> str:
    units = text.encode("utf-16-le")
    return units[2 * offset : 2 * (offset + length)].decode("utf-16-le")


def _codes(answer: dict[str, Any]) -> list[str]:
    return [f["code"] for f in answer["files"][0]["findings"]]


# /v1/lint


def test_server_lint_answers_the_json_format_document_with_a_verdict(client: TestClient) -> None:
    response = client.post("/v1/lint", json={"text": f"{ABSOLUTE} {LABEL}"})
    assert response.status_code == 200
    answer = response.json()
    jsonschema.validate(answer, _schema("LintResponse"))
    linter = Linter()
    report = linter.lint_text(f"{ABSOLUTE} {LABEL}", path="<request>")
    context = Context(tool_version=__version__, pipeline=linter.pipeline_info)
    expected = json_format.document([report], [], context)
    assert {key: answer[key] for key in expected} == expected
    assert {"FB101", "FB102"} <= set(_codes(answer))
    finding = answer["files"][0]["findings"][0]
    assert finding["text"] == "You always miss"
    assert finding["suggestions"][0]["replacement"]
    assert answer["verdict"] == verdict(report)


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        ((), "ok"),
        ((Severity.INFO,), "ok"),
        ((Severity.INFO, Severity.WARNING), "review"),
        ((Severity.WARNING, Severity.ERROR, Severity.INFO), "block"),
    ],
)
def test_server_verdict_follows_the_worst_severity(
    severities: tuple[Severity, ...], expected: str
) -> None:
    findings = tuple(
        Finding("FB999", "x", severity, "m", 0, 1, 1, 1, 1, 2) for severity in severities
    )
    assert verdict(Report("<request>", "x", findings)) == expected


def test_server_lint_verdict_of_clean_and_flagged_drafts(client: TestClient) -> None:
    assert client.post("/v1/lint", json={"text": CLEAN}).json()["verdict"] == "ok"
    flagged = client.post("/v1/lint", json={"text": LABEL}).json()
    severities = {f["severity"] for f in flagged["files"][0]["findings"]}
    assert flagged["verdict"] == ("block" if "error" in severities else "review")


def test_server_lint_units_carry_signals(client: TestClient) -> None:
    text = "You always miss deadlines. Next time, please tell me early."
    units = client.post("/v1/lint", json={"text": text}).json()["files"][0]["units"]
    assert len(units) == 1
    assert units[0]["start"] == 0 and units[0]["end"] == len(text)
    for spans in units[0]["signals"].values():
        assert all(0 <= start < end <= len(text) for start, end in spans)


@pytest.mark.parametrize(
    ("options", "present", "absent"),
    [
        ({"select": ["FB102"]}, {"FB102"}, {"FB101"}),
        ({"select": "FB101,FB102", "ignore": ["FB102"]}, {"FB101"}, {"FB102"}),
        ({"ignore": ["absolute-language"]}, {"FB102"}, {"FB101"}),
    ],
)
def test_server_lint_applies_select_and_ignore(
    client: TestClient, options: dict[str, Any], present: set[str], absent: set[str]
) -> None:
    response = client.post("/v1/lint", json={"text": f"{ABSOLUTE} {LABEL}", **options})
    assert response.status_code == 200
    codes = set(_codes(response.json()))
    assert present <= codes
    assert not absent & codes


def test_server_lint_accepts_every_shipped_profile(client: TestClient) -> None:
    for name in profile_names():
        response = client.post("/v1/lint", json={"text": f"{ABSOLUTE} {LABEL}", "profile": name})
        assert response.status_code == 200, name
        jsonschema.validate(response.json(), _schema("LintResponse"))


def test_server_linters_for_other_options_share_the_one_pipeline() -> None:
    service = LintService(Linter(), cache_size=3)
    service.warm_up()
    nlp = service.base.nlp
    selections = [("FB101",), ("FB102",), ("FB1",), ("ALL",), ("FB2",)]
    for select in selections:
        linter = service.linter((("select", select),))
        assert linter.nlp is nlp
        assert linter.lint_text(ABSOLUTE).findings is not None
    assert len(service._linters) == 3  # the oldest were dropped
    again = service.linter((("select", ("FB2",)),))
    assert again is service.linter((("select", ("FB2",)),))


def test_server_lint_parses_in_memory_zones() -> None:
    service = LintService(Linter())
    service.warm_up()
    strings = service.base.nlp.vocab.strings
    service.lint((), "Zqxwv always misses the Plorkian deadlines.", None)
    service.lint((("select", ("FB1",)),), "Zqxwv is lazy.", None)  # compiles its rules
    before = len(strings)
    rng = random.Random(7)
    for _ in range(100):
        words = ["".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(6)]
        service.lint((), f"You always miss the {' '.join(words)} meetings.", None)
        service.lint((("select", ("FB1",)),), f"{words[0].title()} is lazy.", None)
    assert len(strings) == before


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "invalid-json"),
        (b"", 400, "invalid-json"),
        (b"\xff\xfe{}", 400, "invalid-body"),
        (b'["a list"]', 422, "invalid-body"),
        (b"{}", 422, "invalid-field"),
        (b'{"text": 5}', 422, "invalid-field"),
        (b'{"text": "x", "colour": "red"}', 422, "invalid-field"),
        (b'{"text": "x", "select": [1, 2]}', 422, "invalid-field"),
        (b'{"text": "x", "profile": ["a"]}', 422, "invalid-field"),
        (b'{"text": "x", "format": "html"}', 422, "invalid-field"),
        (b'{"text": "\\ud800 lone surrogate"}', 422, "invalid-field"),
        (b'{"text": "x", "select": ["ZZ999"]}', 422, "C203"),
        (b'{"text": "x", "profile": "no-such-profile"}', 422, "R116"),
    ],
)
def test_server_lint_rejects_malformed_requests_with_json_errors(
    client: TestClient, body: bytes, status: int, code: str
) -> None:
    response = client.post("/v1/lint", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    jsonschema.validate(response.json(), _schema("Error"))
    assert error["code"] == code
    assert error["message"]


def test_server_rejects_a_body_over_the_limit_with_413(client: TestClient) -> None:
    big = json.dumps({"text": "You are lazy. " * 1000}).encode()
    response = client.post("/v1/lint", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body-too-large"
    assert "10000 bytes" in response.json()["error"]["message"]


def test_server_rejects_a_chunked_body_over_the_limit_with_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(30):
            yield b"You are lazy. " * 40
        yield b'"}'

    response = client.post("/v1/lint", content=chunks(), headers=JSON)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body-too-large"


def test_server_accepts_a_body_at_the_limit(client: TestClient) -> None:
    padding = 10_000 - len(json.dumps({"text": LABEL, "format": "text"}))
    body = json.dumps({"text": LABEL + " " * padding, "format": "text"}).encode()
    assert len(body) == 10_000
    assert client.post("/v1/lint", content=body, headers=JSON).status_code == 200


def test_server_rejects_a_bad_content_length(client: TestClient) -> None:
    response = client.post("/v1/lint", content=b"{}", headers={"content-length": "abc"})
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/v1/lint", 405), ("GET", "/no/such/page", 404), ("DELETE", "/v2/check", 405)],
)
def test_server_unknown_routes_get_json_errors(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert response.json()["error"]["code"] == f"http-{status}"


def test_server_openapi_documents_the_endpoints(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["version"] == __version__
    assert {"/v1/lint", "/v2/check", "/v2/languages", "/"} <= set(document["paths"])
    jsonschema.Draft202012Validator.check_schema(document["components"]["schemas"]["LintRequest"])
    jsonschema.validate({"text": "x", "select": ["FB1"]}, _schema("LintRequest"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"text": "x", "colour": "red"}, _schema("LintRequest"))


def test_server_loads_the_pipeline_at_start_up() -> None:
    app = create_app()
    service: LintService = app.state.service
    assert "nlp" not in vars(service.base)
    with TestClient(app):
        assert "nlp" in vars(service.base)


# /v2/check, as LanguageTool's clients send it


def _check(client: TestClient, **fields: str) -> dict[str, Any]:
    response = client.post("/v2/check", data=fields)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    jsonschema.validate(answer, _schema("CheckResponse"))
    return answer


def test_server_check_answers_languagetool_matches(client: TestClient) -> None:
    text = f"Hello. {ABSOLUTE}"
    answer = _check(client, text=text, language="en-US")
    assert answer["language"]["code"] == "en-US"
    (match,) = [m for m in answer["matches"] if m["rule"]["id"] == "FB101"]
    lint = client.post("/v1/lint", json={"text": text, "format": "text"}).json()
    finding = next(f for f in lint["files"][0]["findings"] if f["code"] == "FB101")
    assert match["message"] == finding["message"]
    assert match["offset"] == 7
    covered = _utf16_slice(text, match["offset"], match["length"])
    assert covered.startswith("You always miss")
    assert match["replacements"][0]["value"] == finding["suggestions"][0]["replacement"]
    assert match["context"]["text"][match["context"]["offset"] :].startswith("You always miss")
    assert match["context"]["length"] == match["length"]
    assert match["sentence"] == ABSOLUTE
    assert match["rule"]["category"] == {"id": "PERSON", "name": "Person"}
    assert match["rule"]["description"]
    assert match["shortMessage"] == "Absolute language"


def test_server_check_offsets_count_utf16_code_units(client: TestClient) -> None:
    text = f"Great work on the demo 🎉🎉! {LABEL}"
    answer = _check(client, text=text, language="en")
    (match,) = [m for m in answer["matches"] if m["rule"]["id"] == "FB102"]
    assert match["offset"] == text.index("You are lazy") + 2  # two emoji, two units each
    assert _utf16_slice(text, match["offset"], match["length"]).startswith("You are lazy")


def test_server_check_offsets_count_a_byte_order_mark(client: TestClient) -> None:
    text = f"\ufeff{LABEL}"
    answer = _check(client, text=text, language="en-US")
    (match,) = [m for m in answer["matches"] if m["rule"]["id"] == "FB102"]
    assert match["offset"] == 1
    assert _utf16_slice(text, match["offset"], match["length"]).startswith("You are lazy")


def test_server_check_data_markup_counts_for_offsets_but_is_not_checked(
    client: TestClient,
) -> None:
    annotation = [
        {"markup": "<p title='You are lazy.'>"},
        {"text": "Hi "},
        {"markup": "<b>"},
        {"text": "team"},
        {"markup": "</b>", "interpretAs": ""},
        {"markup": "<br/>", "interpretAs": "\n\n"},
        {"text": LABEL},
        {"markup": "</p>"},
    ]
    original = "".join(item.get("text", item.get("markup", "")) for item in annotation)
    answer = _check(client, data=json.dumps({"annotation": annotation}), language="en-US")
    (match,) = [m for m in answer["matches"] if m["rule"]["id"] == "FB102"]
    assert match["offset"] == original.rindex("You are lazy")
    assert _utf16_slice(original, match["offset"], match["length"]).startswith("You are lazy")
    for other in answer["matches"]:
        assert "<" not in _utf16_slice(original, other["offset"], other["length"])


@pytest.mark.parametrize("language", ["en", "en-US", "en-gb", "EN-AU", "auto"])
def test_server_check_accepts_english_variants(client: TestClient, language: str) -> None:
    answer = _check(client, text=LABEL, language=language)
    assert answer["language"]["code"].startswith("en")
    assert answer["matches"]


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"text": LABEL, "language": "de-DE"}, 400),
        ({"text": LABEL, "language": "xx"}, 400),
        ({"text": LABEL}, 400),
        ({"language": "en-US"}, 400),
        ({"text": LABEL, "data": "{}", "language": "en-US"}, 400),
        ({"data": "not json", "language": "en-US"}, 400),
        ({"data": '{"annotation": "x"}', "language": "en-US"}, 400),
        ({"data": '{"annotation": [{"text": 1}]}', "language": "en-US"}, 400),
        ({"data": '{"annotation": [{"text": "a", "markup": "b"}]}', "language": "en-US"}, 400),
        ({"data": '{"annotation": [5]}', "language": "en-US"}, 400),
        ({"text": LABEL, "language": "en-US", "enabledOnly": "true"}, 400),
    ],
)
def test_server_check_rejects_bad_requests_like_languagetool(
    client: TestClient, fields: dict[str, str], status: int
) -> None:
    response = client.post("/v2/check", data=fields)
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_server_check_rejects_bodies_that_are_not_form_encoded(client: TestClient) -> None:
    response = client.post("/v2/check", files={"text": (None, LABEL)}, data={"language": "en"})
    assert response.status_code == 415
    bad = client.post(
        "/v2/check",
        content=b"text=%FF%FE&language=en\xff",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert bad.status_code == 400


def test_server_check_maps_enabled_and_disabled_rules(client: TestClient) -> None:
    text = f"{ABSOLUTE} {LABEL}"

    def ids(**fields: str) -> set[str]:
        answer = _check(client, text=text, language="en-US", **fields)
        return {m["rule"]["id"] for m in answer["matches"]}

    assert {"FB101", "FB102"} <= ids()
    assert "FB101" not in ids(disabledRules="FB101,UPPERCASE_SENTENCE_START")
    assert ids(enabledRules="FB102", enabledOnly="true") == {"FB102"}
    assert ids(enabledCategories="PERSON", enabledOnly="true") <= {
        "FB101",
        "FB102",
        "FB103",
        "FB104",
        "FB105",
    }
    assert not ids(disabledCategories="PERSON") & {"FB101", "FB102"}


def test_server_check_get_with_query_string(client: TestClient) -> None:
    query = urllib.parse.urlencode({"text": LABEL, "language": "en-US"})
    response = client.get(f"/v2/check?{query}")
    assert response.status_code == 200
    assert response.json()["matches"][0]["rule"]["id"] == "FB102"


def test_server_languages_lists_english(client: TestClient) -> None:
    languages = client.get("/v2/languages").json()
    assert {"name": "English (US)", "code": "en", "longCode": "en-US"} in languages


def test_server_check_over_real_http_as_clients_send_it() -> None:
    # language_tool_python and LanguageTool's own remote client POST a form-encoded
    # body to /v2/check with an Accept header, and read offset/length as UTF-16.
    text = f"Quick note 👋\n\n{ABSOLUTE}"
    with serving(create_app()) as url:
        body = urllib.parse.urlencode({"text": text, "language": "en-US", "level": "default"})
        request = urllib.request.Request(
            f"{url}/v2/check",
            data=body.encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                "Accept": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
            answer = json.load(response)
        annotation = {"annotation": [{"markup": "<i>"}, {"text": LABEL}, {"markup": "</i>"}]}
        body = urllib.parse.urlencode({"data": json.dumps(annotation), "language": "auto"})
        with urllib.request.urlopen(f"{url}/v2/check", body.encode(), timeout=60) as response:
            annotated = json.load(response)
    (match,) = [m for m in answer["matches"] if m["rule"]["id"] == "FB101"]
    assert _utf16_slice(text, match["offset"], match["length"]).startswith("You always miss")
    assert annotated["matches"][0]["offset"] == 3


def test_server_answers_concurrent_requests_like_sequential_ones() -> None:
    texts = [f"{ABSOLUTE} {LABEL}", CLEAN, f"Hi 😀 {LABEL}", ABSOLUTE] * 10
    with serving(create_app()) as url:
        import httpx

        with httpx.Client(base_url=url, timeout=120) as http:
            expected = {t: http.post("/v1/lint", json={"text": t}).json() for t in set(texts)}

            def lint(text: str) -> tuple[str, Any]:
                return text, http.post("/v1/lint", json={"text": text}).json()

            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(lint, texts))
    for text, answer in answers:
        assert answer == expected[text]


# Limits and hostile requests


def _raw_http(url: str, request: bytes, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as it is and read the answer to the end: (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
     "multipart/form-data; boundary=x"],
)
def test_server_lint_refuses_bodies_a_browser_sends_without_asking(
    client: TestClient, content_type: str | None
) -> None:
    # A page on any site can post these types to the service without a CORS preflight.
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/v1/lint", content=json.dumps({"text": LABEL}), headers=headers)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported-media-type"
    jsonschema.validate(response.json(), _schema("Error"))


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/ld+json"])
def test_server_lint_accepts_json_media_types(client: TestClient, content_type: str) -> None:
    body = json.dumps({"text": LABEL})
    response = client.post("/v1/lint", content=body, headers={"content-type": content_type})
    assert response.status_code == 200
    assert "FB102" in _codes(response.json())


def test_server_text_the_library_refuses_is_a_json_422() -> None:
    # Markdown nested deeper than the library reads (E914) is refused, not a 500.
    text = "".join("  " * depth + "- item\n" for depth in range(150)) + "You are lazy.\n"
    with TestClient(create_app(max_body=100_000)) as big:
        response = big.post("/v1/lint", json={"text": text, "format": "markdown"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "not-linted"
    assert "E914" in response.json()["error"]["message"]


def test_server_deeply_nested_json_is_a_json_400(client: TestClient) -> None:
    nested = "[" * 5000 + "]" * 5000
    response = client.post("/v1/lint", content=nested, headers=JSON)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid-json"
    nested_data = '{"annotation": ' + "[" * 1500 + "]" * 1500 + "}"
    response = client.post("/v2/check", data={"data": nested_data, "language": "en-US"})
    assert response.status_code == 400
    assert "nested" in response.json()["error"]["message"]


def test_server_answers_malformed_http_with_json_errors() -> None:
    failures: list[str] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = lambda record: failures.append(record.getMessage())  # type: ignore[method-assign]
    requests = [
        b"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b'Transfer-Encoding: chunked\r\n\r\n5\r\n{"tex\r\nZZ\r\n',
        b"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n{}",
        b"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -2\r\n\r\n{}",
        b"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
        b"Content-Length: 3\r\n\r\n{}",
        b"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n",
    ]
    with serving(create_app()) as url:
        logging.getLogger("uvicorn.error").addHandler(handler)
        try:
            for request in requests:
                status, headers, body = _raw_http(url, request)
                assert status == 400, request
                assert headers["content-type"] == "application/json"
                jsonschema.validate(json.loads(body), _schema("Error"))
        finally:
            logging.getLogger("uvicorn.error").removeHandler(handler)
    assert failures == []  # no "Exception in ASGI application" with a traceback


def test_server_access_log_has_no_query_strings() -> None:
    # Feedback is personal data: GET /v2/check carries the text in its query string.
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    access = logging.getLogger("uvicorn.access")
    with serving(create_app()) as url:
        level = access.level
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        try:
            query = urllib.parse.urlencode({"text": "Priya is lazy.", "language": "en-US"})
            with urllib.request.urlopen(f"{url}/v2/check?{query}", timeout=60) as response:
                assert response.status == 200
        finally:
            access.removeHandler(handler)
            access.setLevel(level)
    assert any('"GET /v2/check HTTP/1.1" 200' in line for line in lines), lines
    assert not any("Priya" in line or "language=" in line for line in lines)


def test_server_answers_only_the_host_names_it_is_bound_to() -> None:
    app = create_app(allowed_hosts=allowed_hosts("127.0.0.1"))
    with serving(app) as url:
        port = urllib.parse.urlsplit(url).port
        answers = {}
        for host in ("127.0.0.1", "localhost", "[::1]", "evil.example", "127.0.0.1.nip.io"):
            request = (
                f"GET /v2/languages HTTP/1.1\r\nHost: {host}:{port}\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
            answers[host] = _raw_http(url, request)
    for host in ("127.0.0.1", "localhost", "[::1]"):
        assert answers[host][0] == 200, host
    for host in ("evil.example", "127.0.0.1.nip.io"):
        status, headers, body = answers[host]
        assert status == 421 and headers["content-type"] == "application/json"
        assert json.loads(body)["error"]["code"] == "unknown-host"


@pytest.mark.parametrize(
    ("bound", "extra", "accepted", "refused"),
    [
        ("127.0.0.1", (), ["localhost", "127.0.0.1", "::1"], ["evil.example", "10.0.0.1"]),
        ("::1", (), ["localhost", "::1"], ["evil.example"]),
        ("0.0.0.0", (), ["localhost", "192.168.1.20", "::1"], ["evil.example"]),
        ("192.168.1.20", ("lint.example.org",), ["192.168.1.20", "lint.example.org"],
         ["localhost", "evil.example"]),
    ],
)
def test_server_allowed_hosts_follow_the_bound_address(
    bound: str, extra: tuple[str, ...], accepted: list[str], refused: list[str]
) -> None:
    allowed = allowed_hosts(bound, extra)
    assert allowed is not None
    assert all(transport._host_allowed(name, allowed) for name in accepted)
    assert not any(transport._host_allowed(name, allowed) for name in refused)
    assert allowed_hosts(bound, ("*",)) is None


def test_server_serve_command_checks_the_host_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(server, "run_server", calls.append)
    assert cli.main(["serve", "--allow-host", "lint.example.org"]) == 0
    (host_check,) = [m for m in calls[0].app.user_middleware if m.cls is server.HostCheck]
    assert host_check.kwargs["allowed"] == allowed_hosts("127.0.0.1", ["lint.example.org"])


def test_server_closes_connections_that_send_their_headers_or_body_too_slowly() -> None:
    with serving(create_app(read_timeout=1), read_timeout=1) as url:
        started = time.monotonic()
        status, headers, body = _raw_http(
            url,
            b"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\nConnection: close\r\n\r\n" + b'{"text": "You',
        )
        assert status == 408 and headers["content-type"] == "application/json"
        assert json.loads(body)["error"]["code"] == "request-timeout"
        assert time.monotonic() - started < 10
        parts = urllib.parse.urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
            started = time.monotonic()
            sock.sendall(b"POST /v1/lint HTTP/1.1\r\nHost: 127.0")
            assert sock.recv(1024) == b""  # closed, not left waiting for the rest
            assert time.monotonic() - started < 10


def test_server_stops_a_request_at_its_time_limit() -> None:
    sentences = f"{ABSOLUTE} The team waited for the report again this week. " * 10
    paragraphs = f"{sentences}\n\n" * 240
    quick = f"{LABEL}" + " " * 10_001  # quick to lint, but long for the worker for long texts
    # A limit well under what either long text takes on a fast machine (the long
    # paragraph, 15,600 words, takes 1.7 s at 10,000 words a second), and far over
    # what one sentence takes.
    with TestClient(create_app(time_limit=0.5)) as test_client:
        # That worker loads its pipeline on the first long text, outside the text's time.
        assert test_client.post("/v1/lint", json={"text": quick}).status_code == 200
        for text in (paragraphs, sentences * 120):  # one long paragraph is answered on time too
            started = time.monotonic()
            response = test_client.post("/v1/lint", json={"text": text})
            assert time.monotonic() - started < 5
            assert response.status_code == 413
            assert response.json()["error"]["code"] == "time-limit"
            jsonschema.validate(response.json(), _schema("Error"))
        time.sleep(5)  # the worker finishes the step it was in on the long paragraph
        assert test_client.post("/v1/lint", json={"text": paragraphs}).status_code == 413
        # Between paragraphs the worker stops the text it ran out of time on: the next is answered.
        again = test_client.post("/v1/lint", json={"text": quick})
        assert again.status_code == 200
        assert "FB102" in _codes(again.json())


class _RecordingTokenizer:
    """Stands in for a pipeline's tokenizer and keeps the longest run of symbols it
    was given, so that a test can check what reached spaCy rather than a clock."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.longest = 0

    def __call__(self, text: str) -> Any:
        runs = re.findall(r"(?:[^\w\s]|_)+", text)
        self.longest = max(self.longest, *(len(run) for run in runs), 0)
        return self.tokenizer(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)


def test_server_lints_long_runs_of_symbols_without_giving_them_to_the_tokenizer() -> None:
    # A small body that took the service 34 s: spaCy's tokenizer is quadratic over one
    # run of 12,000 "!", so only the head of a run is parsed.
    linter = Linter()
    nlp = linter.nlp
    recording = _RecordingTokenizer(nlp.tokenizer)
    nlp.tokenizer = recording
    try:
        with TestClient(create_app(linter)) as test_client:
            for tail in ("!" * 12_000, "🎉" * 10_000):
                response = test_client.post("/v1/lint", json={"text": f"You are lazy. {tail}"})
                assert response.status_code == 200
                findings = response.json()["files"][0]["findings"]
                (finding,) = [f for f in findings if f["code"] == "FB102"]
                assert (finding["start"], finding["end"]) == (0, len("You are lazy"))
    finally:
        nlp.tokenizer = recording.tokenizer
    assert 0 < recording.longest <= MAX_SYMBOL_RUN


def test_server_time_limit_tells_a_busy_worker_from_a_slow_text() -> None:
    service = LintService(Linter())

    async def scenario() -> list[int]:
        slow = asyncio.ensure_future(service.run_within(0.5, time.sleep, 1.5))
        await asyncio.sleep(0.1)
        waiting = asyncio.ensure_future(service.run_within(0.5, time.sleep, 0))
        statuses = []
        for job in (slow, waiting):
            with pytest.raises(server.ClientError) as caught:
                await job
            statuses.append(caught.value.status)
        return statuses

    try:
        assert asyncio.run(scenario()) == [413, 503]
    finally:
        service.close()


def test_server_long_text_does_not_make_short_ones_wait() -> None:
    long_text = f"{ABSOLUTE} The team waited for the report again this week. \n\n" * 2000
    with serving(create_app(time_limit=6)) as url:
        import httpx

        with httpx.Client(base_url=url, timeout=120) as http:
            http.post("/v1/lint", json={"text": " " * 10_001})  # loads the second pipeline
            with ThreadPoolExecutor(1) as pool:
                long_answer = pool.submit(http.post, "/v1/lint", json={"text": long_text})
                time.sleep(1)
                started = time.monotonic()
                short = http.post("/v1/lint", json={"text": LABEL})
                short_took = time.monotonic() - started
                assert not long_answer.done()  # it was still being linted meanwhile
                assert long_answer.result().status_code in (200, 413)
    assert short.status_code == 200 and "FB102" in _codes(short.json())
    assert short_took < 3


# A service whose worker holds the interpreter lock for seconds on texts starting with
# "HOLD", as spaCy's tokenizer did over long runs of "!": meanwhile its event loop
# cannot take in connections.
_HOLDING_SERVICE = """
import re, sys
from feedback_lint import server

lint = server.LintService.lint

def holding(self, options, text, format):
    if text.startswith("HOLD"):
        re.match(r"(a*)*b", "a" * 25)
    return lint(self, options, text, format)

server.LintService.lint = holding
sys.exit(server.main(sys.argv[1:]))
"""


def test_server_answers_the_requests_sent_before_sigterm(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLDING_SERVICE, "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/v2/languages", timeout=5).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)

        def lint(text: str) -> int | str:
            request = urllib.request.Request(
                f"{url}/v1/lint",
                data=json.dumps({"text": text}).encode(),
                headers={"content-type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    return int(response.status)
            except OSError as error:
                return repr(error)

        with ThreadPoolExecutor(6) as pool:
            holding = pool.submit(lint, f"HOLD {LABEL}")
            time.sleep(0.5)
            queued = [pool.submit(lint, f"{LABEL} {n}") for n in range(5)]
            time.sleep(0.5)
            process.send_signal(signal.SIGTERM)
            answers = [holding.result(), *(future.result() for future in queued)]
        assert answers == [200] * 6
        assert process.wait(timeout=120) in (0, -signal.SIGTERM)
    finally:
        process.kill()
        process.wait()


# feedback-lint serve


def test_server_serve_command_binds_to_localhost_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(server, "run_server", calls.append)
    assert cli.main(["serve"]) == 0
    assert calls[0].host == DEFAULT_HOST == "127.0.0.1"
    assert calls[0].port == DEFAULT_PORT
    assert cli.main(["serve", "--port", "9999", "--max-body", "10"]) == 0
    assert calls[1].port == 9999


def test_server_serve_command_reports_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["serve", "--port", "not-a-number"])
    assert exit.value.code == 2
    assert "--port" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--time-limit", "--read-timeout"])
def test_server_serve_command_refuses_limits_that_are_not_positive(
    capsys: pytest.CaptureFixture[str], option: str
) -> None:
    assert cli.main(["serve", option, "0"]) == 2
    assert option in capsys.readouterr().err
