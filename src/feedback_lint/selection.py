"""Which rules run: flake8's select/ignore decision with prefix matching.

A code is decided by the longest matching prefix among the selected and the
ignored entries; when both match with prefixes of equal length, ignore wins
(as in flake8). ``select`` replaces the default selection and ``extend_select``
adds to it; likewise ``ignore`` and ``extend_ignore``. Rules that ship
``enabled: false`` are in the default selection only when explicitly selected.
Entries may also be rule names ("absolute-language"), which match exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .errors import ConfigError
from .rules import Rule


def codes(value: str | Iterable[str]) -> tuple[str, ...]:
    """Codes or prefixes from a sequence, or from one comma-separated string ("FB1,FB2").

    A string is never taken as a sequence of one-letter codes.
    """
    parts = value.split(",") if isinstance(value, str) else value
    return tuple(part.strip() for part in parts if part.strip())


def _longest(keys: Iterable[str], rule: Rule) -> int:
    """Length of the longest entry that selects ``rule`` (-1 for none)."""
    best = -1
    for key in keys:
        if rule.code.startswith(key) or key == rule.name or key in rule.aliases:
            best = max(best, len(rule.code) if key == rule.name else len(key))
    return best


@dataclass(frozen=True)
class Selection:
    """A decision about which rule codes are active."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()

    def check(self, rules: Sequence[Rule]) -> None:
        """Reject entries that name no rule, so that a typo is not silently ignored."""
        for key in (*(self.select or ()), *self.ignore, *self.extend_select, *self.extend_ignore):
            if key.upper() == "ALL":
                continue
            if not any(_longest([key], rule) >= 0 for rule in rules):
                raise ConfigError("C203", value=key)

    def selected(self, rule: Rule) -> bool:
        """Whether ``rule`` runs under this selection."""
        select = tuple("" if k.upper() == "ALL" else k for k in (self.select or ()))
        explicit = _longest((*select, *self.extend_select), rule)
        ignored = _longest((*self.ignore, *self.extend_ignore), rule)
        chosen = explicit
        if chosen < 0 and self.select is None and rule.enabled:
            chosen = 0  # the default selection: every rule that ships enabled
        if chosen < 0:
            return False
        return chosen > ignored
