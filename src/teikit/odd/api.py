"""The entry point of the ODD compiler."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .classatts import resolve_class_attributes
from .merge import compile_to_specs
from .ns import Element, is_spec
from .schematron import standalone
from .source import (
    BUNDLED,
    Source,
    UniqueName,
    by_xml_id,
    declared_ns,
    expand_spec_groups,
    load_odd,
    load_p5,
    merge_duplicate_changes,
    resolve_location,
    select_schema_spec,
)
from .to_rng import RngWriter

MAX_CHAIN = 10


@dataclass(frozen=True)
class CompiledSchema:
    """A compiled ODD: RelaxNG (with Schematron embedded) and standalone Schematron."""

    rng: etree._ElementTree
    sch: etree._ElementTree
    edition: str = ""

    def rng_bytes(self) -> bytes:
        return etree.tostring(self.rng, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def sch_bytes(self) -> bytes:
        return etree.tostring(self.sch, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def prepared_schema(
    odd: Path, namespaces: dict[str, str] | None = None, constraint_ns: list[tuple[str, str]] | None = None
) -> Element:
    """The ODD's schemaSpec with specGrpRefs expanded and repeated changes joined (odd2odd pass 0).

    ``namespaces`` collects every prefix the ODD declares (for QNames in attribute values).
    """
    root = load_odd(odd).getroot()
    if constraint_ns is not None:
        constraint_ns.extend(declared_ns(root))
    if namespaces is not None:
        for el in root.iter():
            for prefix, uri in el.nsmap.items():
                if prefix:
                    namespaces.setdefault(str(prefix), str(uri))
    spec = select_schema_spec(root, odd)
    expanded = expand_spec_groups(spec, odd, by_xml_id(root))
    merge_duplicate_changes(expanded, UniqueName(expanded.get("ns")))
    return expanded


def source_for(schema: Element, odd: Path, default: Path, depth: int) -> Source:
    """The source an ODD builds on: the default p5subset, a local p5subset-like file, or a chained ODD."""
    value = schema.get("source")
    path = default if not value else resolve_location(value, odd, default)
    if path == default or (path.suffix == ".xml" and b"<schemaSpec" not in path.read_bytes()[:20_000_000]):
        return load_p5(path)
    if depth >= MAX_CHAIN:
        from ..problems import SchemaError

        raise SchemaError(f"{odd}: ODDs chained more than {MAX_CHAIN} deep (a cycle?)")
    inner = prepared_schema(path)
    inner_source = source_for(inner, path, default, depth + 1)
    compiled = compile_to_specs(path, inner, inner_source)
    specs = [el for el in compiled if isinstance(el.tag, str) and is_spec(el)]
    return Source(
        specs, edition=inner_source.edition, digest=inner_source.digest, constraint_ns=inner_source.constraint_ns
    )


def compile_odd(odd_path: str | Path, source: str | Path | None = None) -> CompiledSchema:
    """Compile ``odd_path`` against ``source`` (default: the bundled p5subset, TEI P5 4.10.0a)."""
    odd = Path(odd_path).resolve()
    default = Path(source).resolve() if source is not None else BUNDLED
    namespaces: dict[str, str] = {}
    declared: list[tuple[str, str]] = []
    schema = prepared_schema(odd, namespaces, declared)
    src = source_for(schema, odd, default, 0)
    compiled = compile_to_specs(odd, schema, src)
    resolve_class_attributes(compiled)
    writer = RngWriter(compiled, namespaces)
    writer.declared_ns = tuple(declared + [p for p in src.constraint_ns if p not in declared])
    grammar = writer.grammar(str(odd), src.edition)
    title = f"Schematron of {compiled.get('ident', odd.stem)}, compiled by teikit from {odd.name}"
    return CompiledSchema(etree.ElementTree(grammar), standalone(grammar, title), src.edition)
