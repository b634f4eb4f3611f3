"""A parsed text's token attributes as spaCy's integer IDs, for cheap tests of words.

Patterns that list the words, tags or relations a token may have are tested
against these columns (read once per text with ``Doc.to_array``) instead of
through ``Token`` objects and their strings.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from .predicates import Predicate, compile_predicate, value_test

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: String attributes whose values a pattern can list (TEXT is ORTH).
ANCHOR_ATTRS: Final = ("LOWER", "ORTH", "TEXT", "NORM", "LEMMA", "POS", "TAG", "DEP")
#: Boolean attributes, held in a column as 0 or 1; those true of fewer tokens first.
FLAG_ATTRS: Final = (
    "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "IS_DIGIT", "IS_UPPER", "IS_TITLE",
    "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_LOWER", "IS_ALPHA", "IS_ASCII",
)  # fmt: skip

#: What one pattern element requires of a single token: (attribute, accepted column values).
IdAnchor = tuple[tuple[str, frozenset[int]], ...]
#: Word attributes: a listed word rules out more texts than a tag or a relation does.
_WORD_ATTRS: Final = frozenset({"LOWER", "ORTH", "TEXT", "NORM", "LEMMA"})


@dataclass(frozen=True)
class Requirements:
    """What a text must hold for a pattern to match in it, as column values.

    ``nodes``: for each, some single token meeting all its requirements;
    ``edges``: for each (head, child), some token meeting ``child`` whose
    syntactic head is another token meeting ``head``. Testing them is cheap
    and never rules out a text the pattern matches in; the pattern's own
    matcher then decides.
    """

    nodes: tuple[IdAnchor, ...] = ()
    edges: tuple[tuple[IdAnchor, IdAnchor], ...] = ()

    def key(self, common: Callable[[int], bool]) -> tuple[str, frozenset[int]] | None:
        """The one (attribute, values) requirement that should rule out the most texts,
        or None when nothing is required; ``common`` tells whether a word ID is a
        word that most texts hold ("be", "you")."""

        pairs = [pair for node in self.nodes for pair in node]
        return min(pairs, key=lambda pair: rarity(pair[0], pair[1], common)) if pairs else None


def rarity(attr: str, values: frozenset[int], common: Callable[[int], bool]) -> tuple[int, int]:
    """How many texts a token requirement should hold, as a sort key: fewest first.

    Words rule out more texts than tags or relations do, and tags more than
    flags, unless the words are ones most texts hold (``common``: "be", "the").
    """
    if attr in _WORD_ATTRS:
        kind = 1 if any(common(value) for value in values) else 0
    else:
        kind = 2 if attr in ANCHOR_ATTRS else 3
    return kind, len(values)


def accepted(value: Any) -> frozenset[str] | None:
    """The values a pattern attribute accepts, when it lists them (a literal or ``IN``)."""
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, dict) and set(value) == {"IN"}:
        words = value["IN"]
        if isinstance(words, list) and all(isinstance(word, str) for word in words):
            return frozenset(words)
    return None  # not a list of words, or not one spaCy accepts: validation reports it


def refused(value: Any) -> frozenset[str] | None:
    """The values a pattern attribute refuses, when it lists them (``NOT_IN``) and nothing else."""
    if isinstance(value, dict) and set(value) == {"NOT_IN"}:
        words = value["NOT_IN"]
        if isinstance(words, list) and all(isinstance(word, str) for word in words):
            return frozenset(words)
    return None


def column_values(
    attr: str, value: Any, ids: Callable[[Iterable[str]], frozenset[int]]
) -> frozenset[int] | None:
    """The column values that a pattern's ``value`` for ``attr`` (upper case) accepts,
    when it lists them; ``ids`` turns strings into spaCy's IDs."""
    if attr in FLAG_ATTRS:
        return frozenset([int(value)]) if isinstance(value, bool) else None
    words = accepted(value) if attr in ANCHOR_ATTRS else None
    return None if words is None else ids(words)


def node_requirements(
    attrs: Mapping[str, Any], ids: Callable[[Iterable[str]], frozenset[int]]
) -> IdAnchor:
    """What one pattern node or element requires of a token, as column values, words first."""
    order = (*ANCHOR_ATTRS, *FLAG_ATTRS)  # words first: they rule out the most tokens
    listed = (
        (str(attr).upper(), column_values(str(attr).upper(), value, ids))
        for attr, value in attrs.items()
    )
    wanted = [(attr, values) for attr, values in listed if values is not None]
    return tuple(sorted(wanted, key=lambda pair: order.index(pair[0])))


@cache
def _attr_id(attr: str) -> int:
    from spacy import attrs

    return int(getattr(attrs, "ORTH" if attr == "TEXT" else attr))


class Columns:
    """One parsed text's attribute columns, each read on first use and shared by every test.

    ``together`` names attributes that most texts need (those the prefilter tests):
    the first use of one reads them all in one call, which costs little more than one.
    """

    def __init__(self, doc: Doc, together: tuple[str, ...] = ()) -> None:
        self.doc = doc
        self._together = together
        self._lists: dict[str, list[int]] = {}
        self._sets: dict[str, set[int]] = {}
        self._satisfied: dict[IdAnchor, bool] = {}
        self._linked: dict[tuple[IdAnchor, IdAnchor], bool] = {}
        self._heads: list[int] | None = None
        self._sentence_starts: list[int] | None = None
        self._children: list[list[int]] | None = None
        self._trees_in_order: bool | None = None
        #: Per one-token test, the positions of the tokens it accepts (see :meth:`accepting`).
        self._accepting: dict[int, list[int]] = {}
        #: (extension name, position) -> the token's value of ``token._.<name>``.
        self._extensions: dict[tuple[str, int], Any] = {}

    def values(self, attr: str) -> list[int]:
        """The value of ``attr`` (a token attribute of ``spacy.attrs``) for each token."""
        found = self._lists.get(attr)
        if found is None:
            if attr in self._together and len(self.doc):
                names = self._together
                table = self.doc.to_array([_attr_id(name) for name in names])
                # One attribute comes back as a single column, not a table.
                rows = table.reshape(len(self.doc), len(names))
                self._lists.update(zip(names, rows.T.tolist(), strict=True))
                self._together = ()
                return self._lists[attr]
            found = self.doc.to_array(_attr_id(attr)).tolist() if len(self.doc) else []
            self._lists[attr] = found
        return found

    def extension(self, name: str, position: int) -> Any:
        """The value of the extension attribute ``name`` (``token._.name``) of the token
        at ``position``, read once per text: getters such as ``_.target`` walk the parse."""
        key = (name, position)
        try:
            return self._extensions[key]
        except KeyError:
            value = self._extensions[key] = getattr(self.doc[position]._, name)
            return value

    def holds(self, requirements: IdAnchor, position: int) -> bool:
        """Whether the token at ``position`` meets all of ``requirements``."""
        # A loop, not all() over a generator: this runs for every candidate token.
        lists = self._lists
        for attr, wanted in requirements:
            values = lists.get(attr)
            if values is None:
                values = self.values(attr)
            if values[position] not in wanted:
                return False
        return True

    def sentence(self, position: int) -> tuple[int, int]:
        """The start and end of the sentence that holds the token at ``position``."""
        starts = self._sentence_starts
        if starts is None:
            flags = self.values("SENT_START")  # 1 where a sentence starts
            starts = self._sentence_starts = [i for i, f in enumerate(flags) if f == 1 or i == 0]
        index = bisect.bisect_right(starts, position) - 1
        end = starts[index + 1] if index + 1 < len(starts) else len(self.doc)
        return starts[index], end

    def heads(self) -> list[int]:
        """The position of each token's syntactic head (a root is its own head)."""
        if self._heads is None:
            # HEAD is stored as an offset from the token, as unsigned integers.
            offsets: list[int] = []
            if len(self.doc):
                offsets = self.doc.to_array(_attr_id("HEAD")).astype("int64").tolist()
            self._heads = [i + offset for i, offset in enumerate(offsets)]
        return self._heads

    def children(self) -> list[list[int]]:
        """The positions of each token's syntactic children, in order."""
        if self._children is None:
            children: list[list[int]] = [[] for _ in range(len(self.doc))]
            for i, head in enumerate(self.heads()):
                if head != i:
                    children[head].append(i)
            self._children = children
        return self._children

    def trees_in_order(self) -> bool:
        """Whether every syntactic tree covers one run of consecutive tokens, as the
        parser's trees (its sentences) do; a hand-built Doc may interleave them."""
        if self._trees_in_order is None:
            heads = self.heads()
            roots: list[int] = []
            for i, head in enumerate(heads):
                # Consecutive tokens: a token's root is its head's, found left to right
                # when the head comes first; otherwise walk up.
                roots.append(roots[head] if head < i else self._root(i, heads))
            finished: set[int] = set()
            ordered = True
            for previous, root in itertools.pairwise(roots):
                if root != previous:
                    finished.add(previous)
                    if root in finished:
                        ordered = False
                        break
            self._trees_in_order = ordered
        return self._trees_in_order

    @staticmethod
    def _root(position: int, heads: list[int]) -> int:
        for _ in range(len(heads)):  # bounded: a hand-built Doc's heads may form a cycle
            head = heads[position]
            if head == position:
                break
            position = head
        return position

    def meets(self, requirements: Requirements) -> bool:
        """Whether this text holds everything ``requirements`` asks for."""
        if not self.satisfies(requirements.nodes):
            return False
        return all(self.linked(head, child) for head, child in requirements.edges)

    def linked(self, head: IdAnchor, child: IdAnchor) -> bool:
        """Whether some token meeting ``child`` has another token meeting ``head`` as its head."""
        known = self._linked.get((head, child))
        if known is None:
            known = self._linked[(head, child)] = self._link(head, child)
        return known

    def _link(self, head: IdAnchor, child: IdAnchor) -> bool:
        heads = self.heads()
        for i in self.positions(child):
            above = heads[i]
            if above != i and self.holds(head, above):
                return True
        return False

    def positions(self, node: IdAnchor) -> Iterable[int]:
        """The positions of the tokens that meet ``node``, in order."""
        if not node:
            return range(len(self.doc))
        (attr, wanted), *others = node
        rest = tuple(others)
        return (
            i
            for i, value in enumerate(self.values(attr))
            if value in wanted and (not rest or self.holds(rest, i))
        )

    def accepting(self, test: TokenTest) -> list[int]:
        """The positions of the tokens ``test`` accepts, in order, computed once per test."""
        known = self._accepting.get(id(test))
        if known is None:
            known = self._accepting[id(test)] = [
                i for i in self.positions(test.columns) if test.holds(self, i)
            ]
        return known

    def satisfies(self, nodes: tuple[IdAnchor, ...]) -> bool:
        """Whether, for each of ``nodes``, some single token meets all its requirements."""
        for node in nodes:  # first whether each value is there at all, which is cheap
            for attr, wanted in node:
                if wanted.isdisjoint(self._present(attr)):
                    return False
        return all(len(node) == 1 or self.holds_somewhere(node) for node in nodes)

    def present(self, attr: str) -> set[int]:
        """The values of ``attr`` that some token has."""
        return self._present(attr)

    def _present(self, attr: str) -> set[int]:
        if attr not in self._sets:
            self._sets[attr] = set(self.values(attr))
        return self._sets[attr]

    def holds_somewhere(self, node: IdAnchor) -> bool:
        """Whether some single token meets all of ``node``'s requirements."""
        known = self._satisfied.get(node)
        if known is not None:
            return known
        known = self._satisfied[node] = next(iter(self.positions(node)), None) is not None
        return known


class Prefilter:
    """Patterns' :class:`Requirements`, looked up for a text by each one's rarest
    required value, so that a text is tested only against the requirements it
    could meet.

    ``common`` tells whether a word ID is one most texts hold (see
    :meth:`Requirements.key`).
    """

    def __init__(self, common: Callable[[int], bool]) -> None:
        self._common = common
        self._requirements: list[Requirements] = []
        #: Per requirement: every (attribute, values) pair its nodes list, the nodes that
        #: list more than one (a single token must meet those together), and its edges.
        self._checks: list[
            tuple[
                tuple[tuple[str, frozenset[int]], ...],
                tuple[IdAnchor, ...],
                tuple[tuple[IdAnchor, IdAnchor], ...],
            ]
        ] = []
        self._always: list[int] = []
        # attribute -> value -> the ids of the requirements keyed on it
        self._keys: dict[str, dict[int, list[int]]] = {}
        self._key_sets: dict[str, set[int]] = {}

    def add(self, requirements: Requirements) -> int:
        """Register ``requirements``; returns the id :meth:`viable` gives for them."""
        number = len(self._requirements)
        self._requirements.append(requirements)
        # The rarest first, so that a text that lacks one is ruled out soonest.
        pairs = tuple(
            sorted(
                (pair for node in requirements.nodes for pair in node),
                key=lambda pair: rarity(pair[0], pair[1], self._common),
            )
        )
        joint = tuple(node for node in requirements.nodes if len(node) > 1)
        self._checks.append((pairs, joint, requirements.edges))
        key = requirements.key(self._common)
        if key is None:
            self._always.append(number)
        else:
            attr, values = key
            index = self._keys.setdefault(attr, {})
            for value in values:
                index.setdefault(value, []).append(number)
            self._key_sets.setdefault(attr, set()).update(values)
        return number

    def __len__(self) -> int:
        return len(self._requirements)

    @property
    def attributes(self) -> tuple[str, ...]:
        """The attributes that some requirement tests, in the order first seen."""
        names = (attr for pairs, _, _ in self._checks for attr, _ in pairs)
        return tuple(dict.fromkeys(names))

    def viable(self, columns: Columns) -> set[int]:
        """The ids of the requirements that ``columns``' text meets.

        The same test as :meth:`Columns.meets`, unrolled: this runs for every
        text against every requirement whose key it holds.
        """
        present = columns.present
        candidates = set(self._always)
        for attr, index in self._keys.items():
            # Both sets, so that the intersection walks the smaller: the text's values.
            for value in present(attr) & self._key_sets[attr]:
                candidates.update(index[value])
        found: set[int] = set()
        checks = self._checks
        sets: dict[str, set[int]] = {}
        for number in candidates:
            pairs, joint, edges = checks[number]
            # A loop, not all() over a generator: this is the hot path of the prefilter.
            for attr, wanted in pairs:
                held = sets.get(attr)
                if held is None:
                    held = sets[attr] = present(attr)
                if wanted.isdisjoint(held):
                    break
            else:
                if all(columns.holds_somewhere(node) for node in joint) and all(
                    columns.linked(head, child) for head, child in edges
                ):
                    found.add(number)
        return found


#: String attributes whose column values are string IDs, so that a regular expression can
#: be tested once per distinct value (POS is a symbol, not a string ID).
_SEARCHABLE: Final = frozenset({"LOWER", "ORTH", "TEXT", "NORM", "LEMMA", "TAG", "DEP"})
#: (expression, value ID) -> whether the expression is found in the value's string; values
#: are IDs of their strings, so a result holds in every text. Started again when full.
_SEARCHED: dict[tuple[re.Pattern[str], int], bool] = {}
_SEARCHED_SIZE: Final = 200_000


@dataclass(frozen=True)
class TokenTest:
    """A one-token pattern split by where each part is tested: ``columns``, the attributes
    that list their values, ``excluded``, those that list the values they refuse
    (``NOT_IN``), and ``searched``, the regular expressions on string attributes, all
    tested on a text's columns; ``extensions``, tests of extension attributes
    (``_``) on values read once per text (:meth:`Columns.extension`); ``rest``,
    tested on the token itself."""

    columns: IdAnchor
    rest: Predicate | None
    searched: tuple[tuple[str, re.Pattern[str]], ...] = ()
    excluded: IdAnchor = ()
    extensions: tuple[tuple[str, Callable[[Any], bool]], ...] = ()

    def holds(self, columns: Columns, position: int) -> bool:
        """Whether the token at ``position`` is one the pattern accepts."""
        if not columns.holds(self.columns, position):
            return False
        for attr, refused_values in self.excluded:
            if columns.values(attr)[position] in refused_values:
                return False
        for attr, expression in self.searched:
            value = columns.values(attr)[position]
            found = _SEARCHED.get((expression, value))
            if found is None:
                if len(_SEARCHED) >= _SEARCHED_SIZE:
                    _SEARCHED.clear()
                text = columns.doc.vocab.strings[value]
                found = _SEARCHED[(expression, value)] = expression.search(text) is not None
            if not found:
                return False
        for name, test in self.extensions:
            if not test(columns.extension(name, position)):
                return False
        return self.rest is None or self.rest(columns.doc[position])

    def holds_at_any(self, columns: Columns, positions: Iterable[int]) -> bool:
        """Whether any token at ``positions`` is one the pattern accepts."""
        if (
            self.rest is None
            and not self.searched
            and not self.excluded
            and not self.extensions
            and len(self.columns) == 1
        ):
            # The common case, one listed attribute, read straight from its column.
            ((attr, wanted),) = self.columns
            values = columns.values(attr)
            return any(values[i] in wanted for i in positions)
        return any(self.holds(columns, i) for i in positions)


def compile_test(
    attrs: Mapping[str, Any], ids: Callable[[Iterable[str]], frozenset[int]]
) -> TokenTest:
    """The one-token pattern ``attrs`` as a :class:`TokenTest`; ``ids`` turns strings
    into spaCy's IDs. Raises ValueError as :func:`predicates.compile_predicate` does."""
    compile_predicate(attrs)  # validated whole, and refused if any of it cannot be evaluated
    listed: list[tuple[str, frozenset[int]]] = []
    excluded: list[tuple[str, frozenset[int]]] = []
    searched: list[tuple[str, re.Pattern[str]]] = []
    extensions: list[tuple[str, Callable[[Any], bool]]] = []
    others: dict[str, Any] = {}
    for attr, value in attrs.items():
        name = attr.upper()
        values = column_values(name, value, ids)
        words = refused(value) if name in ANCHOR_ATTRS else None
        if values is not None:
            listed.append((name, values))
        elif words is not None:
            excluded.append((name, ids(words)))
        elif attr == "_" and isinstance(value, Mapping):
            extensions.extend((str(ext), value_test(test)) for ext, test in value.items())
        elif (
            name in _SEARCHABLE
            and isinstance(value, dict)
            and set(value) == {"REGEX"}
            and isinstance(value["REGEX"], str)
        ):
            # As predicates.py and spaCy test it: re.search on the attribute's string.
            searched.append(("ORTH" if name == "TEXT" else name, re.compile(value["REGEX"])))
        else:
            others[attr] = value
    rest = compile_predicate(others) if others else None
    return TokenTest(tuple(listed), rest, tuple(searched), tuple(excluded), tuple(extensions))
