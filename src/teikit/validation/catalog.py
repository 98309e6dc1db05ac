"""OASIS XML Catalogs (1.1) for mapping schema URIs to local files.

Only the entries that map URIs are needed: ``uri``, ``system``,
``rewriteURI``, ``rewriteSystem``, ``uriSuffix``, ``systemSuffix``,
``group`` and ``nextCatalog``, honouring ``xml:base``.  Nothing is ever
fetched: a URI the catalogs cannot map stays unresolved.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urljoin, urlparse

from lxml import etree

from .. import xmlio
from ..problems import SchemaError
from ..xmlio import url2pathname

CAT_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"


class Catalog:
    def __init__(self, files: list[Path]):
        self.files = [Path(f) for f in files]
        self.exact: dict[str, str] = {}
        self.rewrites: list[tuple[str, str]] = []
        self.suffixes: list[tuple[str, str]] = []
        seen: set[Path] = set()
        for f in self.files:
            self._load(f, seen)

    @classmethod
    def from_env(cls, explicit: list[str | os.PathLike[str]] | None = None) -> Catalog:
        files: list[Path] = [Path(f) for f in explicit or []]
        if not files and os.environ.get("XML_CATALOG_FILES"):
            for item in os.environ["XML_CATALOG_FILES"].split():
                files.append(Path(url2pathname(urlparse(item).path)) if item.startswith("file:") else Path(item))
        return cls(files)

    def _load(self, path: Path, seen: set[Path]) -> None:
        path = path.resolve()
        if path in seen:
            return
        seen.add(path)
        if not path.is_file():
            raise SchemaError(f"Error: catalog {path} does not exist")
        try:
            root = xmlio.parse_trusted(path).getroot()
        except etree.XMLSyntaxError as exc:
            from .schemas import xml_syntax_error

            raise xml_syntax_error(path, exc, "catalog") from None
        self._walk(root, path.as_uri(), seen)

    def _walk(self, el: etree._Element, base: str, seen: set[Path]) -> None:
        base = urljoin(base, el.get(f"{{{xmlio.XML_NS}}}base", "")) if el.get(f"{{{xmlio.XML_NS}}}base") else base
        for child in el:
            if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{CAT_NS}}}"):
                continue
            name = etree.QName(child).localname
            cbase = (
                urljoin(base, child.get(f"{{{xmlio.XML_NS}}}base")) if child.get(f"{{{xmlio.XML_NS}}}base") else base
            )
            if name in ("uri", "system"):
                key = child.get("name") or child.get("systemId")
                if key:
                    self.exact.setdefault(key, urljoin(cbase, child.get("uri", "")))
            elif name in ("rewriteURI", "rewriteSystem"):
                start = child.get("uriStartString") or child.get("systemIdStartString")
                if start:
                    self.rewrites.append((start, urljoin(cbase, child.get("rewritePrefix", ""))))
            elif name in ("uriSuffix", "systemSuffix"):
                suffix = child.get("uriSuffix") or child.get("systemIdSuffix")
                if suffix:
                    self.suffixes.append((suffix, urljoin(cbase, child.get("uri", ""))))
            elif name == "group":
                self._walk(child, cbase, seen)
            elif name == "nextCatalog":
                target = urljoin(cbase, child.get("catalog", ""))
                self._load(Path(url2pathname(urlparse(target).path)), seen)

    def resolve(self, uri: str) -> str | None:
        """The mapped URI, or ``None``.  Longest match wins, as the spec says."""
        if uri in self.exact:
            return self.exact[uri]
        best = max((r for r in self.rewrites if uri.startswith(r[0])), key=lambda r: len(r[0]), default=None)
        if best:
            return best[1] + uri[len(best[0]) :]
        best = max((s for s in self.suffixes if uri.endswith(s[0])), key=lambda s: len(s[0]), default=None)
        if best:
            return best[1]
        return None
