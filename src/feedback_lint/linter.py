"""The linter: documents in, reports out, with the pipeline and matchers loaded once."""

from __future__ import annotations

import hashlib
import itertools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

from . import suppressions
from .documents import DEFAULT_MAX_BYTES, Document, Format, from_text, read_document
from .errors import ConfigError, FeedbackLintError
from .findings import Finding, Report, Severity
from .matching import Match, SignalMatch, required_components
from .matching.document import document_matches, is_document_rule
from .parsing import (
    KNOWN_COMPONENTS,
    MAX_BATCH_CHARS,
    batches,
    load_pipeline,
    pieces,
    pipeline_lock,
    pipeline_meta,
    resolve_pipeline,
)
from .reported import reported_clauses, speech_verbs
from .rules import (
    Profile,
    Rule,
    Signal,
    applies_to,
    chosen_rules,
    load_lexicons,
    load_profile,
    load_rules,
    load_signals,
    rule_folders,
    rule_sources,
)
from .selection import Selection
from .suggestions import build_suggestion, render
from .targets import TargetWords, judging
from .units import UNIT_KINDS, Found, collect, rule_finds, unit_regions

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .inputs import PathFilter
    from .matching import CompiledRules
    from .runs import Run

#: The annotation of a Doc that each pipeline component sets: what a parsed Doc handed to
#: :meth:`Linter.lint_doc` must have for the rules that need the component.
ANNOTATIONS: Final[Mapping[str, str]] = {
    "tagger": "TAG",
    "morphologizer": "POS",
    "attribute_ruler": "POS",
    "parser": "DEP",
    "senter": "SENT_START",
    "lemmatizer": "LEMMA",
    "trainable_lemmatizer": "LEMMA",
    "ner": "ENT_IOB",
}


@dataclass(frozen=True)
class _Pending:
    """A document whose blocks are being parsed, and the findings gathered so far."""

    index: int
    document: Document
    findings: list[Finding]
    signals: list[Found] = field(default_factory=list)


class Linter:
    """Loads rules, the pipeline and the matchers once, and lints any number of texts.

    The pipeline is loaded on first use, so that listing or explaining rules
    never imports spaCy.

    ``unit`` splits each document into feedback units (``document``, ``section``
    or ``item``) for the signals and document-level rules; ``profile`` names a
    profile whose selection and severities stand in for the defaults; and
    ``thresholds`` replace document rules' counts by code or name (``{"FB304": 5}``).
    ``include_quotes`` lints someone else's words too: Markdown block quotes, inline
    quotations (:mod:`quotations`) and reported speech (:mod:`reported`).
    The code options take a sequence of codes or one comma-separated string.
    Blocks are parsed in batches of at most ``batch_size`` blocks and (unless one
    block alone is longer) ``batch_chars`` characters: the pipeline's memory grows
    with a batch's characters, so long documents cannot make it grow without bound.
    """

    def __init__(
        self,
        *,
        select: str | Sequence[str] | None = None,
        ignore: str | Sequence[str] = (),
        extend_select: str | Sequence[str] = (),
        extend_ignore: str | Sequence[str] = (),
        rules_dirs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = (),
        builtin_rules: bool = True,
        model: str | None = None,
        include_quotes: bool = False,
        batch_size: int = 128,
        batch_chars: int = MAX_BATCH_CHARS,
        zone_size: int = 256,
        unit: str = "document",
        profile: str | None = None,
        thresholds: Mapping[str, int] | None = None,
    ) -> None:
        if isinstance(rules_dirs, (str, os.PathLike)):
            rules_dirs = (rules_dirs,)
        folders = rule_folders(rules_dirs, builtin_rules)
        # Read once for the rules, the signals and the targets.
        lexicons = load_lexicons(folder for folder in folders if folder.is_dir())
        self.all_rules: tuple[Rule, ...] = load_rules(rules_dirs, builtin_rules, lexicons)
        #: The words that decide what a judgement is about (see :mod:`targets`).
        self.targets = TargetWords.from_lexicons(lexicons)
        #: The verbs that report someone else's words (see :mod:`reported`).
        self.speech_verbs = speech_verbs(lexicons)
        self.signals: tuple[Signal, ...] = load_signals(rules_dirs, builtin_rules, lexicons)
        chosen: Profile | None = None
        if profile is not None:
            chosen = load_profile(profile, self.all_rules, rules_dirs, builtin=builtin_rules)
        self.selection = Selection.of(select, ignore, extend_select, extend_ignore)
        self.selection.check(self.all_rules)
        overrides: Mapping[str, object] = chosen.severity if chosen is not None else {}
        self.rules: tuple[Rule, ...] = tuple(
            _with_severity(r, applies_to(r, overrides))
            for r in chosen_rules(self.all_rules, self.selection, chosen)
        )
        if unit not in UNIT_KINDS:
            raise ConfigError("C206", reason=f"unit must be one of {', '.join(UNIT_KINDS)}")
        self.unit = unit
        self.profile = profile
        merged = {**(chosen.thresholds if chosen is not None else {}), **(thresholds or {})}
        for key in merged:
            if not any(key in (r.code, r.name) and is_document_rule(r) for r in self.all_rules):
                raise ConfigError("C203", value=key)
        self.thresholds: tuple[tuple[str, int], ...] = tuple(sorted(merged.items()))
        self._document_rules = tuple(r for r in self.rules if is_document_rule(r))
        # Rules that signals count (a sentence rule makes a unit critical) run whether or
        # not they are selected, so that a unit's signals never depend on the selection.
        self._rule_sources = rule_sources(self.signals, self.all_rules)
        selected = {r.code for r in self.rules}
        self._signal_rules: tuple[Rule, ...] = tuple(
            r for r in self.all_rules if r.code in self._rule_sources and r.code not in selected
        )
        self._signal_codes = frozenset(r.code for r in self._signal_rules)
        self._yields = {r.code: frozenset(r.yields_to) for r in self.rules if r.yields_to}
        self.model = model
        self.include_quotes = include_quotes
        self.batch_size = batch_size
        self.batch_chars = batch_chars
        self.zone_size = zone_size
        self._loading = threading.Lock()

    @cached_property
    def pipeline_name(self) -> str:
        """The name or path of the English pipeline this linter uses."""
        return resolve_pipeline(self.model)

    @property
    def pipeline_info(self) -> tuple[str, str]:
        """The pipeline's (name, version), read without loading it."""
        return pipeline_meta(self.pipeline_name)

    @cached_property
    def fingerprint(self) -> str:
        """A hash of everything that decides this linter's results, for the results cache."""
        from . import __version__

        options = sorted(
            (name, value)
            for name, value in vars(self).items()
            # Options only: values cached by properties appear here once computed.
            if name not in type(self).__dict__
            and isinstance(value, (str, int, bool, tuple, type(None)))
        )
        parts = [
            __version__,
            code_digest(),
            *self.pipeline_info,
            repr(self.rules),
            repr(self.signals),
            repr(self._signal_rules),
            repr(options),
            repr(self.targets),
            repr(sorted(self.speech_verbs)),
        ]
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    @cached_property
    def nlp(self) -> Language:
        """The loaded spaCy pipeline, with only the components the active rules need."""
        needed = required_components((*self.rules, *self._signal_rules), self.signals)
        return load_pipeline(self.pipeline_name, needed)

    @cached_property
    def compiled(self) -> CompiledRules:
        """The active rules and the signals compiled into shared matchers."""
        from .matching import CompiledRules  # loaded when linting, not to list rules

        rules = (*self.rules, *self._signal_rules)
        return CompiledRules(rules, self.nlp, self.signals, self.targets)

    def lint_text(self, text: str, path: str = "<string>", format: Format | None = None) -> Report:
        """Lint one text; ``path`` names it in findings and picks its format."""
        document = from_text(text, path=path, format=format, include_quotes=self.include_quotes)
        return next(self.lint_documents([document]))

    def lint_path(self, path: str | os.PathLike[str]) -> Report:
        """Read and lint one file; raises :class:`InputError` if it cannot be read."""
        document = read_document(path, include_quotes=self.include_quotes)
        return next(self.lint_documents([document]))

    def lint_many(self, texts: Iterable[str], format: Format | None = None) -> Iterator[Report]:
        """Lint many texts, streaming them through ``nlp.pipe``; reports come in order."""
        documents = (
            from_text(text, path=f"<text {i}>", format=format, include_quotes=self.include_quotes)
            for i, text in enumerate(texts)
        )
        return self.lint_documents(documents)

    def lint_documents(self, documents: Iterable[Document]) -> Iterator[Report]:
        """Lint documents, parsing all their blocks in shared batches; reports come in order.

        Documents are taken in groups of ``zone_size``, each parsed inside a spaCy
        memory zone, so that the words of one group do not stay in the string
        store for the rest of a long run. A linter may be shared by threads and
        called again while iterating: pipeline use is serialised by its lock.
        """
        with self._loading:
            _ = self.compiled  # compiled before any zone, so that its interned keys outlive them
        iterator = iter(documents)
        while group := list(itertools.islice(iterator, self.zone_size)):
            yield from self._lint_zone(group)

    @property
    def components(self) -> frozenset[str]:
        """The pipeline components this linter's rules and signals need."""
        return required_components((*self.rules, *self._signal_rules), self.signals)

    @property
    def pipeline_loaded(self) -> bool:
        """Whether the pipeline is loaded (it is on first use, or by :meth:`load`)."""
        return "nlp" in vars(self)

    def load(self, *, every_rule: bool = False, private: bool = False) -> Language:
        """Load the pipeline now, once, and return it.

        ``every_rule`` loads the components that any of the rules may need, so that
        linters for other selections can share it (see :meth:`sharing_pipeline`);
        ``private`` loads a copy of this linter's own instead of the one the process
        shares, for a caller that adds components to it.
        """
        with self._loading:
            if not self.pipeline_loaded:
                rules = self.all_rules if every_rule else (*self.rules, *self._signal_rules)
                needed = required_components(rules, self.signals)
                loader = load_pipeline.__wrapped__ if private else load_pipeline
                self.nlp = loader(self.pipeline_name, needed)
        return self.nlp

    def sharing_pipeline(self, **options: Any) -> Linter:
        """A new linter with ``options`` (:class:`Linter`'s keywords) that parses with this
        linter's pipeline when that is loaded and has every component the new one needs."""
        linter = Linter(**options)
        if (
            self.pipeline_loaded
            and linter.pipeline_name == self.pipeline_name
            and linter.components <= set(self.nlp.pipe_names)
        ):
            linter.nlp = self.nlp
        return linter

    def parse(self, source: str | Document) -> list[Doc]:
        """How the parser reads a text, or a document's prose, with every component
        loaded: one Doc a piece (for ``--show-parse``)."""
        if isinstance(source, str):
            texts = [piece for _, piece in pieces(source)]
        else:
            texts = [
                piece
                for block in source.blocks
                for _, piece in pieces(source.parse_text(block))
            ]
        nlp = load_pipeline(self.pipeline_name, frozenset(KNOWN_COMPONENTS))
        with pipeline_lock(nlp):
            return list(nlp.pipe(texts))

    def missing_annotations(self, doc: Doc) -> tuple[str, ...]:
        """The components whose annotations ``doc`` lacks and this linter's rules need."""
        return tuple(
            sorted(
                name
                for name in self.components
                if name in ANNOTATIONS and not doc.has_annotation(ANNOTATIONS[name])
            )
        )

    def lint_doc(self, doc: Doc, path: str = "<doc>", *, parse_missing: bool = True) -> Report:
        """Lint a Doc that a spaCy pipeline has parsed already, using its parse.

        The findings are those of ``doc.text``, offsets into it. A prose block
        that the Doc holds exactly is matched on the Doc's own tokens; one whose
        prose differs from the Doc's text (masked code, a quote, a line break) is
        parsed again. A Doc without an annotation the rules need (see
        :meth:`missing_annotations`) is parsed again as a whole with
        ``parse_missing``, and refused with a :class:`ConfigError` (C206) without.
        """
        missing = self.missing_annotations(doc)
        if missing and not parse_missing:
            reason = (
                f"the Doc has no annotations from {', '.join(missing)}, which the rules need;"
                " add those components before feedback_lint"
            )
            raise ConfigError("C206", reason=reason)
        if missing:
            return self.lint_text(doc.text, path=path)
        document = from_text(doc.text, path=path, include_quotes=self.include_quotes)
        with self._loading:
            _ = self.compiled
        state = _Pending(0, document, [])
        with pipeline_lock(self.nlp), judging(self.targets):
            for block in document.blocks:
                text = document.parse_text(block)
                span = doc.char_span(block.start, block.end)
                if span is not None and span.text == text:
                    own = doc if len(span) == len(doc) else span.as_doc()
                    self._scan(state, own, block.start, text)
                    continue
                for offset, piece in pieces(text):
                    self._scan(state, self.nlp(piece), block.start + offset, piece)
            return self._report(state)

    def lint_paths(
        self,
        paths: Sequence[str],
        *,
        exclude: PathFilter | None = None,
        stdin_name: str = "<stdin>",
        max_bytes: int = DEFAULT_MAX_BYTES,
        jobs: int = 1,
        cache_dir: str | os.PathLike[str] | None = None,
        read_cache: bool = True,
        adjust: Callable[[Report], Report] | None = None,
        progress: TextIO | None = None,
    ) -> Run:
        """Read and lint files, folders, globs and ``-`` (standard input): see
        :func:`feedback_lint.runs.lint_paths`, which this calls."""
        from .runs import lint_paths

        return lint_paths(
            self,
            paths,
            exclude=exclude,
            stdin_name=stdin_name,
            max_bytes=max_bytes,
            jobs=jobs,
            cache_dir=cache_dir,
            read_cache=read_cache,
            adjust=adjust,
            progress=progress,
        )

    def read(self, source: str, stdin_name: str = "<stdin>") -> Document:
        """The document of a file, or of ``-`` (standard input), read as a run reads it."""
        from .runs import read_source

        return read_source(source, stdin_name, DEFAULT_MAX_BYTES, self.include_quotes)

    def _lint_zone(self, documents: Sequence[Document]) -> list[Report]:
        """Reports for one group, parsed inside a memory zone while holding the pipeline.

        The group is finished before any report is handed out, so that a caller
        may lint again (in this thread or another) between the reports: no zone
        is open while a caller holds a report.
        """
        with pipeline_lock(self.nlp), self.nlp.memory_zone(), judging(self.targets):
            return list(self._lint_group(documents))

    def _lint_group(self, documents: Sequence[Document]) -> Iterator[Report]:
        pending: dict[int, _Pending] = {}
        remaining: dict[int, int] = {}

        def blocks() -> Iterator[tuple[str, tuple[int, int, str]]]:
            for index, document in enumerate(documents):
                pending[index] = _Pending(index, document, [])
                # A document without prose still passes through once, as an empty text,
                # so that its report comes out in order.
                # A block over the parser's limit is parsed in pieces, each at its offset.
                parts = [
                    (block.start + offset, text)
                    for block in document.blocks
                    for offset, text in pieces(document.parse_text(block))
                ]
                remaining[index] = max(1, len(parts))
                if not parts:
                    yield "", (index, -1, "")
                for offset, text in parts:
                    yield text, (index, offset, text)

        next_index = 0
        parsed = (
            parse
            for batch in batches(blocks(), self.batch_size, self.batch_chars)
            for parse in self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
        )
        for doc, (index, offset, text) in parsed:
            state = pending[index]
            if offset >= 0:
                self._scan(state, doc, offset, text)
            remaining[index] -= 1
            while next_index in pending and remaining[next_index] == 0:
                done = pending.pop(next_index)
                del remaining[next_index]
                yield self._report(done)
                next_index += 1

    def _scan(self, state: _Pending, doc: Doc, offset: int, text: str) -> None:
        matches, signals = self.compiled.scan(doc, text)
        if not self.include_quotes and state.document.quotations:
            matches = [m for m in matches if not _quoted(state.document, m, offset)]
            signals = [s for s in signals if not _quoted(state.document, s, offset)]
        if not self.include_quotes and matches:
            reported = list(reported_clauses(doc, self.speech_verbs, self.targets))
            if reported:
                matches = [m for m in matches if not _inside(m, reported)]
        unselected = self._signal_codes
        state.findings.extend(
            self._finding(state.document, match, offset)
            for match in matches
            if match.rule.code not in unselected
        )
        state.signals.extend(Found(signal, offset) for signal in signals)
        state.signals.extend(rule_finds(matches, self._rule_sources, offset))

    def _finding(self, document: Document, match: Match, offset: int) -> Finding:
        suggestion = build_suggestion(match, offset)
        return Finding.in_document(
            document,
            match.start_char + offset,
            match.end_char + offset,
            code=match.rule.code,
            name=match.rule.name,
            severity=match.rule.severity,
            message=render(match.rule.message, match),
            suggestions=(suggestion,) if suggestion is not None else (),
        )

    def _report(self, state: _Pending) -> Report:
        regions = unit_regions(state.document, self.unit)
        names = [signal.name for signal in self.signals]
        units = collect(regions, state.signals, names)
        for match, offset in document_matches(self._document_rules, units, dict(self.thresholds)):
            state.findings.append(self._finding(state.document, match, offset))
        return Report(
            path=state.document.path,
            text=state.document.text,
            findings=yield_overlaps(
                suppressions.apply(state.document, merge_overlaps(state.findings)), self._yields
            ),
            units=tuple(unit.unit() for unit in units),
        )


@cache
def code_digest() -> str:
    """A hash of this package's own code, so that results cached by other code (an
    install from another commit of the same version) are never read back as this
    code's; empty where the code cannot be read."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    try:
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    except OSError:
        return ""
    return digest.hexdigest()


def version_text(model: str | None = None) -> str:
    """The version line: the tool, the English pipeline and spaCy, read without importing it."""
    try:
        pipeline = "{} {}".format(*pipeline_meta(resolve_pipeline(model)))
    except FeedbackLintError:
        pipeline = "no English pipeline installed"
    from importlib import metadata  # slow to import; only --version needs it

    try:
        spacy_version = metadata.version("spacy")
    except metadata.PackageNotFoundError:
        spacy_version = "not installed"
    from . import __version__

    return f"feedback-lint {__version__} (pipeline {pipeline}; spaCy {spacy_version})"


#: A linter's options, hashable: sorted ``(keyword, value)`` pairs (see :func:`options_key`).
Options = tuple[tuple[str, Any], ...]


def _frozen(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def options_key(options: Mapping[str, Any]) -> Options:
    """:class:`Linter`'s keyword arguments as a hashable key, lists as tuples."""
    return tuple(sorted((name, _frozen(value)) for name, value in options.items()))


class Linters:
    """The one cache of linters by their options, for the library's ``lint()`` and the service.

    ``base`` (built from ``options`` on first use unless given) answers the empty
    options; every other set of options gets a linter built from ``options`` with
    them on top, sharing the base's pipeline when it can (see
    :meth:`Linter.sharing_pipeline`); the ``size`` most recently used are kept.
    """

    def __init__(
        self,
        options: Mapping[str, Any] | None = None,
        size: int = 16,
        base: Linter | None = None,
    ) -> None:
        self.options = dict(options or {})
        self.size = size
        self._base = base
        self._linters: OrderedDict[Options, Linter] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def base(self) -> Linter:
        """The linter for the empty options."""
        with self._lock:
            if self._base is None:
                self._base = Linter(**self.options)
            return self._base

    def get(self, options: Options = ()) -> Linter:
        """The linter for ``options``: the base one, a cached one, or a new one."""
        if not options:
            return self.base
        with self._lock:
            cached = self._linters.get(options)
            if cached is not None:
                self._linters.move_to_end(options)
                return cached
        linter = self.base.sharing_pipeline(**{**self.options, **dict(options)})
        with self._lock:
            linter = self._linters.setdefault(options, linter)
            self._linters.move_to_end(options)
            while len(self._linters) > self.size:
                self._linters.popitem(last=False)
        return linter

    def __len__(self) -> int:
        """How many linters for options other than the empty ones are kept."""
        return len(self._linters)


def _with_severity(rule: Rule, severity: object | None) -> Rule:
    """``rule`` with a profile's severity, when the profile gives it one."""
    return replace(rule, severity=severity) if isinstance(severity, Severity) else rule


def _inside(match: Match, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether ``match`` lies wholly inside one of ``spans`` (characters of its block)."""
    return any(start <= match.start_char and match.end_char <= end for start, end in spans)


def _quoted(document: Document, match: Match | SignalMatch, offset: int) -> bool:
    """Whether ``match`` lies wholly inside one of the document's inline quotations:
    someone else's words, which neither a rule nor a signal judges the writer by."""
    start, end = match.start_char + offset, match.end_char + offset
    return any(q.start <= start and end <= q.end for q in document.quotations)


def merge_overlaps(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Sort findings by position and keep one of each rule's overlapping findings.

    Several patterns of one rule often match the same words; the earliest,
    then longest, finding stands for them all.
    """
    kept: list[Finding] = []
    last_end: dict[str, int] = {}
    for finding in sorted(findings, key=lambda f: (f.start, -f.end, f.code)):
        if finding.start < last_end.get(finding.code, -1):
            continue
        kept.append(finding)
        last_end[finding.code] = max(last_end.get(finding.code, -1), finding.end)
    return tuple(kept)


def yield_overlaps(
    findings: Sequence[Finding], yields: Mapping[str, frozenset[str]]
) -> tuple[Finding, ...]:
    """``findings`` without those that yield to another rule's finding on overlapping
    words (a rule's ``yields_to``), so that one span reads as one complaint.

    Only reported findings count: a rule that is not selected, or whose finding a
    suppression comment turned off, takes nothing away.
    """
    if not yields:
        return tuple(findings)
    winners = frozenset().union(*yields.values())
    strong = [g for g in findings if g.code in winners]
    return tuple(
        f
        for f in findings
        if not any(
            g.code in yields.get(f.code, ()) and g.start < f.end and f.start < g.end
            for g in strong
        )
    )
