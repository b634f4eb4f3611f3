"""Bad input on the command line: one clear line naming the file, the run goes on."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from feedback_lint.cli import main
from feedback_lint.documents import MAX_SYMBOL_RUN, from_text, read_document, symbol_run_tails
from feedback_lint.errors import InputError

GOOD = "She is abrasive.\n"


def lint(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[str], str]:
    # The structure rules (FB3xx) would add findings about the whole note; not the point here.
    code = main(["--extend-ignore", "FB3", *(str(p) for p in paths)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E903"),
        (b"caf\xe9 au lait\n", "E902"),
        (b"", "E910"),
        (b"  \n\n\t\n", "E910"),
        (b"text with a NUL \x00 byte", "E903"),
    ],
    ids=["binary", "latin-1", "empty", "blank", "nul"],
)
def test_robustness_bad_file_is_one_line_and_others_are_linted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, code: str
) -> None:
    bad, good = tmp_path / "bad.md", tmp_path / "good.md"
    bad.write_bytes(content)
    good.write_text(GOOD, encoding="utf-8")
    status, lines, err = lint(capsys, bad, good)
    assert status == 1
    assert err == ""
    assert len(lines) == 2
    assert lines[0].startswith(f"{bad}:") and f" {code} " in lines[0]
    assert lines[1].startswith(f"{good}:1:1: FB102 ")


def test_robustness_missing_and_looping_paths(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    loop = tmp_path / "loop.md"
    os.symlink(loop, loop)
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    status, lines, _ = lint(capsys, tmp_path / "missing.md", loop, good)
    assert status == 1
    assert f"{tmp_path / 'missing.md'}:1:1: E906 " in lines[0]
    assert lines[1].startswith(f"{loop}:1:1: E901 cannot read: ")
    assert lines[2].startswith(f"{good}:1:1: FB102")


def test_robustness_unreadable_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "secret.md"
    bad.write_text(GOOD, encoding="utf-8")
    real_open = open

    def denied(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(file) == str(bad):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", denied)
    status, lines, _ = lint(capsys, bad)
    assert status == 1
    assert lines == [f"{bad}:1:1: E901 cannot read: Permission denied"]


def test_robustness_directory_with_a_loop_is_walked_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text(GOOD, encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "notes" / "back")
    status, lines, _ = lint(capsys, tmp_path)
    assert status == 1
    assert lines == [
        f"{tmp_path / 'notes' / 'a.md'}:1:1: FB102 "
        '"She is abrasive" labels the person; describe what they did instead.'
    ]


def test_robustness_large_file_is_refused_with_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("You are lazy. " * 1000)
    with pytest.raises(InputError) as caught:
        read_document(big, max_bytes=1000)
    assert caught.value.code == "E904" and "1000 bytes" in str(caught.value)
    assert str(big) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "tails"),
    [
        ("You are lazy" + "!" * 12_000, [(12 + MAX_SYMBOL_RUN, 12_012)]),
        ("🎉" * 25 + " ok " + "?!" * 6, [(MAX_SYMBOL_RUN, 25), (29 + MAX_SYMBOL_RUN, 41)]),
        ("_" * 40 + "x" + "-" * 11, [(MAX_SYMBOL_RUN, 40), (41 + MAX_SYMBOL_RUN, 52)]),
        ("Wow!!! What?! " + "." * MAX_SYMBOL_RUN + " 👍🏽👍🏽", []),
    ],
    ids=["exclamations", "emoji-and-mixed", "underscores-and-dashes", "short-runs-kept"],
)
def test_robustness_long_symbol_runs_keep_only_their_head(
    text: str, tails: list[tuple[int, int]]
) -> None:
    assert list(symbol_run_tails(text)) == tails
    for fmt in ("text", "markdown"):
        document = from_text(text, format=fmt)  # type: ignore[arg-type]
        assert len(document.prose) == len(text)
        for start, end in tails:
            assert document.prose[start:end].strip() == ""
            head = slice(start - MAX_SYMBOL_RUN, start)
            assert document.prose[head] == text[head]
        parsed = " ".join(document.parse_text(block) for block in document.blocks)
        assert not re.search(rf"(?:[^\w\s]|_){{{MAX_SYMBOL_RUN + 1}}}", parsed)


def test_robustness_long_symbol_runs_are_linted_quickly_at_the_right_place(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # spaCy's tokenizer alone took 12 s over 10,000 "!" and 25 s over 10,000 emoji.
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "Thanks for the demo " + "🎉" * 10_000 + "\n\n" + "You are lazy" + "!" * 12_000 + "\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    status = main(["--no-cache", "--extend-ignore", "FB3", str(draft)])
    assert time.monotonic() - started < 30  # pipeline loading included
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert status == 1 and err == ""
    assert lines == [
        f"{draft}:3:1: FB102 "
        '"You are lazy" labels the person; describe what they did instead.'
    ]


CATASTROPHIC = r"""code: XX901
name: slow-pattern
severity: warning
summary: A pattern that backtracks for ever.
message: found
rationale: Written for the robustness tests of feedback-lint.
match:
  kind: regex
  pattern: '(\w|\w\w)+\d'
examples:
  - flag: aaa
  - pass: b
"""


def test_robustness_catastrophic_regex_is_stopped_and_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "mine" / "custom"
    folder.mkdir(parents=True)
    (folder / "XX901-slow-pattern.yml").write_text(CATASTROPHIC, encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("ab" * 30 + "!\n", encoding="utf-8")
    code = main(["--rules-dir", str(tmp_path / "mine"), "--select", "XX901", str(draft)])
    _, err = capsys.readouterr()
    assert code == 2
    assert "XX901" in err and "stopped after" in err
    assert str(folder / "XX901-slow-pattern.yml") in err
