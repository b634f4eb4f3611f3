"""Shared fixtures: one real linter for the whole run, and a helper to write rule folders."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from feedback_lint import Linter
from feedback_lint.rules.yamlfile import CACHE_VARIABLE


@pytest.fixture(scope="session", autouse=True)
def _rules_cache_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep parsed rule files in a folder of this run, never in the user's cache
    (subprocesses inherit it)."""
    os.environ.setdefault(CACHE_VARIABLE, str(tmp_path_factory.mktemp("rules-cache")))


@pytest.fixture(scope="session")
def linter() -> Linter:
    """A linter with every built-in rule selected, on the real English pipeline."""
    return Linter(select=["ALL"])


RuleWriter = Callable[..., Path]


@pytest.fixture
def rule_dir(tmp_path: Path) -> RuleWriter:
    """Write rule files (and lexicons) into a fresh rules folder and return the folder."""

    def write(rules: dict[str, str], lexicons: dict[str, str] | None = None) -> Path:
        root = tmp_path / "rules"
        for relative, body in rules.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
        for name, body in (lexicons or {}).items():
            path = root / "lexicons" / f"{name}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
        root.mkdir(exist_ok=True)
        return root

    return write
