"""The edition's schema accepts what the register and the articles may grow into.

``tests/schema/rich-article.xml`` and ``tests/schema/register.xml`` use every
form the schema allows beyond the first edition: persons with several names,
birth, death and authority identifiers; places with names by period, a
location and @corresp; organisations with full and abbreviated names; rs,
titles and dates in both calendars in the text; the full header.  Each is
valid against teikit.rng + teikit.sch (teikit) and, with jing, against both
teikit.rng and tei_all, so the widening stays a restriction of tei_all.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import ROOT, need_shared, need_tool
from teikit.validation import Validator

HERE = Path(__file__).parent
RICH = (HERE / "rich-article.xml", HERE / "register.xml")
SCHEMA_RNG = ROOT / "schema" / "teikit.rng"


def test_rich_files_valid_with_teikit() -> None:
    for path in RICH:
        _display, problems = Validator().check_file(path)
        assert [str(p) for p in problems] == [], path.name


def test_rich_files_valid_with_jing_against_teikit_and_tei_all() -> None:
    for schema in (SCHEMA_RNG, need_shared("schema", "tei_all.rng")):
        done = subprocess.run([need_tool("jing"), str(schema), *map(str, RICH)], capture_output=True, text=True)
        errors = [line for line in (done.stdout + done.stderr).splitlines() if ": error:" in line]
        assert (done.returncode, errors) == (0, []), schema.name
