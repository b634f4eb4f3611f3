"""The versioned JSON output (schema in docs/json-output.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import FeedbackLintError
from ..findings import Finding, Report, Suggestion, Unit
from .paths import printable

if TYPE_CHECKING:
    from . import Context

#: Bumped on any change that could break a consumer; additions keep the version.
SCHEMA_VERSION = 1


def suggestion_json(suggestion: Suggestion) -> dict[str, Any]:
    """One suggestion as JSON."""
    return {
        "title": suggestion.title,
        "replacement": suggestion.replacement,
        "applicability": suggestion.applicability.value,
        "edits": [
            {"start": e.start, "end": e.end, "replacement": e.replacement} for e in suggestion.edits
        ],
    }


def finding_json(finding: Finding, text: str) -> dict[str, Any]:
    """One finding as JSON, with the reported text."""
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "start": finding.start,
        "end": finding.end,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "text": text[finding.start : finding.end],
        "suggestions": [suggestion_json(s) for s in finding.suggestions],
    }


def unit_json(unit: Unit) -> dict[str, Any]:
    """One feedback unit and its signals as JSON."""
    return {
        "start": unit.start,
        "end": unit.end,
        "signals": {name: [list(span) for span in spans] for name, spans in unit.signals.items()},
    }


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
