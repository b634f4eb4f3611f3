"""The versioned JSON output (schema in docs/json-output.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..encoding import finding_json, unit_json
from ..errors import FeedbackLintError
from ..findings import Report
from .paths import printable

if TYPE_CHECKING:
    from . import Context

#: Bumped on any change that could break a consumer; additions keep the version.
SCHEMA_VERSION = 1


def report_json(report: Report) -> dict[str, Any]:
    """One file's report as JSON."""
    return {
        "path": printable(report.path),
        "findings": [finding_json(f, report.text) for f in report.findings],
        "units": [unit_json(u) for u in report.units],
    }


def document(
    reports: Sequence[Report], errors: Sequence[FeedbackLintError], context: Context
) -> dict[str, Any]:
    """The whole output as a JSON-ready value."""
    return {
        "version": SCHEMA_VERSION,
        "tool": {
            "name": "feedback-lint",
            "version": context.tool_version,
            "pipeline": {"name": context.pipeline[0], "version": context.pipeline[1]},
        },
        "files": [report_json(r) for r in reports],
        "errors": [
            {
                "path": printable(e.path) if e.path is not None else None,
                "line": e.line,
                "code": e.code,
                "message": e.detail,
            }
            for e in errors
        ],
        "summary": {
            "files": len(reports),
            "findings": sum(len(r.findings) for r in reports),
            "errors": len(errors),
        },
    }


def format(reports: Sequence[Report], errors: Sequence[FeedbackLintError], context: Context) -> str:
    """The JSON document, indented, with a final newline."""
    return json.dumps(document(reports, errors, context), indent=2, ensure_ascii=False) + "\n"
