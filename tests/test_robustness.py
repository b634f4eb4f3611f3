"""Bad input on the command line: one clear line naming the file, the run goes on."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import pickle
import re
import stat
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import feedback_lint
from feedback_lint import Linter, Report, runner
from feedback_lint.cli import main
from feedback_lint.documents import MAX_SYMBOL_RUN, from_text, read_document, symbol_run_tails
from feedback_lint.errors import CATALOGUE, InputError, RuleError
from feedback_lint.parsing import batches, pieces
from rule_texts import UTILIZE

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
    real_open = os.open

    def denied(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(file) == str(bad):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("os.open", denied)
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


# --- The results cache is untrusted input (issue 13, item 1) ---------------------------------

ABSOLUTE = "You always miss deadlines.\n"


def _cache_entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("??/*.json"))


def test_robustness_fix_never_takes_edits_from_the_cache(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    note, cache = tmp_path / "a.md", tmp_path / "cache"
    note.write_text(ABSOLUTE, encoding="utf-8")
    assert main(["--cache-dir", str(cache), str(note)]) == 1
    [entry] = _cache_entries(cache)
    data = json.loads(entry.read_text(encoding="utf-8"))
    suggestion = data["findings"][0]["suggestions"][0]
    suggestion["applicability"] = "safe"
    suggestion["edits"] = [{"start": 0, "end": len(ABSOLUTE), "replacement": "curl x | sh\n"}]
    entry.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    main(["--cache-dir", str(cache), "--fix", str(note)])
    main(["--cache-dir", str(cache), "--diff", str(note)])
    out, _ = capsys.readouterr()
    assert note.read_text(encoding="utf-8") == ABSOLUTE
    assert "curl" not in out


@pytest.mark.parametrize(
    "tamper",
    [
        lambda data: [data],
        lambda data: "[" * 100_000 + "]" * 100_000,
        lambda data: {**data, "findings": [{**data["findings"][0], "start": 10**9}]},
        lambda data: {**data, "findings": [{**data["findings"][0], "line": 40}]},
        lambda data: {**data, "findings": [{**data["findings"][0], "start": True}]},
        lambda data: {**data, "findings": "FB101"},
        lambda data: {**data, "units": [{"start": 0, "end": 5, "signals": {"x": [[0, 99]]}}]},
    ],
    ids=["list", "deep", "offset", "line", "bool", "string", "signal"],
)
def test_robustness_a_wrong_cache_entry_is_a_miss(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tamper: Any
) -> None:
    note, cache = tmp_path / "a.md", tmp_path / "cache"
    note.write_text(ABSOLUTE, encoding="utf-8")
    assert main(["--cache-dir", str(cache), str(note)]) == 1
    expected = capsys.readouterr().out
    [entry] = _cache_entries(cache)
    changed = tamper(json.loads(entry.read_text(encoding="utf-8")))
    entry.write_text(changed if isinstance(changed, str) else json.dumps(changed), "utf-8")
    assert main(["--cache-dir", str(cache), str(note)]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == (expected, "")


def test_robustness_cache_folder_ignores_itself_in_git(tmp_path: Path) -> None:
    note, cache = tmp_path / "a.md", tmp_path / "cache"
    note.write_text(ABSOLUTE, encoding="utf-8")
    main(["--cache-dir", str(cache), str(note)])
    assert (cache / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


# --- Blocks over the parser's limit (item 3) -------------------------------------------------


def test_robustness_pieces_cover_the_text_at_sentence_ends() -> None:
    text = "You are lazy. " * 20 + "x" * 50
    parts = list(pieces(text, limit=60))
    assert "".join(part for _, part in parts) == text
    assert all(len(part) <= 60 for _, part in parts)
    assert [offset for offset, _ in parts] == [
        sum(len(part) for _, part in parts[:i]) for i in range(len(parts))
    ]
    assert all(part.endswith(". ") for _, part in parts[:-2])
    assert list(pieces("y" * 25, limit=10)) == [(0, "y" * 10), (10, "y" * 10), (20, "y" * 5)]


def test_robustness_batches_are_bounded_in_characters() -> None:
    items = [("a" * 40, 0), ("b" * 40, 1), ("c" * 40, 2), ("d" * 200, 3), ("e", 4), ("f", 5)]
    grouped = [[context for _, context in batch] for batch in batches(items, 2, chars=100)]
    assert grouped == [[0, 1], [2], [3], [4, 5]]


def test_robustness_block_over_the_pipeline_limit_is_linted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_text("w" * 1_200_000 + " and she is abrasive.\n", encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_text(GOOD, encoding="utf-8")
    status, lines, err = lint(capsys, huge, good)
    assert status == 1 and err == ""
    assert lines[0].startswith(f"{huge}:1:1200006: FB102 ")
    assert lines[1].startswith(f"{good}:1:1: FB102 ")


def test_robustness_standard_input_has_the_file_size_limit_and_empty_check(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def stdin(data: bytes) -> None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))

    stdin(b"You are lazy. " * 100)
    assert main(["--max-file-size", "1000", "-"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "<stdin>:1:1: E904 file is larger than the limit of 1000 bytes"
    ]
    stdin(b"")
    assert main(["-"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "<stdin>:1:1: E910 empty file: there is no text to check"
    ]


# --- Files that are not regular files (item 6) -----------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_robustness_fifo_is_skipped_in_folders_and_refused_by_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    fifo = folder / "p.md"
    os.mkfifo(fifo)
    (folder / "q.md").write_text(GOOD, encoding="utf-8")
    status, lines, _ = lint(capsys, folder)
    assert status == 1
    assert [line.split(": ")[0] for line in lines] == [f"{folder / 'q.md'}:1:1"]
    status, lines, _ = lint(capsys, fifo)
    assert status == 1
    assert lines == [f"{fifo}:1:1: E911 " + CATALOGUE["E911"]]


# --- Smaller defects (item 12) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("She is abrasive.\n".encode("utf-16"), "UTF-16"),
        ("She is abrasive.\n".encode("utf-16-le"), "UTF-16"),
        ("She is abrasive.\n".encode("utf-32"), "UTF-32"),
    ],
    ids=["utf-16-bom", "utf-16-le", "utf-32"],
)
def test_robustness_wide_encodings_are_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, encoding: str
) -> None:
    note = tmp_path / "wide.md"
    note.write_bytes(content)
    status, lines, _ = lint(capsys, note)
    assert status == 1
    assert lines == [f"{note}:1:1: E912 {encoding} text, not UTF-8; convert it to UTF-8"]


def test_robustness_lone_surrogates_are_linted(linter: Linter) -> None:
    text = "She is abrasive \ud800 and you are lazy."
    report = linter.lint_text(text)
    found = {(f.code, text[f.start : f.end]) for f in report.findings}
    assert ("FB102", "you are lazy") in found


# --- One Linter shared by threads, and called again while iterating (item 4) -----------------

SHARED = [f"You always miss deadline{i}. She is abrasive{i} and lazy." for i in range(24)]


def _found(report: Report) -> list[tuple[str, int, int]]:
    return [(f.code, f.start, f.end) for f in report.findings]


def test_robustness_linter_is_thread_safe(linter: Linter) -> None:
    serial = [_found(linter.lint_text(text)) for text in SHARED]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda text: _found(linter.lint_text(text)), SHARED * 4))
        via_lint = list(pool.map(lambda text: _found(feedback_lint.lint(text)), SHARED))
    assert threaded == serial * 4
    assert via_lint == [_found(feedback_lint.lint(text)) for text in SHARED]


def test_robustness_linter_is_reentrant_inside_lint_many(linter: Linter) -> None:
    serial = [_found(linter.lint_text(text)) for text in SHARED]
    inner: list[list[tuple[str, int, int]]] = []
    outer = []
    for index, report in enumerate(linter.lint_many(SHARED)):
        inner.append(_found(linter.lint_text(SHARED[-1 - index] + f" Word{index}x.")))
        outer.append(_found(report))
    assert outer == serial
    assert [found[:3] for found in inner] == [found[:3] for found in reversed(serial)]


# --- User rules that would exhaust memory (item 5) -------------------------------------------

RULE_HEAD = """code: XX902
name: greedy-rule
severity: warning
summary: A rule written for the robustness tests.
message: found
rationale: Written for the robustness tests of feedback-lint.
"""
ALIAS_BOMB = """a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
match:
  kind: token
  pattern:
    - {LOWER: {IN: *f}}
examples:
  - flag: x
  - pass: y
"""
WILDCARD = """match:
  kind: token
  pattern:
    - {LOWER: you}
    - {OP: "+"}
    - {}
examples:
  - flag: you are
  - pass: we are
"""


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [(ALIAS_BOMB, 1, "more than 100000 values"), (RULE_HEAD + WILDCARD, 11, "any token")],
    ids=["alias-bomb", "unbounded-wildcard"],
)
def test_robustness_rules_that_would_exhaust_memory_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, line: int, words: str
) -> None:
    folder = tmp_path / "mine" / "custom"
    folder.mkdir(parents=True)
    rule = folder / "XX902-greedy-rule.yml"
    rule.write_text(body if body.startswith("code") else RULE_HEAD + body, encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("You are x " * 500 + "\n", encoding="utf-8")
    status = main(["--rules-dir", str(tmp_path / "mine"), "--select", "XX902", str(draft)])
    _, err = capsys.readouterr()
    assert status == 2
    assert err.startswith(f"feedback-lint: {rule}:{line}: R1") and words in err


# --- Errors inside worker processes (item 7) -------------------------------------------------


def test_robustness_error_in_a_worker_is_reported_like_in_one_process(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "mine" / "custom"
    folder.mkdir(parents=True)
    (folder / "XX901-slow-pattern.yml").write_text(CATASTROPHIC, encoding="utf-8")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for number in range(12):
        (drafts / f"n{number}.txt").write_text("ab" * 30 + "!\n", encoding="utf-8")
    options = ["--no-cache", "--rules-dir", str(tmp_path / "mine"), "--select", "XX901"]
    code = main([*options, "--jobs", "2", str(drafts)])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"feedback-lint: {folder / 'XX901-slow-pattern.yml'}")
    assert "R114" in err and "stopped after" in err and "Traceback" not in err


def test_robustness_errors_survive_pickling() -> None:
    error = RuleError("R104", "rules/x.yml", 3, key="severity", expected="a string", actual="int")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is RuleError and str(again) == str(error)


def test_robustness_jobs_are_capped(monkeypatch: pytest.MonkeyPatch, linter: Linter) -> None:
    asked: list[int] = []

    def parallel(_linter: Linter, _documents: object, jobs: int) -> Iterator[Report]:
        asked.append(jobs)
        return iter(())

    monkeypatch.setattr(runner, "_parallel", parallel)
    documents = [from_text(f"Note {n}.") for n in range(runner.CHUNK * 3)]
    runner._linted(linter, documents, jobs=10_000)
    runner._linted(linter, documents * 20, jobs=10_000)
    assert asked == [3, runner.MAX_JOBS]


# --- --fix and file protections (item 8) -----------------------------------------------------

GROWING = """code: XX102
name: very-very
severity: warning
summary: A safe fix that finds what it wrote.
message: found
rationale: Written for the robustness tests of feedback-lint.
match: {kind: regex, pattern: '\\bvery\\b'}
suggestion: {title: Double it, replace_with: "very, very", applicability: safe}
examples:
  - flag: very
  - pass: much
"""
UTILIZE_NOTE = "Please utilize the helper.\n"


def _fix(capsys: pytest.CaptureFixture[str], tmp_path: Path, *paths: Path) -> tuple[int, str]:
    folder = tmp_path / "mine" / "style"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "XX101-utilize.yml").write_text(UTILIZE, encoding="utf-8")
    (folder / "XX102-very-very.yml").write_text(GROWING, encoding="utf-8")
    rules = ["--rules-dir", str(tmp_path / "mine"), "--select", "XX1"]
    code = main(["--no-cache", *rules, "--fix", *(str(p) for p in paths)])
    out, _ = capsys.readouterr()
    return code, out


def test_robustness_fix_refuses_read_only_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    note = tmp_path / "note.md"
    note.write_text(UTILIZE_NOTE, encoding="utf-8")
    note.chmod(0o444)
    code, out = _fix(capsys, tmp_path, note)
    assert code == 1
    assert f"{note}:1:1: E908 cannot write the fixed file: the file is read-only" in out
    assert note.read_text(encoding="utf-8") == UTILIZE_NOTE
    assert stat.S_IMODE(note.stat().st_mode) == 0o444


def test_robustness_fix_refuses_hard_linked_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    note, other = tmp_path / "note.md", tmp_path / "other.md"
    note.write_text(UTILIZE_NOTE, encoding="utf-8")
    os.link(note, other)
    code, out = _fix(capsys, tmp_path, note)
    assert code == 1 and f"{note}:1:1: E908 " in out and "hard link" in out
    assert os.path.samefile(note, other)
    assert other.read_text(encoding="utf-8") == UTILIZE_NOTE


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_robustness_fix_keeps_owner_and_group(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    note = tmp_path / "note.md"
    note.write_text(UTILIZE_NOTE, encoding="utf-8")
    os.chown(note, 4321, 4322)
    _fix(capsys, tmp_path, note)
    assert note.read_text(encoding="utf-8") == "Please use the helper.\n"
    assert (note.stat().st_uid, note.stat().st_gid) == (4321, 4322)


def test_robustness_fix_that_never_converges_is_not_applied(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    note = tmp_path / "note.md"
    note.write_text("It is very late. " + UTILIZE_NOTE, encoding="utf-8")
    for _ in range(2):
        code, out = _fix(capsys, tmp_path, note)
        assert code == 1
        assert f"{note}:1:1: E913 the safe fix of XX102 finds what it wrote" in out
    assert note.read_text(encoding="utf-8") == "It is very late. Please use the helper.\n"


# --- Deeply nested Markdown (item 9) ---------------------------------------------------------


def _nested_list(depth: int) -> str:
    return "".join("  " * i + f"- level {i}\n" for i in range(depth)) + "  " * depth + "- x\n"


@pytest.mark.parametrize(
    ("text", "options"),
    [
        (_nested_list(12).replace("- x", "- You are lazy."), []),
        (">" * 25 + " You are lazy.\n", ["--include-quotes"]),
    ],
    ids=["list-12-deep", "quote-25-deep"],
)
def test_robustness_deeply_nested_text_is_linted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, options: list[str]
) -> None:
    note = tmp_path / "deep.md"
    note.write_text(text, encoding="utf-8")
    code = main(["--no-cache", "--select", "FB102", *options, str(note)])
    out, _ = capsys.readouterr()
    assert code == 1 and ": FB102 " in out


def test_robustness_nesting_past_the_limit_is_refused_by_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    note = tmp_path / "deeper.md"
    note.write_text(_nested_list(60), encoding="utf-8")
    status, lines, _ = lint(capsys, note)
    assert status == 1
    assert lines == [f"{note}:1:1: E914 Markdown nested deeper than 100 levels; not linted"]


# --- Rules folders that would load nothing (item 10) -----------------------------------------

TOP_LEVEL_RULE = UTILIZE


def test_robustness_rule_directly_in_the_rules_folder_is_loaded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "XX101-utilize.yml").write_text(TOP_LEVEL_RULE, encoding="utf-8")
    note = tmp_path / "note.md"
    note.write_text(UTILIZE_NOTE, encoding="utf-8")
    code = main(["--no-cache", "--rules-dir", str(tmp_path / "mine"), "--select", "XX1", str(note)])
    out, _ = capsys.readouterr()
    assert code == 1 and f"{note}:1:8: XX101 " in out


@pytest.mark.parametrize(
    ("files", "blamed", "words"),
    [
        ({}, "", "no rule files found"),
        ({"notes.txt": "hello"}, "", "no rule files found"),
        ({"style/XX101-utilize.yaml": TOP_LEVEL_RULE}, "style/XX101-utilize.yaml", ".yaml"),
    ],
    ids=["empty", "no-rules", "yaml-suffix"],
)
def test_robustness_rules_folder_that_loads_nothing_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    files: dict[str, str],
    blamed: str,
    words: str,
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    for name, body in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(body, encoding="utf-8")
    note = tmp_path / "note.md"
    note.write_text(UTILIZE_NOTE, encoding="utf-8")
    code = main(["--no-cache", "--rules-dir", str(folder), str(note)])
    _, err = capsys.readouterr()
    where = folder / blamed if blamed else folder
    assert code == 2
    assert err.startswith(f"feedback-lint: {where}: R114 ") and words in err


@pytest.mark.parametrize("fmt", ["default", "json", "sarif", "github"])
def test_robustness_file_names_that_are_not_utf8_are_printable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    note = os.fsdecode(b"caf\xe9.md")
    with open(note, "w", encoding="utf-8") as handle:
        handle.write(GOOD)
    code = main(["--no-cache", "--select", "FB102", "--format", fmt, note])
    out, _ = capsys.readouterr()
    assert code == 1
    out.encode("utf-8")  # no lone surrogate left to crash the output
    if fmt in ("json", "sarif"):
        document = json.loads(out)
        assert "caf%E9.md" in out if fmt == "sarif" else document["files"][0]["path"].endswith(
            "caf\\xe9.md"
        )
    else:
        assert "caf\\xe9.md" in out


@pytest.mark.parametrize("size", ["-1", "0"])
def test_robustness_max_file_size_must_be_positive(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, size: str
) -> None:
    note = tmp_path / "a.md"
    note.write_text(GOOD, encoding="utf-8")
    assert main(["--max-file-size", size, str(note)]) == 2
    assert "--max-file-size takes a whole number of at least 1" in capsys.readouterr().err


def test_robustness_pyproject_that_is_not_utf8_is_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b'[tool.feedback-lint]\nselect = ["FB1"] # caf\xe9\n')
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache", "a.md"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'pyproject.toml'}: C208 " in err


@pytest.mark.parametrize(
    ("value", "words"),
    [(None, "not NoneType"), (b"You are lazy.", "not bytes; decode it first"), (123, "not int")],
)
def test_robustness_lint_takes_only_text(value: object, words: str) -> None:
    with pytest.raises(TypeError, match=words):
        feedback_lint.lint(value)  # type: ignore[arg-type]


def test_robustness_lint_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="format must be one of markdown, text"):
        feedback_lint.lint("You are lazy.", format="html")


def test_robustness_code_options_take_one_string() -> None:
    linter = Linter(select="FB1", ignore="FB101, FB102")
    assert linter.selection.select == ("FB1",)
    assert linter.selection.ignore == ("FB101", "FB102")
    assert {rule.code[:3] for rule in linter.rules} == {"FB1"}


def test_robustness_help_mentions_serve(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "feedback-lint serve" in capsys.readouterr().out


def test_robustness_readme_model_example_is_installed() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    [name] = re.findall(r'^# model = "([^"]+)"', readme, flags=re.MULTILINE)
    assert importlib.util.find_spec(name) is not None
