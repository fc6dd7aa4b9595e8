"""End-to-end tests of `fabricc lsp` with pytest-lsp: a real client talks
to the server over stdio, as an editor does. Run by scripts/test with the
PyPI tools it installs; FABRICC is the fabricc executable to test."""
import json
import os
import pathlib
import subprocess
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

FABRICC = os.environ.get("FABRICC", str(pathlib.Path(__file__).parents[2] / ".build/debug/fabricc"))

MAIN = """\
include "reflectors.fab"
fabric dc1 {
    asn 65000
}
pool public {
    prefix 203.0.113.0/24
    announce host-routes
}
host kvm1 {
    address 10.0.0.21
    reflectors rr1, rr2
    vm web1 {
        pool public
    }
}
"""

REFLECTORS = """\
reflector rr1 {
    address 10.0.0.11
}
reflector rr2 {
    address 10.0.0.12
}
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "main.fab").write_text(MAIN)
    (tmp_path / "reflectors.fab").write_text(REFLECTORS)
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[FABRICC, "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=None)
    )
    yield
    await lsp_client.shutdown_session()


def open_doc(client, path, text, version=1):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id="fab", version=version, text=text)
        )
    )


def change(client, path, text, version):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def cli_short(path):
    out = subprocess.run([FABRICC, "check", "--diagnostic-format", "json", str(path)], capture_output=True, text=True)
    return json.loads(out.stdout)


@pytest.mark.asyncio
async def test_host_bits_error_matches_check_then_clears(client: LanguageClient, project):
    main = project / "main.fab"
    broken = MAIN.replace("203.0.113.0/24", "203.0.113.1/24")
    main.write_text(broken)
    open_doc(client, main, broken)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    diagnostics = client.diagnostics[main.as_uri()]
    assert [d.code for d in diagnostics] == ["FAB1013"]
    # The same line and column as `fabricc check` (1-based there).
    expected = [d for d in cli_short(main)["diagnostics"] if d["code"] == "FAB1013"][0]
    start = diagnostics[0].range.start
    assert (start.line + 1, start.character + 1) == (expected["span"]["line"], expected["span"]["column"])
    # Fixed: the diagnostic goes.
    change(client, main, MAIN, 2)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[main.as_uri()]) == []


@pytest.mark.asyncio
async def test_hover_on_a_diagnostic_explains_it(client: LanguageClient, project):
    main = project / "main.fab"
    broken = MAIN.replace("203.0.113.0/24", "203.0.113.1/24")
    open_doc(client, main, broken)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    start = client.diagnostics[main.as_uri()][0].range.start
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=main.as_uri()), position=start)
    )
    explanation = subprocess.run([FABRICC, "explain", "FAB1013"], capture_output=True, text=True).stdout
    assert "FAB1013" in hover.contents.value
    assert explanation.split("\n\n", 1)[1].strip().split("\n")[0] in hover.contents.value


@pytest.mark.asyncio
async def test_definition_of_a_reflector_in_an_included_file(client: LanguageClient, project):
    main = project / "main.fab"
    open_doc(client, main, MAIN)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    line = MAIN.splitlines().index("    reflectors rr1, rr2")
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=main.as_uri()),
            position=types.Position(line=line, character=len("    reflectors r")),
        )
    )
    location = result[0] if isinstance(result, list) else result
    assert location.uri == (project / "reflectors.fab").as_uri()
    assert location.range.start == types.Position(line=0, character=len("reflector "))


@pytest.mark.asyncio
async def test_completion_inside_a_host_lists_host_attributes(client: LanguageClient, project):
    main = project / "main.fab"
    text = MAIN.replace("    address 10.0.0.21\n", "    address 10.0.0.21\n    \n")
    open_doc(client, main, text)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    line = text.splitlines().index("    ")
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=main.as_uri()),
            position=types.Position(line=line, character=4),
        )
    )
    items = result.items if hasattr(result, "items") else result
    labels = {i.label for i in items}
    assert {"address", "reflectors", "asn", "vm", "platform"} <= labels
    assert "prefix" not in labels and "announce" not in labels  # pool attributes, not host ones
    assert "reflector" not in labels  # a top-level block


@pytest.mark.asyncio
async def test_formatting_equals_fabricc_fmt(client: LanguageClient, project):
    main = project / "main.fab"
    messy = MAIN.replace("    asn 65000\n", "  asn   65000 ;\n")
    main.write_text(messy)
    open_doc(client, main, messy)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=main.as_uri()),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert len(edits) == 1
    subprocess.run([FABRICC, "fmt", str(main)], check=True, capture_output=True)
    assert edits[0].new_text == main.read_text()


@pytest.mark.asyncio
async def test_rename_across_files_and_refusal_for_loop_names(client: LanguageClient, project):
    main = project / "main.fab"
    open_doc(client, main, MAIN)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    line = MAIN.splitlines().index("    reflectors rr1, rr2")
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=main.as_uri()),
            position=types.Position(line=line, character=len("    reflectors r")),
            new_name="rr-a",
        )
    )
    assert set(edit.changes) == {main.as_uri(), (project / "reflectors.fab").as_uri()}
    loop = MAIN.replace("host kvm1 {", 'for i in 1..2 {\n    host "kvm${i}" {') + "}\n"
    loop = loop.replace("    vm web1 {\n        pool public\n    }\n", "")
    change(client, main, loop, 2)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=main.as_uri()))
    )
    assert any(s.detail == "pool" for s in symbols)


@pytest.mark.asyncio
async def test_unknown_methods_and_bad_positions(client: LanguageClient, project):
    main = project / "main.fab"
    open_doc(client, main, MAIN)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    with pytest.raises(Exception) as error:
        await client.protocol.send_request_async("fabricc/nonsense", {})
    assert "-32601" in str(error.value) or "does not answer" in str(error.value)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=main.as_uri()),
            position=types.Position(line=9999, character=9999),
        )
    )
    assert hover is None


LOOPED = """\
fabric dc1 {
    asn 65000
}
for i in 1..2 {
    reflector "rr${i}" {
        address 10.0.0.10 + i
    }
}
host kvm1 {
    address 10.0.0.21
    reflectors rr1, rr2
}
"""


@pytest.mark.asyncio
async def test_names_a_loop_makes_resolve_but_do_not_rename(client: LanguageClient, project):
    main = project / "looped.fab"
    main.write_text(LOOPED)
    open_doc(client, main, LOOPED)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    line = LOOPED.splitlines().index("    reflectors rr1, rr2")
    at = types.Position(line=line, character=len("    reflectors rr1, r"))
    doc = types.TextDocumentIdentifier(uri=main.as_uri())
    result = await client.text_document_definition_async(types.DefinitionParams(text_document=doc, position=at))
    location = result[0] if isinstance(result, list) else result
    # The loop's name template.
    assert location.range.start == types.Position(line=4, character=len("    reflector "))
    with pytest.raises(Exception) as error:
        await client.text_document_rename_async(types.RenameParams(text_document=doc, position=at, new_name="rr-b"))
    assert "loop" in str(error.value)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc, position=at))
    assert "reflector rr2" in hover.contents.value and "10.0.0.12" in hover.contents.value
    loop_var = await client.text_document_hover_async(
        types.HoverParams(text_document=doc, position=types.Position(line=3, character=4))
    )
    assert "1..2" in loop_var.contents.value
