"""Rule files: loading and validation.

A rule is a YAML file ``<category>/<CODE>-<name>.yml`` (see docs/writing-rules.md).
Loading checks everything that can be checked without spaCy (keys, types,
codes, template fields, regular expressions, lexicon references); spaCy's own
pattern validation runs when the rules are compiled (see :mod:`matching`), and
both name ``file:line``.

:func:`load_headers` reads only what listing and explaining rules need (see
:class:`.schema.RuleHeader`): the same checks of every key but ``match`` and
the message's fields, and none of the patterns, lexicons or signals.
"""

from __future__ import annotations

import dataclasses
import os
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

from ..errors import RuleError
from ..findings import Applicability, Severity
from .folders import check_folder, condition_files, rule_files, rule_folders, signal_files
from .lexicons import load_lexicons
from .reader import Reader
from .schema import (
    CODE_RE,
    MATCH_KINDS,
    MATCH_NODE,
    NAME_RE,
    NODE_KEY,
    PHRASE_ATTRS,
    RELATIONS,
    TARGET_EXTENTS,
    TEMPLATE_ATTRS,
    Condition,
    Example,
    MatchSpec,
    Offer,
    Rule,
    RuleHeader,
    RuleInfo,
    SuggestionSpec,
    When,
)
from .yamlfile import LineDict, LineList, line_of, load_yaml

_RULE_KEYS: Final = {
    "code": True,
    "name": True,
    "severity": True,
    "summary": True,
    "message": True,
    "rationale": True,
    "match": True,
    "examples": True,
    "tags": False,
    "enabled": False,
    "suggestion": False,
    "aliases": False,
    "yields_to": False,
}
_MATCH_KEYS: Final = (
    "kind",
    "pattern",
    "patterns",
    "attr",
    "report",
    "require",
    "unless",
    "case_sensitive",
    "when",
    "suggestion",
)
#: Keys of a ``kind: document`` match's ``when``: conditions over a unit's signals.
_WHEN_KEYS: Final = ("has", "lacks", "more_than")
_CONDITION_KEYS: Final = ("node", "rel", "attrs", "require", "unless")
_SUGGESTION_KEYS: Final = ("title", "replace_with", "applicability", "target", "drop")
_EXAMPLE_KEYS: Final = ("flag", "pass", "fixed")


_BOOLEAN_WORD: Final = (
    "a word in IN/NOT_IN was read by YAML as true/false; quote on, off, yes, no, true and false"
)


class _HeaderReader(Reader):
    """Validates what a loaded rule file says about itself (every key but ``match``),
    raising RuleError with ``file:line``."""

    def header(self, data: Any) -> RuleHeader:
        if not isinstance(data, LineDict):
            raise self.fail("R104", 1, key="rule", expected="a mapping", actual=type(data).__name__)
        self.mapping(data, data, "rule", _RULE_KEYS)
        code = self.text(data, "code")
        if not CODE_RE.match(code):
            raise self.fail("R108", data.key_lines["code"], value=code)
        name = self.text(data, "name")
        if not NAME_RE.match(name):
            raise self.fail("R109", data.key_lines["name"], name=name)
        expected = f"{code}-{name}.yml"
        if self.path.name != expected:
            raise self.fail("R110", data.key_lines["code"], expected=expected)
        severity_text = self.text(data, "severity")
        try:
            severity = Severity(severity_text)
        except ValueError:
            raise self.fail(
                "R104",
                data.key_lines["severity"],
                key="severity",
                expected="error, warning or info",
                actual=severity_text,
            ) from None
        enabled = self.typed(data.get("enabled", True), data, "enabled", bool, "true or false")
        self.text(data, "message")
        own = self.offer(data["suggestion"], data) if "suggestion" in data else None
        # The rewrites of single ways of matching; the matches themselves are read by _Reader.
        entries = data["match"] if isinstance(data["match"], list) else [data["match"]]
        of_matches = tuple(
            self.offer(entry["suggestion"], entry)
            for entry in entries
            if isinstance(entry, LineDict) and "suggestion" in entry
        )
        return RuleHeader(
            code=code,
            name=name,
            severity=severity,
            enabled=bool(enabled),
            tags=self.strings(data, "tags"),
            summary=self.text(data, "summary"),
            rationale=self.text(data, "rationale").strip(),
            suggestion=own,
            suggestions=((own,) if own is not None else ()) + of_matches,
            examples=self.examples(data),
            aliases=self.strings(data, "aliases"),
            path=str(self.path),
            category=self.path.parent.name,
            yields_to=self.codes(data, "yields_to"),
        )

    def codes(self, data: LineDict, key: str) -> tuple[str, ...]:
        """``data[key]`` as a list of rule codes (R108)."""
        codes = self.strings(data, key)
        for value in codes:
            if not CODE_RE.match(value):
                raise self.fail("R108", data.key_lines.get(key), value=value)
        return codes

    def offer(self, data: Any, parent: LineDict) -> Offer:
        """A ``suggestion`` mapping's keys, title and applicability (the rest: ``suggestion``)."""
        self.mapping(
            data,
            parent,
            "suggestion",
            {key: key in ("title", "replace_with") for key in _SUGGESTION_KEYS},
        )
        applicability_text = data.get("applicability", "display-only")
        try:
            applicability = Applicability(applicability_text)
        except ValueError:
            raise self.wrong(
                data,
                "applicability",
                "safe, unsafe or display-only",
                actual=repr(applicability_text),
            ) from None
        return Offer(title=self.text(data, "title"), applicability=applicability)

    def examples(self, parent: LineDict) -> tuple[Example, ...]:
        value = self.non_empty_list(parent, "examples")
        result: list[Example] = []
        for item in value:
            self.mapping(item, parent, "examples", dict.fromkeys(_EXAMPLE_KEYS, False))
            kinds = [k for k in ("flag", "pass") if k in item]
            if len(kinds) != 1:
                raise self.fail(
                    "R114", item.line, reason="an example needs exactly one of 'flag' or 'pass'"
                )
            kind: Literal["flag", "pass"] = "flag" if kinds[0] == "flag" else "pass"
            if "fixed" in item and kind != "flag":
                raise self.fail(
                    "R114", item.key_lines["fixed"], reason="'fixed' belongs to a 'flag' example"
                )
            text = self.text(item, kind)
            fixed = self.text(item, "fixed") if "fixed" in item else None
            result.append(Example(kind=kind, text=text, fixed=fixed, line=item.line))
        return tuple(result)


class _Reader(_HeaderReader):
    """Validates one loaded rule file, raising RuleError with ``file:line``."""

    def __init__(
        self,
        path: Path,
        lexicons: Mapping[str, tuple[str, ...]],
        signals: frozenset[str] = frozenset(),
        named: NamedConditions | None = None,
    ) -> None:
        super().__init__(path)
        self.lexicons = lexicons
        #: Nodes that some match of the rule being read provides (for template fallbacks).
        self.any_nodes: set[str] = set()
        self.signals = signals
        self.named = named if named is not None else NamedConditions({}, lexicons)

    def expand(self, value: Any, line: int) -> Any:
        """Replace lexicon references (``"$name"`` as an IN/NOT_IN value, an item of one,
        or a phrase) by their terms.

        The result is built of new plain dicts and lists (no line-tracking types), so
        libraries that check types take it as it is, without another deep copy.
        """
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for key, item in value.items():
                if key in ("IN", "NOT_IN") and isinstance(item, str):
                    out[key] = list(self.lexicon(item, line_of(value, key, line)))
                elif key in ("IN", "NOT_IN") and isinstance(item, list):
                    # a list may mix words and lexicons: [$vague-verdicts, "off"]
                    where = line_of(value, key, line)
                    if any(isinstance(word, bool) for word in item):
                        # YAML 1.1 reads an unquoted on/off/yes/no as a boolean
                        raise self.fail("R105", where, kind="token", reason=_BOOLEAN_WORD)
                    out[key] = list(
                        dict.fromkeys(
                            term
                            for word in item
                            for term in (
                                self.lexicon(word, where)
                                if isinstance(word, str) and word.startswith("$")
                                else (word,)
                            )
                        )
                    )
                else:
                    out[key] = self.expand(item, line_of(value, key, line))
            return out
        if isinstance(value, list):
            lines = value.item_lines if isinstance(value, LineList) else [line] * len(value)
            return [
                self.expand(item, item_line) for item, item_line in zip(value, lines, strict=False)
            ]
        return value

    def lexicon(self, reference: str, line: int) -> tuple[str, ...]:
        from ..tone import OVERRIDES_LEXICON, VALENCE_REFERENCE, valence_words

        if VALENCE_REFERENCE.match(reference):
            overrides = self.lexicons.get(OVERRIDES_LEXICON, ())
            try:
                return valence_words(reference, tuple(overrides)) or ()
            except ValueError as exc:
                raise self.fail("R114", line, reason=f"{OVERRIDES_LEXICON}: {exc}") from None
        name = reference[1:] if reference.startswith("$") else None
        if name is None or name not in self.lexicons:
            raise self.fail("R112", line, name=reference, known=", ".join(sorted(self.lexicons)))
        return self.lexicons[name]

    def rule(self, data: Any) -> Rule:
        header = self.header(data)
        matches = self.matches(data["match"], data)
        if len(matches) > 1 and any(spec.kind == "document" for spec in matches):
            raise self.fail(
                "R114", line_of(data, "match"), reason="a 'kind: document' match stands alone"
            )
        nodes = set.intersection(*(set(spec.nodes) for spec in matches))
        self.any_nodes = set.union(*(set(spec.nodes) for spec in matches))
        message = self.text(data, "message")
        self.template(message, nodes, line_of(data, "message"))
        # The rule's rewrite serves the ways of matching that bring none of their own.
        served = [set(spec.nodes) for spec in matches if spec.suggestion is None] or [nodes]
        suggestion = (
            self.suggestion(data["suggestion"], data, set.intersection(*served))
            if "suggestion" in data
            else None
        )
        return Rule(**header.info(), message=message, matches=matches, suggestion=suggestion)

    def matches(self, value: Any, parent: LineDict) -> tuple[MatchSpec, ...]:
        entries = value if isinstance(value, list) else [value]
        if not entries:
            raise self.wrong(
                parent, "match", "a mapping or a non-empty list", actual="an empty list"
            )
        return tuple(self.match(entry, parent) for entry in entries)

    def match(self, data: Any, parent: LineDict) -> MatchSpec:
        self.mapping(data, parent, "match", dict.fromkeys(_MATCH_KEYS, False) | {"kind": True})
        kind = data["kind"]
        if kind not in MATCH_KINDS:
            raise self.fail(
                "R104",
                data.key_lines["kind"],
                key="kind",
                expected=" | ".join(MATCH_KINDS),
                actual=repr(kind),
            )
        if kind == "document" or "when" in data:
            return self.document_match(data)
        if ("pattern" in data) == ("patterns" in data):
            raise self.fail(
                "R114", data.line, reason="a match needs exactly one of 'pattern' or 'patterns'"
            )
        if "pattern" in data:
            raw_patterns: list[Any] = [data["pattern"]]
            lines = [data.key_lines["pattern"]]
        else:
            raw = self.non_empty_list(data, "patterns")
            raw_patterns, lines = list(raw), list(raw.item_lines)
        attr = data.get("attr", "LOWER")
        if kind == "phrase" and attr not in PHRASE_ATTRS:
            raise self.wrong(
                data,
                "attr",
                " | ".join(PHRASE_ATTRS),
                actual=repr(attr),
            )
        case_sensitive = self.typed(
            data.get("case_sensitive", False), data, "case_sensitive", bool, "true or false"
        )
        patterns: list[Any] = []
        pattern_lines: list[int] = []
        nodes: set[str] = {MATCH_NODE}
        per_pattern: list[set[str]] = []
        for pattern, line in zip(raw_patterns, lines, strict=False):
            found, expanded = self.pattern(kind, pattern, line, bool(case_sensitive))
            per_pattern.append(found)
            if kind == "phrase":
                patterns.extend(expanded)
                pattern_lines.extend([line] * len(expanded))
            else:
                patterns.append(expanded)
                pattern_lines.append(line)
        # Templates may use only the nodes that every pattern of this match provides.
        nodes |= set.intersection(*per_pattern) if per_pattern else set()
        report = self.strings(data, "report") or (MATCH_NODE,)
        for node in report:
            if node not in nodes:
                raise self.fail(
                    "R106", line_of(data, "report"), field=node, nodes=", ".join(sorted(nodes))
                )
        suggestion = (
            # A field with a fallback may name a node that only some patterns have.
            self.suggestion(data["suggestion"], data, nodes, nodes.union(*per_pattern))
            if "suggestion" in data
            else None
        )
        return MatchSpec(
            kind=kind,
            patterns=tuple(patterns),
            pattern_lines=tuple(pattern_lines),
            nodes=tuple(sorted(nodes)),
            attr=attr,
            report=report,
            require=self.conditions(data, "require", nodes),
            unless=self.conditions(data, "unless", nodes),
            case_sensitive=bool(case_sensitive),
            line=data.line,
            suggestion=suggestion,
        )

    def document_match(self, data: LineDict) -> MatchSpec:
        """A ``kind: document`` match: a ``when`` over signals and the signal to report."""
        if data["kind"] != "document" or "when" not in data:
            raise self.fail("R114", data.line, reason="'when' belongs to 'kind: document' only")
        for key in data:
            if key not in ("kind", "when", "report"):
                raise self.fail("R102", data.key_lines[key], key=key, allowed="kind, when, report")
        when = self.mapping(data["when"], data, "when", dict.fromkeys(_WHEN_KEYS, False))
        has, lacks = self.strings(when, "has"), self.strings(when, "lacks")
        raw = when.get("more_than", {})
        if not isinstance(raw, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in raw.values()
        ):
            raise self.wrong(
                when,
                "more_than",
                "a mapping of signal names to counts (0 or more)",
                actual=type(raw).__name__,
            )
        more_than = tuple((str(name), int(count)) for name, count in raw.items())
        named = [*has, *lacks, *(name for name, _ in more_than)]
        if not has and not more_than:
            raise self.fail("R103", when.line, key="has")
        for name in named:
            if name not in self.signals:
                raise self.fail("R115", when.line, name=name, known=", ".join(sorted(self.signals)))
        report = self.strings(data, "report") or (has[0] if has else more_than[0][0],)
        if len(report) != 1 or report[0] not in (*has, *(name for name, _ in more_than)):
            raise self.fail(
                "R114",
                line_of(data, "report"),
                reason="'report' names one signal of 'has' or 'more_than'",
            )
        return MatchSpec(
            kind="document",
            patterns=(),
            pattern_lines=(),
            nodes=(MATCH_NODE,),
            attr="LOWER",
            report=report,
            require=(),
            unless=(),
            case_sensitive=False,
            line=data.line,
            when=When(has=has, lacks=lacks, more_than=more_than, line=when.line),
        )

    def pattern(
        self, kind: str, pattern: Any, line: int, case_sensitive: bool
    ) -> tuple[set[str], Any]:
        """Check a pattern's shape and collect its node names; returns (nodes, expanded)."""
        if kind == "phrase":
            items = pattern if isinstance(pattern, list) else [pattern]
            phrases: list[str] = []
            for item in items:
                if not isinstance(item, str) or not item.strip():
                    raise self.fail("R105", line, kind=kind, reason="phrases must be strings")
                phrases.extend(self.lexicon(item, line) if item.startswith("$") else [item])
            return set(), phrases
        if kind == "regex":
            import regex  # only to check patterns: listing rules reads none of them

            if not isinstance(pattern, str):
                raise self.fail("R107", line, reason="a regex pattern must be a string")
            try:
                compiled = regex.compile(pattern, 0 if case_sensitive else regex.IGNORECASE)
            except regex.error as exc:
                raise self.fail("R107", line, reason=str(exc)) from None
            return set(compiled.groupindex), pattern
        if not isinstance(pattern, list) or not pattern:
            raise self.fail("R105", line, kind=kind, reason="a pattern must be a non-empty list")
        expanded = self.expand(pattern, line)
        names: set[str] = set()
        lines = getattr(pattern, "item_lines", None) or [line] * len(expanded)
        for element, element_line in zip(expanded, lines, strict=False):
            if not isinstance(element, dict):
                raise self.fail(
                    "R105", element_line, kind=kind, reason="each pattern element must be a mapping"
                )
            if kind == "token" and _unbounded_wildcard(element):
                raise self.fail("R105", element_line, kind=kind, reason=_WILDCARD)
            if kind == "token" and NODE_KEY in element:
                names.add(str(element[NODE_KEY]))
            if kind == "dependency":
                if "RIGHT_ID" not in element:
                    raise self.fail(
                        "R105", element_line, kind=kind, reason="each element needs RIGHT_ID"
                    )
                names.add(str(element["RIGHT_ID"]))
        return names, expanded

    def conditions(
        self, data: LineDict, key: str, nodes: set[str] | None
    ) -> tuple[Condition, ...]:
        """The conditions under ``key``; ``nodes`` is None for a condition's own conditions,
        which name no node: they are related to the token their condition found. A
        ``$name`` item (or the whole value) is the condition list ``name``
        (:class:`NamedConditions`)."""
        value = data.get(key, [])
        if isinstance(value, str) and value.startswith("$"):
            value = [value]  # "unless: $framing-writer": the whole list by name
        if not isinstance(value, list):
            raise self.wrong(data, key, "a list", actual=type(value).__name__)
        allowed = dict.fromkeys(_CONDITION_KEYS, False) | {"attrs": True}
        if nodes is None:
            del allowed["node"]
        here = line_of(data, key)
        lines = value.item_lines if isinstance(value, LineList) else [here] * len(value)
        result: list[Condition] = []
        for item, line in zip(value, lines, strict=True):
            if isinstance(item, str) and item.startswith("$"):
                named = self.named.get(item[1:], self, line)
                # a list's conditions name no node; here they are about the match
                result.extend(
                    c if nodes is None else dataclasses.replace(c, node=MATCH_NODE) for c in named
                )
                continue
            self.mapping(item, data, key, allowed)
            node = "" if nodes is None else item.get("node", MATCH_NODE)
            if nodes is not None and node not in nodes:
                raise self.fail(
                    "R106", line_of(item, "node"), field=node, nodes=", ".join(sorted(nodes))
                )
            rel = item.get("rel", "self")
            if rel not in RELATIONS:
                raise self.wrong(
                    item,
                    "rel",
                    " | ".join(RELATIONS),
                    actual=repr(rel),
                )
            attrs = item["attrs"]
            if not isinstance(attrs, dict):
                raise self.wrong(
                    item,
                    "attrs",
                    "a token pattern mapping",
                    actual=type(attrs).__name__,
                )
            result.append(
                Condition(
                    node=node,
                    rel=rel,
                    attrs=self.expand(attrs, item.line),
                    line=item.line,
                    require=self.conditions(item, "require", None),
                    unless=self.conditions(item, "unless", None),
                )
            )
        return tuple(result)

    def template(
        self, template: str, nodes: set[str], line: int, any_nodes: set[str] | None = None
    ) -> None:
        """Check that each ``{node.attr}`` field names a node this rule provides.

        A field with a fallback, ``{node.attr:text}``, may name a node that only some of
        the rule's matches provide; the other matches render the fallback text.
        """
        try:
            parsed = [
                (f, spec) for _, f, spec, _ in string.Formatter().parse(template) if f is not None
            ]
        except ValueError as exc:
            raise self.fail("R114", line, reason=f"invalid template: {exc}") from None
        for field, fallback in parsed:
            node, _, attr = field.partition(".")
            if node not in (
                (self.any_nodes if any_nodes is None else any_nodes) if fallback else nodes
            ):
                raise self.fail(
                    "R106", line, field=f"{node}.{attr}".rstrip("."), nodes=", ".join(sorted(nodes))
                )
            if attr and attr not in TEMPLATE_ATTRS:
                raise self.fail("R113", line, attr=attr, allowed=", ".join(TEMPLATE_ATTRS))

    def suggestion(
        self, data: Any, parent: LineDict, nodes: set[str], any_nodes: set[str] | None = None
    ) -> SuggestionSpec:
        """A ``suggestion`` mapping; ``any_nodes`` are the nodes a field with a fallback may
        name (by default, those of any of the rule's matches)."""
        offer = self.offer(data, parent)
        replace_with = self.typed(data["replace_with"], data, "replace_with", str, "a string")
        self.template(replace_with, nodes, line_of(data, "replace_with"), any_nodes)
        target = self.text(data, "target", MATCH_NODE)
        node, _, extent = target.partition(".")
        if node != "sentence" and node not in nodes:
            raise self.fail(
                "R106",
                line_of(data, "target"),
                field=target,
                nodes=", ".join(sorted(nodes | {"sentence"})),
            )
        if extent and extent not in TARGET_EXTENTS:
            raise self.fail(
                "R113", line_of(data, "target"), attr=extent, allowed=", ".join(TARGET_EXTENTS)
            )
        drop: list[str] = []
        for word in self.strings(data, "drop"):
            line = line_of(data, "drop")
            drop.extend(self.lexicon(word, line) if word.startswith("$") else [word])
        return SuggestionSpec(
            title=offer.title,
            replace_with=replace_with,
            applicability=offer.applicability,
            target=target,
            line=data.line,
            drop=frozenset(word.lower() for word in drop),
        )


_UNBOUNDED = re.compile(r"[*+]|\{\d*,\}")
_WILDCARD = (
    "an element that matches any token may not repeat without bound (OP '*', '+' or "
    "'{n,}'): its matches grow with the square of a paragraph's length; give it an "
    "attribute to test, or a bounded OP such as '{0,3}'"
)


def _unbounded_wildcard(element: Mapping[str, Any]) -> bool:
    """Whether a token pattern element matches any token any number of times."""
    op = element.get("OP")
    tests = set(element) - {"OP", NODE_KEY}
    return isinstance(op, str) and _UNBOUNDED.fullmatch(op) is not None and not tests


class NamedConditions:
    """Condition lists kept as data beside the rules: ``conditions/<name>.yml`` of a
    rules folder holds a list of conditions that name no node (like a condition's own
    ``require`` and ``unless``), and a rule uses it by name, ``unless: $name`` or as an
    item ``- $name`` of any list of conditions. Each list is read once, on first use."""

    def __init__(self, files: Mapping[str, Path], lexicons: Mapping[str, tuple[str, ...]]) -> None:
        self.files = files
        self.lexicons = lexicons
        self._read: dict[str, tuple[Condition, ...]] = {}
        self._reading: list[str] = []

    @classmethod
    def of_folders(
        cls, folders: Iterable[Path], lexicons: Mapping[str, tuple[str, ...]]
    ) -> NamedConditions:
        """The condition lists of ``folders`` (a later folder's list replaces an earlier one)."""
        return cls(condition_files(folders), lexicons)

    def get(self, name: str, user: Reader, line: int) -> tuple[Condition, ...]:
        """The conditions of list ``name``, used by ``user``'s file at ``line``."""
        if name in self._read:
            return self._read[name]
        if name not in self.files:
            raise user.fail("R117", line, name=name, known=", ".join(sorted(self.files)) or "none")
        if name in self._reading:
            chain = " -> ".join([*self._reading[self._reading.index(name) :], name])
            raise user.fail("R118", line, name=name, chain=chain)
        path = self.files[name]
        reader = _Reader(path, self.lexicons, named=self)
        data = load_yaml(path)
        if not isinstance(data, LineList):
            raise reader.fail(
                "R104", 1, key=name, expected="a list of conditions", actual=type(data).__name__
            )
        holder = LineDict({name: data})
        holder.line, holder.key_lines = data.line, {name: data.line}
        self._reading.append(name)
        try:
            conditions = reader.conditions(holder, name, None)
        finally:
            self._reading.pop()
        self._read[name] = conditions
        return conditions


def load_rule(
    path: Path,
    lexicons: Mapping[str, tuple[str, ...]],
    signals: frozenset[str] = frozenset(),
    named: NamedConditions | None = None,
) -> Rule:
    """Load and validate one rule file; ``signals`` are the names document rules may use,
    ``named`` the condition lists of its rules folders."""
    return _Reader(path, lexicons, signals, named).rule(load_yaml(path))


def load_rules(
    directories: Iterable[str | os.PathLike[str]] = (),
    builtin: bool = True,
    lexicons: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Rule, ...]:
    """Load the built-in rules and those of extra folders, checking that codes are unique.

    ``lexicons`` are those folders' lexicons when the caller has read them already.
    """
    folders = _rules_folders(directories, builtin)
    if lexicons is None:
        lexicons = load_lexicons(folders)
    signals = frozenset(path.stem for folder in folders for path in signal_files(folder))
    named = NamedConditions.of_folders(folders, lexicons)
    return _each_rule(folders, lambda path: load_rule(path, lexicons, signals, named))


def load_headers(
    directories: Iterable[str | os.PathLike[str]] = (), builtin: bool = True
) -> tuple[RuleHeader, ...]:
    """What the rule files of the built-in and extra folders say about themselves, for
    listing and explaining rules: every key checked but the patterns, which are not read
    (nor lexicons nor signals; :func:`load_rules` checks them)."""
    folders = _rules_folders(directories, builtin)
    return _each_rule(folders, lambda path: _HeaderReader(path).header(load_yaml(path)))


def _rules_folders(directories: Iterable[str | os.PathLike[str]], builtin: bool) -> list[Path]:
    """The rules folders in the order they are read, each checked (R114)."""
    folders = rule_folders(directories, builtin)
    for folder in folders:
        if not folder.is_dir():
            raise RuleError("R114", str(folder), None, reason="rules folder does not exist")
        check_folder(folder)
    return folders


_Read = TypeVar("_Read", Rule, RuleHeader)


def _each_rule(folders: Iterable[Path], read: Callable[[Path], _Read]) -> tuple[_Read, ...]:
    """``read`` of every rule file of ``folders``, by code; a code or name used twice is R111."""
    rules: list[_Read] = []
    seen: dict[str, str] = {}
    for folder in folders:
        for path in rule_files(folder):
            rule = read(path)
            for key in (rule.code, rule.name):
                if key in seen:
                    raise RuleError("R111", str(path), 1, value=key, other=seen[key])
                seen[key] = rule.path
            rules.append(rule)
    _check_yields(rules)
    return tuple(sorted(rules, key=lambda r: r.code))


def _check_yields(rules: Sequence[RuleInfo]) -> None:
    """Every code a rule yields to names a loaded rule (R119), and no rule yields to
    itself through others (R120), which would drop both findings."""
    by_code = {rule.code: rule for rule in rules}
    for rule in rules:
        for code in rule.yields_to:
            if code not in by_code:
                raise RuleError("R119", rule.path, None, value=code)
    for rule in rules:
        # a walk from the rule along yields_to, remembering how each code was reached
        came_from: dict[str, str] = {}
        todo = [(code, rule.code) for code in rule.yields_to]
        while todo:
            code, previous = todo.pop()
            if code in came_from:
                continue
            came_from[code] = previous
            if code == rule.code:
                chain = [code]
                while chain[-1] != rule.code or len(chain) == 1:
                    chain.append(came_from[chain[-1]])
                chain_text = " -> ".join(reversed(chain))
                raise RuleError("R120", rule.path, None, rule=rule.code, chain=chain_text)
            todo.extend((following, code) for following in by_code[code].yields_to)
