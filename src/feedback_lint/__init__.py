"""feedback-lint: checks written feedback before it is sent.

>>> import feedback_lint
>>> report = feedback_lint.lint("You always miss deadlines.")
>>> [f.code for f in report.findings]
['FB101']
"""

from __future__ import annotations

from typing import Any

from .errors import ConfigError, FeedbackLintError, InputError, RuleError
from .findings import Applicability, Edit, Finding, Report, Severity, Suggestion, Unit
from .linter import Linter, Linters, options_key

__version__ = "0.1.0"

__all__ = [
    "Applicability",
    "ConfigError",
    "Edit",
    "FeedbackLintError",
    "Finding",
    "InputError",
    "Linter",
    "Report",
    "RuleError",
    "Severity",
    "Suggestion",
    "Unit",
    "__version__",
    "lint",
]


#: The linters of :func:`lint`, by their options (the service keeps its own of this kind).
_LINTERS = Linters(size=8)


def lint(text: str, **options: Any) -> Report:
    """Lint one text with a :class:`Linter` built from ``options`` (reused across calls).

    ``options`` are :class:`Linter`'s keyword arguments, such as ``select`` or
    ``ignore``; ``path`` and ``format`` are passed to :meth:`Linter.lint_text`.
    """
    path = options.pop("path", "<string>")
    format = options.pop("format", None)
    return _LINTERS.get(options_key(options)).lint_text(text, path=path, format=format)
