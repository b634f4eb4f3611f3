"""Which pipeline components the rules need: what their patterns, conditions and
templates read of a token decides what the parse must set."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final

from ..rules import MATCH_NODE, Condition, Rule, Signal, template_fields

_TAGGER: Final = frozenset({"tok2vec", "tagger", "attribute_ruler"})
_LEMMA: Final = _TAGGER | {"lemmatizer"}
_PARSER: Final = frozenset({"tok2vec", "parser"})
#: Token attributes and the pipeline components that set them.
_ATTR_COMPONENTS: Final[dict[str, frozenset[str]]] = {
    "POS": _TAGGER,
    "TAG": _TAGGER,
    "MORPH": _TAGGER,
    "LEMMA": _LEMMA,
    "DEP": _PARSER,
    "SENT_START": _PARSER,
    "IS_SENT_START": _PARSER,
    "ENT_TYPE": frozenset({"tok2vec", "ner"}),
    # the extension attribute _.target (see targets.py) reads tags, lemmas and the parse
    "TARGET": _LEMMA | _PARSER,
    "ENT_IOB": frozenset({"tok2vec", "ner"}),
    "ENT_ID": frozenset({"tok2vec", "ner"}),
}
#: What templates need when they ask more of a node than its surface text.
_TEMPLATE_COMPONENTS: Final = _LEMMA | _PARSER
_SURFACE_ATTRS: Final = frozenset({"", "text", "lower", "ordinary"})


def _attribute_names(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _attribute_names(item)
    elif isinstance(value, list):
        for item in value:
            yield from _attribute_names(item)


def _conditions(conditions: Iterable[Condition]) -> Iterator[Condition]:
    """The conditions and, after each, its own conditions, however deep."""
    for condition in conditions:
        yield condition
        yield from _conditions((*condition.require, *condition.unless))


def required_components(rules: Iterable[Rule], signals: Iterable[Signal] = ()) -> frozenset[str]:
    """The pipeline components that the given rules and signals need (the tokenizer is
    always there)."""
    needed: set[str] = set()
    owners: list[Rule | Signal] = [*signals, *rules]
    for owner in owners:
        for spec in owner.matches:
            if spec.kind == "dependency" or spec.require or spec.unless:
                needed |= _PARSER
            for name in _attribute_names(
                [*spec.patterns, *(c.attrs for c in _conditions((*spec.require, *spec.unless)))]
            ):
                needed |= _ATTR_COMPONENTS.get(name.upper(), frozenset())
        if not isinstance(owner, Rule):
            continue
        rule = owner
        templates = [rule.message] + [s.replace_with for s in rule.suggestions]
        if any(attr not in _SURFACE_ATTRS for t in templates for _, attr in template_fields(t)):
            needed |= _TEMPLATE_COMPONENTS
        if any(s.target != MATCH_NODE for s in rule.suggestions):
            needed |= _PARSER
    return frozenset(needed)
