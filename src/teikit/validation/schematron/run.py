"""Run a compiled Schematron on a parsed document and report Problems.

Saxon only ever sees :func:`teikit.xmlio.to_saxon_text` (the root element
serialised by lxml, no DOCTYPE), so nothing external is resolved.  Each
failure comes back with ``path()`` of its node (an XPath 3.1 path such as
``/Q{ns}TEI[1]/Q{ns}text[1]/@when``), which is walked in ``doc.tree`` to
find the element and attribute, and ``doc.locate`` gives the exact line
and column.  Text, comment and processing-instruction nodes are reported
at their parent element.
"""

from __future__ import annotations

import json
import re

from lxml import etree

from ... import saxon, xmlio
from ...problems import ERROR, Problem


class Schematron:
    """A Schematron compiled to XSLT 3.0; :meth:`check` runs it on a document."""

    def __init__(self, schema, executable, checks, rules, xslt: str, dropped: int = 0):
        self.path = schema.path
        self.query_binding = schema.query_binding
        self.patterns = [p.label for p in schema.patterns]
        self.files = list(schema.files)
        self.checks = checks
        self.rules = rules
        self.xslt = xslt
        #: rules of the schema left out because they cannot match (see ``names``)
        self.dropped = dropped
        self._executable = executable
        self._rule_of = {c.index: r for r in rules for c in r.checks}
        self._props = {k: (el.get("role") or k) for k, el in schema.properties.items()}

    def __repr__(self) -> str:
        dropped = f", {self.dropped} dropped" if self.dropped else ""
        return f"<Schematron {self.path} ({len(self.patterns)} patterns, {len(self.rules)} rules{dropped})>"

    def run(self, doc: xmlio.ParsedDoc) -> list[dict]:
        """The raw failure records for ``doc`` (maps from the stylesheet)."""
        out = saxon.transform(self._executable, doc, empty_ok=True)
        return json.loads(out) if out else []

    def check(self, doc: xmlio.ParsedDoc) -> list[Problem]:
        try:
            records = self.run(doc)
        except saxon.TransformError as exc:
            msg = str(exc)
            return [
                Problem(
                    doc.display,
                    None,
                    None,
                    ERROR,
                    "sch",
                    f"Schematron {self.path.name} could not be run on this document: {msg}",
                )
            ]
        finder = _Finder(doc)
        problems = []
        for rec in records:
            el, attr = finder.find(rec.get("p", ""))
            line, col = doc.locate(el, attr) if el is not None else (None, None)
            if "c" in rec:
                check = self.checks[rec["c"]]
                rule = self._rule_of[check.index]
                label = check.id or rule.label
                if "e" in rec:
                    message = f"cannot evaluate {check.kind} test {_short(check.test)}: {_norm(rec['e'])}"
                    severity = ERROR
                else:
                    message = _norm(rec.get("m", ""))
                    extras = [_norm(d) for d in rec.get("d", [])]
                    ndiag = len(check.diagnostics)
                    for n, text in enumerate(extras):
                        if n < ndiag:
                            message += f" ({text})" if text else ""
                        else:
                            prop = self._props[check.properties[n - ndiag]]
                            message += f" ({prop}: {text})" if text else f" ({prop})"
                    if not message:
                        message = (
                            f"{check.kind} {'failed' if check.kind == 'assert' else 'fired'}: {_short(check.test)}"
                        )
                    severity = check.severity
            else:
                rule = self.rules[rec["r"]]
                label = rule.label
                message = f"cannot evaluate rule {label} (context {_short(rule.context)}): {_norm(rec.get('e', ''))}"
                severity = ERROR
            problems.append(Problem(doc.display, line, col, severity, "sch", message, label, rec.get("p")))
        return problems

    def __getstate__(self):  # the Saxon executable lives in this process's Saxon only
        raise TypeError("a compiled Schematron cannot be pickled; each worker process compiles its own")


def _norm(text: str) -> str:
    return " ".join(str(text).split())


def _short(expr: str, limit: int = 120) -> str:
    expr = _norm(expr)
    return repr(expr if len(expr) <= limit else expr[: limit - 1] + "…")


_STEP = re.compile(
    r"/(?:Q\{(?P<ns>[^}]*)\}(?P<local>[^/\[]+)\[(?P<n>\d+)\]"
    r"|@(?:Q\{(?P<ans>[^}]*)\})?(?P<alocal>[^/]+)"
    r"|(?P<other>(?:text|comment)\(\)\[\d+\]|processing-instruction\([^)]*\)\[\d+\]|namespace::[^/]*|[^/]+))"
)


class _Finder:
    """Maps Saxon ``path()`` strings to (element, attribute) in the lxml tree."""

    def __init__(self, doc: xmlio.ParsedDoc):
        self.root = doc.root
        self.cache: dict[str, tuple] = {}

    def find(self, path: str):
        if path in self.cache:
            return self.cache[path]
        el, attr = None, None
        if path == "/" or not path:
            el = self.root
        for m in _STEP.finditer(path):
            if m.group("local") is not None:
                tag = f"{{{m.group('ns')}}}{m.group('local')}" if m.group("ns") else m.group("local")
                n = int(m.group("n"))
                if el is None:
                    el = self.root if self.root.tag == tag and n == 1 else None
                    if el is None:
                        break
                    continue
                same = [c for c in el if c.tag == tag]
                if n > len(same):
                    break
                el = same[n - 1]
            elif m.group("alocal") is not None:
                attr = f"{{{m.group('ans')}}}{m.group('alocal')}" if m.group("ans") else m.group("alocal")
                break
            else:
                break  # text(), comment(), processing-instruction(), namespace: the parent element
        if el is None:
            el = self.root
        if not isinstance(el, etree._Element):  # pragma: no cover
            el = self.root
        self.cache[path] = (el, attr)
        return el, attr
