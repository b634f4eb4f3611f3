"""The ``feedback-lint`` command: a thin shell over :class:`Linter`.

It reads the configuration and the options (which win over it; see
:mod:`config`), has the linter read and lint the inputs, picks a formatter,
has :mod:`fixes` apply fixes when asked, and sets the exit code: 0 clean, 1
findings at or above the failing severity (or unreadable inputs), 2 usage,
configuration or rule errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from . import __version__, ruledocs
from .config import Settings, blame_config, build_parser, discover, settings
from .errors import FeedbackLintError
from .findings import Finding, Report, Severity
from .formatters import FORMATTERS, Context, parse_table, statistics
from .rules import Catalogue, load_catalogue

if TYPE_CHECKING:
    from .documents import Document
    from .linter import Linter
    from .runs import Run

__all__ = ["build_parser", "main", "run"]


_Loaded = TypeVar("_Loaded", "Linter", Catalogue)


def _checked(args: argparse.Namespace, chosen: Settings, load: Callable[[], _Loaded]) -> _Loaded:
    """``load()``, with the per-file-ignores checked against its rules; an error caused by
    a value from the configuration file names the file."""
    try:
        loaded = load()
        chosen.check(loaded.all_rules)
    except FeedbackLintError as error:
        raise blame_config(error, args, chosen.config) from None
    return loaded


def build_linter(args: argparse.Namespace, chosen: Settings) -> Linter:
    """The linter for these settings; a bad code from the configuration file names the file."""
    from .linter import Linter  # the whole engine: not imported to list or explain rules

    return _checked(args, chosen, lambda: Linter(**chosen.linter_options))


def describe_rules(args: argparse.Namespace, chosen: Settings) -> int:
    """``--list-rules`` and ``--explain``, from the rules' headers alone (see
    :mod:`feedback_lint.rules.catalogue`): no pattern is read, so they start quickly."""
    catalogue = _checked(args, chosen, lambda: load_catalogue(chosen.linter_options))
    if args.list_rules:
        sys.stdout.write(ruledocs.list_rules(catalogue.all_rules, catalogue.rules))
        return 0
    rule = ruledocs.find_rule(catalogue.all_rules, args.explain)
    if rule is None:
        sys.stderr.write(f"feedback-lint: unknown rule {args.explain!r}\n")
        return 2
    sys.stdout.write(ruledocs.explain(rule))
    return 0


def lint_inputs(args: argparse.Namespace, linter: Linter, chosen: Settings) -> Run:
    """Lint every input, with a progress line on a terminal for long runs."""
    return linter.lint_paths(
        args.paths,
        exclude=chosen.exclude,
        stdin_name=args.stdin_filename,
        max_bytes=chosen.max_bytes,
        jobs=chosen.jobs,
        cache_dir=chosen.cache_dir,
        read_cache=not (args.fix or args.diff),
        adjust=chosen.ignored,
        progress=sys.stderr,
    )


def apply_fixes(
    args: argparse.Namespace, linter: Linter, chosen: Settings, result: Run
) -> tuple[int, bool]:
    """Carry out ``--fix`` or ``--diff``; returns (findings fixed, whether any text changes).

    With ``--fix`` the reports are replaced by those of the fixed texts; with
    ``--diff`` the diffs are printed and nothing is written.
    """

    from . import fixes  # not imported for the commands that fix nothing

    def relint(text: str, document: Document) -> Report:
        again = linter.lint_text(text, path=document.path, format=document.format)
        return chosen.ignored(again)

    stdin = args.stdin_filename if "-" in args.paths else None
    outcome = fixes.fix_documents(
        result.reports, result.documents, relint, write=args.fix, unwritten=stdin
    )
    sys.stdout.write(outcome.diff)
    result.reports[:] = outcome.reports
    result.errors.extend(outcome.errors)
    return outcome.count, outcome.changed


def _show_parse(source: str, linter: Linter) -> str:
    """``--show-parse``: a file's prose, standard input's, or the text itself."""
    target = linter.read(source) if source == "-" or os.path.isfile(source) else source
    return parse_table.format(linter.parse(target))


def _use_color(choice: str) -> bool:
    if choice == "auto":
        return sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return choice == "always"


def _fails(findings: Iterable[Finding], threshold: Severity) -> bool:
    return any(finding.severity.rank >= threshold.rank for finding in findings)


def run(args: argparse.Namespace) -> int:
    """Carry out parsed arguments; returns the exit code."""
    if args.fix and args.diff:
        sys.stderr.write("feedback-lint: choose one of --fix and --diff\n")
        return 2
    config = discover(args.config, args.isolated)
    chosen = settings(args, config)
    if args.version:
        from .linter import version_text

        sys.stdout.write(version_text(chosen.linter_options["model"]) + "\n")
        return 0
    if args.list_rules or args.explain:
        return describe_rules(args, chosen)
    linter = build_linter(args, chosen)
    if args.show_parse is not None:
        sys.stdout.write(_show_parse(args.show_parse, linter))
        return 0
    if not args.paths:
        sys.stderr.write("feedback-lint: give a path to lint, or '-' for standard input\n")
        return 2
    result = lint_inputs(args, linter, chosen)
    fixed_count, changed = 0, False
    if args.fix or args.diff:
        fixed_count, changed = apply_fixes(args, linter, chosen, result)
    context = Context(
        tool_version=__version__,
        pipeline=linter.pipeline_info,
        rules=linter.rules,
        color=_use_color(args.color),
        show_source=args.show_source,
    )
    stdin_fix = args.fix and "-" in args.paths
    if stdin_fix:
        # The fixed text is the output, as a filter in an editor expects; findings go to stderr.
        for report in result.reports:
            if report.path == args.stdin_filename:
                sys.stdout.write(report.text)
    if not args.diff:
        out = sys.stderr if stdin_fix else sys.stdout
        out.write(FORMATTERS[args.format](result.reports, result.errors, context))
    if args.diff and result.errors:
        sys.stderr.write(FORMATTERS["default"]([], result.errors, context))
    if args.statistics:
        # A JSON or SARIF document must stay valid, so the counts go to stderr after it.
        out = sys.stdout if args.format in ("default", "github") and not args.diff else sys.stderr
        out.write(statistics.format(result.reports, result.errors, context))
    if fixed_count:
        plural = "" if fixed_count == 1 else "s"
        sys.stderr.write(f"feedback-lint: fixed {fixed_count} finding{plural}\n")
    if (args.fix or args.diff) and not changed:
        from .fixes import no_safe_fixes

        sys.stderr.write(no_safe_fixes(result.reports))
    if args.exit_zero:
        return 0
    if result.errors:
        return 1
    if args.diff:
        return 1 if changed else 0
    findings = (f for report in result.reports for f in report.findings)
    return 1 if _fails(findings, chosen.fail_on) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``feedback-lint`` script and ``python -m feedback_lint``."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["serve"]:  # the HTTP service has its own options (see server.py)
        from .server import main as serve

        return serve(arguments[1:])
    if arguments[:1] == ["lsp"]:  # the language server (see lsp.py)
        from .lsp import main as lsp

        return lsp(arguments[1:])
    if arguments[:1] == ["audit"]:  # the audit on a Dask cluster (see audit.py)
        from .audit import main as audit

        return audit(arguments[1:])
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
