"""What a request may ask, validated: ``/v1/lint``'s JSON and LanguageTool's ``/v2/check`` fields.

Each function turns a request's fields into the text to lint and the linter
options (see :func:`feedback_lint.linter.options_key`), or raises
:class:`ClientError` with the status and a message naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl

from .. import languagetool
from ..documents import Format
from ..linter import Options
from .service import ClientError, LintService

if TYPE_CHECKING:
    from starlette.requests import Request

_LINT_FIELDS: Final = ("text", "profile", "select", "ignore", "format")


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


async def read_json(request: Request) -> object:
    """The request's body as JSON; 415 when it is not sent as JSON, 400 when it is not
    UTF-8 or not JSON."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json" and not kind.endswith("+json"):
        # A browser sends other types (text/plain, forms) from any page without asking.
        raise ClientError(415, "unsupported-media-type", "send the body as application/json")
    body = await request.body()
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ClientError(400, "invalid-body", "the body is not UTF-8") from None
    except RecursionError:
        raise ClientError(400, "invalid-json", "the body is nested too deeply") from None
    except ValueError as error:
        raise ClientError(400, "invalid-json", f"the body is not valid JSON: {error}") from None


async def check_fields(request: Request) -> dict[str, str]:
    """LanguageTool's fields: the query's, then (for a POST) the form body's on top."""
    fields = dict(request.query_params)
    if request.method == "POST":
        body = await request.body()
        fields.update(_form(body, request.headers.get("content-type", "")))
    return fields
