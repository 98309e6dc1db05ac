"""Loading the TEI source (p5subset.xml or a chained ODD) and the ODD itself.

The source is indexed once: specifications by ident and by module, in
document order, as the Stylesheets' keys see them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from lxml import etree

from ..problems import SchemaError
from ..reproducible import sha256_file
from .ns import SCH, TEI, XML, Element, is_spec, local, t, text_of

DATA = Path(__file__).parent / "data"
BUNDLED = DATA / "p5subset.xml"
EDITION_PATH = f"{{{TEI}}}teiHeader/{{{TEI}}}fileDesc/{{{TEI}}}editionStmt/{{{TEI}}}edition"


def parser() -> etree.XMLParser:
    """Safe settings: no DTD, no network, internal entities only."""
    internal: Any = "internal"  # lxml takes this string; its stubs only know True and False
    return etree.XMLParser(
        resolve_entities=internal, load_dtd=False, no_network=True, huge_tree=True, collect_ids=False
    )


@dataclass
class Source:
    """An indexed TEI source: every spec, by ident and by module, in document order."""

    specs: list[Element]
    edition: str = ""
    digest: str = ""
    schema_spec_default_exceptions: str = ""
    constraint_ns: list[tuple[str, str]] = field(default_factory=list)
    by_ident: dict[str, list[Element]] = field(default_factory=dict)
    elements_by_module: dict[str, list[Element]] = field(default_factory=dict)
    others_by_module: dict[str, list[Element]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for spec in self.specs:
            self.by_ident.setdefault(spec.get("ident", ""), []).append(spec)
            module = spec.get("module", "")
            table = self.elements_by_module if local(spec) == "elementSpec" else self.others_by_module
            table.setdefault(module, []).append(spec)
        for spec in self.by_ident.get("schemaSpec", []):
            if local(spec) != "elementSpec":
                continue
            for att in spec.iter(t("attDef")):
                if att.get("ident") == "defaultExceptions":
                    dv = att.find(t("defaultVal"))
                    if dv is not None:
                        self.schema_spec_default_exceptions = " ".join(text_of(dv).split())


_P5_CACHE: dict[tuple[str, int, int], Source] = {}


def load_p5(path: Path) -> Source:
    """Parse and index a p5subset-like source (memoised per file version)."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _P5_CACHE:
        try:
            tree = etree.parse(str(path), parser())
        except (OSError, etree.XMLSyntaxError) as exc:
            raise SchemaError(f"{path}: cannot read the TEI source: {exc}") from exc
        root = tree.getroot()
        edition = root.find(EDITION_PATH)
        specs = [el for el in root.iter(*[t(n) for n in ("elementSpec", "classSpec", "macroSpec", "dataSpec")])]
        text = " ".join(text_of(edition).split()) if edition is not None else ""
        _P5_CACHE.clear()
        _P5_CACHE[key] = Source(specs, edition=text, digest=sha256_file(path), constraint_ns=declared_ns(root))
    return _P5_CACHE[key]


def declared_ns(root: Element) -> list[tuple[str, str]]:
    """The Schematron namespace prefixes a document's constraintDecls declare for all its constraints."""
    found: list[tuple[str, str]] = []
    for decl in root.iter(t("constraintDecl")):
        for ns in decl.iter(f"{{{SCH}}}ns"):
            pair = (ns.get("prefix", ""), ns.get("uri", ""))
            if pair[0] and pair not in found:
                found.append(pair)
    return found


def is_url(value: str) -> bool:
    return urlparse(value).scheme in ("http", "https", "file", "tei") or value.startswith("tei:")


def resolve_location(value: str, base: Path, default: Path) -> Path:
    """Where an ODD's @source points.  TEI releases and URLs of a p5subset go to the default source."""
    if value.startswith("tei:") or (value.rstrip("/").endswith("p5subset.xml") and is_url(value)):
        return default
    if value.startswith("file:"):
        return Path(urlparse(value).path)
    if is_url(value):
        raise SchemaError(f"source {value} is a URL; only TEI releases and local files can be used (no network)")
    path = (base.parent / value).resolve()
    if path.name == "p5subset.xml" and not path.exists():
        return default
    if not path.exists():
        raise SchemaError(f"source {value} not found (looked for {path})")
    return path


def load_odd(path: Path) -> etree._ElementTree:
    """Parse an ODD, expanding XIncludes (including xpointer())."""
    try:
        tree = etree.parse(str(path), parser())
        tree.xinclude()
    except (OSError, etree.XMLSyntaxError, etree.XIncludeError) as exc:
        raise SchemaError(f"{path}: cannot read the ODD: {exc}") from exc
    return tree


def select_schema_spec(root: Element, path: Path, ident: str | None = None) -> Element:
    for spec in root.iter(t("schemaSpec")):
        if ident is None or spec.get("ident") == ident:
            return spec
    raise SchemaError(f"{path}: no schemaSpec" + (f" with ident {ident}" if ident else ""))


def by_xml_id(root: Element) -> dict[str, Element]:
    return {el.get(f"{{{XML}}}id", ""): el for el in root.iter() if el.get(f"{{{XML}}}id")}


def expand_spec_groups(spec: Element, path: Path, ids: dict[str, Element], depth: int = 0) -> Element:
    """A copy of ``spec`` with every specGrpRef replaced by the contents of its specGrp."""
    if depth > 20:
        raise SchemaError(f"{path}: specGrpRef nesting too deep (a cycle?)")
    out = copy.copy(spec)
    out[:] = []
    out.text = spec.text
    for child in spec:
        if isinstance(child.tag, str) and child.tag == t("specGrpRef"):
            for part in _spec_group_contents(child, path, ids, depth):
                out.append(part)
        elif isinstance(child.tag, str) and child.tag == t("specGrp"):
            continue
        else:
            out.append(copy.deepcopy(child))
    return out


def _spec_group_contents(ref: Element, path: Path, ids: dict[str, Element], depth: int) -> list[Element]:
    target = ref.get("target", "")
    where, _, frag = target.partition("#")
    if where:
        doc_path = (path.parent / where).resolve()
        tree = load_odd(doc_path)
        root = tree.getroot()
        group_ids = by_xml_id(root)
        if frag:
            group = group_ids.get(frag)
        elif local(root) == "specGrp":
            group = root
        else:
            group = next(root.iter(t("specGrp")), None)
        path, ids = doc_path, group_ids
    else:
        group = ids.get(frag)
    if group is None:
        # The Stylesheets expand a dangling local reference to nothing; so do we.
        if not where:
            return []
        raise SchemaError(f"{path}: specGrpRef target {target} not found")
    expanded = expand_spec_groups(group, path, ids, depth + 1)
    return [copy.deepcopy(c) for c in expanded]


def merge_duplicate_changes(spec: Element, unique: UniqueName) -> None:
    """Several change-mode specs for one ident act as one (their children joined)."""
    seen: dict[str, Element] = {}
    for child in list(spec):
        if not (isinstance(child.tag, str) and is_spec(child) and child.get("mode") == "change"):
            continue
        name = unique(child)
        if name in seen:
            for part in list(child):
                seen[name].append(part)
            spec.remove(child)
        else:
            seen[name] = child


class UniqueName:
    """ident with the namespace, as the Stylesheets key specs (TEI namespace counts as none)."""

    def __init__(self, schema_ns: str | None) -> None:
        self.schema_ns = schema_ns or ""

    def __call__(self, el: Element) -> str:
        ns = el.get("ns")
        prefix = "" if ns == TEI else (ns if ns else self.schema_ns)
        return prefix + el.get("ident", "")
