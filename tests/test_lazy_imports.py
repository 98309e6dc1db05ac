"""What a command imports: ``teikit --help`` and a one-file validate load
neither Saxon, nor the publishing or ODD-compiling code, nor dask or the
language server, unless the run needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import CASES, ROOT

PROBE = """
import json, sys
from teikit.cli import cli
try:
    cli.main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.__stderr__)
"""
HEAVY = ("saxonche", "dask", "distributed", "pygls", "lsprotocol", "teikit.publish", "teikit.odd.api", "rnc2rng")


def imported(*args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY)}


def test_help_and_version_import_nothing_heavy() -> None:
    # the build command's help lists the formats table, from teikit.publish
    assert {m for m in heavy(imported("--help")) if not m.startswith("teikit.publish")} == set()
    assert not heavy(imported("--version"))


def test_one_file_validate_loads_only_what_it_uses(tmp_path) -> None:
    doc = tmp_path / "one.xml"
    doc.write_text(
        '<?xml-model href="'
        + str(CASES / "safety" / "tiny.rng")
        + '" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>\n'
    )
    assert not heavy(imported("validate", "--no-schematron", str(doc)))
    assert heavy(imported("validate", str(ROOT / "tei" / "after-october.xml"))) == {"saxonche"}
