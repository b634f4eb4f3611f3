"""The language server, driven over stdio by a real LSP client (pytest-lsp, on pygls).

One server process serves the whole module, as an editor keeps one running.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the lsp extra is not installed")
pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed")

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from feedback_lint import Linter
from feedback_lint.lsp import code_actions, document_format

DIAGNOSTICS = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
in_server = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace folder with a sub-folder whose configuration ignores FB101."""
    root = tmp_path_factory.mktemp("workspace")
    quiet = root / "quiet"
    quiet.mkdir()
    (quiet / ".feedback-lint.yaml").write_text("ignore: [FB101]\n", encoding="utf-8")
    broken = root / "broken"
    broken.mkdir()
    (broken / ".feedback-lint.yaml").write_text("selekt: [FB1]\n", encoding="utf-8")
    return root


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "feedback_lint", "lsp"]),
)
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        root_uri=workspace.as_uri(),
        initialization_options={"debounce": 0.2},
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def _published(client: LanguageClient, uri: str) -> types.PublishDiagnosticsParams:
    """The next diagnostics published for ``uri``."""
    while True:
        params = await asyncio.wait_for(client.wait_for_notification(DIAGNOSTICS), 120)
        if params.uri == uri:
            return params  # type: ignore[no-any-return]


def _open(client: LanguageClient, path: Path, text: str, language: str = "markdown") -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=1, text=text
            )
        )
    )
    return uri


def _change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


@in_server
async def test_lsp_open_publishes_fb101_and_code_action_applies_the_rewrite(
    client: LanguageClient, workspace: Path
) -> None:
    text = "You always miss deadlines."
    uri = _open(client, workspace / "review.md", text)
    published = await _published(client, uri)
    (found,) = [d for d in published.diagnostics if d.code == "FB101"]
    assert found.source == "feedback-lint"
    assert found.severity is not None
    assert found.range == types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=15)
    )
    assert found.code_description is not None
    assert "FB101" in found.code_description.href
    expected = Linter().lint_text(text, path="review.md")
    (fb101,) = [f for f in expected.findings if f.code == "FB101"]
    assert found.message == fb101.message

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=found.range,
            context=types.CodeActionContext(diagnostics=[found]),
        )
    )
    assert actions
    action = actions[0]
    assert isinstance(action, types.CodeAction)
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes[uri]
    suggestion = fb101.suggestions[0]
    (wanted,) = suggestion.edits
    assert edit.new_text == wanted.replacement
    assert edit.range.start.character == wanted.start
    assert edit.range.end.character == wanted.end
    assert suggestion.title in action.title


@in_server
async def test_lsp_ranges_count_utf16_code_units(client: LanguageClient, workspace: Path) -> None:
    uri = _open(client, workspace / "emoji.md", "🎉🎉 Thanks! You always miss deadlines.")
    published = await _published(client, uri)
    (found,) = [d for d in published.diagnostics if d.code == "FB101"]
    # Each emoji is one character but two UTF-16 code units.
    assert found.range.start == types.Position(line=0, character=13)
    assert found.range.end == types.Position(line=0, character=28)


@in_server
async def test_lsp_quick_changes_report_only_the_latest_text(
    client: LanguageClient, workspace: Path
) -> None:
    uri = _open(client, workspace / "draft.md", "Thanks for the fix.")
    first = await _published(client, uri)
    assert list(first.diagnostics) == []
    drafts = ["You", "You are", "You are lazy", "Line one.\n\nYou are lazy."]
    for version, draft in enumerate(drafts, start=2):
        _change(client, uri, version, draft)
    published = await _published(client, uri)
    assert published.version == len(drafts) + 1
    (label,) = [d for d in published.diagnostics if d.code == "FB102"]
    assert label.range.start == types.Position(line=2, character=0)


@in_server
async def test_lsp_uses_the_nearest_configuration_file(
    client: LanguageClient, workspace: Path
) -> None:
    uri = _open(client, workspace / "quiet" / "note.md", "You always miss deadlines. You are lazy.")
    published = await _published(client, uri)
    codes = {d.code for d in published.diagnostics}
    assert "FB102" in codes
    assert "FB101" not in codes


@in_server
async def test_lsp_reads_an_edited_configuration_file_again(
    client: LanguageClient, workspace: Path
) -> None:
    folder = workspace / "edited"
    folder.mkdir()
    settings = folder / ".feedback-lint.yaml"
    settings.write_text("ignore: [FB101]\n", encoding="utf-8")
    uri = _open(client, folder / "note.md", "You always miss deadlines. You are lazy.")
    before = {d.code for d in (await _published(client, uri)).diagnostics}
    settings.write_text("ignore: [FB102]\n", encoding="utf-8")
    os.utime(settings, ns=(time.time_ns() + 10**9,) * 2)  # a new modification time, surely
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    after = {d.code for d in (await _published(client, uri)).diagnostics}
    assert "FB102" in before and "FB101" not in before
    assert "FB101" in after and "FB102" not in after


@in_server
async def test_lsp_bad_configuration_is_one_error_diagnostic(
    client: LanguageClient, workspace: Path
) -> None:
    uri = _open(client, workspace / "broken" / "note.txt", "You are lazy.", language="plaintext")
    published = await _published(client, uri)
    (error,) = published.diagnostics
    assert error.severity == types.DiagnosticSeverity.Error
    assert "selekt" in error.message and ".feedback-lint.yaml" in error.message


def test_lsp_document_format_lints_markdown_and_text_only() -> None:
    assert document_format("markdown", "/x/notes") == "markdown"
    assert document_format("plaintext", "/x/notes") == "text"
    assert document_format("text", "/x/notes") == "text"  # Neovim sends its filetype
    assert document_format(None, "/x/notes.md") == "markdown"
    assert document_format("python", "/x/tool.py") is None


def test_lsp_code_actions_ignore_other_sources_and_malformed_data() -> None:
    start = types.Position(line=0, character=0)
    span = types.Range(start=start, end=start)
    others = [
        types.Diagnostic(range=span, message="x", source="vale", data={"fixes": []}),
        types.Diagnostic(
            range=span, message="x", source="feedback-lint", data={"fixes": [{"edits": 3}]}
        ),
        types.Diagnostic(range=span, message="x", source="feedback-lint", data="nonsense"),
    ]
    assert code_actions("file:///x.md", others) == []
