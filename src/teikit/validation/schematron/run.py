"""Run a compiled Schematron on a parsed document: its SVRL report, and
the Problems read from it.

Saxon only ever sees what lxml serialises of a parsed document: its root
element and the comments and processing instructions around it, never a
DOCTYPE, so nothing external is resolved.
Subordinate documents (``pattern/@documents``) are no exception: a first
run of the stylesheet lists their URIs, and each is parsed here through
:mod:`teikit.xmlio`, only if it is a file in the validated document's
folder or below, then handed to the second run as a parameter.

Each failure in the report has the ``path()`` of its node (an XPath 3.1
path such as ``/Q{ns}TEI[1]/Q{ns}text[1]/@when``) as ``@location``,
which is walked in the document's tree to find the element and
attribute, and ``doc.locate`` gives the exact line and column.  Text,
comment and processing-instruction nodes are reported at their parent
element.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from lxml import etree

from ... import corpus, saxon, saxon_confine, xmlio
from ...problems import ERROR, WARNING, Problem
from .cache import Compiled, light
from .compile import BASE, DOCUMENTS, FULL, STAGE, SVRL, T
from .model import WARNING_ROLES, XML_LANG, Check, Rule, Schema

_S = "{" + SVRL + "}"
_T = "{" + T + "}"
_CLARK = {name: "{" + T + "}" + name.split("}", 1)[1] for name in (BASE, DOCUMENTS, STAGE, FULL)}


@dataclass
class Result:
    """What a Schematron says of one document."""

    problems: list[Problem]
    svrl: etree._Element  # the report, with teikit's own marks (see :mod:`.svrl`)
    errors: list[Problem] = field(default_factory=list)  # dynamic errors and unreachable documents


class Schematron:
    """A Schematron compiled to XSLT 3.0; :meth:`check` runs it on a document."""

    def __init__(
        self, schema: Schema, executable: Any, checks: list[Check], rules: list[Rule], xslt: str, dropped: int = 0
    ) -> None:
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
        self._documents = any(p.documents for p in schema.patterns)

    @classmethod
    def restore(cls, stored: Compiled, executable: Any) -> Schematron:
        """A Schematron from what :meth:`keep` gave (a warm run's disk cache) and Saxon's executable."""
        self = cls.__new__(cls)
        self.path, self.query_binding, self.patterns = stored.path, stored.query_binding, list(stored.patterns)
        self.files, self.checks, self.rules = list(stored.files), stored.checks, stored.rules
        self.xslt, self.dropped, self._executable, self._documents = (
            stored.xslt,
            stored.dropped,
            executable,
            stored.documents,
        )
        self._rule_of = {c.index: r for r in self.rules for c in r.checks}
        return self

    def keep(self, confined: str) -> Compiled:
        """What :meth:`restore` needs, but Saxon's executable (``confined``: the text Saxon compiled)."""
        checks, rules = light(self.checks, self.rules)
        return Compiled(
            self.xslt, confined, checks, rules, self.path, self.query_binding, self.patterns, self.files,
            self._documents, self.dropped,
        )  # fmt: skip

    def __repr__(self) -> str:
        dropped = f", {self.dropped} dropped" if self.dropped else ""
        return f"<Schematron {self.path} ({len(self.patterns)} patterns, {len(self.rules)} rules{dropped})>"

    def _transform(
        self, node: Any, params: dict[str, str], nodes: dict[str, Any] | None = None, readable: str = ""
    ) -> etree._Element:
        out = saxon.transform(
            self._executable,
            node,
            {_CLARK[k]: v for k, v in params.items()},
            nodes={_CLARK[k]: v for k, v in (nodes or {}).items()},
            readable=readable,
        )
        return etree.fromstring(out.encode("utf-8"), etree.XMLParser(resolve_entities=False, huge_tree=True))

    def run(
        self, doc: xmlio.ParsedDoc, full: bool = True, node: Any = None
    ) -> tuple[etree._Element, dict[str, xmlio.ParsedDoc], list[Problem]]:
        """The SVRL report for ``doc`` (without ``fired-rule`` unless
        ``full``), the subordinate documents read (by URI) and the problems
        met reading them.  ``node``: what :func:`document_node` gave for
        ``doc``, so that several Schematrons share one parse by Saxon."""
        node = document_node(doc) if node is None else node
        params = {BASE: Path(doc.path).resolve().as_uri(), FULL: "yes" if full else "no"}
        subs: dict[str, xmlio.ParsedDoc] = {}
        problems: list[Problem] = []
        nodes: dict[str, Any] = {}
        if self._documents:
            listing = self._transform(node, {**params, STAGE: "documents"})
            uris = list(dict.fromkeys(u.text or "" for u in listing))
            subs, problems = _subordinates(doc, uris)
            wrapper = etree.Element(f"{_T}documents", nsmap={"t": T})
            for uri, sub in subs.items():
                etree.SubElement(wrapper, f"{_T}doc", uri=uri).append(copy.deepcopy(sub.root))
            nodes[DOCUMENTS] = saxon.node(wrapper)
        return self._transform(node, params, nodes, _beside(Path(doc.path).resolve().parent)), subs, problems

    def validate(self, doc: xmlio.ParsedDoc, full: bool = True, node: Any = None) -> Result:
        """The problems of ``doc`` and its SVRL report (``full``: with
        every ``fired-rule``, which costs time on large documents)."""
        try:
            svrl, subs, errors = self.run(doc, full, node)
        except saxon.TransformError as exc:
            msg = str(exc)
            problem = Problem(
                doc.display,
                None,
                None,
                ERROR,
                "sch",
                f"Schematron {self.path.name} could not be run on this document: {msg}",
            )
            return Result([problem], etree.Element(f"{_S}schematron-output"), [problem])
        problems = list(errors)
        finders = {Path(doc.path).resolve().as_uri(): _Finder(doc)}
        finders.update({u: _Finder(d) for u, d in subs.items()})
        primary = finders[next(iter(finders))]
        for el in svrl.iter(f"{_S}failed-assert", f"{_S}successful-report", f"{_T}error"):
            problem = self._problem(el, finders.get(el.get(f"{_T}doc") or "", primary))
            problems.append(problem)
            if el.tag == f"{_T}error":
                errors.append(problem)
        return Result(problems, svrl, errors)

    def check(self, doc: xmlio.ParsedDoc) -> list[Problem]:
        return self.validate(doc, full=False).problems

    def _problem(self, el: etree._Element, finder: _Finder) -> Problem:
        doc = finder.doc
        path = el.get("location") or ""
        node, attr = finder.find(path)
        line, col = doc.locate(node, attr) if node is not None else (None, None)
        if el.tag == f"{_T}error":
            text = _norm(el.text or "")
            if el.get("check") is not None:
                check = self.checks[int(el.get("check") or 0)]
                label = check.id or self._rule_of[check.index].label
                message = f"cannot evaluate {check.kind} test {_short(check.test)}: {text}"
            else:
                rule = self.rules[int(el.get("rule") or 0)]
                label = rule.label
                message = f"cannot evaluate rule {label} (context {_short(rule.context)}): {text}"
            return Problem(doc.display, line, col, ERROR, "sch", message, label, path)
        check = self.checks[int(el.get(f"{_T}check") or 0)]
        label = check.id or self._rule_of[check.index].label
        message = _message(el, check)
        role = el.get("role")
        severity = check.severity if role is None else (WARNING if role.strip().lower() in WARNING_ROLES else ERROR)
        details = tuple(
            (k, v)
            for k, v in (
                ("role", role),
                ("flag", el.get("flag")),
                ("lang", el.get(XML_LANG)),
                ("see", el.get("see")),
                ("icon", el.get("icon")),
                ("fpi", el.get("fpi")),
            )
            if v is not None
        )
        return _with_details(Problem(doc.display, line, col, severity, "sch", message, label, path), details)

    def __getstate__(self) -> Any:  # the Saxon executable lives in this process's Saxon only
        raise TypeError("a compiled Schematron cannot be pickled; each worker process compiles its own")


def _with_details(problem: Problem, details: tuple[tuple[str, str], ...]) -> Problem:
    """``problem`` with the SVRL attributes that matter to a reader (role,
    flag, language, see...)."""
    return dataclasses.replace(problem, details=details) if details else problem


def _message(el: etree._Element, check: Check) -> str:
    text = el.find(f"{_S}text")
    message = _norm("".join(str(t) for t in text.itertext()) if text is not None else "")
    for ref in el.iterfind(f"{_S}diagnostic-reference"):
        got = _norm("".join(str(t) for t in ref.itertext()))
        message += f" ({got})" if got else ""
    for ref in el.iterfind(f"{_S}property-reference"):
        got = _norm("".join(str(t) for t in ref.itertext()))
        prop = ref.get("role") or ref.get("property")
        message += f" ({prop}: {got})" if got else f" ({prop})"
    if not message:
        message = f"{check.kind} {'failed' if check.kind == 'assert' else 'fired'}: {_short(check.test)}"
    return message


def document_node(doc: xmlio.ParsedDoc) -> Any:
    """The document for Saxon: its root element and the comments and
    processing instructions around it (a rule may match an xml-model PI),
    never a DOCTYPE."""
    root = doc.root
    before = list(root.itersiblings(preceding=True))[::-1]
    around = [*before, root, *root.itersiblings()]
    base = Path(doc.path).resolve().as_uri() if doc.path else None
    if len(around) == 1:
        return saxon.parse_text(xmlio.to_saxon_text(doc), base)
    text = "".join(etree.tostring(n, encoding="unicode", with_tail=False) for n in around)
    return saxon.parse_text(text, base)


def _beside(folder: Path) -> str:
    """The XML files in ``folder`` (not below it, and none that is a link
    leading out of it), which a rule may read with ``doc()`` as well as
    the run's files: a document's companions, such as an edition's
    register, are read whether or not they are validated in the same run."""
    try:
        stamp = folder.stat().st_mtime_ns  # a file added or removed changes it
    except OSError:
        return ""
    return _listing(folder, stamp)


@functools.lru_cache(maxsize=64)
def _listing(folder: Path, _stamp: int) -> str:
    try:
        found = [p for p in folder.glob("*.xml") if p.is_file() and p.resolve().parent == folder]
    except OSError:
        return ""
    return saxon_confine.allowed(sorted(found))


def _subordinates(doc: xmlio.ParsedDoc, uris: list[str]) -> tuple[dict[str, xmlio.ParsedDoc], list[Problem]]:
    """The subordinate documents at ``uris``, each parsed safely; a URI
    that is not a file in ``doc``'s folder (or below), or that cannot be
    read, is a problem instead."""
    folder = Path(doc.path).resolve().parent
    found: dict[str, xmlio.ParsedDoc] = {}
    problems: list[Problem] = []
    for uri in uris:
        parts = urlparse(uri)
        why = None
        path = Path(unquote(parts.path)) if parts.scheme == "file" and not parts.netloc else None
        if path is None:
            why = "it is not a local file (subordinate documents are never fetched)"
        elif not path.resolve().is_relative_to(folder):
            why = f"it is outside {corpus.display_name(folder)}, the validated document's folder"
        elif not path.is_file():
            why = "no such file"
        if why is None and path is not None:
            try:
                found[uri] = xmlio.parse(path, corpus.display_name(path))
                continue
            except xmlio.XMLError as exc:
                problems.append(exc.problem)
                continue
            except OSError as exc:
                why = f"cannot read it: {exc.strerror or exc}"
        problems.append(
            Problem(
                doc.display, None, None, ERROR, "sch", f"subordinate document {uri} not checked: {why}", "documents"
            )
        )
    return found, problems


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

    def __init__(self, doc: xmlio.ParsedDoc) -> None:
        self.doc = doc
        self.root = doc.root
        self.cache: dict[str, tuple[etree._Element, str | None]] = {}

    def find(self, path: str) -> tuple[etree._Element, str | None]:
        if path in self.cache:
            return self.cache[path]
        el: etree._Element | None = None
        attr = None
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
        if el is None or not isinstance(el, etree._Element):
            el = self.root
        self.cache[path] = (el, attr)
        return el, attr
