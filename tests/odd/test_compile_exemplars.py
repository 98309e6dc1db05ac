"""Each Exemplar ODD compiled by teikit against the reference the TEI Stylesheets made from the same p5subset.

A fast structural measure before jing-equality: the same defines, each with the
same pattern once implicit groups are flattened, and the same Schematron rules
(context, test, message), counted with their repetitions.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from rngcompare import compare, rules

from conftest import SHARED, need_shared
from teikit.odd import compile_odd

EXEMPLARS = sorted(p.stem for p in (SHARED / "odd" / "exemplars").glob("*.odd")) or ["tei_all"]


@pytest.mark.parametrize("name", EXEMPLARS)
def test_exemplar_matches_reference(name: str, tmp_path: Path) -> None:
    odd = need_shared("odd", "exemplars", f"{name}.odd")
    reference = need_shared("odd", "reference", f"{name}.rng")
    source = need_shared("odd", "p5subset.xml")
    out = tmp_path / f"{name}.rng"
    out.write_bytes(compile_odd(odd, source).rng_bytes())
    assert compare(out, reference) == []
    assert Counter(rules(out)) == Counter(rules(reference))
    assert unbound_prefixes(out) == []


def unbound_prefixes(path: Path) -> list[str]:
    """QName-valued name attributes (name="xlink:href") whose prefix is not declared where they stand."""
    found = []
    for el in etree.parse(str(path)).iter("{http://relaxng.org/ns/structure/1.0}*"):
        name = el.get("name") if el.tag.endswith(("}attribute", "}element")) else None
        if name and ":" in name and name.split(":")[0] not in el.nsmap and not name.startswith("xml:"):
            found.append(name)
    return found


def test_all_exemplars_are_here() -> None:
    need_shared("odd", "exemplars")
    assert len(EXEMPLARS) == 22
