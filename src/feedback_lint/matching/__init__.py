"""Matching: every rule and signal compiled once, and found in a parsed text.

One module per kind of pattern: :mod:`.token` (with the token columns,
sequences and predicates it is built on), :mod:`.phrase`, :mod:`.dependency`
and :mod:`.regex`, and :mod:`.document`, which judges the feedback units
(:mod:`feedback_lint.units`) by their signals. :mod:`.compiled` runs them all in one pass, and
:mod:`.components` says which pipeline components the rules need. Only this
package uses spaCy's matchers.
"""

from typing import TYPE_CHECKING, Any

from .components import required_components
from .matches import Match, SignalMatch

if TYPE_CHECKING:
    from .compiled import CompiledRules
    from .regex import REGEX_TIMEOUT, RegexTimeout

__all__ = [
    "REGEX_TIMEOUT",
    "CompiledRules",
    "Match",
    "RegexTimeout",
    "SignalMatch",
    "required_components",
]


def __getattr__(name: str) -> Any:
    # The matchers' modules load on first use, so that listing or explaining rules
    # (which import the linter) does not pay for them.
    if name == "CompiledRules":
        from .compiled import CompiledRules

        return CompiledRules
    if name in ("REGEX_TIMEOUT", "RegexTimeout"):
        from . import regex

        return getattr(regex, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
