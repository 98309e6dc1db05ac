"""Small customisations, compiled and tried on small documents with teikit's own RelaxNG engine.

(libxml2's RelaxNG compiler, called directly, can take forever on some TEI
grammars, the Stylesheets' too; teikit's engine specialises the grammar first.)
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from teikit import xmlio
from teikit.odd import compile_odd
from teikit.validation import Validator

TEI = "http://www.tei-c.org/ns/1.0"
BASE_MODULES = '<moduleRef key="tei"/><moduleRef key="core"/><moduleRef key="header"/><moduleRef key="textstructure"/>'


def odd_text(body: str, *, attrs: str = "", outside: str = "", modules: str = BASE_MODULES) -> str:
    return f"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:rng="http://relaxng.org/ns/structure/1.0"
     xmlns:sch="http://purl.oclc.org/dsdl/schematron">
  <teiHeader><fileDesc><titleStmt><title>test</title></titleStmt>
    <publicationStmt><p>test</p></publicationStmt><sourceDesc><p>test</p></sourceDesc></fileDesc></teiHeader>
  <text><body>{outside}<schemaSpec ident="test" start="TEI" {attrs}>{modules}{body}</schemaSpec></body></text>
</TEI>"""


class Schema:
    """A compiled customisation and a validator for it (RelaxNG only)."""

    def __init__(self, rng: Path) -> None:
        self.path = rng
        self.validator = Validator(schema=rng, run_schematron=False, references=False)

    def problems(self, tree: etree._ElementTree) -> list[str]:
        data = etree.tostring(tree)
        parsed = xmlio.parse_bytes(data, self.path.with_suffix(".xml"))
        return [p.message for p in self.validator.check(parsed)]


def compile_text(tmp: Path, body: str, name: str = "test.odd", **kw: str) -> tuple[Schema, etree._ElementTree]:
    odd = tmp / name
    odd.write_text(odd_text(body, **kw), encoding="utf-8")
    compiled = compile_odd(odd)
    rng = tmp / f"{odd.stem}.rng"
    rng.write_bytes(compiled.rng_bytes())
    return Schema(rng), compiled.rng


def doc(body: str, root_attrs: str = "") -> etree._ElementTree:
    return etree.ElementTree(
        etree.fromstring(
            f'<TEI xmlns="{TEI}" {root_attrs}><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
            f"<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>"
            f"<text><body>{body}</body></text></TEI>"
        )
    )


def valid(schema: Schema, body: str, root_attrs: str = "") -> bool:
    return not schema.problems(doc(body, root_attrs))
