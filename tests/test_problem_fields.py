"""What a problem says is carried as data (``kind``, ``names``): code
that refines a problem reads the fields, never the message words."""

from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import CASES
from teikit import xmlio
from teikit.problems import BAD_ID, DUPLICATE_ID, UNDEFINED_PHASE, SchemaError
from teikit.report import render
from teikit.validation import Validator
from teikit.validation.schematron import compile_schematron

DOC = b"""<?xml version="1.0"?>
<doc>
  <a xml:id="one"/>
  <b xml:id="one"/>
  <c xml:id="1bad"/>
</doc>
"""


def test_xml_id_problems_carry_kind_and_value():
    doc = xmlio.parse_bytes(DOC, None, "d.xml")
    assert [(p.kind, p.names) for p in doc.id_problems] == [(DUPLICATE_ID, ("one",)), (BAD_ID, ("1bad",))]


def test_relaxng_locates_id_problems_from_the_fields_not_the_words():
    """Reworded messages are located just the same: nothing reads them back."""
    doc = xmlio.parse_bytes(DOC, None, "d.xml")
    reworded = [dataclasses.replace(p, message="(reworded)") for p in doc.id_problems]
    from teikit.validation.relaxng import RelaxNG

    rng = RelaxNG.__new__(RelaxNG)
    dup, bad = (rng._id_problem(doc, p) for p in reworded)
    assert (dup.line, dup.column, dup.kind) == (4, 6, DUPLICATE_ID)
    assert dup.message == 'duplicate xml:id "one" on element "b": already used on element "a" at line 3'
    assert (bad.line, bad.column, bad.kind, bad.names) == (5, 6, BAD_ID, ("1bad",))
    assert bad.message.startswith('value "1bad" of attribute "xml:id" on element "c" is invalid')


def test_undefined_phase_is_a_kind_of_schema_error():
    with pytest.raises(SchemaError) as info:
        compile_schematron(CASES / "schematron" / "phases.sch", "no-such-phase")
    assert (info.value.kind, info.value.names) == (UNDEFINED_PHASE, ("no-such-phase",))


def test_phase_fallback_reads_the_kind():
    """A --phase this Schematron lacks: it runs its default phase, and the
    run fails only if no Schematron defines the phase."""
    path = CASES / "schematron" / "phases.sch"
    v = Validator(schematron=[path], phase="no-such-phase", references=False)
    assert v.schematron_for(path) is not None  # compiled with its default phase instead
    with pytest.raises(SchemaError, match="no-such-phase"):
        v.check_phase()


def test_report_formats_leave_the_fields_out():
    doc = xmlio.parse_bytes(DOC, None, "d.xml")
    from teikit.problems import Report

    rep = Report(files=["d.xml"], problems=list(doc.id_problems))
    data = json.loads(render(rep, "json"))
    text = json.dumps(data)
    assert "kind" not in text and "names" not in text
