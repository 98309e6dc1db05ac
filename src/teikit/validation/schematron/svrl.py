"""SVRL (ISO/IEC 19757-3:2020, Annex D) as teikit writes it.

The stylesheets of :mod:`.compile` write SVRL with two marks of teikit's
own: the number of the check on each ``failed-assert`` and
``successful-report`` (``t:check``), and a ``t:error`` element where a
test raised a dynamic error.  :func:`public` takes them out (a dynamic
error becomes an XML comment, so nothing is lost silently), and
:func:`document` joins the reports of the Schematrons that checked one
document into one ``svrl:schematron-output``.

``teikit validate --format svrl`` writes that document for one file;
``--svrl-dir DIR`` writes one per file, at the file's path below
``DIR`` with ``.svrl.xml`` for its extension (:func:`target`).
"""

from __future__ import annotations

import copy
from pathlib import Path, PurePath

from lxml import etree

from .compile import SVRL, T

_S = "{" + SVRL + "}"
_T = "{" + T + "}"


def public(report: etree._Element) -> etree._Element:
    """A copy of ``report`` without teikit's marks."""
    out = copy.deepcopy(report)
    for el in list(out.iter(f"{_T}error")):
        what = f"check {el.get('check')}" if el.get("check") is not None else f"rule {el.get('rule')}"
        comment = etree.Comment(
            f" teikit: dynamic error in {what} at {el.get('location')}: {(el.text or '').replace('--', '- -')} "
        )
        comment.tail = el.tail
        parent = el.getparent()
        if parent is not None:
            parent.replace(el, comment)
    for el in out.iter(f"{_S}failed-assert", f"{_S}successful-report"):
        for mark in (f"{_T}check", f"{_T}doc"):
            if mark in el.attrib:
                del el.attrib[mark]
    etree.cleanup_namespaces(out, top_nsmap={"svrl": SVRL})
    return out


def document(reports: list[etree._Element]) -> bytes:
    """One SVRL document from the reports of every Schematron that checked
    one document (none: an empty ``schematron-output``)."""
    if not reports:
        root = etree.Element(f"{_S}schematron-output", nsmap={"svrl": SVRL})
    else:
        root = public(reports[0])
        for other in reports[1:]:
            root.extend(list(public(other)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def target(folder: Path, display: str) -> Path:
    """Where ``--svrl-dir folder`` puts the report of the file shown as
    ``display``: its relative path (``..`` and roots left out) below
    ``folder``, with ``.svrl.xml`` for its extension."""
    parts = [p for p in PurePath(display).parts if p not in ("..", ".") and not PurePath(p).anchor]
    rel = PurePath(*parts) if parts else PurePath("document")
    return folder / rel.with_name(rel.stem + ".svrl.xml")
