"""feedback-lint: checks written feedback before it is sent.

>>> import feedback_lint
>>> report = feedback_lint.lint("You always miss deadlines.")
>>> [f.code for f in report.findings]
['FB101']
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, FeedbackLintError, InputError, RuleError
from .findings import Applicability, Edit, Finding, Report, Severity, Suggestion, Unit

if TYPE_CHECKING:
    from .linter import Linter, Linters

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

#: Names imported from :mod:`.linter` on first use: the linter module imports the whole
#: engine, which ``--version``, ``--list-rules`` and ``--explain`` never need.
_FROM_LINTER = frozenset({"Linter", "Linters"})
_lock = threading.Lock()
_cache: list[Linters] = []


def __getattr__(name: str) -> Any:
    if name in _FROM_LINTER:
        from . import linter

        return getattr(linter, name)
    if name == "_LINTERS":
        return _linters()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _linters() -> Linters:
    """The linters of :func:`lint`, by their options (the service keeps its own of this kind)."""
    with _lock:
        if not _cache:
            from .linter import Linters

            _cache.append(Linters(size=8))
        return _cache[0]


def lint(text: str, **options: Any) -> Report:
    """Lint one text with a :class:`Linter` built from ``options`` (reused across calls).

    ``options`` are :class:`Linter`'s keyword arguments, such as ``select`` or
    ``ignore``; ``path`` and ``format`` are passed to :meth:`Linter.lint_text`.
    """
    from .linter import options_key

    path = options.pop("path", "<string>")
    format = options.pop("format", None)
    return _linters().get(options_key(options)).lint_text(text, path=path, format=format)
