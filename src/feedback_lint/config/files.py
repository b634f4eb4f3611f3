"""Settings read from ``[tool.feedback-lint]`` in pyproject.toml or from ``.feedback-lint.yaml``.

The nearest file found by searching upward from the working directory is used
(``.feedback-lint.yaml`` before ``pyproject.toml`` in the same folder, and a
pyproject.toml without the table is passed over); ``--config PATH`` names one
directly. Every key is validated: an unknown key or a value of the wrong type
raises :class:`ConfigError` naming the file, the line where known, and the key.
Paths in a configuration file (``rules-dirs``, a ``model`` path, ``exclude``
and ``per-file-ignores`` patterns) are relative to that file's folder.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ..errors import ConfigError, FeedbackLintError
from ..findings import Severity
from ..rules.reader import Reader
from ..rules.yamlfile import LineDict, line_of, parse_yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

#: The YAML configuration file's name.
YAML_NAME: Final = ".feedback-lint.yaml"
#: The TOML file searched for a ``[tool.feedback-lint]`` table.
PYPROJECT_NAME: Final = "pyproject.toml"
#: The table in pyproject.toml.
TOML_TABLE: Final = ("tool", "feedback-lint")
#: Feedback units a document can be split into.
UNITS: Final = ("document", "section", "item")


@dataclass(frozen=True)
class Config:
    """Validated settings from one configuration file; ``None`` means "not set".

    ``base`` is the folder that relative paths and patterns in the file are
    relative to: the file's own folder (the working directory for an empty config).
    """

    path: Path | None = None
    base: Path = field(default_factory=Path.cwd)
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] | None = None
    profile: str | None = None
    unit: str | None = None
    rules_dirs: tuple[Path, ...] = ()
    model: str | None = None
    fail_on: Severity | None = None
    include_quotes: bool | None = None
    jobs: int | None = None
    cache_dir: Path | None = None
    max_file_size: int | None = None


class _Checker(Reader):
    """Turns raw loaded values into typed settings, raising C201/C202 with file and line.

    TOML keeps no lines, so ``lines`` says where a key is set in either kind of file.
    """

    error = ConfigError

    def __init__(self, path: Path, lines: Callable[[str], int | None]) -> None:
        super().__init__(path)
        self.base = path.parent
        self.lines = lines

    def invalid(self, key: str, expected: str) -> FeedbackLintError:
        """C202: the value of ``key`` is not ``expected``."""
        return self.fail("C202", self.lines(key), key=key, expected=expected)

    def codes(self, key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(v.strip() for v in value)
        raise self.invalid(key, "a list of rule codes or a comma-separated string of them")

    def string_list(self, key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(value)
        raise self.invalid(key, "a list of strings")

    def nonempty(self, key: str, value: Any) -> str:
        if isinstance(value, str) and value.strip():
            return value.strip()
        raise self.invalid(key, "a non-empty string")

    def choice(self, key: str, value: Any, allowed: tuple[str, ...]) -> str:
        if isinstance(value, str) and value in allowed:
            return value
        raise self.invalid(key, "one of: " + ", ".join(allowed))

    def count(self, key: str, value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        raise self.invalid(key, "a whole number of at least 1")

    def flag(self, key: str, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise self.invalid(key, "true or false")

    def per_file(self, key: str, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if not isinstance(value, Mapping):
            raise self.invalid(key, "a mapping of file patterns to rule codes")
        pairs = []
        for pattern, codes in value.items():
            if not isinstance(pattern, str) or not pattern.strip():
                raise self.invalid(key, "a mapping of file patterns to rule codes")
            pairs.append((pattern, self.codes(key, codes)))
        return tuple(pairs)

    def model(self, key: str, value: Any) -> str:
        name = self.nonempty(key, value)
        # A package name stays a name; something that looks like a path is the file's own.
        if "/" in name or "\\" in name or name.startswith("."):
            return str((self.base / name).resolve())
        return name

    def config(self, data: Mapping[str, Any]) -> Config:
        settings: dict[str, Any] = {}
        for key, value in data.items():
            if not isinstance(key, str) or key not in _KEYS:
                raise self.fail("C201", self.lines(str(key)), key=key)
            attribute, convert = _KEYS[key]
            settings[attribute] = convert(self, key, value)
        return Config(path=self.path, base=self.base, **settings)


_KEYS: Final[dict[str, tuple[str, Callable[[_Checker, str, Any], Any]]]] = {
    "select": ("select", _Checker.codes),
    "ignore": ("ignore", _Checker.codes),
    "extend-select": ("extend_select", _Checker.codes),
    "extend-ignore": ("extend_ignore", _Checker.codes),
    "per-file-ignores": ("per_file_ignores", _Checker.per_file),
    "exclude": ("exclude", _Checker.string_list),
    "profile": ("profile", _Checker.nonempty),
    "unit": ("unit", lambda c, k, v: c.choice(k, v, UNITS)),
    "rules-dirs": (
        "rules_dirs",
        lambda c, k, v: tuple((c.base / d).resolve() for d in c.string_list(k, v)),
    ),
    "model": ("model", _Checker.model),
    "fail-on": (
        "fail_on",
        lambda c, k, v: Severity(c.choice(k, v, tuple(s.value for s in Severity))),
    ),
    "include-quotes": ("include_quotes", _Checker.flag),
    "jobs": ("jobs", _Checker.count),
    "cache-dir": ("cache_dir", lambda c, k, v: (c.base / c.nonempty(k, v)).resolve()),
    "max-file-size": ("max_file_size", _Checker.count),
}

#: The keys a configuration file may set.
KEYS: Final = tuple(_KEYS)


def _toml_table(data: Mapping[str, Any]) -> Any:
    table: Any = data
    for part in TOML_TABLE:
        if not isinstance(table, Mapping) or part not in table:
            return None
        table = table[part]
    return table


def _toml_key_line(text: str, key: str) -> int | None:
    """The line that sets ``key`` in the ``[tool.feedback-lint]`` table (TOML keeps no lines)."""
    header = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+")
    quoted = re.escape(key)
    setting = re.compile(rf"""^\s*(?:{quoted}|"{quoted}"|'{quoted}')\s*=""")
    table = ".".join(TOML_TABLE)
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        found = header.match(line)
        if found:
            current = found.group(1).replace('"', "").replace("'", "").replace(" ", "")
            if current == f"{table}.{key}":
                return number
            continue
        if current == table and setting.match(line):
            return number
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("C208", str(path), reason="no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigError("C208", str(path), reason=reason) from None


def _has_table(path: Path) -> bool:
    """Whether a pyproject.toml mentions the table, checked without parsing it."""
    try:
        return "feedback-lint" in path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return False


def load_config(path: str | Path) -> Config:
    """Read and validate one configuration file (pyproject.toml or YAML, by its name)."""
    path = Path(path).absolute()
    text = _read(path)
    if path.suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = re.search(r"line (\d+)", str(exc))
            line = int(found.group(1)) if found else None
            raise ConfigError("C207", str(path), line, reason=str(exc)) from None
        table = _toml_table(data)
        if table is None:
            table = {}
        if not isinstance(table, Mapping):
            raise ConfigError(
                "C207",
                str(path),
                _toml_key_line(text, ""),
                reason="[tool.feedback-lint] must be a table",
            )
        return _Checker(path, lambda key: _toml_key_line(text, key)).config(table)
    try:
        loaded = parse_yaml(text, str(path), ConfigError)
    except ConfigError as error:
        reason = error.fields.get("reason", error.detail)
        raise ConfigError("C207", error.path, error.line, reason=reason) from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, Mapping):
        raise ConfigError(
            "C207", str(path), line_of(loaded), reason="the file must be a mapping of settings"
        )
    lines = loaded.key_lines if isinstance(loaded, LineDict) else {}
    return _Checker(path, lines.get).config(loaded)


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest configuration file in ``start`` (the working directory) or a folder above."""
    folder = Path(start if start is not None else Path.cwd()).absolute()
    for candidate in (folder, *folder.parents):
        yaml_file = candidate / YAML_NAME
        if yaml_file.is_file():
            return yaml_file
        toml_file = candidate / PYPROJECT_NAME
        if toml_file.is_file() and _has_table(toml_file) and _table_present(toml_file):
            return toml_file
    return None


def _table_present(path: Path) -> bool:
    """Whether pyproject.toml has the table; a file that does not parse is reported by loading."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError:
        return False
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # it mentions the table but cannot be read: loading it says why
    return _toml_table(data) is not None


def discover(explicit: str | None = None, isolated: bool = False) -> Config:
    """The settings for a run: the file named by ``--config``, else the nearest one found.

    ``isolated`` ignores every configuration file.
    """
    if isolated:
        return Config()
    if explicit is not None:
        return load_config(explicit)
    found = find_config()
    return load_config(found) if found is not None else Config()
