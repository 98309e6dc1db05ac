"""XInclude and internal-subset attribute defaults, read as Debian's jing
reads them: the verdicts are compared with jing's, file by file, and the
errors teikit gives for bad inclusions are exact."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import need_shared, need_tool
from teikit import corpus, xmlio
from teikit.validation import Validator

HERE = Path(__file__).parent / "cases" / "xinclude"
CASES = sorted(HERE.glob("*.xml"))
SMALL = ["base", "strict", "ns", "nolang"]


def _case(path: Path) -> str:
    return path.name.split(".")[0] if path.parent.name == "parts" else path.stem


def _jing_invalid(schema: Path, files: list[Path]) -> set[str]:
    """The cases jing finds invalid.  One jing run for all of them, again
    for the files after one that stops jing (a fatal error); an error
    inside an included part counts for the case the part is named after."""
    bad: set[str] = set()
    rest = list(files)
    while rest:
        out = subprocess.run([need_tool("jing"), str(schema), *map(str, rest)], capture_output=True, text=True)
        fatal = None
        for line in (out.stdout + out.stderr).splitlines():
            m = re.match(r"(/[^:]+):\d+:\d+: (error|fatal):", line)
            if m:
                bad.add(_case(Path(m.group(1))))
                fatal = _case(Path(m.group(1))) if m.group(2) == "fatal" else fatal
        stems = [f.stem for f in rest]
        rest = rest[stems.index(fatal) + 1 :] if fatal in stems else []
    return bad


def _teikit_invalid(schema: Path, files: list[Path]) -> set[str]:
    v = Validator(schema=schema, run_schematron=False, references=False, roots=[HERE])
    return {f.stem for f in files if any(p.is_error for p in v.check_file(f)[1])}


@pytest.mark.parametrize("name", SMALL)
def test_verdicts_equal_jings_with_xinclude_and_dtd_defaults(name: str) -> None:
    files = [f for f in CASES if not f.name.startswith("tei-")]
    schema = HERE / f"{name}.rng"
    assert _teikit_invalid(schema, files) == _jing_invalid(schema, files)


def test_verdicts_equal_jings_on_tei_with_tei_all() -> None:
    schema = need_shared("schema", "tei_all.rng")
    files = [f for f in CASES if f.name.startswith("tei-")]
    assert _teikit_invalid(schema, files) == _jing_invalid(schema, files) == {"tei-bad-default"}


def _problems(name: str, roots: list[Path] | None = None) -> list[str]:
    v = Validator(schema=HERE / "base.rng", run_schematron=False, references=False, roots=roots or [HERE])
    return [str(p) for p in v.check_file(HERE / name)[1]]


def test_bad_inclusions_are_located_errors() -> None:
    shown = corpus.display_name(HERE / "missing.xml").removesuffix("missing.xml")
    assert _problems("missing.xml") == [
        f'{shown}missing.xml:2:3: error: xi:include href "parts/none.xml" not found (looked for '
        f"{HERE / 'parts' / 'none.xml'}), and the xi:include has no xi:fallback [xinclude]"
    ]
    assert _problems("cycle.xml") == [
        f'{shown}cycle.xml:2:3: error: xi:include href "parts/cycle.back.xml": {HERE / "parts" / "cycle.back.xml"}:2:3: '
        'xi:include href "../cycle.xml" includes a file that includes it (a cycle) [xinclude]'
    ]
    assert _problems("include.xml", roots=[HERE / "parts" / "elsewhere"]) == [
        f'{shown}include.xml:3:3: error: xi:include href "parts/include.b.xml" is outside the folders of this run '
        f"({HERE / 'parts' / 'elsewhere'}); name its folder too [xinclude]"
    ]


def test_expanded_tree_and_positions() -> None:
    doc = xmlio.load(HERE / "lang.xml", "lang.xml", [HERE])
    b = doc.root[0]
    assert dict(b.attrib) == {f"{{{xmlio.XML_NS}}}base": "parts/lang.b.xml", f"{{{xmlio.XML_NS}}}lang": ""}
    assert doc.locate(b) == (2, 3)  # the xi:include it replaced
    doc = xmlio.load(HERE / "text.xml", "text.xml", [HERE])
    assert doc.root[0].tail == "\n  plain text\n\n"
    assert doc.locate(doc.root[0]) == (2, 3)
    doc = xmlio.load(HERE / "dtd-xmlns.xml", "dtd-xmlns.xml")
    assert [el.tag for el in doc.root.iter()] == ["{urn:example}a", "{urn:example}b"]


def test_files_included_by_another_are_part_of_it_not_documents(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    tei = '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">{}</TEI>'
    (tmp_path / "dict.tei").write_text(tei.format('<xi:include href="parts/entry.xml"/>'))
    (tmp_path / "parts" / "entry.xml").write_text(tei.format(""))
    (tmp_path / "page.xml").write_text("<html/>")
    (tmp_path / "broken.xml").write_text("<TEI")
    found = corpus.find([tmp_path])
    assert [f.name for f in found.files] == ["broken.xml", "dict.tei"]
    assert [str(p).replace(str(tmp_path), "D") for p in found.skipped] == [
        'D/page.xml: note: skipped: not a TEI document (its root element is "html") [discover]',
        "D/parts/entry.xml: note: skipped: included by D/dict.tei (XInclude): part of that document [discover]",
    ]
    assert [f.name for f in corpus.find([tmp_path], globs=["*.tei"]).files] == ["dict.tei"]
    named = corpus.find([tmp_path / "dict.tei", tmp_path / "parts" / "entry.xml", tmp_path / "page.xml"])
    assert [f.name for f in named.files] == ["dict.tei", "page.xml"]  # a named file is taken, unless included
    assert [f.name for f in corpus.find([tmp_path / "parts" / "entry.xml"]).files] == ["entry.xml"]
