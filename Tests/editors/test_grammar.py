"""The TextMate grammar of editors/vscode, run by a TextMate engine
(textmate-grammar-python): every example and golden input tokenizes, and
chosen lines get the scopes an editor colours them by."""
import json
import logging
import pathlib

import pytest
from textmate_grammar.parsers.base import LanguageParser

ROOT = pathlib.Path(__file__).parents[2]
GRAMMAR = json.loads((ROOT / "editors/vscode/syntaxes/fab.tmLanguage.json").read_text())
logging.getLogger("textmate_grammar").setLevel(logging.ERROR)


@pytest.fixture(scope="module")
def parser():
    return LanguageParser(GRAMMAR)


def tokens(parser, text):
    element = parser.parse_string(text)
    return [(token, scopes[-1]) for (_, token, scopes) in element.flatten()] if element else []


def scope_of(parser, text, token):
    found = [s for t, s in tokens(parser, text) if t == token]
    assert found, f"{token!r} is not a token of {text!r}: {tokens(parser, text)}"
    return found[0]


def inputs():
    files = sorted((ROOT / "examples").rglob("*.fab"))
    files += sorted(p for p in (ROOT / "Golden").rglob("*.fab") if "/expected/" not in str(p))
    return files


def test_every_example_and_golden_input_tokenizes(parser):
    files = inputs()
    assert len(files) > 300
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        toks = tokens(parser, text)
        # Everything is tokenized: the tokens cover the text but for line breaks.
        assert "".join(t for t, _ in toks).replace("\n", "") == text.replace("\n", ""), path


@pytest.mark.parametrize(
    "line, token, scope",
    [
        ("fabric s5 {", "fabric", "storage.type.block.fab"),
        ("fabric s5 {", "s5", "entity.name.declaration.fab"),
        ("    reflector rr1 {", "rr1", "entity.name.declaration.fab"),
        ("    asn 65100         # AS of the nodes", "asn", "variable.other.property.fab"),
        ("    asn 65100         # AS of the nodes", "65100", "constant.numeric.integer.fab"),
        ("    asn 65100         # AS of the nodes", "# AS of the nodes", "comment.line.number-sign.fab"),
        ("    reflectors rr1, rr2", "rr2", "variable.other.name.fab"),
        ('host "kvm${i:02}" {', "${", "punctuation.section.interpolation.begin.fab"),
        ('host "kvm${i:02}" {', "i", "variable.other.loop.fab"),
        ('host "kvm${i:02}" {', '"kvm', "string.quoted.double.fab"),
        ("for i in 1..4 {", "for", "keyword.control.loop.fab"),
        ("for i in 1..4 {", "..", "keyword.operator.range.fab"),
        ('include "racks/a.fab"', "include", "keyword.control.import.fab"),
        ("    address 10.10.0.254", "10.10.0.254", "constant.other.address.ipv4.fab"),
        ("    prefix 203.0.113.0/24", "203.0.113.0/24", "constant.other.prefix.ipv4.fab"),
        ("    prefix 2001:db8:1::/64", "2001:db8:1::/64", "constant.other.prefix.ipv6.fab"),
        ("    ip 2001:db8::5", "2001:db8::5", "constant.other.address.ipv6.fab"),
        ("    mac 52:54:00:00:00:10", "52:54:00:00:00:10", "constant.other.mac.fab"),
        ("    hold-time 90s", "90s", "constant.numeric.duration.fab"),
        ("    bfd on", "on", "constant.language.fab"),
        ("// a comment", "// a comment", "comment.line.double-slash.fab"),
    ],
)
def test_chosen_lines(parser, line, token, scope):
    assert scope_of(parser, line, token) == scope
