"""Signals: named pattern sets that say what a feedback unit contains.

A signal is a YAML file ``signals/<name>.yml`` inside a rules folder (see
docs/units-and-signals.md). It has the same ``match`` kinds, lexicons and
conditions as a rule, but raises no finding: the linter records where each
signal is found in each feedback unit (``Report.units``), and document-level
rules (``kind: document``) judge a unit by which signals it has. Signals are
compiled into the same shared matchers as the rules, so they cost no extra pass.
A signal may also list sentence rules (``rules: [FB1, FB2]``): wherever one of
them matches, the signal is found there too, whether or not the rule is selected.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from ..errors import RuleError
from ..selection import Selection
from .folders import rule_folders, signal_files
from .lexicons import load_lexicons
from .loading import NamedConditions, _Reader
from .schema import NAME_RE, MatchSpec, Rule
from .yamlfile import LineDict, line_of, load_yaml

_SIGNAL_KEYS: Final = {
    "signal": True,
    "summary": True,
    "rationale": False,
    "match": True,
    "rules": False,
    "examples": True,
}


@dataclass(frozen=True)
class SignalExample:
    """A text in which the signal must be found (``has``) or must not be (``lacks``)."""

    kind: Literal["has", "lacks"]
    text: str
    line: int


@dataclass(frozen=True)
class Signal:
    """A loaded, validated signal."""

    name: str
    summary: str
    rationale: str
    matches: tuple[MatchSpec, ...]
    examples: tuple[SignalExample, ...]
    path: str
    #: Codes, prefixes or names of the rules whose matches are finds of this signal.
    rules: tuple[str, ...] = ()
    rules_line: int = 1


class _SignalReader(_Reader):
    """Validates one signal file with the rule reader's checks for matches and patterns."""

    def signal(self, data: Any) -> Signal:
        if not isinstance(data, LineDict):
            raise self.fail(
                "R104", 1, key="signal", expected="a mapping", actual=type(data).__name__
            )
        self.mapping(data, data, "signal", _SIGNAL_KEYS)
        name = self.text(data, "signal")
        if not NAME_RE.match(name):
            raise self.fail("R109", data.key_lines["signal"], name=name)
        if self.path.name != f"{name}.yml":
            raise self.fail("R110", data.key_lines["signal"], expected=f"{name}.yml")
        matches = self.matches(data["match"], data)
        for spec in matches:
            if spec.kind == "document":
                raise self.fail("R114", spec.line, reason="a signal cannot use 'kind: document'")
        return Signal(
            name=name,
            summary=self.text(data, "summary"),
            rationale=self.text(data, "rationale", " ").strip(),
            matches=matches,
            examples=self.signal_examples(data),
            path=str(self.path),
            rules=self.strings(data, "rules"),
            rules_line=line_of(data, "rules"),
        )

    def signal_examples(self, parent: LineDict) -> tuple[SignalExample, ...]:
        value = self.non_empty_list(parent, "examples")
        result: list[SignalExample] = []
        for item in value:
            self.mapping(item, parent, "examples", {"has": False, "lacks": False})
            if len(item) != 1:
                raise self.fail(
                    "R114", item.line, reason="an example needs exactly one of 'has' or 'lacks'"
                )
            kind: Literal["has", "lacks"] = "has" if "has" in item else "lacks"
            result.append(SignalExample(kind=kind, text=self.text(item, kind), line=item.line))
        return tuple(result)


def load_signal(
    path: Path, lexicons: Mapping[str, tuple[str, ...]], named: NamedConditions | None = None
) -> Signal:
    """Load and validate one signal file (``named``: its folders' condition lists)."""
    return _SignalReader(path, lexicons, named=named).signal(load_yaml(path))


def load_signals(
    directories: Iterable[str | os.PathLike[str]] = (),
    builtin: bool = True,
    lexicons: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Signal, ...]:
    """Load the built-in signals and those of extra rules folders; names must be unique.

    ``lexicons`` are those folders' lexicons when the caller has read them already.
    """
    folders = rule_folders(directories, builtin)
    if lexicons is None:
        lexicons = load_lexicons(folder for folder in folders if folder.is_dir())
    named = NamedConditions.of_folders((folder for folder in folders if folder.is_dir()), lexicons)
    signals: dict[str, Signal] = {}
    for folder in folders:
        for path in signal_files(folder):
            signal = load_signal(path, lexicons, named)
            if signal.name in signals:
                raise RuleError(
                    "R111", str(path), 1, value=signal.name, other=signals[signal.name].path
                )
            signals[signal.name] = signal
    return tuple(sorted(signals.values(), key=lambda s: s.name))


def rule_sources(signals: Iterable[Signal], rules: Iterable[Rule]) -> dict[str, tuple[Signal, ...]]:
    """For each rule code, the signals that count its matches as finds (see ``rules:``).

    An entry selects rules as ``--select`` does (prefixes, codes, names), among the
    rules that ship enabled and judge sentences rather than whole units; an entry that
    names none of them is an error in the signal file.
    """
    candidates = [
        rule
        for rule in rules
        if rule.enabled and all(spec.kind != "document" for spec in rule.matches)
    ]
    found: dict[str, list[Signal]] = {}
    for signal in signals:
        for entry in signal.rules:
            chosen = Selection(select=(entry,))
            named = [rule for rule in candidates if chosen.selected(rule)]
            if not named:
                raise RuleError(
                    "R114",
                    signal.path,
                    signal.rules_line,
                    reason=f"'rules' entry {entry!r} names no sentence rule",
                )
            for rule in named:
                if signal not in found.setdefault(rule.code, []):
                    found[rule.code].append(signal)
    return {code: tuple(value) for code, value in found.items()}
