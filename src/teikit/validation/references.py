"""Reference integrity: every TEI pointer must lead somewhere.

RelaxNG and tei_all check that a pointer is a URI, not that it resolves.
This engine checks each local pointer (``#id``) and each pointer into
another local file (``file.xml#id``) in the TEI pointer attributes,
after expanding private URI schemes declared with ``prefixDef``.
Non-local URIs (``http:``, ``mailto:``, ...) are not reported.

XPointer fragments (TEI P5 16.2.4 and the W3C schemes): ``#xpointer(...)``,
``#range(...)``, ``#string-range(...)``, ``#left(...)``, ``#right(...)``
and ``#element(...)`` are checked against each id they name
(``id('x')``, ``element(x/1/2)``); one that names no id, such as
``#xpath(//p[2])``, is reported as a note ("not checked"), never as a
dangling xml:id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from lxml import etree

from .. import xmlio
from ..problems import ERROR, NOTE, Problem
from ..xmlio import ParsedDoc, url2pathname

XML_ID = f"{{{xmlio.XML_NS}}}id"

# Attributes whose datatype is teidata.pointer (or a list of them) in TEI
# P5 4.11, checked against tei_all.rng (attributes typed anyURI there,
# minus @xml:base, @ns, @uri and the few that are not pointers), plus a
# few names from earlier P5 releases (mergedInto, targets, with).
POINTER_ATTRIBUTES = frozenset(
    """
    active adj adjFrom adjTo ana calendar change children copyOf corresp
    datcat datingMethod datingPoint decls domains edRef end exclude facs
    feats filter follow fromUnit fVal given hand inst lemmaRef location
    mergedIn mergedInto mutual new next nymRef origin parent passive
    perf period prev ref rendition replyTo resp sameAs scheme scribeRef
    scriptRef select since source spanTo start synch target targetDatcat
    targetEnd targets toUnit toWhom unitRef url valueDatcat where who wit
    with
    """.split()
)
# Attributes that are pointers only on some elements (elsewhere they are
# dates, codes or namespace lists), from tei_all.rng.
ELEMENT_POINTERS = {
    "from": frozenset({"span", "app", "arc", "rt"}),
    "to": frozenset({"span", "app", "arc", "rt"}),
    "value": frozenset({"eLeaf", "eTree", "iNode", "leaf", "node", "root", "triangle"}),
    "code": frozenset({"occupation", "socecStatus"}),
    "class": frozenset({"msContents", "msItem", "msItemStruct"}),
    "require": frozenset({"lem", "rdg", "rdgGrp"}),
    "parts": frozenset({"nym"}),
}

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_XPOINTER = re.compile(r"^([A-Za-z_][\w.-]*)\((.*)\)$", re.S)
_ID_CALL = re.compile(r"""\bid\(\s*(?:'([^']*)'|"([^"]*)")\s*\)""")
_TOKEN = re.compile(r"(?:[^\s(]|\((?:[^()'\"]|'[^']*'|\"[^\"]*\"|\([^()]*\))*\))+")


class NotChecked(str):
    """A reason that is a note, not an error: a pointer teikit cannot check."""


def pointer_tokens(value: str) -> list[str]:
    """The pointers of a space-separated list, keeping an XPointer's
    spaces (``#string-range(id('a'), 0, 5)``) inside its token."""
    return _TOKEN.findall(value)


def xpointer_ids(fragment: str) -> list[str] | None:
    """The ids an XPointer scheme fragment names ([] if none), or None when
    the fragment is not in scheme syntax (a plain id)."""
    m = _XPOINTER.match(fragment)
    if not m:
        return None
    scheme, body = m.group(1), m.group(2)
    if scheme == "element":
        first = body.split("/", 1)[0]
        return [first] if first else []
    return [a or b for a, b in _ID_CALL.findall(body)]


class PrefixDef:
    def __init__(self, ident: str, match: str, replacement: str):
        self.ident = ident
        self.match = re.compile(_xpath_regex(match))
        self.replacement = re.sub(r"\$(\d)", r"\\\1", replacement)

    def expand(self, rest: str) -> str | None:
        m = self.match.fullmatch(rest) or self.match.match(rest)
        if not m:
            return None
        return self.match.sub(self.replacement, rest, count=1)


def _xpath_regex(pattern: str) -> str:
    return pattern.replace("\\i", "[A-Za-z_:]").replace("\\c", "[-.\\w:]")


class ReferenceChecker:
    """Checks pointers.  One instance per run caches the ids of other files."""

    def __init__(self, roots: Sequence[Path] | None = None) -> None:
        self._ids: dict[Path, set[str] | None] = {}
        self.roots = roots  # folders XInclude may read from (None: each file's own)

    def ids_in(self, path: Path, current: ParsedDoc | None = None) -> set[str] | None:
        path = path.resolve()
        if current is not None and path == current.path.resolve():
            return _ids(current.root)
        if path not in self._ids:
            try:
                self._ids[path] = _ids(xmlio.load(path, roots=self.roots).root)
            except (OSError, xmlio.XMLError):
                self._ids[path] = None
        return self._ids[path]

    def check(self, doc: ParsedDoc) -> list[Problem]:
        own = _ids(doc.root)
        prefixes = {
            str(p.get("ident")): PrefixDef(
                str(p.get("ident")), str(p.get("matchPattern", "")), str(p.get("replacementPattern", ""))
            )
            for p in doc.root.iter(f"{{{xmlio.TEI_NS}}}prefixDef")
            if p.get("ident") and p.get("matchPattern") is not None
        }
        problems: list[Problem] = []
        for el in doc.root.iter(tag=etree.Element):
            local = etree.QName(el).localname
            for key, raw in el.attrib.items():
                attr, value = str(key), str(raw)
                if attr.startswith("{"):
                    continue
                if attr not in POINTER_ATTRIBUTES and local not in ELEMENT_POINTERS.get(attr, ()):
                    continue
                for token in pointer_tokens(value):
                    reason = self._resolve(doc, el, token, own, prefixes)
                    if reason:
                        line, col = doc.locate(el, attr)
                        severity = NOTE if isinstance(reason, NotChecked) else ERROR
                        message = f'@{attr}="{token}" on element "{local}" {reason}'
                        problems.append(Problem(doc.display, line, col, severity, "ref", message))
        return problems

    def _resolve(
        self, doc: ParsedDoc, el: etree._Element, token: str, own: set[str], prefixes: dict[str, PrefixDef]
    ) -> str | None:
        original = token
        m = _SCHEME.match(token)
        if m and m.group(1) in prefixes:
            expanded = prefixes[m.group(1)].expand(token[len(m.group(0)) :])
            if expanded is None:
                return f'does not match the pattern of prefixDef "{m.group(1)}"'
            token = expanded
            m = _SCHEME.match(token)
        if m and len(m.group(1)) > 1:
            return None  # http:, mailto:, urn:, an undeclared private scheme: not local
        if token.startswith("#"):
            return _missing(unquote(token[1:]), own, "")
        if "#" in token:
            file_part, ident = token.split("#", 1)
            base = el.base or doc.path.resolve().as_uri()
            target = urlparse(urljoin(base, file_part))
            if target.scheme not in ("file", ""):
                return None
            path = Path(url2pathname(unquote(target.path)))
            via = f" (expanded to {token})" if token != original else ""
            if not path.is_file():
                return f"points into {file_part}{via}, which does not exist"
            ids = self.ids_in(path, doc)
            if ids is None:
                return f"points into {file_part}{via}, which is not well-formed XML"
            return _missing(unquote(ident), ids, file_part)
        return None


def _missing(fragment: str, ids: set[str], file_part: str) -> str | None:
    """Why a fragment (a plain id or an XPointer) does not resolve in ``ids``, or None."""
    where = f" in {file_part}" if file_part else ""
    named = xpointer_ids(fragment)
    if named is None:
        if fragment and fragment not in ids:
            if file_part:
                return f'points to #{fragment}{where}, but that file has no xml:id="{fragment}"'
            return f'points to #{fragment}, but no element has xml:id="{fragment}"'
        return None
    if not named:
        return NotChecked("is an XPointer that names no xml:id; not checked")
    for ident in named:
        if ident not in ids:
            return f"is an XPointer to id('{ident}'){where}, but no element has xml:id=\"{ident}\""
    return None


def _ids(root: etree._Element) -> set[str]:
    return {str(v) for v in root.xpath("//@xml:id")}  # type: ignore[union-attr]
