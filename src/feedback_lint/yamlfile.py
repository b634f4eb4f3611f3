"""Safe YAML reading that remembers the line of every mapping, list and key.

Rule, signal and configuration files are validated after loading; to name
``file:line`` in every error, the loaded values carry their source lines.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import yaml

from .errors import FeedbackLintError, RuleError


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


class _LineLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader whose mappings and sequences record 1-based source lines."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"keys must be strings, not {key!r}", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
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
    return parse_yaml(text, str(path), error)


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
            total = 1 + sum(sizes[id(child)] for child in children)
            sizes[id(node)] = min(total, MAX_VALUES + 1)
            open_nodes.discard(id(node))
        elif id(node) in open_nodes:
            return MAX_VALUES + 1
        elif id(node) not in sizes:
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


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
