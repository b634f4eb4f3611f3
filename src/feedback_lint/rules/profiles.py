"""Profiles: which rules run, and how severe they are, for a genre of feedback.

A profile is a YAML file ``profiles/<name>.yml`` inside a rules folder (see
docs/units-and-signals.md). It stands in for the default selection: its
``select`` and ``ignore`` are the starting point that ``select`` / ``ignore``
given by the user replace and ``extend_select`` / ``extend_ignore`` add to,
exactly as they do with the defaults. ``severity`` overrides rules' default
severities and ``thresholds`` the counts of document rules such as FB304.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

from ..errors import RuleError
from ..findings import Severity
from ..selection import Named, Selection
from .folders import profile_files, rule_folders
from .reader import Reader
from .schema import NAME_RE
from .yamlfile import LineDict, line_of, load_yaml

_PROFILE_KEYS: Final = ("profile", "summary", "select", "ignore", "severity", "thresholds")


@dataclass(frozen=True)
class Profile:
    """A loaded, validated profile."""

    name: str
    summary: str
    select: tuple[str, ...] | None
    ignore: tuple[str, ...]
    severity: Mapping[str, Severity]
    thresholds: Mapping[str, int]
    path: str


def profile_names(
    directories: Iterable[str | os.PathLike[str]] = (), builtin: bool = True
) -> tuple[str, ...]:
    """The names of the profiles that can be chosen."""
    return tuple(sorted(profile_files(rule_folders(directories, builtin))))


class _ProfileReader(Reader):
    """Validates one profile file against the loaded rules, naming ``file:line`` on errors."""

    def __init__(self, path: Path, rules: Sequence[Named]) -> None:
        super().__init__(path)
        self.rules = rules

    def codes(self, data: LineDict, key: str) -> tuple[str, ...]:
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.wrong(data, key, "a list of rule codes, prefixes or names")
        for entry in value:
            if entry.upper() != "ALL" and not self.names_rule(entry):
                raise self.fail("C203", line_of(value, None, data.line), value=entry)
        return tuple(value)

    def names_rule(self, key: str) -> bool:
        selection = Selection(select=(key,))
        return any(selection.selected(rule) for rule in self.rules)

    def per_rule(self, data: LineDict, key: str) -> dict[str, Any]:
        if key not in data:
            return {}
        value = data[key]
        if not isinstance(value, LineDict):
            raise self.wrong(data, key, "a mapping of rule codes to values")
        for code in value:
            if not any(code in (rule.code, rule.name) for rule in self.rules):
                raise self.fail("C203", value.key_lines[code], value=code)
        return dict(value)

    def profile(self, data: Any) -> Profile:
        if not isinstance(data, LineDict):
            raise self.fail(
                "R104", 1, key="profile", expected="a mapping", actual=type(data).__name__
            )
        required = ("profile", "summary")
        self.mapping(data, data, "profile", {key: key in required for key in _PROFILE_KEYS})
        for key in required:
            if not isinstance(data[key], str) or not data[key].strip():
                raise self.wrong(data, key, "a non-empty string")
        name = str(data["profile"])
        if not NAME_RE.match(name):
            raise self.fail("R109", data.key_lines["profile"], name=name)
        if self.path.name != f"{name}.yml":
            raise self.fail("R110", data.key_lines["profile"], expected=f"{name}.yml")
        severity: dict[str, Severity] = {}
        for code, value in self.per_rule(data, "severity").items():
            try:
                severity[code] = Severity(value)
            except ValueError:
                line = data["severity"].key_lines[code]
                raise self.fail(
                    "R104", line, key=code, expected="error, warning or info", actual=repr(value)
                ) from None
        thresholds: dict[str, int] = {}
        for code, value in self.per_rule(data, "thresholds").items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                line = data["thresholds"].key_lines[code]
                raise self.fail(
                    "R104", line, key=code, expected="a count (0 or more)", actual=repr(value)
                )
            thresholds[code] = value
        return Profile(
            name=name,
            summary=str(data["summary"]),
            select=self.codes(data, "select") if "select" in data else None,
            ignore=self.codes(data, "ignore") if "ignore" in data else (),
            severity=severity,
            thresholds=thresholds,
            path=str(self.path),
        )


def load_profile(
    name: str,
    rules: Sequence[Named],
    directories: Iterable[str | os.PathLike[str]] = (),
    builtin: bool = True,
) -> Profile:
    """Load and validate the profile called ``name``, checking the codes it names."""
    files = profile_files(rule_folders(directories, builtin))
    if name not in files:
        raise RuleError("R116", None, None, name=name, known=", ".join(sorted(files)))
    return _ProfileReader(files[name], rules).profile(load_yaml(files[name]))


def applies_to(rule: Named, overrides: Mapping[str, object]) -> object | None:
    """The value that ``overrides`` (keyed by code or name) gives ``rule``, if any."""
    if rule.code in overrides:
        return overrides[rule.code]
    return overrides.get(rule.name)


_Rule = TypeVar("_Rule", bound=Named)


def chosen_rules(
    rules: Sequence[_Rule], selection: Selection, profile: Profile | None = None
) -> tuple[_Rule, ...]:
    """The rules that run: ``selection`` decides, over ``profile``'s selection (standing in
    for the defaults) when the user selected nothing of their own."""
    if profile is None or selection.select is not None:
        return tuple(rule for rule in rules if selection.selected(rule))
    return tuple(rule for rule in rules if _profile_selected(rule, profile, selection))


def _profile_selected(rule: Named, profile: Profile, user: Selection) -> bool:
    """Whether ``rule`` runs under ``profile`` when the user gave no ``select`` of their own.

    The profile's selection stands in for the defaults; the user's ignore entries
    remove rules from it and their extend-select entries add rules to it.
    """
    ignored = (*user.ignore, *user.extend_ignore)
    added = Selection(select=(), ignore=ignored, extend_select=user.extend_select)
    if added.selected(rule):
        return True
    kept = Selection(select=("ALL",), ignore=ignored).selected(rule)
    return kept and Selection(select=profile.select, ignore=profile.ignore).selected(rule)
