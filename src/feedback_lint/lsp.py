"""The language server (``feedback-lint lsp``): findings as diagnostics in any LSP editor.

It speaks the Language Server Protocol over standard input and output (pygls,
the ``lsp`` extra). Markdown and plain-text documents are linted when opened,
changed and saved; each finding becomes a diagnostic whose ``code`` is the
rule code, whose ``source`` is ``feedback-lint`` and whose ``codeDescription``
links to the rule, and each rewrite becomes a quick fix. Settings come from
the ``pyproject.toml`` or ``.feedback-lint.yaml`` nearest to the document, as
on the command line.

The English pipeline is loaded once and shared by the linters of every
configuration. All spaCy work runs in one worker thread, so the protocol loop
always stays free; changes are debounced, so only the text a writer paused on
is linted, and a result for a text that has changed since is dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from .config import Config, find_config, load_config
from .documents import Format
from .errors import FeedbackLintError
from .findings import Applicability, Finding, Severity
from .matching import required_components
from .rules import Rule

if TYPE_CHECKING:
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
    from pygls.workspace import TextDocument

    from .config import Settings
    from .linter import Linter

SOURCE: Final = "feedback-lint"
#: Seconds to wait after the last change before linting (``debounce`` initialization option).
DEFAULT_DEBOUNCE: Final = 0.3
_LANGUAGES: Final[dict[str, Format]] = {"markdown": "markdown", "plaintext": "text", "text": "text"}
_SUFFIXES: Final[dict[str, Format]] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}


def document_format(language_id: str | None, path: str) -> Format | None:
    """The format to lint a document as, or ``None`` when it is neither Markdown nor text."""
    if language_id in _LANGUAGES:
        return _LANGUAGES[language_id]
    return _SUFFIXES.get(Path(path).suffix.lower())


def rule_link(rule: Rule, template: str | None) -> str:
    """Where a rule's documentation is: ``template`` filled in, else the rule file itself."""
    if template:
        return template.format(code=rule.code, name=rule.name)
    return Path(rule.path).resolve().as_uri()


@dataclass(frozen=True)
class _Configured:
    """The settings and the linter for one configuration file (or none)."""

    settings: Settings
    linter: Linter


class Linters:
    """One linter per configuration file, rebuilt when the file changes, sharing one pipeline.

    Everything here runs in the server's worker thread.
    """

    def __init__(self) -> None:
        self._by_config: dict[tuple[Path | None, int], _Configured] = {}
        self._nlp: Any = None
        self._nlp_name = ""

    def for_folder(self, folder: Path) -> _Configured:
        """The settings and linter for documents in ``folder``; a bad file raises its error."""
        found = find_config(folder)
        key = (found, found.stat().st_mtime_ns if found is not None else 0)
        configured = self._by_config.get(key)
        if configured is None:
            from .cli import build_linter
            from .config import build_parser, settings

            config = load_config(found) if found is not None else Config()
            args = build_parser().parse_args([])
            chosen = settings(args, config)
            linter = build_linter(args, chosen)
            self._share_pipeline(linter)
            configured = _Configured(chosen, linter)
            self._by_config = {k: v for k, v in self._by_config.items() if k[0] != found}
            self._by_config[key] = configured
        return configured

    def _share_pipeline(self, linter: Linter) -> None:
        if self._nlp is None:
            # Every rule's components, so that other configurations' selections can share it.
            from .parsing import load_pipeline

            needed = required_components(linter.all_rules, linter.signals)
            self._nlp = load_pipeline(linter.pipeline_name, needed)
            self._nlp_name = linter.pipeline_name
        needed = required_components(linter.rules, linter.signals)
        if linter.pipeline_name == self._nlp_name and needed <= set(self._nlp.pipe_names):
            linter.nlp = self._nlp


def lint_document(linters: Linters, text: str, path: str, format: Format) -> list[Finding]:
    """The findings for an editor's text of ``path``, after the configuration's exclusions."""

    configured = linters.for_folder(Path(path).parent)
    if configured.settings.exclude.matches(path, is_dir=False):
        return []
    report = configured.linter.lint_text(text, path=path, format=format)
    return list(configured.settings.ignored(report).findings)


_SEVERITIES: Final = {
    Severity.ERROR: 1,
    Severity.WARNING: 2,
    Severity.INFO: 3,
}


def _range(document: TextDocument, finding: Finding) -> types.Range:
    from lsprotocol import types

    codec, lines = document.position_codec, document.lines
    start = types.Position(line=finding.line - 1, character=finding.column - 1)
    end = types.Position(line=finding.end_line - 1, character=finding.end_column - 1)
    return types.Range(
        start=codec.position_to_client_units(lines, start),
        end=codec.position_to_client_units(lines, end),
    )


def _offset_range(document: TextDocument, start: int, end: int) -> types.Range:
    """The client's range of the character offsets ``start:end`` of the document's text."""
    from lsprotocol import types

    text = document.source

    def position(offset: int) -> types.Position:
        line = text.count("\n", 0, offset)
        column = offset - (text.rfind("\n", 0, offset) + 1)
        return document.position_codec.position_to_client_units(
            document.lines, types.Position(line=line, character=column)
        )

    return types.Range(start=position(start), end=position(end))


def diagnostic(
    document: TextDocument, finding: Finding, rules: dict[str, Rule], docs: str | None
) -> types.Diagnostic:
    """One finding as an LSP diagnostic; its rewrites travel in ``data`` for the quick fixes."""
    from lsprotocol import types

    rule = rules.get(finding.code)
    fixes = [
        {
            "title": suggestion.title,
            "preferred": suggestion.applicability is Applicability.SAFE,
            "edits": [
                {
                    "range": _to_json(_offset_range(document, edit.start, edit.end)),
                    "newText": edit.replacement,
                }
                for edit in suggestion.edits
            ],
        }
        for suggestion in finding.suggestions
        if suggestion.edits
    ]
    return types.Diagnostic(
        range=_range(document, finding),
        message=finding.message,
        severity=types.DiagnosticSeverity(_SEVERITIES[finding.severity]),
        code=finding.code,
        code_description=(
            types.CodeDescription(href=rule_link(rule, docs)) if rule is not None else None
        ),
        source=SOURCE,
        data={"fixes": fixes},
    )


def _to_json(value: object) -> Any:
    from lsprotocol import converters

    return converters.get_converter().unstructure(value)


def code_actions(uri: str, diagnostics: Sequence[types.Diagnostic]) -> list[types.CodeAction]:
    """Quick fixes applying the rewrites carried by this server's diagnostics."""
    from lsprotocol import converters, types

    converter = converters.get_converter()
    actions = []
    for item in diagnostics:
        if item.source != SOURCE or not isinstance(item.data, dict):
            continue
        for fix in item.data.get("fixes", []):
            try:
                edits = [converter.structure(edit, types.TextEdit) for edit in fix["edits"]]
                title = str(fix["title"])
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # data from an older server or another tool: no action
            actions.append(
                types.CodeAction(
                    title=f"{item.code}: {title}",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[item],
                    is_preferred=bool(fix.get("preferred")),
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                )
            )
    return actions


def error_diagnostic(error: FeedbackLintError) -> types.Diagnostic:
    """A configuration or rule error, shown on the document's first line."""
    from lsprotocol import types

    start = types.Position(line=0, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=start),
        message=str(error),
        severity=types.DiagnosticSeverity.Error,
        code=error.code,
        source=SOURCE,
    )


def build_server() -> LanguageServer:
    """The language server, its handlers registered; start it with ``start_io()``."""
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
    from pygls.uris import to_fs_path

    from . import __version__

    server = LanguageServer(SOURCE, __version__)
    linters = Linters()
    executor = ThreadPoolExecutor(1, thread_name_prefix="feedback-lint-lsp")
    pending: dict[str, asyncio.Task[None]] = {}
    options: dict[str, Any] = {"debounce": DEFAULT_DEBOUNCE, "ruleDocs": None}

    def fs_path(uri: str) -> str:
        path = to_fs_path(uri)
        if path is None:  # an unsaved document: settings of the first workspace folder
            root = server.workspace.root_path or str(Path.cwd())
            return str(Path(root) / "untitled.md")
        return path

    def findings_for(text: str, path: str, format: Format) -> tuple[list[Finding], dict[str, Rule]]:
        found = lint_document(linters, text, path, format)
        rules = {rule.code: rule for rule in linters.for_folder(Path(path).parent).linter.rules}
        return found, rules

    async def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        path = fs_path(uri)
        format = document_format(document.language_id, path)
        if format is None:
            return
        text, version = document.source, document.version
        loop = asyncio.get_running_loop()
        try:
            found, rules = await loop.run_in_executor(executor, findings_for, text, path, format)
            diagnostics = [diagnostic(document, f, rules, options["ruleDocs"]) for f in found]
        except FeedbackLintError as error:
            diagnostics = [error_diagnostic(error)]
        current = server.workspace.get_text_document(uri)
        if current.version != version or current.source != text:
            return  # changed meanwhile: the newer text's own run publishes
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def schedule(uri: str, delay: float) -> None:
        previous = pending.pop(uri, None)
        if previous is not None:
            previous.cancel()

        async def later() -> None:
            if delay:
                await asyncio.sleep(delay)
            await publish(uri)

        task = asyncio.ensure_future(later())
        pending[uri] = task

        def forget(done: asyncio.Task[None]) -> None:
            if pending.get(uri) is done:
                del pending[uri]

        task.add_done_callback(forget)

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        given = params.initialization_options
        if isinstance(given, dict):
            debounce = given.get("debounce")
            if isinstance(debounce, (int, float)) and 0 <= debounce <= 10:
                options["debounce"] = float(debounce)
            if isinstance(given.get("ruleDocs"), str):
                options["ruleDocs"] = given["ruleDocs"]

    @server.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        # Load the pipeline while the writer opens a file, not on the first lint.
        root = Path(server.workspace.root_path or Path.cwd())

        def warm_up() -> None:
            # An error is reported on the first document, where the writer sees it.
            with contextlib.suppress(FeedbackLintError):
                linters.for_folder(root).linter.lint_text("You always miss deadlines.")

        executor.submit(warm_up)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        schedule(params.text_document.uri, options["debounce"])

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        previous = pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        return code_actions(params.text_document.uri, params.context.diagnostics)

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        for task in pending.values():
            task.cancel()
        executor.shutdown(wait=False, cancel_futures=True)

    return server


def build_parser() -> argparse.ArgumentParser:
    """The arguments of ``feedback-lint lsp``."""
    parser = argparse.ArgumentParser(
        prog="feedback-lint lsp",
        description="Serve diagnostics and quick fixes to an editor over the Language Server "
        "Protocol, on standard input and output.",
    )
    parser.add_argument(
        "--stdio", action="store_true", help="talk over standard input and output (the default)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``feedback-lint lsp``: serve over stdio until the editor exits."""
    build_parser().parse_args(argv)
    if importlib.util.find_spec("pygls") is None:
        sys.stderr.write(
            "feedback-lint: the language server needs the lsp extra:"
            " python -m pip install 'feedback-lint[lsp]'\n"
        )
        return 2
    build_server().start_io()
    return 0
