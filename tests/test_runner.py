"""Running over many documents: worker processes and the results cache."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from feedback_lint import Linter, Report
from feedback_lint.cache import Cache
from feedback_lint.documents import Document, from_text
from feedback_lint.runner import lint_documents

TEXTS = [
    "You always miss deadlines.",
    "Thanks for the careful review.",
    "# Notes\n\nShe is abrasive in meetings.\n",
    "",
    "He never updates the ticket.",
] * 4


def documents() -> list[Document]:
    return [from_text(text, path=f"doc{i}.md") for i, text in enumerate(TEXTS)]


def summary(reports: Iterable[Report]) -> list[tuple[str, list[tuple[str, int, int]]]]:
    return [(r.path, [(f.code, f.start, f.end) for f in r.findings]) for r in reports]


def test_runner_processes_give_the_same_reports_in_order(linter: Linter) -> None:
    serial = summary(lint_documents(linter, documents(), jobs=1))
    parallel = summary(lint_documents(linter, documents(), jobs=2))
    assert parallel == serial
    assert [path for path, _ in serial] == [f"doc{i}.md" for i in range(len(TEXTS))]
    sentence_findings = [code for _, found in serial for code, _, _ in found if code < "FB3"]
    assert len(sentence_findings) == 12


def test_runner_cache_second_run_parses_nothing(
    linter: Linter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache(tmp_path / "cache", linter.fingerprint)
    first = summary(lint_documents(linter, documents(), cache=cache))
    assert cache.hits == 0

    def no_parsing(documents: Iterable[Document]) -> Iterator[Report]:
        raise AssertionError("parsed although every document was cached")

    monkeypatch.setattr(linter, "lint_documents", no_parsing)
    again = Cache(tmp_path / "cache", linter.fingerprint)
    second = summary(lint_documents(linter, documents(), cache=again))
    assert second == first
    assert again.hits == len(TEXTS)


def test_runner_cache_follows_content_and_fingerprint(linter: Linter, tmp_path: Path) -> None:
    cache = Cache(tmp_path, linter.fingerprint)
    document = from_text("You are lazy.", path="a.md")
    list(lint_documents(linter, [document], cache=cache))
    moved = from_text("You are lazy.", path="b.md")
    report = cache.get(moved)
    assert report is not None and report.path == "b.md"
    assert report.findings[0].path == "b.md"
    assert cache.get(from_text("You are lazy!", path="a.md")) is None
    assert Cache(tmp_path, "another fingerprint").get(document) is None


def test_runner_cache_ignores_damaged_entries(linter: Linter, tmp_path: Path) -> None:
    cache = Cache(tmp_path, linter.fingerprint)
    document = from_text("You are lazy.", path="a.md")
    list(lint_documents(linter, [document], cache=cache))
    (entry,) = tmp_path.glob("*/*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert cache.get(document) is None
    entry.write_text(json.dumps({"format": 999}), encoding="utf-8")
    assert cache.get(document) is None
    (report,) = lint_documents(linter, [document], cache=cache)
    assert [f.code for f in report.findings if f.code < "FB3"] == ["FB102"]


def test_runner_fingerprint_changes_with_rules() -> None:
    assert Linter().fingerprint != Linter(ignore=["FB101"]).fingerprint
    assert Linter().fingerprint == Linter().fingerprint


def test_runner_fingerprint_changes_with_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # another commit of the same version: what it cached is not this code's result
    from feedback_lint import linter as linter_module

    package = tmp_path / "feedback_lint"
    package.mkdir()
    (package / "linter.py").write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setattr(linter_module, "__file__", str(package / "linter.py"))
    linter_module.code_digest.cache_clear()
    try:
        before = Linter().fingerprint
        (package / "linter.py").write_text("A = 2\n", encoding="utf-8")
        linter_module.code_digest.cache_clear()
        assert Linter().fingerprint != before
    finally:
        monkeypatch.undo()
        linter_module.code_digest.cache_clear()


def test_runner_command_line_uses_cache_and_jobs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedback_lint.cli import main

    files = []
    for index, text in enumerate(TEXTS):
        if text:
            path = tmp_path / f"note{index}.md"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
    args = ["--isolated", "--select", "FB1", "--cache-dir", str(tmp_path / "cache"), *files]
    assert main(["--jobs", "2", *args]) == 1
    first = capsys.readouterr().out
    assert first.count(" FB10") == 12

    def no_parsing(self: Linter, documents: Iterable[Document]) -> Iterator[Report]:
        raise AssertionError("parsed although every file was cached")

    monkeypatch.setattr(Linter, "lint_documents", no_parsing)
    assert main(["--jobs", "1", *args]) == 1
    assert capsys.readouterr().out == first
    with pytest.raises(AssertionError, match="parsed although"):
        main(["--no-cache", *args])


def test_runner_command_line_max_file_size(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from feedback_lint.cli import main

    path = tmp_path / "long.md"
    path.write_text("Thanks for the review. " * 100, encoding="utf-8")
    assert main(["--isolated", "--no-cache", "--max-file-size", "1000", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path}:1:1: E904 file is larger than the limit of 1000 bytes\n"
    )
