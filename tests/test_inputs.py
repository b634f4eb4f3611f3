"""Inputs: folders, globs, gitignore-like exclude patterns, and the progress line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from feedback_lint.errors import InputError
from feedback_lint.inputs import PathFilter, expand_paths
from feedback_lint.progress import Progress


def tree(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("text\n")


def relative(root: Path, entries: list[str | InputError]) -> list[str]:
    return [
        Path(e).relative_to(root).as_posix() if isinstance(e, str) else f"{e.code} {e.path}"
        for e in entries
    ]


def test_inputs_folders_recurse_into_prose_files_only(tmp_path: Path) -> None:
    tree(tmp_path, "a.md", "b.txt", "c.py", "img.png", "sub/d.markdown", ".hidden/e.md")
    assert relative(tmp_path, list(expand_paths([str(tmp_path)]))) == [
        "a.md",
        "b.txt",
        "sub/d.markdown",
    ]


def test_inputs_globs_and_duplicates(tmp_path: Path) -> None:
    tree(tmp_path, "docs/a.md", "docs/deep/b.md", "docs/pic.png", "notes/c.txt")
    entries = list(
        expand_paths(
            [
                str(tmp_path / "docs" / "**"),
                str(tmp_path / "docs" / "a.md"),
                str(tmp_path / "nothing" / "*.md"),
            ]
        )
    )
    assert relative(tmp_path, entries[:2]) == ["docs/a.md", "docs/deep/b.md"]
    assert len(entries) == 3 and isinstance(entries[2], InputError)
    assert entries[2].code == "E909"


@pytest.mark.parametrize(
    ("pattern", "excluded"),
    [
        ("drafts/", {"drafts/a.md", "x/drafts/b.md"}),
        ("/drafts", {"drafts/a.md"}),
        ("*.tmp.md", {"c.tmp.md", "x/d.tmp.md"}),
        ("x/**/*.md", {"x/drafts/b.md", "x/d.tmp.md", "x/e.md"}),
        ("x/*.md", {"x/d.tmp.md", "x/e.md"}),
        ("**/b.md", {"x/drafts/b.md"}),
        ("c.tmp.?d", {"c.tmp.md"}),
        ("[cx]*", {"c.tmp.md", "x/drafts/b.md", "x/d.tmp.md", "x/e.md"}),
    ],
)
def test_inputs_exclude_is_gitignore_like(tmp_path: Path, pattern: str, excluded: set[str]) -> None:
    names = ["drafts/a.md", "x/drafts/b.md", "c.tmp.md", "x/d.tmp.md", "x/e.md", "keep.md"]
    tree(tmp_path, *names)
    kept = relative(
        tmp_path, list(expand_paths([str(tmp_path)], PathFilter([(pattern, tmp_path)])))
    )
    assert set(kept) == set(names) - excluded


def test_inputs_exclude_negation_and_named_files(tmp_path: Path) -> None:
    tree(tmp_path, "a.md", "b.md")
    exclude = PathFilter([("*.md", tmp_path), ("!b.md", tmp_path)])
    named = [str(tmp_path / "a.md"), str(tmp_path / "b.md")]
    assert relative(tmp_path, list(expand_paths(named, exclude))) == ["b.md"]
    outside = PathFilter([("*.md", tmp_path / "elsewhere")])
    assert len(list(expand_paths(named, outside))) == 2


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_inputs_progress_only_on_a_terminal_for_long_runs() -> None:
    now = [0.0]
    terminal = Terminal()
    progress = Progress(3, terminal, delay=0.5, interval=0.1, clock=lambda: now[0])
    progress.advance("a.md")  # too early: nothing
    now[0] = 1.0
    progress.advance("b.md")
    progress.advance("c.md")  # within the interval: not redrawn
    progress.close()
    assert terminal.getvalue() == "\r\033[Kfeedback-lint: [2/3] b.md\r\033[K"
    pipe = io.StringIO()
    quiet = Progress(3, pipe, delay=0, clock=lambda: now[0])
    for name in ("a", "b", "c"):
        quiet.advance(name)
    quiet.close()
    assert pipe.getvalue() == ""
