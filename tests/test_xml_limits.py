"""The XML parser's size limits: what each message says, and ``--huge``.

Every limit is named with its number and with what ``--huge`` changes;
entity expansion stays bounded with ``--huge``; several-line libxml2
messages come out on one line, their quotation escaped and cut short.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from capped import run_capped
from teikit import xmlio
from teikit.cli import cli

SAFETY = Path(__file__).resolve().parent / "cases" / "safety"

CASES = {
    "deep": (b"<a>" * 300 + b"</a>" * 300, "1:771", "elements are nested more than 256 deep"),
    "text": (b"<a>" + b"x" * 10_000_001 + b"</a>", "1:10000005", "a text node is longer than 10,000,000 characters"),
    "value": (
        b'<a b="' + b"x" * 10_000_001 + b'"/>',
        "1:10000002",
        "an attribute value or other string is longer than 10,000,000 characters",
    ),
    "name": (b"<" + b"a" * 50_001 + b"/>", "1:50003", "a name is longer than 50,000 characters"),
}
HUGE = {"deep": "2,048", "text": "1,000,000,000", "value": "1,000,000,000", "name": "1,000,000,000"}


@pytest.fixture
def huge() -> Iterator[None]:
    xmlio.allow_huge(True)
    yield
    xmlio.allow_huge(False)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_limit_is_named_with_what_huge_does(case: str) -> None:
    source, where, what = CASES[case]
    with pytest.raises(xmlio.XMLError) as err:
        xmlio.parse_bytes(source, Path("doc.xml"))
    assert str(err.value.problem) == (
        f"doc.xml:{where}: error: {what}, the parser's limit (--huge raises it to {HUGE[case]}) [xml]"
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_huge_lifts_each_limit(case: str, huge: None) -> None:
    assert xmlio.parse_bytes(CASES[case][0], Path("doc.xml")).root is not None


def test_huge_has_limits_too(huge: None) -> None:
    with pytest.raises(xmlio.XMLError) as err:
        xmlio.parse_bytes(b"<a>" * 2100 + b"</a>" * 2100, Path("doc.xml"))
    assert str(err.value.problem) == (
        "doc.xml:1:6147: error: elements are nested more than 2,048 deep, the parser's limit even with --huge [xml]"
    )


def test_huge_keeps_entity_expansion_bounded(huge: None) -> None:
    with pytest.raises(xmlio.XMLError) as err:
        xmlio.parse(SAFETY / "billion-laughs.xml", "billion-laughs.xml")
    assert err.value.problem.message == (
        "entity expansion exceeds the safety limit (billion-laughs attack?): the entities expand to far more "
        "than the document's own size; --huge does not lift this limit"
    )


def test_several_line_message_on_one_line() -> None:
    source = b"<a><![CDATA[first\nsecond\nthird " + b"y" * 500
    with pytest.raises(xmlio.XMLError) as err:
        xmlio.parse_bytes(source, Path("doc.xml"))
    line = str(err.value.problem)
    assert "\n" not in line
    quoted = repr("first\nsecond\nthird " + "y" * 31)
    assert line == f"doc.xml:3:507: error: CData section not finished: {quoted} [xml]"
    assert xmlio.one_line("Oops\n" + "z" * 100) == f"Oops: {'z' * 60!r}…"


def test_huge_option_on_the_command_line(tmp_path: Path, runner) -> None:
    doc = tmp_path / "deep.xml"
    doc.write_bytes(CASES["deep"][0])
    args = ["validate", "--no-schematron", "--no-references", "--schema", str(tmp_path / "any.rng"), str(doc)]
    (tmp_path / "any.rng").write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="a"/></start>'
        '<define name="a"><element name="a"><optional><ref name="a"/></optional></element></define></grammar>'
    )
    res = runner.invoke(cli, args)
    assert (res.exit_code, res.output.splitlines()[0]) == (
        1,
        f"{doc}:1:771: error: elements are nested more than 256 deep, the parser's limit "
        "(--huge raises it to 2,048) [xml]",
    )
    res = runner.invoke(cli, [*args[:1], "--huge", *args[1:]])
    assert (res.exit_code, res.output) == (0, "1 file: 1 valid, 0 invalid; 0 errors, 0 warnings\n")
    assert xmlio._HUGE == [True]
    runner.invoke(cli, args)
    assert xmlio._HUGE == [False]


def test_huge_in_bounded_memory(tmp_path: Path) -> None:
    """Billion laughs with --huge, and a document 1,000 deep, under a 200 MiB address-space cap."""
    deep = tmp_path / "deep.xml"
    deep.write_bytes(b"<a>" * 1000 + b"</a>" * 1000)
    code, lines = run_capped(
        "validate", "--huge", "--no-schematron", "--no-references", str(SAFETY / "billion-laughs.xml")
    )
    assert code == 1 and lines[0].endswith("--huge does not lift this limit [xml]")
    code, lines = run_capped("validate", "--no-schematron", "--no-references", str(deep))
    assert (code, lines[0]) == (
        1,
        f"{deep}:1:771: error: elements are nested more than 256 deep, the parser's limit (--huge raises it to 2,048) [xml]",
    )
    code, lines = run_capped("validate", "--huge", "--no-schematron", "--no-references", str(deep))
    assert code == 1 and not [line for line in lines if line.endswith("[xml]")]
