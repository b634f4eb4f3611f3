"""The one base of every reader of a loaded YAML or TOML file: rules, signals, profiles
and settings.

A reader knows its file and the kind of error its file raises (RuleError for
rules folders, ConfigError for settings), and checks the shape of loaded values
(a mapping with known keys, a string, a list of strings), naming ``file:line``
in every error through :func:`.yamlfile.line_of`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from ..errors import FeedbackLintError, RuleError
from .yamlfile import LineDict, LineList, line_of


class Reader:
    """Validates one loaded file, raising :attr:`error` with the file and the line."""

    #: The error this kind of file raises.
    error: ClassVar[type[FeedbackLintError]] = RuleError

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, code: str, line: int | None, **fields: object) -> FeedbackLintError:
        """The error ``code`` at ``line`` of this file."""
        return self.error(code, str(self.path), line, **fields)

    def wrong(
        self, where: Any, key: str, expected: str, actual: str | None = None
    ) -> FeedbackLintError:
        """R104: ``where[key]`` is not ``expected`` (it is ``actual``, by default its type)."""
        if actual is None:
            actual = type(where[key]).__name__
        return self.fail("R104", line_of(where, key), key=key, expected=expected, actual=actual)

    def mapping(self, value: Any, where: Any, key: str, allowed: Mapping[str, bool]) -> LineDict:
        """Check that ``value`` is a mapping with only ``allowed`` keys and all required ones."""
        if not isinstance(value, LineDict):
            raise self.wrong(
                where,
                key,
                "a mapping",
                actual=type(value).__name__,
            )
        for name in value:
            if name not in allowed:
                raise self.fail("R102", value.key_lines[name], key=name, allowed=", ".join(allowed))
        for name, required in allowed.items():
            if required and name not in value:
                raise self.fail("R103", value.line, key=name)
        return value

    def typed(self, value: Any, where: Any, key: str, kind: type, expected: str) -> Any:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.wrong(where, key, expected, actual=type(value).__name__)
        return value

    def text(self, data: LineDict, key: str, default: str | None = None) -> str:
        if key not in data and default is not None:
            return default
        value = self.typed(data[key], data, key, str, "a string")
        if not value.strip():
            raise self.wrong(data, key, "a non-empty string", actual="an empty string")
        return str(value)

    def strings(self, data: LineDict, key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.wrong(
                data,
                key,
                "a list of strings",
                actual=type(value).__name__,
            )
        return tuple(value)

    def non_empty_list(self, parent: LineDict, key: str) -> LineList:
        """``parent[key]``, checked to be a list with at least one item."""
        value = parent[key]
        if not isinstance(value, LineList) or not value:
            raise self.wrong(
                parent,
                key,
                "a non-empty list",
                actual=type(value).__name__,
            )
        return value
