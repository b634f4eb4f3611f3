"""One-token spaCy patterns compiled to Python predicates, for rule conditions.

A condition (``require`` / ``unless``) tests a handful of tokens related to a
match, so testing those tokens directly is far cheaper than running one more
``Matcher`` over every token of every text. The attributes and operators are
spaCy's own (https://spacy.io/usage/rule-based-matching#adding-patterns-attributes);
a pattern is validated with spaCy's schema first, and an attribute this module
does not evaluate is refused at load time rather than ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from spacy.tokens import Token

Predicate = Callable[["Token"], bool]

_FLAGS: Final = (
    "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT",
    "IS_SPACE", "IS_STOP", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT",
    "IS_CURRENCY", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL",
)  # fmt: skip

#: Token attribute name -> how to read it.
_GETTERS: Final[dict[str, Callable[[Token], Any]]] = {
    "ORTH": lambda t: t.orth_,
    "TEXT": lambda t: t.text,
    "LOWER": lambda t: t.lower_,
    "NORM": lambda t: t.norm_,
    "LEMMA": lambda t: t.lemma_,
    "POS": lambda t: t.pos_,
    "TAG": lambda t: t.tag_,
    "DEP": lambda t: t.dep_,
    "SHAPE": lambda t: t.shape_,
    "PREFIX": lambda t: t.prefix_,
    "SUFFIX": lambda t: t.suffix_,
    "ENT_TYPE": lambda t: t.ent_type_,
    "LENGTH": len,
    "SENT_START": lambda t: bool(t.is_sent_start),
    "IS_SENT_START": lambda t: bool(t.is_sent_start),
    **{flag: (lambda name: lambda t: bool(getattr(t, name)))(flag.lower()) for flag in _FLAGS},
}

_COMPARISONS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    ">=": lambda a, b: bool(a >= b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    "<": lambda a, b: bool(a < b),
}


class UnsupportedPattern(ValueError):
    """A token pattern uses an attribute or operator that conditions cannot evaluate."""


def _operator(getter: Callable[[Token], Any], operator: str, operand: Any) -> Predicate:
    """One operator of a token pattern (``{"IN": [...]}``, ``{">=": 2}``) as a predicate."""
    if operator in ("IN", "NOT_IN"):
        members = frozenset(operand)
        wanted = operator == "IN"
        return lambda token: (getter(token) in members) == wanted
    if operator == "REGEX":
        compiled = re.compile(operand)
        return lambda token: compiled.search(str(getter(token))) is not None
    if operator in _COMPARISONS:
        compare = _COMPARISONS[operator]
        return lambda token: compare(getter(token), operand)
    raise UnsupportedPattern(f"operator {operator!r} is not supported in a condition")


def _test(getter: Callable[[Token], Any], value: Any) -> Predicate:
    if not isinstance(value, Mapping):
        return lambda token: bool(getter(token) == value)
    tests = [_operator(getter, operator, operand) for operator, operand in value.items()]
    return lambda token: all(test(token) for test in tests)


def value_test(value: Any) -> Callable[[Any], bool]:
    """The test a pattern's ``value`` for one attribute makes of the attribute's value
    itself (a literal, or operators such as ``{"IN": [...]}``), for values read already."""
    return _test(lambda read: read, value)


def _extension(name: str) -> Callable[[Token], Any]:
    return lambda token: getattr(token._, name)


def compile_predicate(attrs: Mapping[str, Any]) -> Predicate:
    """A predicate that is true for a token matching the one-token pattern ``attrs``.

    Raises :class:`ValueError` naming the problem when spaCy's schema rejects the
    pattern or it uses what a condition cannot evaluate (``OP``, ``MORPH``).
    Extension attributes (``{"_": {"target": "person"}}``) are read from ``token._``.
    """
    from spacy.schemas import validate_token_pattern

    errors = validate_token_pattern([dict(attrs)])
    if errors:
        raise ValueError("; ".join(errors))
    tests: list[Predicate] = []
    for key, value in attrs.items():
        if key == "_" and isinstance(value, Mapping):  # {"_": {"target": ...}}
            tests.extend(_test(_extension(str(ext)), test) for ext, test in value.items())
            continue
        name = key.upper()
        if name not in _GETTERS:
            raise UnsupportedPattern(f"attribute {key!r} is not supported in a condition")
        tests.append(_test(_GETTERS[name], value))
    return lambda token: all(test(token) for test in tests)
