"""Which schemas apply to a document, and the per-run cache of compiled ones.

Order of precedence, per kind of schema:

1. ``--schema FILE`` (RelaxNG; Schematron embedded in it runs too) and
   ``--schematron FILE`` (a standalone ``.sch``);
2. the document's own ``<?xml-model?>`` processing instructions, told
   apart by ``schematypens`` as Oxygen does.  Relative hrefs resolve
   against the document; ``http(s)`` hrefs only through an XML catalog;
3. the project's own ``schema/teikit.rng`` and ``schema/teikit.sch``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from lxml import etree

from .. import resources
from ..odd import hook as odd_hook
from ..problems import SchemaError
from ..xmlio import url2pathname
from .catalog import Catalog

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SCH15_NS = "http://www.ascc.net/xml/schematron"
SCH_NAMESPACES = (SCH_NS, SCH15_NS)
TEI_NS = "http://www.tei-c.org/ns/1.0"

_PSEUDO = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


@dataclass(frozen=True)
class SchemaChoice:
    """The schemas for one document.  ``schematron`` holds ``.sch`` files
    and RelaxNG files whose embedded rules run."""

    rng: Path | None
    schematron: tuple[Path, ...]
    origin: str  # "option", "xml-model" or "project"


def pseudo_attributes(pi_text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _PSEUDO.finditer(pi_text or "")}


def xml_models(tree: etree._ElementTree) -> list[tuple[dict[str, str], int]]:
    """The ``xml-model`` PIs before the root element, with their lines."""
    found = []
    node = tree.getroot().getprevious()
    items = []
    while node is not None:
        items.append(node)
        node = node.getprevious()
    for node in reversed(items):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            found.append((pseudo_attributes(node.text), node.sourceline))
    return found


def model_kind(attrs: dict[str, str]) -> str | None:
    ns = attrs.get("schematypens", "")
    typ = attrs.get("type", "")
    href = attrs.get("href", "")
    if ns == TEI_NS or href.lower().endswith(".odd"):
        return "odd"  # compiled on the fly by teikit.odd
    if ns == RNG_NS:
        return "rng"
    if ns in SCH_NAMESPACES:
        return "sch"
    if ns:
        return "other"
    if typ in ("application/relax-ng-compact-syntax",) or href.endswith(".rnc"):
        return "rnc"
    if href.endswith(".rng"):
        return "rng"
    if href.endswith(".sch"):
        return "sch"
    return "other"


def resolve_href(href: str, doc_path: Path, catalog: Catalog, display: str, line: int | None) -> Path:
    where = f"{display}:{line}:1" if line else display
    mapped = catalog.resolve(href)
    if mapped is None:
        official = odd_hook.official_schema(href)
        if official is not None:
            return official
        scheme = urlparse(href).scheme
        if scheme in ("http", "https", "ftp"):
            raise SchemaError(
                f"{where}: cannot resolve schema {href}: teikit never fetches schemas from the network; "
                f"map it to a local file with an XML catalog (--catalog FILE or XML_CATALOG_FILES), "
                f'e.g. <uri name="{href}" uri="local/copy.rng"/>, or pass --schema FILE'
            )
        mapped = urljoin(doc_path.resolve().as_uri(), href)
    parsed = urlparse(mapped)
    if parsed.scheme not in ("file", ""):
        raise SchemaError(
            f"{where}: schema {href} maps to {mapped}, which is not a local file; teikit never fetches from the network"
        )
    path = Path(url2pathname(unquote(parsed.path))) if parsed.scheme == "file" else Path(mapped)
    if not path.is_file():
        raise SchemaError(f"{where}: schema {href} not found (looked for {path})")
    return path


def choose(
    tree: etree._ElementTree,
    doc_path: Path,
    display: str,
    *,
    schema: Path | None,
    schematron: tuple[Path, ...],
    catalog: Catalog,
) -> SchemaChoice:
    rng: Path | None = None
    sch: list[Path] = []
    if schema is not None:
        rng = odd_hook.schema_file(Path(schema))
        sch.append(rng)
    if schematron:
        sch = list(schematron) if schema is None else sch + list(schematron)
    if schema is not None and schematron:
        return SchemaChoice(rng, tuple(sch), "option")
    models = xml_models(tree)
    m_rng: Path | None = None
    m_sch: list[Path] = []
    for attrs, line in models:
        kind = model_kind(attrs)
        href = attrs.get("href")
        if kind not in ("rng", "sch", "rnc", "odd") or not href:
            continue
        if kind == "rnc" and odd_hook.official_odd(href) is not None:
            kind = "rng"  # an official TEI schema: its XML form is compiled from the bundled ODD
        if kind == "rnc":
            if schema is None:
                raise SchemaError(
                    f"{display}:{line}:1: RelaxNG compact syntax ({href}) is not supported; convert it with trang or pass --schema FILE.rng"
                )
            continue
        path = resolve_href(href, doc_path, catalog, display, line)
        if kind == "odd":
            kind, path = "rng", odd_hook.schema_file(path)
            if path not in m_sch:
                m_sch.append(path)  # the ODD's constraints, embedded in the compiled grammar
        if kind == "rng" and m_rng is None:
            m_rng = path
        elif kind == "sch" and path not in m_sch:
            m_sch.append(path)
    if schema is not None:
        return SchemaChoice(rng, tuple(sch), "option")
    if schematron:
        if m_rng is None and not models:
            m_rng = _project()[0]
        return SchemaChoice(m_rng, tuple(sch), "option")
    if m_rng is not None or m_sch:
        return SchemaChoice(m_rng, tuple(m_sch), "xml-model")
    prng, psch = _project()
    return SchemaChoice(prng, (psch,) if psch.is_file() else (), "project")


def _project() -> tuple[Path, Path]:
    try:
        rng, sch = resources.project_schema()
    except FileNotFoundError as exc:
        raise SchemaError(f"Error: {exc}") from None
    if not rng.is_file():
        raise SchemaError(f"Error: the project schema {rng} is missing; pass --schema FILE")
    return rng, sch


_FINGERPRINTS: dict[tuple, str] = {}


def fingerprint(path: Path) -> str:
    """Cache key for a schema: its absolute path and the hash of its bytes
    (hashed again only when its size or modification time changes)."""
    resolved = Path(path).resolve()
    st = resolved.stat()
    key = (str(resolved), st.st_mtime_ns, st.st_size)
    if key not in _FINGERPRINTS:
        _FINGERPRINTS[key] = f"{resolved}:{hashlib.sha256(resolved.read_bytes()).hexdigest()}"
    return _FINGERPRINTS[key]
