"""Which schemas apply to a document, and the per-run cache of compiled ones.

RelaxNG, one per document:

1. ``--schema FILE`` (``.rng``, or ``.rnc`` converted with rnc2rng) replaces
   every RelaxNG association of every document;
2. else the document's first RelaxNG ``<?xml-model?>`` (told apart by
   ``schematypens`` as Oxygen does; ``.rnc`` converted).  Relative hrefs
   resolve against the document; other URIs only through an XML catalog;
3. else the bundled ``tei_all`` (:func:`bundled_tei_all`), as RelaxNG only
   (its embedded Schematron runs when it is named with ``--schema``).

Schematron: the Schematron ``xml-model`` associations plus every
``--schematron FILE``; ``--no-xml-model`` ignores the PIs altogether.

An association that cannot be resolved offline is not a configuration
error of the run but a problem of that document, at its PI, with the
href and the remedy: the other documents go on.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from lxml import etree

from ..odd import hook as odd_hook
from ..problems import ERROR, Problem, SchemaError
from ..reproducible import sha256_file
from ..xmlio import ParsedDoc, url2pathname, write_atomic
from .catalog import Catalog

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SCH15_NS = "http://www.ascc.net/xml/schematron"
SCH_NAMESPACES = (SCH_NS, SCH15_NS)
TEI_NS = "http://www.tei-c.org/ns/1.0"  # schematypens of an ODD
RNC_TYPES = ("application/relax-ng-compact-syntax", "application/x-relax-ng-compact-syntax")
NETWORK_SCHEMES = ("http", "https", "ftp")
ENGINE = "xml-model"

_PSEUDO = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_PROLOG_TOKEN = re.compile(r"<!--.*?-->|<\?(?P<target>[^\s?]+)(?P<data>.*?)\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.S)


def bundled_tei_all() -> Path:
    """The tei_all RelaxNG shipped with teikit: the schema of documents
    that name none."""
    return Path(__file__).resolve().parent / "data" / "tei_all.rng"


@dataclass(frozen=True)
class Association:
    """One ``xml-model`` PI: what kind of schema, its href, where it is."""

    kind: str  # "rng", "rnc", "sch" or "other"
    href: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class SchemaChoice:
    """The schemas for one document.  ``schematron`` holds ``.sch`` files
    and RelaxNG files whose embedded rules run; ``problems`` the
    associations that could not be resolved."""

    rng: Path | None
    schematron: tuple[Path, ...]
    origin: str  # "option", "xml-model" or "bundled"
    problems: tuple[Problem, ...] = field(default=())
    places: dict[Path, tuple[int | None, int | None]] = field(default_factory=dict, compare=False)


class Unresolved(Exception):
    """An association that cannot be used; the message says why and what to do."""


def pseudo_attributes(pi_text: str | None) -> dict[str, str]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _PSEUDO.finditer(pi_text or "")}


def model_kind(attrs: dict[str, str]) -> str:
    ns = attrs.get("schematypens", "")
    typ = attrs.get("type", "")
    href = attrs.get("href", "")
    if ns == TEI_NS or (not ns and href.lower().endswith(".odd")):
        return "odd"  # compiled on the fly by teikit.odd
    compact = typ in RNC_TYPES or href.lower().endswith(".rnc")
    if ns == RNG_NS or (not ns and (compact or href.lower().endswith(".rng"))):
        return "rnc" if compact else "rng"
    if ns in SCH_NAMESPACES or (not ns and href.lower().endswith(".sch")):
        return "sch"
    return "other"


def prolog_associations(text: str, end: int | None = None) -> list[tuple[dict[str, str], int]]:
    """``xml-model`` PIs (pseudo-attributes, character offset) in the text
    before ``end`` (the root's start tag), skipping comments and the DOCTYPE."""
    found = []
    for m in _PROLOG_TOKEN.finditer(text, 0, len(text) if end is None else end):
        if m.group("target") == "xml-model":
            found.append((pseudo_attributes(m.group("data")), m.start()))
    return found


def associations(doc: ParsedDoc) -> list[Association]:
    """The document's ``xml-model`` associations, with their PI's line and column."""
    if doc.root.getprevious() is None:
        return []
    found = []
    for attrs, offset in prolog_associations(doc.text, doc.offset(doc.root)):
        line, column = doc.position(offset)
        found.append(Association(model_kind(attrs), attrs.get("href", ""), line, column))
    return found


_REMEDY = "or pass --schema FILE"


def resolve_href(href: str, doc_path: Path, catalog: Catalog) -> Path:
    """The local file an association names.  Raises :class:`Unresolved`."""
    mapped = catalog.resolve(href)
    if mapped is None:
        official = odd_hook.official_schema(href)  # the TEI's published schemas, compiled from bundled ODDs
        if official is not None:
            return official
        if urlparse(href).scheme in NETWORK_SCHEMES:
            raise Unresolved(
                "cannot be resolved offline: teikit never fetches schemas from the network; "
                "map it to a local file with an XML catalog (--catalog FILE or XML_CATALOG_FILES), "
                f'e.g. <uri name="{_short(href)}" uri="local/copy.rng"/>, {_REMEDY}'
            )
        mapped = urljoin(doc_path.resolve().as_uri(), href)
    parsed = urlparse(mapped)
    if parsed.scheme not in ("file", ""):
        raise Unresolved(
            f"maps to {_short(mapped)}, which is not a local file: teikit never fetches from the network; "
            f"map it to a local file with --catalog FILE, {_REMEDY}"
        )
    path = Path(url2pathname(unquote(parsed.path))) if parsed.scheme == "file" else Path(mapped)
    why = not_a_schema_file(path)
    if why:
        raise Unresolved(f"{why}; fix the href, map it with --catalog FILE, {_REMEDY}")
    return path


def not_a_schema_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a schema, or ``None``."""
    shown = _short(str(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"schema not found (looked for {shown})"
    except OSError as exc:
        return f"{shown} cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        return f"{shown} is a folder, not a schema file"
    if not stat.S_ISREG(mode):
        return f"{shown} is not a regular file (a device, pipe or socket)"
    return None


def choose_from(
    models: list[Association],
    doc_path: Path,
    display: str,
    *,
    schema: Path | None,
    schematron: tuple[Path, ...],
    catalog: Catalog,
) -> SchemaChoice:
    """The schemas for a document with these associations (see the module)."""
    rng: Path | None = schema
    sch: list[Path] = [schema] if schema is not None else []
    problems: list[Problem] = []
    places: dict[Path, tuple[int | None, int | None]] = {}
    named_rng = schema is not None
    for model in models:
        if model.kind == "other" or not model.href or (model.kind != "sch" and named_rng):
            continue  # --schema replaces every RelaxNG association; the first one wins
        named_rng = named_rng or model.kind != "sch"
        try:
            path = resolve_href(model.href, doc_path, catalog)
            if model.kind == "rnc" and path.suffix != ".rng":
                path = rng_from_rnc(path)
            elif model.kind == "odd":
                path = odd_hook.schema_file(path)
                sch.append(path)  # the ODD's constraints, embedded in the compiled grammar
        except (Unresolved, SchemaError) as exc:
            what = "RelaxNG" if model.kind != "sch" else "Schematron"
            message = f"{what} xml-model href {_quote(model.href)}: {exc}"
            problems.append(Problem(display, model.line, model.column, ERROR, ENGINE, message))
            continue
        places.setdefault(path, (model.line, model.column))
        if model.kind == "sch":
            sch.append(path)
        else:
            rng = path
    origin = "option" if schema is not None else "xml-model"
    if not named_rng:
        # RelaxNG only, as jing checks it: the document's own Schematron associations still run,
        # and tei_all's embedded rules only when asked for (--schema tei_all.rng)
        rng, origin = bundled_tei_all(), "bundled"
    sch += [s for s in schematron if s not in sch]
    return SchemaChoice(rng, tuple(dict.fromkeys(sch)), origin, tuple(problems), places)


def _short(text: str, limit: int = 120) -> str:
    """A long href or path cut short for a one-line message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(href: str) -> str:
    return f'"{_short(href)}"'


def choose(
    doc: ParsedDoc,
    *,
    schema: Path | None,
    schematron: tuple[Path, ...],
    catalog: Catalog,
    use_models: bool = True,
    schematron_models: bool = True,
) -> SchemaChoice:
    """The schemas for ``doc``; without ``use_models`` its PIs are ignored,
    without ``schematron_models`` its Schematron PIs (no Schematron runs)."""
    models = [m for m in associations(doc) if schematron_models or m.kind != "sch"] if use_models else []
    return choose_from(models, doc.path, doc.display, schema=schema, schematron=schematron, catalog=catalog)


# -- RELAX NG compact syntax ---------------------------------------------------
def _refuse_network(url: str, *args: object, **kwargs: object) -> None:
    raise Unresolved(f"the compact schema includes {url}: teikit never fetches schemas from the network")


_CONVERTED: dict[str, Path] = {}


def rng_from_rnc(path: Path) -> Path:
    """The XML-syntax RelaxNG of a compact-syntax schema (converted by
    rnc2rng, includes inlined), stored in the cache by the hash of its
    bytes.  Raises :class:`~teikit.problems.SchemaError` if it does not parse."""
    import rnc2rng  # type: ignore[import-untyped]
    from rnc2rng import parser as rnc_parser

    rnc_parser.urlopen = _refuse_network  # an include must never reach the network
    key = fingerprint(path)
    if key in _CONVERTED:
        return _CONVERTED[key]
    try:
        xml = rnc2rng.dumps(rnc2rng.load(str(path)))
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"Error: cannot read compact schema {path}: {exc}") from None
    except Unresolved as exc:
        raise schema_error(str(path), None, None, str(exc)) from None
    except Exception as exc:  # rnc2rng raises its parser's own error types, and AttributeError at the end
        m = re.search(r"\[(\d+):(\d+)\]", str(exc))
        line, column = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        why = "syntax error" if m else "the schema ends too early or cannot be parsed"
        raise schema_error(str(path), line, column, f"RelaxNG compact syntax does not parse: {why}") from None
    data = xml.encode("utf-8")
    folder = _rnc_folder()
    target = folder / f"{hashlib.sha256(data).hexdigest()}.rng"
    if not target.is_file():
        write_atomic(target, data)
    _CONVERTED[key] = target
    return target


def schema_error(where: str, line: int | None, column: int | None, message: str) -> SchemaError:
    """A schema that cannot be used, in the documented forms:
    ``FILE:LINE:COL: error: MESSAGE [schema]`` or ``Error: FILE: MESSAGE``."""
    message = " ".join(message.split())
    if line:
        return SchemaError(f"{where}:{line}:{max(column or 1, 1)}: error: {message} [schema]")
    return SchemaError(f"Error: {where}: {message}")


def xml_syntax_error(path: Path, exc: etree.XMLSyntaxError, what: str) -> SchemaError:
    """A schema or catalog that is not well-formed: one position, 1-based."""
    msg = exc.msg or str(exc)
    m = re.search(r",? line (\d+), column (\d+)$", msg)
    line, column = (int(m.group(1)), int(m.group(2))) if m else (exc.lineno, exc.offset)
    msg = msg[: m.start()] if m else msg
    return schema_error(str(path), line, column, f"{what} is not well-formed: {msg}")


def _rnc_folder() -> Path:
    from .rngcache import cache_dir

    folder = cache_dir()
    if folder is not None:
        return folder.parent / "rnc"
    # caching turned off: a private folder that lives as long as this process
    global _TMP
    if _TMP is None:
        _TMP = tempfile.TemporaryDirectory(prefix="teikit-rnc-")
    return Path(_TMP.name)


_TMP: tempfile.TemporaryDirectory[str] | None = None


_FINGERPRINTS: dict[tuple[str, int, int], str] = {}


def fingerprint(path: Path) -> str:
    """Cache key for a schema: its absolute path and the hash of its bytes
    (hashed again only when its size or modification time changes)."""
    resolved = Path(path).resolve()
    st = resolved.stat()
    key = (str(resolved), st.st_mtime_ns, st.st_size)
    if key not in _FINGERPRINTS:
        _FINGERPRINTS[key] = f"{resolved}:{sha256_file(resolved)}"
    return _FINGERPRINTS[key]
