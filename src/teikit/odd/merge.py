"""odd2odd: merge a customisation with its source into one resolved list of specs.

Pass 1 gathers what the moduleRefs and direct references select from the
source, pass 2 applies deletions, replacements and changes, pass 3 drops
classes, macros and datatypes nothing uses (see prune.py).
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from ..problems import SchemaError
from .copymode import copy_node
from .keys import OddKeys
from .ns import Element, attrs, is_spec, is_tei, kids, local, nsmap, tei_kids
from .source import Source
from .specs import change_spec, create_copy, justcopy

DIRECT_REFS = ("dataRef", "macroRef", "classRef", "elementRef")


def filter_class_atts(spec: Element, keys: OddKeys) -> Element:
    """A class's attributes limited by an @include/@except on a reference to it."""
    filters = keys.att_filters.get(spec.get("ident", ""))
    if not filters or local(spec) != "classSpec":
        return spec
    exc = " ".join(f.get("except", "") for f in filters)
    inc = " ".join(f.get("include", "") for f in filters)
    from .ns import include_member

    for al in tei_kids(spec, "attList"):
        for att in tei_kids(al, "attDef"):
            if not include_member(att.get("ident", ""), exc or None, inc or None):
                al.remove(att)
    return spec


def _from_source(spec: Element, keys: OddKeys) -> Element | None:
    if keys.spec_deleted(spec):
        return None
    return filter_class_atts(justcopy(spec), keys)


def expand_module(ref: Element, source: Source, keys: OddKeys) -> list[Element]:
    key = ref.get("key", "")
    if key not in source.elements_by_module and key not in source.others_by_module:
        raise SchemaError(f"moduleRef to {key}: no such module in the source")
    exc, inc = ref.get("except"), ref.get("include")
    from .ns import include_member

    out: list[Element] = []
    for spec in source.others_by_module.get(key, []):
        if spec.get("ident") not in keys.ref_objects:
            got = _from_source(spec, keys)
            if got is not None:
                out.append(got)
    for spec in source.elements_by_module.get(key, []):
        ident = spec.get("ident", "")
        if include_member(ident, exc, inc) and ident not in keys.ref_objects:
            got = _from_source(spec, keys)
            if got is not None:
                out.append(got)
    return out


def pass1(schema: Element, source: Source, keys: OddKeys) -> list[Element]:
    refs = [c for c in tei_kids(schema, "moduleRef") if c.get("key")]
    ordered = [r for r in refs if r.get("key") == "tei"] + [r for r in refs if r.get("key") == "core"]
    ordered += [r for r in refs if r.get("key") not in ("tei", "core")]
    out: list[Element] = []
    for ref in ordered:
        out.extend(expand_module(ref, source, keys))
    for child in kids(schema):
        if is_tei(child, "moduleRef") and child.get("key"):
            continue
        if is_spec(child):
            if child.get("mode") in (None, "add"):
                out.append(create_copy(child, keys, schema))
        elif is_tei(child, *DIRECT_REFS) and child.get("name") is None:
            found = source.by_ident.get(child.get("key", ""))
            if not found:
                raise SchemaError(f"reference to {child.get('key')} in {schema.get('ident')}: not found in source")
            for spec in found:
                got = _from_source(spec, keys)
                if got is not None:
                    out.append(got)
        else:
            out.append(justcopy(child))
    return out


def pass2(items: list[Element], keys: OddKeys) -> list[Element]:
    out: list[Element] = []
    for item in items:
        if not is_spec(item):
            out.append(item)
            continue
        name = keys.unique(item)
        if name in keys.delete:
            continue
        if name in keys.replace:
            out.extend(copy_node(keys.replace[name], keys))
        elif name in keys.change:
            out.append(change_spec(item, keys.change[name], keys))
        else:
            out.append(item)
    return out


def merged_schema(schema: Element, source: Source) -> tuple[Element, OddKeys]:
    """The schemaSpec after passes 1 and 2: a new element holding every resolved spec."""
    keys = OddKeys(schema)
    out = etree.Element(schema.tag, attrs(schema), nsmap=nsmap(schema.nsmap))
    if out.get("defaultExceptions") is None and source.schema_spec_default_exceptions:
        out.set("defaultExceptions", source.schema_spec_default_exceptions)
    for item in pass2(pass1(schema, source, keys), keys):
        out.append(item)
    return out, keys


def compile_to_specs(odd: Path, schema: Element, source: Source) -> Element:
    """The compiled schemaSpec (passes 1 to 4)."""
    from .prune import prune

    merged, _ = merged_schema(schema, source)
    return prune(merged)


__all__ = ["compile_to_specs", "copy"]
