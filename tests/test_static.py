"""The package type-checks under mypy --strict and passes ruff, as the style guide requires."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "mypy"],
        [sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks"],
    ],
    ids=["mypy", "ruff"],
)
def test_static_checks_pass(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        pytest.skip("interpreter not found")
    existing = [
        part
        for part in command
        if not part.startswith(("src", "tests", "benchmarks")) or (ROOT / part).exists()
    ]
    result = subprocess.run(existing, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
