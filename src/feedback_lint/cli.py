"""The ``feedback-lint`` command: a thin shell over :class:`Linter`.

It reads the configuration, parses options (which win over it), collects
inputs, picks a formatter, applies fixes when asked and sets the exit code:
0 clean, 1 findings at or above the failing severity (or unreadable inputs),
2 usage, configuration or rule errors.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, fixes
from .cache import DEFAULT_DIRECTORY as DEFAULT_CACHE_DIRECTORY
from .cache import Cache
from .config import Config, discover
from .documents import DEFAULT_MAX_BYTES, Document, from_bytes, read_document
from .errors import ConfigError, FeedbackLintError, InputError
from .findings import Finding, Report, Severity
from .formatters import FORMATTERS, Context, statistics
from .inputs import LINTED_SUFFIXES, PathFilter, expand_paths
from .linter import Linter
from .parsing import KNOWN_COMPONENTS, load_pipeline, pieces, pipeline_meta, resolve_pipeline
from .progress import Progress
from .rules import Rule
from .runner import default_jobs, lint_documents
from .selection import codes, names

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["LINTED_SUFFIXES", "build_parser", "main", "run"]

#: Severities in the order ``--fail-on`` accepts them.
SEVERITIES = tuple(severity.value for severity in Severity)


def _codes(value: str) -> list[str]:
    return list(codes(value))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with flake8's option names.

    Options that a configuration file can also set default to ``None`` here, so
    that "not given" can be told apart and the file's value used.
    """
    parser = argparse.ArgumentParser(
        prog="feedback-lint",
        description="Check written feedback for language that costs trust.",
        epilog="'feedback-lint serve' starts the HTTP service and its web page "
        "(the 'server' extra); 'feedback-lint serve --help' lists its options.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, folders or globs to lint; '-' reads standard input",
    )
    parser.add_argument(
        "--format",
        default="default",
        choices=sorted(FORMATTERS),
        help="output format (default: flake8-style lines)",
    )
    parser.add_argument(
        "--config", metavar="PATH", help="read settings from this file instead of searching"
    )
    parser.add_argument("--isolated", action="store_true", help="ignore every configuration file")
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
        default=None,
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
        "--exclude",
        type=_codes,
        default=None,
        metavar="PATTERNS",
        help="comma-separated gitignore-style patterns of paths to skip (replaces the setting)",
    )
    parser.add_argument(
        "--extend-exclude",
        type=_codes,
        default=[],
        metavar="PATTERNS",
        help="patterns of paths to skip in addition to --exclude",
    )
    parser.add_argument(
        "--rules-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of extra rule files (repeatable; adds to rules-dirs)",
    )
    parser.add_argument(
        "--profile",
        default=None,
        metavar="NAME",
        help="rules and severities for a genre: message, review or code-review",
    )
    parser.add_argument(
        "--unit",
        default=None,
        choices=("document", "section", "item"),
        help="what a feedback unit is for the structure rules (default: document)",
    )
    parser.add_argument(
        "--threshold",
        action="append",
        default=[],
        metavar="CODE=N",
        help="replace a document rule's count, e.g. FB304=5 (repeatable)",
    )
    parser.add_argument(
        "--model", default=None, metavar="NAME_OR_PATH", help="the spaCy English pipeline to use"
    )
    parser.add_argument(
        "--stdin-filename",
        default="<stdin>",
        metavar="NAME",
        help="the name to report for standard input (also matched by per-file-ignores)",
    )
    parser.add_argument(
        "--include-quotes",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="lint Markdown block quotes too (skipped by default as others' words)",
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
        "--statistics", action="store_true", help="count the findings of each code at the end"
    )
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        default=None,
        metavar="SEVERITY",
        help="exit 1 only for findings at or above this severity: error, warning or info "
        "(default: info, any finding)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="worker processes for many files (default: the number of cores)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the results cache"
    )
    parser.add_argument(
        "--cache-dir",
        default=None,
        metavar="DIR",
        help=f"where results are cached (default: {DEFAULT_CACHE_DIRECTORY})",
    )
    parser.add_argument(
        "--max-file-size",
        type=int,
        default=None,
        metavar="BYTES",
        help=f"refuse larger files (default: {DEFAULT_MAX_BYTES})",
    )
    parser.add_argument(
        "--fix", action="store_true", help="apply safe suggestions to the files, atomically"
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of the safe suggestions; change no file",
    )
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--explain", metavar="CODE", help="explain one rule and exit")
    parser.add_argument(
        "--show-parse",
        metavar="TEXT_OR_FILE",
        help="print how the parser reads a text, a file or '-' (for rule authors), and exit",
    )
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
    from importlib import metadata  # slow to import; only this command needs it

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
    if rule.suggestions:
        out.append("")
    for suggestion in rule.suggestions:
        out.append(f"Suggestion ({suggestion.applicability.value}): {suggestion.title}")
    out.append(f"\nDefined in {rule.path}")
    return "\n".join(out) + "\n"


def find_rule(rules: Sequence[Rule], key: str) -> Rule | None:
    """The rule with this code, name or alias."""
    for rule in rules:
        if names(key, rule.code, rule.name, rule.aliases, whole=True):
            return rule
    return None


def show_parse(docs: Iterable[Doc]) -> str:
    """An aligned table of each token's text, lemma, POS, tag, dependency and head."""
    header = ("i", "text", "lemma", "pos", "tag", "dep", "head")
    tables: list[str] = []
    for doc in docs:
        for sentence in doc.sents:
            rows = [header]
            for token in sentence:
                if token.is_space:
                    continue
                rows.append(
                    (
                        str(token.i),
                        token.text,
                        token.lemma_,
                        token.pos_,
                        token.tag_,
                        token.dep_,
                        f"{token.head.i} {token.head.text}",
                    )
                )
            widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
            lines = [
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                for row in rows
            ]
            tables.append("\n".join(lines))
    return "\n\n".join(tables) + "\n" if tables else ""


def _parse_texts(source: str, include_quotes: bool) -> list[str]:
    """The texts ``--show-parse`` parses: a file's prose blocks, standard input's, or the text."""
    if source == "-":
        data = sys.stdin.buffer.read(DEFAULT_MAX_BYTES + 1)
        document = from_bytes(data, "<stdin>", DEFAULT_MAX_BYTES, include_quotes)
    elif os.path.isfile(source):
        document = read_document(source, include_quotes=include_quotes)
    else:
        return [piece for _, piece in pieces(source)]
    return [piece for block in document.blocks for _, piece in pieces(document.parse_text(block))]


@dataclass(frozen=True)
class Settings:
    """The configuration file's settings with the command line's on top."""

    config: Config
    linter_options: dict[str, Any]
    exclude: PathFilter
    per_file_ignores: tuple[tuple[PathFilter, tuple[str, ...]], ...]
    fail_on: Severity
    jobs: int
    cache_dir: Path | None
    max_bytes: int


def settings(args: argparse.Namespace, config: Config) -> Settings:
    """Merge the configuration file and the command line; the command line wins."""
    options: dict[str, Any] = {
        "select": args.select if args.select is not None else config.select,
        "ignore": args.ignore if args.ignore is not None else (config.ignore or ()),
        "extend_select": [*config.extend_select, *args.extend_select],
        "extend_ignore": [*config.extend_ignore, *args.extend_ignore],
        "rules_dirs": [*config.rules_dirs, *args.rules_dir],
        "model": args.model if args.model is not None else config.model,
        "include_quotes": (
            args.include_quotes if args.include_quotes is not None else bool(config.include_quotes)
        ),
    }
    thresholds = [item.partition("=") for item in getattr(args, "threshold", [])]
    if any(not code or not count.isdigit() for code, _, count in thresholds):
        raise ConfigError("C206", reason="--threshold takes CODE=N, such as FB304=5")
    if thresholds:
        options["thresholds"] = {code: int(count) for code, _, count in thresholds}
    # Passed only when set, so that Linter's own defaults apply otherwise.
    for name in ("profile", "unit"):
        value = getattr(args, name, None)
        value = value if value is not None else getattr(config, name)
        if value is not None:
            options[name] = value
    exclude = PathFilter()
    if args.exclude is not None:
        for pattern in args.exclude:
            exclude.add(pattern, Path.cwd())
    else:
        for pattern in config.exclude or ():
            exclude.add(pattern, config.base)
    for pattern in args.extend_exclude:
        exclude.add(pattern, Path.cwd())
    per_file = tuple(
        (PathFilter([(pattern, config.base)]), codes) for pattern, codes in config.per_file_ignores
    )
    fail_on = Severity(args.fail_on) if args.fail_on is not None else config.fail_on
    jobs = args.jobs if args.jobs is not None else (config.jobs or default_jobs())
    if jobs < 1:
        raise ConfigError("C206", reason="--jobs takes a whole number of at least 1")
    cache_dir = None
    if not args.no_cache:
        cache_dir = (
            Path(args.cache_dir)
            if args.cache_dir is not None
            else config.cache_dir or Path(DEFAULT_CACHE_DIRECTORY)
        )
    max_bytes = args.max_file_size if args.max_file_size is not None else config.max_file_size
    if max_bytes is not None and max_bytes < 1:
        raise ConfigError("C206", reason="--max-file-size takes a whole number of at least 1")
    return Settings(
        config,
        options,
        exclude,
        per_file,
        fail_on or Severity.INFO,
        jobs,
        cache_dir,
        max_bytes or DEFAULT_MAX_BYTES,
    )


def _blame_config(
    error: FeedbackLintError, args: argparse.Namespace, config: Config
) -> FeedbackLintError:
    """The error, naming the configuration file when a value from it (not an option) caused it."""
    if error.path is not None or config.path is None:
        return error
    from_file: tuple[object, ...] = ()
    if error.code == "C203":
        from_file = (
            *((config.select or ()) if args.select is None else ()),
            *((config.ignore or ()) if args.ignore is None else ()),
            *config.extend_select,
            *config.extend_ignore,
            *(code for _, codes in config.per_file_ignores for code in codes),
        )
    elif error.code == "R116" and getattr(args, "profile", None) is None:
        from_file = (config.profile,)
    value = error.fields.get("value", error.fields.get("name"))
    if value is None or value not in from_file:
        return error
    return type(error)(error.code, str(config.path), None, **error.fields)


def build_linter(args: argparse.Namespace, chosen: Settings) -> Linter:
    """The linter for these settings; a bad code from the configuration file names the file."""
    try:
        linter = Linter(**chosen.linter_options)
        for _, codes in chosen.per_file_ignores:
            for code in codes:
                if not any(names(code, r.code, r.name, r.aliases) for r in linter.all_rules):
                    raise ConfigError("C203", value=code)
    except FeedbackLintError as error:
        raise _blame_config(error, args, chosen.config) from None
    return linter


def _per_file_ignored(chosen: Settings, report: Report) -> Report:
    """The report without the findings that per-file-ignores turn off for its path."""
    codes = [
        code
        for patterns, codes in chosen.per_file_ignores
        if patterns.matches(report.path, is_dir=False)
        for code in codes
    ]
    if not codes:
        return report
    return replace(
        report,
        findings=tuple(
            f
            for f in report.findings
            if not any(names(c, f.code, f.name) for c in codes)
        ),
    )


def read_inputs(
    entries: Iterable[str | InputError],
    args: argparse.Namespace,
    include_quotes: bool,
    errors: list[FeedbackLintError],
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Document]:
    """Documents for every readable input; unreadable ones are added to ``errors``."""
    for entry in entries:
        if isinstance(entry, InputError):
            errors.append(entry)
            continue
        try:
            if entry == "-":
                data = sys.stdin.buffer.read(max_bytes + 1)  # the limit of any file applies
                yield from_bytes(data, args.stdin_filename, max_bytes, include_quotes)
            else:
                yield read_document(entry, max_bytes=max_bytes, include_quotes=include_quotes)
        except InputError as error:
            errors.append(error)


def _use_color(choice: str) -> bool:
    if choice == "auto":
        return sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return choice == "always"


def _fails(findings: Iterable[Finding], threshold: Severity) -> bool:
    return any(finding.severity.rank >= threshold.rank for finding in findings)


@dataclass
class _Run:
    """What a lint run produced: reports in input order, their documents, and input errors."""

    reports: list[Report]
    documents: list[Document]
    errors: list[FeedbackLintError]


def lint_inputs(args: argparse.Namespace, linter: Linter, chosen: Settings) -> _Run:
    """Lint every input, with a progress line on a terminal for long runs."""
    errors: list[FeedbackLintError] = []
    entries = list(expand_paths(args.paths, chosen.exclude))
    files = sum(1 for entry in entries if isinstance(entry, str))
    documents: deque[Document] = deque()
    kept: list[Document] = []

    def recorded() -> Iterator[Document]:
        for document in read_inputs(
            entries, args, linter.include_quotes, errors, chosen.max_bytes
        ):
            documents.append(document)
            yield document

    cache = None
    if chosen.cache_dir:
        cache = Cache(chosen.cache_dir, linter.fingerprint, read=not (args.fix or args.diff))
    progress = Progress(files, sys.stderr)
    reports: list[Report] = []
    try:
        for report in lint_documents(linter, recorded(), jobs=chosen.jobs, cache=cache):
            kept.append(documents.popleft())
            reports.append(_per_file_ignored(chosen, report))
            progress.advance(report.path)
    finally:
        progress.close()
    return _Run(reports, kept, errors)


def apply_fixes(
    args: argparse.Namespace, linter: Linter, chosen: Settings, run: _Run
) -> tuple[int, bool]:
    """Carry out ``--fix`` or ``--diff``; returns (findings fixed, whether any text changes).

    With ``--fix`` the reports are replaced by those of the fixed texts; with
    ``--diff`` the diffs are printed and nothing is written.
    """
    fixed_count, changed = 0, False
    for index, (report, document) in enumerate(zip(run.reports, run.documents, strict=True)):

        def relint(text: str, document: Document = document) -> Report:
            again = linter.lint_text(text, path=document.path, format=document.format)
            return _per_file_ignored(chosen, again)

        result = fixes.fix_report(report, relint)
        if result.unconverged:
            run.errors.append(
                InputError("E913", path=report.path, codes=", ".join(result.unconverged))
            )
        if result.text == report.text:
            continue
        changed = True
        if args.diff:
            sys.stdout.write(fixes.unified_diff(report.path, report.text, result.text))
            continue
        if document.path == args.stdin_filename and "-" in args.paths:
            run.reports[index] = result.report
            fixed_count += result.count
            continue
        try:
            fixes.write_fixed(document.path, report.text, result.text, document.has_bom)
        except InputError as error:
            run.errors.append(error)
            continue
        run.reports[index] = result.report
        fixed_count += result.count
    return fixed_count, changed


def no_safe_fixes(reports: Sequence[Report]) -> str:
    """What ``--fix`` and ``--diff`` say when no finding has a safe fix: empty for a clean
    run, else one line, so that a hook that changes nothing never looks like success."""
    remaining = sum(len(report.findings) for report in reports)
    if not remaining:
        return ""
    plural = "" if remaining == 1 else "s"
    return (
        f"feedback-lint: no safe fixes; {remaining} finding{plural} left to rewrite by hand "
        "(--format json shows each suggested rewrite)\n"
    )


def run(args: argparse.Namespace) -> int:
    """Carry out parsed arguments; returns the exit code."""
    if args.fix and args.diff:
        sys.stderr.write("feedback-lint: choose one of --fix and --diff\n")
        return 2
    config = discover(args.config, args.isolated)
    chosen = settings(args, config)
    if args.version:
        sys.stdout.write(version_text(chosen.linter_options["model"]) + "\n")
        return 0
    linter = build_linter(args, chosen)
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
    if args.show_parse is not None:
        texts = _parse_texts(args.show_parse, linter.include_quotes)
        nlp = load_pipeline(linter.pipeline_name, frozenset(KNOWN_COMPONENTS))
        sys.stdout.write(show_parse(nlp.pipe(texts)))
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
