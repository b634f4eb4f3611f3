"""SARIF 2.1.0 output, for code-scanning services and SARIF viewers.

One run, with every active rule's metadata in ``tool.driver.rules`` (summary,
rationale, the rule's reference page as help, and its default level), one
result per finding with its region both as lines and columns and as character
offsets (``columnKind`` is ``unicodeCodePoints``, as our columns count code
points), and each suggestion with edits as a fix. Inputs that could not be
read are tool execution notifications.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from ..errors import FeedbackLintError
from ..findings import Edit, Finding, Report, Suggestion
from ..rules import Rule
from .paths import uri

if TYPE_CHECKING:
    from . import Context

SCHEMA: Final = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
VERSION: Final = "2.1.0"
#: Our severities as SARIF levels.
LEVELS: Final = {"error": "error", "warning": "warning", "info": "note"}

_NEWLINE = re.compile(r"\r\n|\r|\n")


#: A file's path as a URI reference (see :func:`paths.uri`).
artifact_uri = uri


def _position(line_starts: list[int], offset: int) -> tuple[int, int]:
    line = bisect.bisect_right(line_starts, offset) - 1
    return line + 1, offset - line_starts[line] + 1


def _region(line_starts: list[int], start: int, end: int) -> dict[str, int]:
    start_line, start_column = _position(line_starts, start)
    end_line, end_column = _position(line_starts, end)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": start,
        "charLength": end - start,
    }


def rule_json(rule: Rule) -> dict[str, Any]:
    """One rule's metadata as a SARIF reportingDescriptor."""
    from ..ruledocs import rule_page  # the help text is the rule's reference page

    help_text = " ".join(rule.rationale.split())
    if rule.suggestion is not None:
        help_text += f" Suggestion: {rule.suggestion.title}."
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": " ".join(rule.summary.split())},
        "fullDescription": {"text": " ".join(rule.rationale.split())},
        "help": {"text": help_text, "markdown": rule_page(rule, link_source=False)},
        "defaultConfiguration": {"level": LEVELS[rule.severity.value], "enabled": rule.enabled},
        "properties": {"tags": list(rule.tags)},
    }


def _fix(suggestion: Suggestion, uri: str, line_starts: list[int]) -> dict[str, Any]:
    def replacement(edit: Edit) -> dict[str, Any]:
        return {
            "deletedRegion": _region(line_starts, edit.start, edit.end),
            "insertedContent": {"text": edit.replacement},
        }

    return {
        "description": {"text": f"{suggestion.title} ({suggestion.applicability.value})"},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri},
                "replacements": [replacement(edit) for edit in suggestion.edits],
            }
        ],
    }


def result_json(
    finding: Finding, report: Report, rule_index: dict[str, int], line_starts: list[int]
) -> dict[str, Any]:
    """One finding as a SARIF result."""
    uri = artifact_uri(report.path)
    region = _region(line_starts, finding.start, finding.end)
    region["snippet"] = {"text": report.text[finding.start : finding.end]}  # type: ignore[assignment]
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity.value],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    fixes = [_fix(s, uri, line_starts) for s in finding.suggestions if s.edits]
    if fixes:
        result["fixes"] = fixes
    return result


def _notification(error: FeedbackLintError) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error",
        "message": {"text": error.detail},
        "descriptor": {"id": error.code},
    }
    if error.path is not None:
        location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(error.path)}}
        if error.line is not None:
            location["region"] = {"startLine": error.line}
        notification["locations"] = [{"physicalLocation": location}]
    return notification


def document(
    reports: Sequence[Report], errors: Sequence[FeedbackLintError], context: Context
) -> dict[str, Any]:
    """The SARIF log as a JSON-ready value."""
    rules = list(context.rules)
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    results = []
    for report in reports:
        line_starts = [0, *(m.end() for m in _NEWLINE.finditer(report.text))]
        results += [result_json(f, report, rule_index, line_starts) for f in report.findings]
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "feedback-lint",
                        "version": context.tool_version,
                        "semanticVersion": context.tool_version,
                        "rules": [rule_json(rule) for rule in rules],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": [_notification(e) for e in errors],
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "pipeline": {"name": context.pipeline[0], "version": context.pipeline[1]}
                },
            }
        ],
    }


def format(reports: Sequence[Report], errors: Sequence[FeedbackLintError], context: Context) -> str:
    """The SARIF log, indented, with a final newline."""
    return json.dumps(document(reports, errors, context), indent=2, ensure_ascii=False) + "\n"
