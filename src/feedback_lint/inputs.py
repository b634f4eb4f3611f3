"""Which files a run lints: paths, folders, globs and gitignore-like ``exclude`` patterns.

A folder is searched for Markdown and text files (hidden folders are skipped);
a glob (``docs/**/*.md``) picks the Markdown and text files it matches; ``-`` is
standard input. ``exclude`` patterns follow .gitignore: ``*`` and ``?`` stay
within one path segment, ``**`` crosses segments, a pattern with a ``/`` is
anchored at its base folder while one without matches at any depth, a trailing
``/`` matches only folders, and a leading ``!`` re-includes. A path is excluded
when it or any folder above it is.
"""

from __future__ import annotations

import glob
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from .errors import InputError

#: File endings linted when a folder or a glob is given.
LINTED_SUFFIXES: Final = (".md", ".markdown", ".mdown", ".mkd", ".txt", ".text")

_GLOB_CHARS: Final = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool
    base: Path


def _translate(pattern: str) -> str:
    """A gitignore glob as a regular expression over a '/'-separated relative path."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i) and i + 2 == len(pattern):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return "".join(out)


class PathFilter:
    """A list of gitignore-like patterns, each relative to its own base folder."""

    def __init__(self, patterns: Iterable[tuple[str, str | os.PathLike[str]]] = ()) -> None:
        self._patterns: list[_Pattern] = []
        for pattern, base in patterns:
            self.add(pattern, base)

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def add(self, pattern: str, base: str | os.PathLike[str]) -> None:
        """Add one pattern, relative to ``base``; blank patterns and ``#`` comments are skipped."""
        text = pattern.strip()
        if not text or text.startswith("#"):
            return
        negated = text.startswith("!")
        text = text[1:] if negated else text
        dir_only = text.endswith("/")
        text = text.rstrip("/")
        anchored = "/" in text
        text = text.lstrip("/")
        body = _translate(text)
        regex = re.compile(("" if anchored else "(?:.*/)?") + body + r"\Z", re.DOTALL)
        self._patterns.append(_Pattern(regex, negated, dir_only, Path(base).absolute()))

    def _decide(self, path: Path, is_dir: bool) -> bool | None:
        decision: bool | None = None
        for pattern in self._patterns:
            if pattern.dir_only and not is_dir:
                continue
            try:
                relative = path.relative_to(pattern.base).as_posix()
            except ValueError:
                continue  # as in git, a pattern says nothing about paths outside its folder
            if relative != "." and pattern.regex.match(relative):
                decision = not pattern.negated
        return decision

    def matches(self, path: str | os.PathLike[str], is_dir: bool | None = None) -> bool:
        """Whether ``path`` (or a folder above it, up to each pattern's base) is excluded."""
        absolute = Path(os.path.abspath(path))
        if is_dir is None:
            is_dir = absolute.is_dir()
        if self._decide(absolute, is_dir):
            return True
        return any(self._decide(parent, True) for parent in absolute.parents)

    def matches_here(self, path: str | os.PathLike[str], is_dir: bool) -> bool:
        """Whether ``path`` itself matches, not looking at the folders above it."""
        return bool(self._decide(Path(os.path.abspath(path)), is_dir))


def _is_file(path: str) -> bool:
    """Whether ``path`` is a regular file (or a link to one): a FIFO or device found in a
    folder would make the run wait on it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # linted, so that the reader names the problem (a broken link, a loop)


def _walk(folder: str, exclude: PathFilter) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and not exclude.matches_here(os.path.join(root, d), True)
        )
        for name in sorted(files):
            path = os.path.join(root, name)
            if (
                name.endswith(LINTED_SUFFIXES)
                and _is_file(path)
                and not exclude.matches_here(path, False)
            ):
                yield path


def expand_paths(
    paths: Sequence[str], exclude: PathFilter | None = None
) -> Iterator[str | InputError]:
    """The files to lint, in order and each once, or an error for a glob that matched nothing.

    Excluded paths are left out wherever they come from, named files included,
    so that a pre-commit hook passing file names honours ``exclude``.
    """
    exclude = exclude if exclude is not None else PathFilter()
    seen: set[str] = set()

    def fresh(path: str) -> bool:
        key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            return False
        seen.add(key)
        return True

    for path in paths:
        if path == "-":
            yield path
            continue
        if os.path.isdir(path):
            if not exclude.matches(path, True):
                yield from (p for p in _walk(path, exclude) if fresh(p))
            continue
        if not os.path.exists(path) and _GLOB_CHARS.search(path):
            found = sorted(glob.glob(path, recursive=True))
            if not found:
                yield InputError("E909", path=path)
            for match in found:
                if os.path.isdir(match):
                    if not exclude.matches(match, True):
                        yield from (p for p in _walk(match, exclude) if fresh(p))
                elif (
                    match.endswith(LINTED_SUFFIXES)
                    and _is_file(match)
                    and not exclude.matches(match, False)
                    and fresh(match)
                ):
                    yield match
            continue
        if not exclude.matches(path, False) and fresh(path):
            yield path
