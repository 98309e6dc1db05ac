"""Pathological documents: the explanation is linear and its messages are capped.

At most 10 problems alike on one element (then "… and N more like
this"), at most 1,000 per file (then one line saying how many more).
The big cases run in a subprocess under an address-space limit of
200 MB, with a generous timeout that only guards against a hang; their
times are measured by benchmarks/pathological.py, never here.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

from teikit.validation import Validator
from teikit.validation.rnglimits import PER_ELEMENT, PER_FILE

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "teikit.rng"
EDITION = ROOT / "tei" / "secret-treaties.xml"
LIMIT = 200 * 1024 * 1024
EXPECTED = (
    'element "lb" not allowed anywhere in "p"; expected the end of the element, text or element "choice", '
    '"date", "orgName", "persName", "placeName", "ptr", "quote", "rs", "supplied" or "title" [rng]'
)


def pathological(tmp_path: Path, name: str, start_tag: str, content: str = "") -> tuple[Path, int, int]:
    """The edition's first body paragraph replaced by ``start_tag``+``content``;
    returns the file, the line and the column of that paragraph."""
    src = re.sub(r"<\?xml-model[^>]*\?>", "", EDITION.read_text(encoding="utf-8"))  # --schema decides
    at = src.index("<p>", src.index("<body"))
    path = tmp_path / name
    path.write_text(src[:at] + start_tag + content + src[at + 3 :], encoding="utf-8")
    return path, src[:at].count("\n") + 1, at - src.rfind("\n", 0, at)


def run_limited(path: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TEIKIT_CACHE_DIR=str(tmp_path / "cache"))
    cmd = [sys.executable, "-m", "teikit", "validate", "--schema", str(SCHEMA), "--no-schematron", "--no-references"]
    return subprocess.run(
        [*cmd, str(path)], capture_output=True, text=True, env=env, preexec_fn=limit, timeout=60, check=False
    )


def test_100000_bad_siblings_give_ten_lines_and_a_summary_in_bounded_memory(tmp_path):
    path, line, col = pathological(tmp_path, "lb.xml", "<p>", "<lb/>" * 100_000)
    proc = run_limited(path, tmp_path)
    assert proc.returncode == 1, proc.stderr
    col += 3  # after "<p>"
    lines = proc.stdout.splitlines()
    assert lines[:PER_ELEMENT] == [f"{path}:{line}:{col + 5 * i}: error: {EXPECTED}" for i in range(PER_ELEMENT)]
    assert lines[PER_ELEMENT:] == [
        f'{path}:{line}:{col + 5 * PER_ELEMENT}: error: … and 99,990 more like this: element "lb" not allowed'
        ' anywhere in "p" [rng]',
        "1 file: 0 valid, 1 invalid; 11 errors, 0 warnings",
    ]
    assert proc.stderr == ""


def test_5000_attributes_give_ten_lines_and_a_summary_in_bounded_memory(tmp_path):
    attrs = " ".join(f'a{k}="x"' for k in range(5000))
    path, line, col = pathological(tmp_path, "attrs.xml", f"<p {attrs}>")
    proc = run_limited(path, tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == PER_ELEMENT + 2
    assert (
        lines[0]
        == f'{path}:{line}:{col + 3}: error: attribute "a0" not allowed on element "p"; it takes no attributes [rng]'
    )
    assert lines[PER_ELEMENT].endswith(
        ': error: … and 4,990 more like this: attribute "a10" not allowed on element "p" [rng]'
    )
    assert lines[-1] == "1 file: 0 valid, 1 invalid; 11 errors, 0 warnings"


def test_problems_in_one_file_are_capped(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path / "cache"))
    schema = tmp_path / "s.rng"
    schema.write_text(
        '<element name="doc" xmlns="http://relaxng.org/ns/structure/1.0"><zeroOrMore>'
        '<element name="item"><empty/></element></zeroOrMore></element>'
    )
    doc = tmp_path / "d.xml"
    doc.write_text("<doc>\n" + '<item bad="1"/>\n' * (PER_FILE + 500) + "</doc>")
    problems = Validator(schema=schema, run_schematron=False, references=False).check_file(doc)[1]
    assert len(problems) == PER_FILE + 1
    assert str(problems[PER_FILE - 1]) == (
        f'{doc}:{PER_FILE + 1}:7: error: attribute "bad" not allowed on element "item"; it takes no attributes [rng]'
    )
    assert (
        str(problems[-1])
        == f"{doc}:{PER_FILE + 1}:7: error: … and 500 more problems in this file (at most 1,000 are listed) [rng]"
    )
