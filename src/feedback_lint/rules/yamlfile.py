"""Safe YAML reading that remembers the line of every mapping, list and key.

Rule, signal and configuration files are validated after loading; to name
``file:line`` in every error, the loaded values carry their source lines.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Final

import yaml

from ..errors import FeedbackLintError, RuleError


class LineDict(dict[str, Any]):
    """A mapping from YAML that knows its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence from YAML that knows its own line and the line of each item."""

    line: int
    item_lines: list[int]


#: The most values (mappings, lists, keys and scalars, aliases expanded) one file may hold:
#: far more than any rule needs, far less than would exhaust memory.
MAX_VALUES = 100_000
_TOO_BIG = f"the file stands for more than {MAX_VALUES} values (are aliases nested?)"

# libyaml's parser, where PyYAML was built with it, reads rule files several times faster.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR_TAG: Final = "tag:yaml.org,2002:str"


@functools.lru_cache(maxsize=4096)
def _resolved(kind: object, value: str | None, implicit: object) -> str:
    """The tag of a node, as SafeLoader resolves it (the same words recur in every file)."""
    return str(yaml.SafeLoader.resolve(_RESOLVER, kind, value, implicit))  # type: ignore[no-untyped-call]


class _LineLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader whose mappings and sequences record 1-based source lines."""

    def resolve(self, kind: Any, value: str | None, implicit: Any) -> str:
        """The tag of a node; the same as SafeLoader's, remembered by kind and value."""
        return _resolved(kind, value, implicit if isinstance(implicit, bool) else tuple(implicit))


#: A resolver with SafeLoader's rules and no state: resolving needs no path (no path
#: resolvers are registered), so one instance serves every file.
_RESOLVER: Final = yaml.SafeLoader("")


def _value(loader: _LineLoader, node: yaml.Node) -> Any:
    """The value of ``node``; a plain string directly, as most of a rule file is."""
    if type(node) is yaml.ScalarNode and node.tag == _STR_TAG:
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = _value(loader, key_node)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"keys must be strings, not {key!r}", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = _value(loader, value_node)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(_value(loader, child) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path, error: type[FeedbackLintError] = RuleError) -> Any:
    """Read one YAML document safely; syntax errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error("R101", str(path), None, reason=str(exc)) from None
    folder = cache_folder()
    if folder is None:
        return parse_yaml(text, str(path), error)
    # The parser's version is part of the key: another PyYAML may resolve the same text
    # differently, and its entries must never be read.
    key = f"{_CACHE_FORMAT}\0{yaml.__version__}\0{text}".encode()
    entry = folder / f"{hashlib.sha256(key).hexdigest()}.json"
    cached = _read_cached(entry)
    if cached is not _MISSING:
        return cached
    loaded = parse_yaml(text, str(path), error)
    _write_cached(entry, loaded)
    return loaded


#: The environment variable that names the folder of parsed rule files, or turns it off.
CACHE_VARIABLE: Final = "FEEDBACK_LINT_RULES_CACHE"
#: Bumped whenever the stored form changes, so that old entries are never read.
_CACHE_FORMAT: Final = 1
_MISSING: Final = object()


def cache_folder() -> Path | None:
    """The folder where parsed rule, signal and profile files are kept, keyed by their
    contents, so that starting up reads no YAML; None when turned off.

    ``$FEEDBACK_LINT_RULES_CACHE`` names it (``off`` turns it off); by default it
    is ``feedback-lint/rules`` in ``$XDG_CACHE_HOME`` (``~/.cache``).
    """
    setting = os.environ.get(CACHE_VARIABLE)
    if setting is not None:
        return None if setting.strip().lower() in ("", "off", "0", "no") else Path(setting)
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(home) / "feedback-lint" / "rules"


def _read_cached(entry: Path) -> Any:
    """The loaded value kept in ``entry``; ``_MISSING`` when there is none or it is not
    exactly what :func:`_write_cached` writes (a damaged or foreign file is ignored)."""
    try:
        stored = json.loads(entry.read_bytes())
        if not isinstance(stored, list) or stored[:2] != ["feedback-lint", _CACHE_FORMAT]:
            return _MISSING
        return _decode(stored[2])
    except (OSError, ValueError, TypeError, IndexError, KeyError, RecursionError):
        return _MISSING


def _write_cached(entry: Path, value: Any) -> None:
    """Keep ``value`` in ``entry`` if it can be (written atomically; failures are ignored:
    the cache only saves time)."""
    try:
        data = json.dumps(["feedback-lint", _CACHE_FORMAT, _encode(value)], allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return  # a value JSON cannot hold exactly (a date, bytes): parsed each time
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
        os.replace(temporary, entry)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temporary)


def _encode(value: Any) -> Any:
    """Loaded YAML as JSON values that keep every line: mappings and lists tagged."""
    if isinstance(value, LineDict):
        items = [[key, value.key_lines[key], _encode(item)] for key, item in value.items()]
        return ["map", value.line, items]
    if isinstance(value, LineList):
        pairs = zip(value.item_lines, value, strict=True)
        return ["seq", value.line, [[line, _encode(item)] for line, item in pairs]]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"not kept: {type(value).__name__}")


#: The JSON scalar types a stored value may hold (exact types: no subclasses).
_SCALARS: Final = frozenset({str, bool, int, float})


def _decode(value: Any) -> Any:
    """The inverse of :func:`_encode`; raises ValueError on anything it would not write."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if not isinstance(value, list) or len(value) != 3 or type(value[1]) is not int:
        raise ValueError("not a stored value")
    kind, line, items = value
    if kind == "map":
        result = LineDict()
        result.line, result.key_lines = line, {}
        for key, key_line, item in items:
            if not isinstance(key, str) or type(key_line) is not int or key in result:
                raise ValueError("not a stored mapping")
            # scalars inline: most values are words, and a call each is most of the time
            result[key] = item if item is None or type(item) in _SCALARS else _decode(item)
            result.key_lines[key] = key_line
        return result
    if kind == "seq":
        listed = LineList()
        listed.line, listed.item_lines = line, []
        for item_line, item in items:
            if type(item_line) is not int:
                raise ValueError("not a stored list")
            listed.append(item if item is None or type(item) in _SCALARS else _decode(item))
            listed.item_lines.append(item_line)
        return listed
    raise ValueError("not a stored value")


def parse_yaml(text: str, path: str, error: type[FeedbackLintError] = RuleError) -> Any:
    """Parse YAML text with line-aware values; ``path`` names it in errors."""
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _may_alias(text) and _expanded_size(node) > MAX_VALUES:
            line = node.start_mark.line + 1
            raise error("R101", path, line, reason=_TOO_BIG)
        return loader.construct_document(node)
    except RecursionError:
        raise error("R101", path, None, reason="values are nested too deeply") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "syntax error"
        raise error("R101", path, line, reason=reason) from None
    except yaml.YAMLError as exc:
        raise error("R101", path, None, reason=str(exc)) from None
    finally:
        loader.dispose()


#: An alias: "*" and the first character of an anchor name (not a quote, space or bracket).
_ALIAS: Final = re.compile(r"\*[^\s\"',\[\]{}]")


def _may_alias(text: str) -> bool:
    """Whether ``text`` may hold an alias; without one, a document stands for no more
    values than it has characters, so only then is its expanded size worth counting."""
    return len(text) > MAX_VALUES or _ALIAS.search(text) is not None


def _expanded_size(root: yaml.Node) -> int:
    """How many values ``root`` stands for once every alias is expanded (capped past the limit).

    Aliases share one node, so a short file can stand for billions of values
    (a "billion laughs"); an alias inside its own anchor stands for infinitely many.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        children = _children(node)
        if finished:
            # A scalar stands for one value and holds no alias: it needs no entry of its own.
            total = 1 + sum(
                1 if type(child) is yaml.ScalarNode else sizes[id(child)] for child in children
            )
            sizes[id(node)] = min(total, MAX_VALUES + 1)
            open_nodes.discard(id(node))
        elif id(node) in open_nodes:
            return MAX_VALUES + 1
        elif id(node) not in sizes:
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend(
                (child, False)
                for child in children
                if type(child) is not yaml.ScalarNode and id(child) not in sizes
            )
    return sizes.get(id(root), 1)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def line_of(value: Any, key: str | None = None, default: int = 1) -> int:
    """The source line of a loaded value, or of one of its keys."""
    if isinstance(value, LineDict):
        if key is not None and key in value.key_lines:
            return value.key_lines[key]
        return value.line
    if isinstance(value, LineList):
        return value.line
    return default


def plain(value: Any) -> Any:
    """A deep copy of loaded YAML as plain dicts and lists, for libraries that check types."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
