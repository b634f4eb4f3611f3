"""The ``feedback-lint`` command's options, with flake8's names.

Options that a configuration file can also set default to ``None`` here, so
that "not given" can be told apart and the file's value used (see :mod:`.settings`).
"""

from __future__ import annotations

import argparse

from ..cache import DEFAULT_DIRECTORY as DEFAULT_CACHE_DIRECTORY
from ..documents import DEFAULT_MAX_BYTES
from ..findings import Severity
from ..formatters import FORMATTERS
from ..selection import codes

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
        help="lint Markdown block quotes, inline quotations and reported speech too (skipped"
        " by default as others' words)",
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
