"""The ``feedback-lint`` command: a thin shell over :class:`Linter`.

It parses options, collects inputs, picks a formatter and sets the exit code:
0 clean, 1 findings (or unreadable inputs), 2 usage, configuration or rule errors.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path

from . import __version__
from .documents import Document, decode, from_text, read_document
from .errors import FeedbackLintError, InputError
from .findings import Report
from .formatters import FORMATTERS, Context
from .linter import Linter
from .parsing import pipeline_meta, resolve_pipeline
from .rules import Rule

#: File endings linted when a directory is given.
LINTED_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".txt", ".text")


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with flake8's option names."""
    parser = argparse.ArgumentParser(
        prog="feedback-lint",
        description="Check written feedback for language that costs trust.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders to lint; '-' reads standard input",
    )
    parser.add_argument(
        "--format",
        default="default",
        choices=sorted(FORMATTERS),
        help="output format (default: flake8-style lines)",
    )
    parser.add_argument(
        "--select",
        type=_codes,
        default=None,
        metavar="CODES",
        help="comma-separated codes or prefixes to run (replaces the default)",
    )
    parser.add_argument(
        "--ignore",
        type=_codes,
        default=[],
        metavar="CODES",
        help="comma-separated codes or prefixes to skip",
    )
    parser.add_argument(
        "--extend-select",
        type=_codes,
        default=[],
        metavar="CODES",
        help="codes or prefixes to run in addition to the selection",
    )
    parser.add_argument(
        "--extend-ignore",
        type=_codes,
        default=[],
        metavar="CODES",
        help="codes or prefixes to skip in addition to --ignore",
    )
    parser.add_argument(
        "--rules-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of extra rule files (repeatable)",
    )
    parser.add_argument(
        "--model", default=None, metavar="NAME_OR_PATH", help="the spaCy English pipeline to use"
    )
    parser.add_argument(
        "--stdin-filename",
        default="<stdin>",
        metavar="NAME",
        help="the name to report for standard input",
    )
    parser.add_argument(
        "--include-quotes",
        action="store_true",
        help="lint Markdown block quotes too (skipped as others' words)",
    )
    parser.add_argument(
        "--show-source",
        action="store_true",
        help="print the line of each finding with a caret under it",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output (default: on a terminal)",
    )
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--explain", metavar="CODE", help="explain one rule and exit")
    parser.add_argument(
        "--version", action="store_true", help="print the version and the pipeline, and exit"
    )
    return parser


def version_text(model: str | None = None) -> str:
    """The version line: the tool, the English pipeline and spaCy, read without importing it."""
    try:
        pipeline = "{} {}".format(*pipeline_meta(resolve_pipeline(model)))
    except FeedbackLintError:
        pipeline = "no English pipeline installed"
    try:
        spacy_version = metadata.version("spacy")
    except metadata.PackageNotFoundError:
        spacy_version = "not installed"
    return f"feedback-lint {__version__} (pipeline {pipeline}; spaCy {spacy_version})"


def list_rules(rules: Sequence[Rule], active: Sequence[Rule]) -> str:
    """One line a rule: code, name, default severity, whether it runs, summary."""
    running = {rule.code for rule in active}
    lines = []
    for rule in rules:
        state = "on " if rule.code in running else "off"
        lines.append(
            f"{rule.code}  {rule.name:<22} {rule.severity.value:<8} {state}  {rule.summary}"
        )
    return "\n".join(lines) + "\n"


def explain(rule: Rule) -> str:
    """A rule's documentation for the terminal: what, why, examples, rewrite."""
    wrap = textwrap.TextWrapper(width=78, initial_indent="  ", subsequent_indent="  ")
    out = [
        f"{rule.code} {rule.name} ({rule.severity.value}"
        f"{'' if rule.enabled else ', off by default'})",
        "",
        rule.summary,
        "",
        "Why it matters:",
        wrap.fill(rule.rationale),
        "",
    ]
    flags = [e for e in rule.examples if e.kind == "flag"]
    passes = [e for e in rule.examples if e.kind == "pass"]
    out.append("Flagged:")
    for example in flags:
        out.append(f"  - {example.text}")
        if example.fixed:
            out.append(f"    -> {example.fixed}")
    out.append("")
    out.append("Not flagged:")
    out.extend(f"  - {example.text}" for example in passes)
    if rule.suggestion:
        out += ["", f"Suggestion ({rule.suggestion.applicability.value}): {rule.suggestion.title}"]
    out.append(f"\nDefined in {rule.path}")
    return "\n".join(out) + "\n"


def find_rule(rules: Sequence[Rule], key: str) -> Rule | None:
    """The rule with this code, name or alias."""
    for rule in rules:
        if key.upper() == rule.code or key == rule.name or key in rule.aliases:
            return rule
    return None


def expand_paths(paths: Sequence[str]) -> Iterator[str]:
    """The files to lint: given files as they are, folders searched for prose files."""
    for path in paths:
        if path != "-" and Path(path).is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(LINTED_SUFFIXES):
                        yield os.path.join(root, name)
        else:
            yield path


def read_inputs(
    paths: Sequence[str], args: argparse.Namespace, errors: list[FeedbackLintError]
) -> Iterator[Document]:
    """Documents for every readable input; unreadable ones are added to ``errors``."""
    for path in expand_paths(paths):
        try:
            if path == "-":
                text, _ = decode(sys.stdin.buffer.read(), args.stdin_filename)
                yield from_text(text, path=args.stdin_filename, include_quotes=args.include_quotes)
            else:
                yield read_document(path, include_quotes=args.include_quotes)
        except InputError as error:
            errors.append(error)


def _use_color(choice: str) -> bool:
    if choice == "auto":
        return sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return choice == "always"


def run(args: argparse.Namespace) -> int:
    """Carry out parsed arguments; returns the exit code."""
    if args.version:
        sys.stdout.write(version_text(args.model) + "\n")
        return 0
    linter = Linter(
        select=args.select,
        ignore=args.ignore,
        extend_select=args.extend_select,
        extend_ignore=args.extend_ignore,
        rules_dirs=args.rules_dir,
        model=args.model,
        include_quotes=args.include_quotes,
    )
    if args.list_rules:
        sys.stdout.write(list_rules(linter.all_rules, linter.rules))
        return 0
    if args.explain:
        rule = find_rule(linter.all_rules, args.explain)
        if rule is None:
            sys.stderr.write(f"feedback-lint: unknown rule {args.explain!r}\n")
            return 2
        sys.stdout.write(explain(rule))
        return 0
    if not args.paths:
        sys.stderr.write("feedback-lint: give a path to lint, or '-' for standard input\n")
        return 2
    errors: list[FeedbackLintError] = []
    reports: list[Report] = list(linter.lint_documents(read_inputs(args.paths, args, errors)))
    context = Context(
        tool_version=__version__,
        pipeline=linter.pipeline_info,
        rules=linter.rules,
        color=_use_color(args.color),
        show_source=args.show_source,
    )
    sys.stdout.write(FORMATTERS[args.format](reports, errors, context))
    if args.exit_zero:
        return 0
    return 1 if errors or any(report.findings for report in reports) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``feedback-lint`` script and ``python -m feedback_lint``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run(args)
    except FeedbackLintError as error:
        sys.stderr.write(f"feedback-lint: {error}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
