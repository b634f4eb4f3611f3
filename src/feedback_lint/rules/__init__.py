"""Rules folders as data: rule files, signals, profiles and lexicons, read and validated.

The modules follow the flow of loading:

- :mod:`.yamlfile` reads YAML safely, remembering the line of every value;
- :mod:`.reader` is the one base of every validator of a loaded file (rules,
  signals, profiles, and the settings of :mod:`feedback_lint.config`);
- :mod:`.folders` walks a rules folder (and finds the built-in one);
- :mod:`.schema` holds what a rule becomes, :mod:`.loading` reads rule files into it;
- :mod:`.lexicons`, :mod:`.signals` and :mod:`.profiles` read the other files;
- :mod:`.catalogue` reads only the rules' headers and which of them run, for
  ``--list-rules`` and ``--explain``.

Nothing here imports spaCy: rules load (and ``--list-rules`` runs) without it.
"""

from __future__ import annotations

from .catalogue import Catalogue, load_catalogue
from .folders import (
    BUILTIN_RULES_DIR,
    WHEEL_FOLDER,
    profile_files,
    rule_files,
    rule_folders,
    signal_files,
)
from .lexicons import load_lexicons, read_lexicon
from .loading import load_headers, load_rule, load_rules
from .profiles import Profile, applies_to, chosen_rules, load_profile, profile_names
from .schema import (
    CODE_RE,
    MATCH_KINDS,
    MATCH_NODE,
    NAME_RE,
    NODE_KEY,
    PHRASE_ATTRS,
    RELATIONS,
    TARGET_EXTENTS,
    TEMPLATE_ATTRS,
    Condition,
    Example,
    MatchKind,
    MatchSpec,
    Offer,
    Rule,
    RuleHeader,
    RuleInfo,
    SuggestionSpec,
    When,
    template_fields,
)
from .signals import Signal, SignalExample, load_signal, load_signals, rule_sources

__all__ = [
    "BUILTIN_RULES_DIR",
    "CODE_RE",
    "MATCH_KINDS",
    "MATCH_NODE",
    "NAME_RE",
    "NODE_KEY",
    "PHRASE_ATTRS",
    "RELATIONS",
    "TARGET_EXTENTS",
    "TEMPLATE_ATTRS",
    "WHEEL_FOLDER",
    "Catalogue",
    "Condition",
    "Example",
    "MatchKind",
    "MatchSpec",
    "Offer",
    "Profile",
    "Rule",
    "RuleHeader",
    "RuleInfo",
    "Signal",
    "SignalExample",
    "SuggestionSpec",
    "When",
    "applies_to",
    "chosen_rules",
    "load_catalogue",
    "load_headers",
    "load_lexicons",
    "load_profile",
    "load_rule",
    "load_rules",
    "load_signal",
    "load_signals",
    "profile_files",
    "profile_names",
    "read_lexicon",
    "rule_files",
    "rule_folders",
    "rule_sources",
    "signal_files",
    "template_fields",
]
