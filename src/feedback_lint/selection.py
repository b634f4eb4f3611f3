"""Which rules run: flake8's select/ignore decision with prefix matching.

A code is decided by the longest matching prefix among the selected and the
ignored entries; when both match with prefixes of equal length, ignore wins
(as in flake8). ``select`` replaces the default selection and ``extend_select``
adds to it; likewise ``ignore`` and ``extend_ignore``. Rules that ship
``enabled: false`` are in the default selection only when explicitly selected.
Entries may also be rule names ("absolute-language") or aliases, which match whole.
:func:`naming` is the one answer to "does this key name that rule?", for
select/ignore, per-file-ignores, suppression comments, profiles, ``--explain`` and
the service: codes and prefixes in any case ("fb1"), names and aliases whole and in
any case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .errors import ConfigError


class Named(Protocol):
    """What selecting needs of a rule: a loaded rule or only its header (for listing)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def enabled(self) -> bool: ...


def codes(value: str | Iterable[str]) -> tuple[str, ...]:
    """Codes or prefixes from a sequence, or from one comma-separated string ("FB1,FB2").

    A string is never taken as a sequence of one-letter codes.
    """
    parts = value.split(",") if isinstance(value, str) else value
    return tuple(part.strip() for part in parts if part.strip())


def naming(key: str, code: str, name: str, aliases: Iterable[str] = ()) -> int:
    """How closely ``key`` names the rule with this code, name and aliases: the length
    of the code for the code itself, the name or an alias; the length of ``key`` for a
    prefix of the code; -1 when it does not name the rule."""
    folded = key.strip().casefold()
    if not folded:
        return -1
    if folded == name.casefold() or folded in (a.casefold() for a in aliases):
        return len(code)
    return len(folded) if code.casefold().startswith(folded) else -1


def names(key: str, code: str, name: str, aliases: Iterable[str] = (), whole: bool = False) -> bool:
    """Whether ``key`` names the rule; ``whole``: as its code, name or an alias, not a prefix."""
    length = naming(key, code, name, aliases)
    return length == len(code) if whole else length >= 0


def _longest(keys: Iterable[str], rule: Named) -> int:
    """Length of the longest entry that selects ``rule`` (-1 for none; "ALL" is the
    shortest prefix, of length 0)."""
    return max(
        (
            0 if key.upper() == "ALL" else naming(key, rule.code, rule.name, rule.aliases)
            for key in keys
        ),
        default=-1,
    )


@dataclass(frozen=True)
class Selection:
    """A decision about which rule codes are active."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        select: str | Sequence[str] | None = None,
        ignore: str | Sequence[str] = (),
        extend_select: str | Sequence[str] = (),
        extend_ignore: str | Sequence[str] = (),
    ) -> Selection:
        """The selection given as :class:`Linter`'s options: sequences of codes or
        comma-separated strings; ``select=None`` keeps the default selection."""
        return cls(
            select=codes(select) if select is not None else None,
            ignore=codes(ignore),
            extend_select=codes(extend_select),
            extend_ignore=codes(extend_ignore),
        )

    def check(self, rules: Sequence[Named]) -> None:
        """Reject entries that name no rule, so that a typo is not silently ignored."""
        for key in (*(self.select or ()), *self.ignore, *self.extend_select, *self.extend_ignore):
            if key.upper() == "ALL":
                continue
            if not any(_longest([key], rule) >= 0 for rule in rules):
                raise ConfigError("C203", value=key)

    def selected(self, rule: Named) -> bool:
        """Whether ``rule`` runs under this selection."""
        explicit = _longest((*(self.select or ()), *self.extend_select), rule)
        ignored = _longest((*self.ignore, *self.extend_ignore), rule)
        chosen = explicit
        if chosen < 0 and self.select is None and rule.enabled:
            chosen = 0  # the default selection: every rule that ships enabled
        if chosen < 0:
            return False
        return chosen > ignored
