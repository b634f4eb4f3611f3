"""Word lists that rules refer to by name, kept as data files beside the rules.

A lexicon is a text file ``lexicons/<name>.txt`` inside a rules folder: one
term a line, ``#`` starts a comment (each file names its sources there). A rule
pattern uses ``{"LOWER": {"IN": "$name"}}`` or, for phrase rules, ``"$name"``
in its list of phrases, and loading replaces the reference with the terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import RuleError


def read_lexicon(path: Path) -> tuple[str, ...]:
    """The terms of one lexicon file, in file order, without comments or blanks."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError("R114", str(path), None, reason=f"cannot read lexicon: {exc}") from None
    terms: list[str] = []
    for line in lines:
        term = line.split("#", 1)[0].strip()
        if term:
            terms.append(term)
    return tuple(terms)


def load_lexicons(rule_dirs: Iterable[Path]) -> dict[str, tuple[str, ...]]:
    """Every lexicon under ``<dir>/lexicons/`` of each rules folder; later folders win."""
    lexicons: dict[str, tuple[str, ...]] = {}
    for directory in rule_dirs:
        folder = directory / "lexicons"
        if folder.is_dir():
            for path in sorted(folder.glob("*.txt")):
                lexicons[path.stem] = read_lexicon(path)
    return lexicons
