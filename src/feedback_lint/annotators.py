"""The pipeline's attribute ruler and lemmatizer, applied over a Doc's columns.

spaCy's ``attribute_ruler`` runs its Matcher over every token for every one
of its patterns, and its ``lemmatizer`` builds a ``Token`` for every word; in
the English pipelines both are about a quarter of the parse. The components
here give the same annotations from the same patterns and tables with array
operations: every pattern's matches are computed on the original columns,
then applied in pattern order (later patterns override earlier ones), as
spaCy's ``AttributeRuler.match`` and ``set_annotations`` do. A pattern the
columns cannot express is matched by a spaCy ``Matcher`` of its own, so the
output never depends on which path a pattern takes.

:func:`install` swaps them into a loaded pipeline; a pipeline without these
components, or whose components are configured differently, is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeGuard

import numpy as np

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler, Lemmatizer
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

#: Token attributes a pattern element may test on the columns; anything else goes to
#: the fallback Matcher. Each is read with ``Doc.to_array`` exactly as the Matcher reads it.
_STRING_ATTRS: Final = frozenset({"ORTH", "LOWER", "TAG", "DEP"})
_FLAG_ATTRS: Final = frozenset({"IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT"})
#: Attributes the fast path writes; a pattern setting any other goes to the fallback.
_WRITTEN: Final = ("POS", "MORPH", "LEMMA", "TAG", "DEP")
#: Past this many cached results (regular expressions, lemmas), a cache starts again.
_CACHE_SIZE: Final = 100_000

#: A test of one pattern element on one column: (element offset, column, kind, operand),
#: the kind being one of the four below.
_Test = tuple[int, int, int, Any]
_EQUAL, _IN, _NOT_IN, _REGEX = range(4)
#: Columns to look a pattern up by, rarest first: a word rules out more tokens than a tag.
_ANCHOR_ORDER: Final = ("LOWER", "ORTH", "TAG", "DEP", *sorted(_FLAG_ATTRS))


@dataclass(frozen=True)
class _Rule:
    """One ruler pattern expressible on columns: its tests, length, the token it sets, and how."""

    order: int
    tests: tuple[_Test, ...]
    length: int
    index: int


class ColumnRuler:
    """An ``AttributeRuler``'s patterns applied over a Doc's columns, with the same output.

    Each pattern is looked up at the tokens holding one value it requires (its
    rarest listed word, else a tag, a relation or a flag), and its other tests
    are then read from the same columns; patterns that list no value are tried
    at every token.
    """

    def __init__(self, ruler: AttributeRuler) -> None:
        from spacy.attrs import IDS

        self.name = ruler.name
        self.vocab: Vocab = ruler.vocab
        self._ruler = ruler
        self._read: list[str] = []
        self._regex_cache: dict[tuple[int, int], bool] = {}
        #: Per column read, the rules to try at a token by its value there, with the offset
        #: of the element that lists the value; and the rules that list no value.
        self._anchored: dict[int, dict[int, list[tuple[_Rule, int]]]] = {}
        self._everywhere: list[_Rule] = []
        #: The same for one-token patterns, whose matches at a token depend on its row of
        #: columns alone; and per row seen, the orders of those that match there.
        self._anchored_single: dict[int, dict[int, list[tuple[_Rule, int]]]] = {}
        self._everywhere_single: list[_Rule] = []
        self._row_orders: dict[tuple[int, ...], tuple[int, ...]] = {}
        #: The patterns the columns cannot express, in a Matcher keyed as the ruler keys
        #: them; the values each sets, or None when only spaCy can set them.
        self._fallback = type(ruler.matcher)(self.vocab)  # the ruler's own kind of matcher
        self._fallback_values: dict[int, tuple[tuple[int, int], ...] | None] = {}
        self._indices: tuple[int, ...] = tuple(ruler.indices)
        self._values_of: dict[int, tuple[tuple[int, int], ...]] = {}
        written_ids = {IDS[name]: column for column, name in enumerate(_WRITTEN)}
        for order, attrs in enumerate(ruler.attrs):
            key = str(order)
            patterns = ruler.matcher.get(key)[1]
            values = self._values(attrs, written_ids)
            compiled = [self._compile(pattern) for pattern in patterns]
            if values is None or any(tests is None for tests in compiled):
                self._fallback.add(key, patterns)
                self._fallback_values[order] = values
                continue
            self._values_of[order] = values
            for pattern, tests in zip(patterns, compiled, strict=True):
                assert tests is not None
                self._add(_Rule(order, tests, len(pattern), ruler.indices[order]))

    @property
    def fallback_patterns(self) -> int:
        """How many of the ruler's patterns the columns could not express."""
        return len(self._fallback_values)

    @staticmethod
    def _values(
        attrs: Mapping[Any, Any], written_ids: Mapping[int, int]
    ) -> tuple[tuple[int, int], ...] | None:
        values: list[tuple[int, int]] = []
        for attr, value in attrs.items():
            if attr not in written_ids or not isinstance(value, int):
                return None
            values.append((written_ids[attr], value))
        return tuple(values)

    def _column(self, attr: str) -> int:
        if attr not in self._read:
            self._read.append(attr)
        return self._read.index(attr)

    def _add(self, rule: _Rule) -> None:
        single = rule.length == 1
        listed = [test for test in rule.tests if test[2] in (_EQUAL, _IN)]
        if not listed:
            (self._everywhere_single if single else self._everywhere).append(rule)
            return
        rank = {self._column(name): i for i, name in enumerate(_ANCHOR_ORDER) if name in self._read}
        offset, column, kind, operand = min(listed, key=lambda test: rank[test[1]])
        index = (self._anchored_single if single else self._anchored).setdefault(column, {})
        for value in [operand] if kind == _EQUAL else sorted(operand):
            index.setdefault(value, []).append((rule, offset))

    def _compile(self, pattern: Sequence[Mapping[str, Any]]) -> tuple[_Test, ...] | None:
        """A Matcher pattern as column tests, or None when it uses what columns cannot say."""
        if not pattern:
            return None
        tests: list[_Test] = []
        for offset, element in enumerate(pattern):
            for attr, value in element.items():
                test = self._test(offset, attr, value)
                if test is None:
                    return None
                tests.extend(test)
        return tuple(tests)

    def _test(self, offset: int, attr: str, value: Any) -> list[_Test] | None:
        name = attr.upper() if isinstance(attr, str) else None
        if name == "TEXT":
            name = "ORTH"
        if name in _FLAG_ATTRS:
            if isinstance(value, bool):
                return [(offset, self._column(name), _EQUAL, int(value))]
            return None
        if name not in _STRING_ATTRS:
            return None
        column = self._column(name)
        if isinstance(value, str):
            return [(offset, column, _EQUAL, self.vocab.strings.add(value))]
        if not isinstance(value, dict) or not value:
            return None
        tests: list[_Test] = []
        for op, operand in value.items():
            if op in ("IN", "NOT_IN"):
                if not isinstance(operand, list) or not all(isinstance(v, str) for v in operand):
                    return None
                ids = frozenset(self.vocab.strings.add(v) for v in operand)
                tests.append((offset, column, _IN if op == "IN" else _NOT_IN, ids))
            elif op == "REGEX" and isinstance(operand, str):
                tests.append((offset, column, _REGEX, re.compile(operand)))
            else:
                return None
        return tests

    def _holds(self, rule: _Rule, rows: list[list[int]], start: int) -> bool:
        for offset, column, kind, operand in rule.tests:
            value = rows[start + offset][column]
            if kind == _EQUAL:
                if value != operand:
                    return False
            elif kind == _IN:
                if value not in operand:
                    return False
            elif kind == _NOT_IN:
                if value in operand:
                    return False
            elif not self._search(operand, value):
                return False
        return True

    def _search(self, regex: re.Pattern[str], value: int) -> bool:
        key = (id(regex), value)
        found = self._regex_cache.get(key)
        if found is None:
            if len(self._regex_cache) > _CACHE_SIZE:
                self._regex_cache.clear()
            found = self._regex_cache[key] = regex.search(self.vocab.strings[value]) is not None
        return found

    def _target(self, rule: _Rule, start: int) -> int:
        index = rule.index if rule.index >= 0 else rule.length + rule.index
        if not 0 <= index < rule.length:  # spaCy refuses such a match (E1001)
            raise IndexError(f"attribute ruler index {rule.index} outside a match")
        return start + index

    def _single_orders(self, row: list[int]) -> tuple[int, ...]:
        """The orders of the one-token patterns that match a token with this ``row``."""
        rows = [row]
        held = [
            rule
            for column, index in self._anchored_single.items()
            for rule, _ in index.get(row[column], ())
            if self._holds(rule, rows, 0)
        ]
        held.extend(rule for rule in self._everywhere_single if self._holds(rule, rows, 0))
        for rule in held:
            self._target(rule, 0)  # refuses an index outside the match, as spaCy does
        return tuple(rule.order for rule in held)

    def _matches(self, rows: list[list[int]]) -> list[tuple[int, int]]:
        """(pattern order, token to set) for every match of a column pattern."""
        count = len(rows)
        found: list[tuple[int, int]] = []
        if self._anchored_single or self._everywhere_single:
            known = self._row_orders
            if len(known) > _CACHE_SIZE:
                known.clear()
            for i, row in enumerate(rows):
                key = tuple(row)
                orders = known.get(key)
                if orders is None:
                    orders = known[key] = self._single_orders(row)
                found.extend((order, i) for order in orders)
        for column, index in self._anchored.items():
            for i, row in enumerate(rows):
                candidates = index.get(row[column])
                if candidates is None:
                    continue
                for rule, offset in candidates:
                    start = i - offset
                    if 0 <= start <= count - rule.length and self._holds(rule, rows, start):
                        found.append((rule.order, self._target(rule, start)))
        for rule in self._everywhere:
            for start in range(count - rule.length + 1):
                if self._holds(rule, rows, start):
                    found.append((rule.order, self._target(rule, start)))
        return found

    def __call__(self, doc: Doc) -> Doc:
        """Set the attributes of every matched token, as the attribute ruler does."""
        from spacy.tokens import Span

        count = len(doc)
        if not count:
            return doc
        rows = _rows(doc, self._read) if self._read else []
        found = self._matches(rows) if self._read else []
        values_of = self._values_of
        if self._fallback_values:
            values_of = dict(values_of)
            for match_id, start, end in self._fallback(doc, allow_missing=True):
                order = int(self.vocab.strings[match_id])
                values = self._fallback_values[order]
                if values is None:
                    # Nothing is written yet, so spaCy's own component gives its output.
                    return self._ruler(doc)
                found.append((order, Span(doc, start, end)[self._indices[order]].i))
                values_of[order] = values
        if not found:
            return doc
        # Later patterns override earlier ones, as in spaCy (matches sorted by pattern).
        found.sort(key=lambda match: match[0])
        out = _rows(doc, _WRITTEN)
        touched: set[int] = set()
        for order, token in found:
            row = out[token]
            for column, value in values_of[order]:
                row[column] = value
                touched.add(column)
        columns = sorted(touched)
        _write(doc, [_WRITTEN[c] for c in columns], [[row[c] for c in columns] for row in out])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Annotate docs one at a time (``nlp.pipe`` calls this)."""
        for doc in docs:
            yield self(doc)


class ColumnLemmatizer:
    """A rule-mode ``Lemmatizer`` that lemmatizes each distinct (word, POS, morphology) once.

    spaCy's rule lemmatizer caches by exactly that key, so the lemmas are its
    own; this skips building a ``Token`` for every word whose key is known.
    """

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.name = lemmatizer.name
        self.lemmatizer = lemmatizer
        self.vocab: Vocab = lemmatizer.vocab
        self._lemmas: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemma of every token that has none, as the lemmatizer does."""
        if not len(doc):
            return doc
        if len(self._lemmas) > _CACHE_SIZE:
            self._lemmas.clear()
        strings = self.vocab.strings
        cache = self._lemmas
        lemmas: list[int] = []
        for i, (orth, pos, morph, lemma_id) in enumerate(
            _rows(doc, ("ORTH", "POS", "MORPH", "LEMMA"))
        ):
            if lemma_id:
                lemmas.append(lemma_id)
                continue
            key = (orth, pos, morph)
            lemma = cache.get(key)
            if lemma is None:
                lemma = self.lemmatizer.lemmatize(doc[i])[0]
                if pos:  # without a POS spaCy warns on each call; keep that
                    cache[key] = lemma
            # Added each time: a memory zone may have freed the string since it was cached.
            lemmas.append(strings.add(lemma))
        _write(doc, ["LEMMA"], [[lemma] for lemma in lemmas])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Lemmatize docs one at a time (``nlp.pipe`` calls this)."""
        for doc in docs:
            yield self(doc)


def _rows(doc: Doc, attrs: Sequence[str]) -> list[list[int]]:
    """Each token's values of ``attrs``, as the integer IDs spaCy keeps."""
    array: Any = doc.to_array(list(attrs))
    values: list[list[int]] = array.reshape(len(doc), -1).tolist()
    return values


def _write(doc: Doc, attrs: Sequence[str], rows: list[list[int]]) -> None:
    """Set each token's values of ``attrs`` from ``rows`` (as ``Doc.from_array`` does)."""
    array: Any = np.array(rows, dtype=np.uint64)
    doc.from_array(list(attrs), array)


def install(nlp: Language) -> Language:
    """Put the column versions in place of ``nlp``'s attribute ruler and rule lemmatizer."""
    from spacy.pipeline import AttributeRuler

    for name, component in nlp.pipeline:
        replacement: ColumnRuler | ColumnLemmatizer | None = None
        if type(component) is AttributeRuler:
            replacement = ColumnRuler(component)
        elif _cacheable(component):
            replacement = ColumnLemmatizer(component)
        if replacement is not None:
            _swap(nlp, name, replacement)
    return nlp


def _cacheable(component: object) -> TypeGuard[Lemmatizer]:
    """Whether ``component`` is a rule lemmatizer whose lemma depends only on the
    token's word, POS and morphology (spaCy's own, or the English one)."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    if not isinstance(component, Lemmatizer):
        return False
    kind = type(component)
    return (
        component.mode == "rule"
        and not component.overwrite
        and kind.rule_lemmatize is Lemmatizer.rule_lemmatize
        and kind.is_base_form in (Lemmatizer.is_base_form, EnglishLemmatizer.is_base_form)
    )


def _swap(nlp: Language, name: str, component: Callable[[Doc], Doc]) -> None:
    # Language keeps its components, disabled ones included, as a list of (name,
    # component); replace_pipe would need a registered factory and a serialisable
    # config for a component that only wraps one already loaded.
    index = nlp.component_names.index(name)
    nlp._components[index] = (name, component)
