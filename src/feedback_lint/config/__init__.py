"""Configuration: settings files, the command's options, and how they merge.

- :mod:`.files` reads ``[tool.feedback-lint]`` in pyproject.toml or ``.feedback-lint.yaml``;
- :mod:`.options` declares the command-line options (flake8's names);
- :mod:`.settings` merges them: options over the file over the defaults, and
  per-file-ignores.
"""

from __future__ import annotations

from .files import (
    KEYS,
    PYPROJECT_NAME,
    TOML_TABLE,
    UNITS,
    YAML_NAME,
    Config,
    discover,
    find_config,
    load_config,
)
from .options import SEVERITIES, build_parser
from .settings import Settings, blame_config, settings

__all__ = [
    "KEYS",
    "PYPROJECT_NAME",
    "SEVERITIES",
    "TOML_TABLE",
    "UNITS",
    "YAML_NAME",
    "Config",
    "Settings",
    "blame_config",
    "build_parser",
    "discover",
    "find_config",
    "load_config",
    "settings",
]
