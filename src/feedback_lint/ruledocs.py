"""A rule's documentation, rendered from its rule file: the reference pages in docs/rules/,
and ``--explain`` and ``--list-rules`` in the terminal.

Each rule gets a page in ruff's shape (what it does, why it matters, example,
use instead, fix safety) and the folder gets an index. Regenerate with::

    python -m feedback_lint.ruledocs docs/rules

``--check`` reports stale pages instead of writing them (exit 1 when stale).
:func:`explain` renders the same sections of a rule for the terminal.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Final, Protocol

from .errors import FeedbackLintError
from .findings import Applicability, Severity
from .rules import BUILTIN_RULES_DIR, Example, load_rules
from .selection import names


class Offered(Protocol):
    """A rewrite as the docs name it."""

    @property
    def title(self) -> str: ...
    @property
    def applicability(self) -> Applicability: ...


class Documented(Protocol):
    """What a rule's docs are rendered from: a loaded rule, or only its header
    (:class:`~feedback_lint.rules.RuleHeader`, which ``--list-rules`` and ``--explain`` read)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def enabled(self) -> bool: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def yields_to(self) -> tuple[str, ...]: ...
    @property
    def summary(self) -> str: ...
    @property
    def rationale(self) -> str: ...
    @property
    def examples(self) -> tuple[Example, ...]: ...
    @property
    def suggestion(self) -> Offered | None: ...
    @property
    def suggestions(self) -> Sequence[Offered]: ...
    @property
    def path(self) -> str: ...
    @property
    def category(self) -> str: ...

#: The command that regenerates the reference, quoted in every page.
COMMAND: Final = "python -m feedback_lint.ruledocs docs/rules"
INDEX: Final = "index.md"

_FIX_SAFETY: Final = {
    Applicability.SAFE: (
        "The suggestion is safe: `--fix` applies it and `--diff` shows it, when it does not "
        "overlap another edit."
    ),
    Applicability.UNSAFE: (
        "The suggestion may change what the text means, so it is offered (in JSON and SARIF "
        "output) but never applied by `--fix`."
    ),
    Applicability.DISPLAY_ONLY: (
        "The suggestion has placeholders in [brackets] that only the writer can fill in, so it "
        "is shown (in JSON and SARIF output) but never applied by `--fix`."
    ),
}


def page_name(rule: Documented) -> str:
    """The file name of a rule's page: its code and name, like the rule file."""
    return f"{rule.code}-{rule.name}.md"


def source_path(rule: Documented) -> str:
    """The rule file's path in the repository, independent of where it is installed."""
    path = Path(rule.path)
    try:
        return "rules/" + path.resolve().relative_to(BUILTIN_RULES_DIR.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _fence(texts: Sequence[str]) -> list[str]:
    """A fenced text block, its fence longer than any backtick run inside."""
    longest = max((len(run) for text in texts for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", *texts, fence]


def _texts(examples: Sequence[Example]) -> list[str]:
    return [example.text.rstrip("\n") for example in examples]


def examples(rule: Documented) -> tuple[list[Example], list[Example]]:
    """A rule's examples as the docs show them: those it flags, then those it passes."""
    flags = [e for e in rule.examples if e.kind == "flag"]
    passes = [e for e in rule.examples if e.kind == "pass"]
    return flags, passes


#: A part of a section: a paragraph, or example texts (a fenced block in Markdown).
Part = str | tuple[str, ...]


def facts(rule: Documented) -> str:
    """The rule's facts in one line: severity, default, tags, aliases, the rules it
    yields to."""
    found = [
        f"Default severity: {rule.severity.value}.",
        "On by default." if rule.enabled else "Off by default (select it to run it).",
    ]
    if rule.tags:
        found.append("Tags: " + ", ".join(rule.tags) + ".")
    if rule.aliases:
        found.append("Also known as: " + ", ".join(rule.aliases) + ".")
    if rule.yields_to:
        others = " or ".join(rule.yields_to)
        found.append(f"Not reported where {others} reports the same words.")
    return " ".join(found)


def sections(rule: Documented) -> list[tuple[str, list[Part]]]:
    """The one content of a rule's docs, in ruff's shape: (heading, parts) in order.

    The reference page (:func:`rule_page`) and ``--explain`` (:func:`explain`) render it.
    """
    flags, passes = examples(rule)
    fixed = tuple(dict.fromkeys(e.fixed.rstrip("\n") for e in flags if e.fixed))
    instead: list[Part]
    if fixed:
        title = [f"{rule.suggestion.title}:"] if rule.suggestion is not None else []
        instead = [*title, fixed]
    else:
        instead = ["Text like this is not flagged:", tuple(_texts(passes[:3]))]
    safety: list[Part] = [
        f'Suggestion: "{suggestion.title}". ' + _FIX_SAFETY[suggestion.applicability]
        for suggestion in rule.suggestions
    ] or ["This rule offers no rewrite; nothing is changed automatically."]
    return [
        ("What it does", [rule.summary.strip()]),
        ("Why it matters", [rule.rationale.strip()]),
        ("Example", [tuple(_texts(flags))]),
        ("Use instead", instead),
        ("Not flagged", [tuple(_texts(passes))]),
        ("Fix safety", safety),
    ]


def rule_page(rule: Documented, link_source: bool = True) -> str:
    """One rule's reference page in Markdown."""
    source = source_path(rule)
    where = f"[`{source}`](../../{source})" if link_source else f"`{source}`"
    out = [f"# {rule.name} ({rule.code})", "", facts(rule), f"Defined in {where}."]
    for heading, parts in sections(rule):
        out += ["", f"## {heading}"]
        for part in parts:
            out += ["", *(_fence(part) if isinstance(part, tuple) else [part])]
    return "\n".join(out) + "\n"


def index_page(rules: Sequence[Documented]) -> str:
    """The index of every rule, grouped by category."""
    out = [
        "# Rule reference",
        "",
        f"Generated from the rule files by `{COMMAND}`; do not edit these pages by hand.",
        "Rules that are off by default run only when selected (`--select CODE`).",
    ]
    categories: dict[str, list[Documented]] = {}
    for rule in sorted(rules, key=lambda r: r.code):
        categories.setdefault(rule.category, []).append(rule)
    for category, members in sorted(categories.items()):
        out += [
            "",
            f"## {category}",
            "",
            "| code | name | severity | default | summary |",
            "|---|---|---|---|---|",
        ]
        for rule in members:
            summary = " ".join(rule.summary.split()).replace("|", "\\|")
            out.append(
                f"| {rule.code} | [{rule.name}]({page_name(rule)}) | {rule.severity.value} "
                f"| {'on' if rule.enabled else 'off'} | {summary} |"
            )
    return "\n".join(out) + "\n"


def list_rules(rules: Sequence[Documented], active: Sequence[Documented]) -> str:
    """``--list-rules``: one line a rule: code, name, default severity, whether it runs, summary."""
    running = {rule.code for rule in active}
    lines = []
    for rule in rules:
        state = "on " if rule.code in running else "off"
        lines.append(
            f"{rule.code}  {rule.name:<22} {rule.severity.value:<8} {state}  {rule.summary}"
        )
    return "\n".join(lines) + "\n"


def explain(rule: Documented) -> str:
    """A rule's docs for the terminal (``--explain``): the sections of its reference page."""
    wrap = textwrap.TextWrapper(width=78, initial_indent="  ", subsequent_indent="  ")
    off = "" if rule.enabled else ", off by default"
    out = [f"{rule.code} {rule.name} ({rule.severity.value}{off})", "", wrap.fill(facts(rule))]
    for heading, parts in sections(rule):
        out += ["", f"{heading}:"]
        for part in parts:
            if isinstance(part, tuple):
                out += [f"  - {text}" for text in part]
            else:
                out.append(wrap.fill(part))
    out += ["", f"Defined in {rule.path}"]
    return "\n".join(out) + "\n"


def find_rule(rules: Sequence[Documented], key: str) -> Documented | None:
    """The rule with this code, name or alias."""
    for rule in rules:
        if names(key, rule.code, rule.name, rule.aliases, whole=True):
            return rule
    return None


def generate(rules: Sequence[Documented]) -> dict[str, str]:
    """Every page of the reference: file name -> Markdown."""
    pages = {page_name(rule): rule_page(rule) for rule in rules}
    pages[INDEX] = index_page(rules)
    return pages


def stale(folder: Path, pages: dict[str, str]) -> list[str]:
    """Names of pages that are missing, different or no longer generated in ``folder``."""
    present = {p.name for p in folder.glob("*.md")} if folder.is_dir() else set()
    names = sorted(present | set(pages))
    return [
        name
        for name in names
        if name not in pages
        or name not in present
        or (folder / name).read_text(encoding="utf-8") != pages[name]
    ]


def write(folder: Path, pages: dict[str, str]) -> list[str]:
    """Bring ``folder`` up to date with ``pages``; returns the names written or removed."""
    changed = stale(folder, pages)
    folder.mkdir(parents=True, exist_ok=True)
    for name in changed:
        path = folder / name
        if name in pages:
            path.write_text(pages[name], encoding="utf-8", newline="\n")
        else:
            path.unlink()
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with ``--check``, verify) the rule reference for the built-in rules."""
    parser = argparse.ArgumentParser(
        prog="python -m feedback_lint.ruledocs", description="Generate the rule reference."
    )
    parser.add_argument("folder", nargs="?", default="docs/rules", help="where the pages go")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the pages are stale; write nothing"
    )
    args = parser.parse_args(argv)
    try:
        pages = generate(load_rules((), builtin=True))
    except FeedbackLintError as error:
        sys.stderr.write(f"feedback-lint: {error}\n")
        return 2
    folder = Path(args.folder)
    if args.check:
        outdated = stale(folder, pages)
        for name in outdated:
            sys.stderr.write(f"{folder / name}: stale; run {COMMAND}\n")
        return 1 if outdated else 0
    for name in write(folder, pages):
        sys.stdout.write(f"{folder / name}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
