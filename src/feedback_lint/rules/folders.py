"""The folder walk: where the built-in rules are, and which files of a rules folder are
rules, signals, profiles and condition lists.

A rules folder holds ``<category>/<CODE>-<name>.yml`` rule files (or rule files at
its top), ``lexicons/*.txt``, ``signals/*.yml``, ``profiles/*.yml`` and
``conditions/*.yml``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from ..errors import RuleError

#: The name of the built-in rules folder inside an installed package: not ``rules``, which
#: is this code package.
WHEEL_FOLDER: Final = "builtin_rules"

#: The built-in rules folder: ``rules/`` in a source checkout, ``feedback_lint/builtin_rules``
#: in a wheel (see ``force-include`` in pyproject.toml).
BUILTIN_RULES_DIR: Final[Path] = next(
    (
        candidate
        for candidate in (
            Path(__file__).resolve().parents[1] / WHEEL_FOLDER,
            Path(__file__).resolve().parents[3] / "rules",
        )
        if candidate.is_dir()
    ),
    Path(__file__).resolve().parents[1] / WHEEL_FOLDER,
)


_SPECIAL_FOLDERS: Final = ("lexicons", "signals", "profiles", "conditions")
_LAYOUT: Final = "a rule is <folder>/<category>/<CODE>-<name>.yml (or <folder>/<CODE>-<name>.yml)"


def rule_files(directory: Path) -> Iterator[Path]:
    """The rule files of a rules folder: ``*.yml`` in it and one level down, lexicons,
    signals and profiles aside."""
    for pattern in ("*.yml", "*/*.yml"):
        for path in sorted(directory.glob(pattern)):
            if path.parent == directory or path.parent.name not in _SPECIAL_FOLDERS:
                yield path


def check_folder(directory: Path) -> None:
    """Refuse (R114) a rules folder that would silently load less than its user wrote:
    one with a ``.yaml`` file where rules are read, or with nothing to load at all."""
    for pattern in ("*.yaml", "*/*.yaml"):
        for path in sorted(directory.glob(pattern)):
            reason = f"not read, as it ends in .yaml; {_LAYOUT}"
            raise RuleError("R114", str(path), None, reason=reason)
    patterns = ("*.yml", "*/*.yml", "lexicons/*.txt")
    if not any(next(directory.glob(pattern), None) is not None for pattern in patterns):
        raise RuleError("R114", str(directory), None, reason=f"no rule files found; {_LAYOUT}")


def signal_files(directory: Path) -> Iterator[Path]:
    """The signal files of a rules folder: ``signals/<name>.yml``."""
    yield from sorted((directory / "signals").glob("*.yml"))


def rule_folders(
    directories: Iterable[str | os.PathLike[str]] = (), builtin: bool = True
) -> list[Path]:
    """The rules folders in the order they are read: the built-in one first, then the others."""
    return ([BUILTIN_RULES_DIR] if builtin else []) + [Path(d) for d in directories]


def profile_files(directories: Iterable[Path]) -> dict[str, Path]:
    """Profile name -> file, from ``profiles/*.yml`` of each folder; later folders win."""
    return _named_files(directories, "profiles")


def condition_files(directories: Iterable[Path]) -> dict[str, Path]:
    """Condition list name -> file, from ``conditions/*.yml`` of each folder; later
    folders win."""
    return _named_files(directories, "conditions")


def _named_files(directories: Iterable[Path], folder: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for directory in directories:
        for path in sorted((directory / folder).glob("*.yml")):
            found[path.stem] = path
    return found
