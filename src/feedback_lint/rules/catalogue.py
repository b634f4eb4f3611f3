"""The rules as ``--list-rules`` and ``--explain`` see them: every rule's header and which
of them run, read without patterns, lexicons, signals or spaCy.

:func:`load_catalogue` takes :class:`~feedback_lint.Linter`'s options and makes the
same choice of rules as the linter (folders, select and ignore, profile) from the
rules' headers (:func:`.loading.load_headers`), so that listing starts quickly. What
only matters for linting is not checked here: the patterns, the message's fields,
lexicons and signals, and the options ``unit`` and ``thresholds``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..selection import Selection
from .loading import load_headers
from .profiles import chosen_rules, load_profile
from .schema import RuleHeader


@dataclass(frozen=True)
class Catalogue:
    """Every rule's header (``all_rules``, by code) and those that run (``rules``), as
    :class:`~feedback_lint.Linter` names them."""

    all_rules: tuple[RuleHeader, ...]
    rules: tuple[RuleHeader, ...]


def load_catalogue(options: Mapping[str, Any]) -> Catalogue:
    """The catalogue for :class:`~feedback_lint.Linter`'s keyword ``options``: its rules
    folders, selection and profile; the options for linting alone are not read."""
    folders: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]
    folders = options.get("rules_dirs", ())
    if isinstance(folders, (str, os.PathLike)):
        folders = (folders,)
    builtin = bool(options.get("builtin_rules", True))
    rules = load_headers(folders, builtin)
    profile_name = options.get("profile")
    profile = None
    if profile_name is not None:
        profile = load_profile(profile_name, rules, folders, builtin=builtin)
    selection = Selection.of(
        options.get("select"),
        options.get("ignore", ()),
        options.get("extend_select", ()),
        options.get("extend_ignore", ()),
    )
    selection.check(rules)
    return Catalogue(all_rules=rules, rules=chosen_rules(rules, selection, profile))
