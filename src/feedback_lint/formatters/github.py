"""GitHub Actions workflow commands: each finding becomes an annotation on the file.

``::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE name::message``;
severities map error -> ``error``, warning -> ``warning``, info -> ``notice``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from ..errors import FeedbackLintError
from ..findings import Finding, Report
from .paths import printable

if TYPE_CHECKING:
    from . import Context

#: Our severities as workflow command names.
COMMANDS: Final = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message as GitHub's runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property's value, where ':' and ',' are separators too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, object], message: str) -> str:
    """One workflow command line."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}"


def annotation(finding: Finding) -> str:
    """One finding as a workflow command."""
    properties: dict[str, object] = {
        "file": printable(finding.path),
        "line": finding.line,
        "col": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "title": f"{finding.code} {finding.name}",
    }
    return command(COMMANDS[finding.severity.value], properties, finding.message)


def format(reports: Sequence[Report], errors: Sequence[FeedbackLintError], context: Context) -> str:
    """Every input error and finding as a workflow command, one a line."""
    out = []
    for error in errors:
        properties: dict[str, object] = {
            "file": printable(error.path or ""),
            "line": error.line or 1,
        }
        properties["title"] = error.code
        out.append(command("error", properties, error.detail))
    out += [annotation(f) for report in reports for f in report.findings]
    return "".join(f"{entry}\n" for entry in out)
