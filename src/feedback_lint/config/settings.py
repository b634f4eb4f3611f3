"""The settings of a run: the command line over the configuration file over the defaults.

:func:`settings` merges them once, for the command and the audit alike;
:meth:`Settings.ignored` applies per-file-ignores to a report, and
:func:`blame_config` makes an error caused by a value from the file name the file.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import DEFAULT_DIRECTORY as DEFAULT_CACHE_DIRECTORY
from ..documents import DEFAULT_MAX_BYTES
from ..errors import ConfigError, FeedbackLintError
from ..findings import Report, Severity
from ..inputs import PathFilter
from ..runner import default_jobs
from ..selection import Named, names
from .files import Config

if TYPE_CHECKING:
    from collections.abc import Sequence

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

    def check(self, rules: Sequence[Named]) -> None:
        """Refuse (C203) a per-file-ignores code that names none of ``rules``."""
        for _, codes in self.per_file_ignores:
            for code in codes:
                if not any(names(code, r.code, r.name, r.aliases) for r in rules):
                    raise ConfigError("C203", value=code)

    def ignored(self, report: Report) -> Report:
        """The report without the findings that per-file-ignores turn off for its path."""
        codes = [
            code
            for patterns, codes in self.per_file_ignores
            if patterns.matches(report.path, is_dir=False)
            for code in codes
        ]
        if not codes:
            return report
        return replace(
            report,
            findings=tuple(
                f for f in report.findings if not any(names(c, f.code, f.name) for c in codes)
            ),
        )


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


def blame_config(
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
