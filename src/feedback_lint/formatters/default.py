"""flake8's line format: ``path:line:col: CODE message``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import FeedbackLintError
from ..findings import Finding, Report
from .paths import printable

if TYPE_CHECKING:
    from . import Context

_BOLD, _RED, _YELLOW, _CYAN, _RESET = "\033[1m", "\033[31m", "\033[33m", "\033[36m", "\033[0m"
_NEWLINE = re.compile(r"\r\n|\r|\n")
_SEVERITY_COLOR = {"error": _RED, "warning": _YELLOW, "info": _CYAN}


def _source(report: Report, finding: Finding) -> list[str]:
    """The finding's first line and a caret line under its span (to the line's end)."""
    # The same line breaks as Document.position; str.splitlines also splits at \f, \x1c, ...
    lines = _NEWLINE.split(report.text)
    if not 0 < finding.line <= len(lines):
        return []
    line = lines[finding.line - 1]
    end = finding.end_column if finding.end_line == finding.line else len(line) + 1
    width = max(1, min(end - finding.column, len(line) - finding.column + 1))
    # Tabs are kept in the indent so that the caret lines up however tabs are shown.
    indent = "".join("\t" if c == "\t" else " " for c in line[: finding.column - 1])
    return [line, indent + "^" * width]


def line(finding: Finding, color: bool = False) -> str:
    """One finding in flake8's format."""
    where = f"{printable(finding.path)}:{finding.line}:{finding.column}:"
    code = finding.code
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        code = f"{_SEVERITY_COLOR[finding.severity.value]}{code}{_RESET}"
    return f"{where} {code} {finding.message}"


def error_line(error: FeedbackLintError) -> str:
    """An input error in the same format, so that tools parse it like a finding."""
    return f"{printable(str(error.path))}:{error.line or 1}:1: {error.code} {error.detail}"


def format(reports: Sequence[Report], errors: Sequence[FeedbackLintError], context: Context) -> str:
    """Every finding and input error, one a line, errors first."""
    out = [error_line(error) for error in errors]
    for report in reports:
        for finding in report.findings:
            out.append(line(finding, context.color))
            if context.show_source:
                out.extend(_source(report, finding))
    return "".join(f"{entry}\n" for entry in out)
