"""Output formats: pure functions from reports to text, chosen by name.

Each format is a module with one ``format(reports, errors, context) -> str``
function; :data:`FORMATTERS` is the registry the command line chooses from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..errors import FeedbackLintError
from ..findings import Report
from ..rules import Rule
from . import default, github, json_format, sarif


@dataclass(frozen=True)
class Context:
    """What a formatter may need besides the reports: versions, rules and display options."""

    tool_version: str
    pipeline: tuple[str, str]
    rules: tuple[Rule, ...] = ()
    color: bool = False
    show_source: bool = False
    extra: dict[str, object] = field(default_factory=dict)


Formatter = Callable[[Sequence[Report], Sequence[FeedbackLintError], Context], str]

FORMATTERS: dict[str, Formatter] = {
    "default": default.format,
    "json": json_format.format,
    "sarif": sarif.format,
    "github": github.format,
}
