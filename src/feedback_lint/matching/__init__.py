"""Matching: every rule and signal compiled once, and found in a parsed text.

One module per kind of pattern: :mod:`.token` (with the token columns,
sequences and predicates it is built on), :mod:`.phrase`, :mod:`.dependency`
and :mod:`.regex`; document rules are judged per unit from the signals
(:mod:`feedback_lint.units`). :mod:`.compiled` runs them all in one pass, and
:mod:`.components` says which pipeline components the rules need. Only this
package uses spaCy's matchers.
"""

from .compiled import CompiledRules
from .components import required_components
from .matches import Match, SignalMatch
from .regex import REGEX_TIMEOUT, RegexTimeout

__all__ = [
    "REGEX_TIMEOUT",
    "CompiledRules",
    "Match",
    "RegexTimeout",
    "SignalMatch",
    "required_components",
]
