"""Assemble the model: patterns (abstract ones instantiated), rules (abstract
ones expanded), the phase, and the checks of scoping rules for ``let``."""

from __future__ import annotations

from pathlib import Path

from ... import corpus
from ...problems import UNDEFINED_PHASE, SchemaError
from .extract import Reader
from .model import _IGNORED, _UNSUPPORTED_ATTRS, WARNING_ROLES, Check, Let, Pattern, Rule, Schema, local


def read_schema(path: Path, phase: str | None = None) -> Schema:
    """The model of the Schematron in ``path``, restricted to ``phase``."""
    reader = Reader(path)
    schema, phases, default_phase = reader.read()
    patterns: list[Pattern] = []
    for n, el in enumerate(reader.pattern_elems, 1):
        if el.get("is-a"):
            el = reader.expand_abstract(el)
        patterns.append(_pattern(reader, schema, el, n))
    ids = [p.id for p in patterns if p.id]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise SchemaError(f"Error: {corpus.display_name(path)}: pattern id {sorted(dup)[0]!r} is used twice")
    chosen = phase if phase not in (None, "#DEFAULT") else (default_phase or "#ALL")
    if chosen != "#ALL":
        el = phases.get(chosen)
        if el is None:
            known = ", ".join([*phases, "#ALL"])
            if phase in (None, "#DEFAULT"):
                raise SchemaError(
                    f"Error: {corpus.display_name(path)}: defaultPhase {chosen!r} is not defined (phases: {known})"
                )
            raise SchemaError(
                f"Error: Schematron phase {chosen!r} is not defined in {corpus.display_name(path)} (phases: {known})",
                kind=UNDEFINED_PHASE,
                names=(chosen,),
            )
        active: list[str] = []
        phase_lets: list[Let] = []
        by_id = {p.id: p for p in patterns if p.id}
        for a in reader.children(el):
            name = local(a)
            if name == "active":
                pid = a.get("pattern")
                if pid not in by_id:
                    reader.fail(a, f"phase {chosen!r}: active pattern={pid!r} is not a pattern id")
                active.append(pid)
            elif name == "let":
                phase_lets.append(reader.let(a))
            elif name is not None and name not in _IGNORED:
                reader.fail(a, f"sch:{name} is not allowed in sch:phase")
        patterns = [p for p in patterns if p.id in active]
        _no_duplicates(phase_lets, "phase")
        shadowed = {let.name for let in phase_lets}  # phase variables shadow schema-level ones
        schema.lets = [x for x in schema.lets if x.name not in shadowed] + phase_lets
    schema.patterns = patterns
    names = [let.name for let in schema.lets]
    for let in schema.lets:
        if names.count(let.name) > 1:
            raise SchemaError(f"{let.where}: variable {let.name!r} is defined twice at schema level")
    for key, el in [*schema.diagnostics.items(), *schema.properties.items()]:
        if not key:
            reader.fail(el, f"sch:{local(el)} needs an id")
    schema.files = list(dict.fromkeys(reader.files))
    schema.reader = reader  # keeps copies (and their locations) alive for the compiler
    return schema


def _pattern(reader: Reader, schema: Schema, el, n: int) -> Pattern:
    for attr, what in _UNSUPPORTED_ATTRS.items():
        if el.get(attr) is not None:
            reader.fail(el, f"{what} is not supported")
    pid = el.get("id")
    pat = Pattern(pid, pid or f"pattern{n}", [], [], reader.where(el), group=local(el) == "group")
    pos = 0
    for c in reader.children(el):
        name = local(c)
        if name == "let":
            pat.lets.append(reader.let(c))
        elif name == "rule":
            if c.get("abstract") == "true":
                continue
            pos += 1
            pat.rules.append(_rule(reader, schema, c, pat, pos))
        elif name is None or name in _IGNORED:
            continue
        else:
            reader.fail(c, f"sch:{name} is not allowed in sch:{local(el)}")
    _no_duplicates(pat.lets, "pattern")
    return pat


def _rule(reader: Reader, schema: Schema, el, pat: Pattern, pos: int) -> Rule:
    for attr, what in _UNSUPPORTED_ATTRS.items():
        if el.get(attr) is not None:
            reader.fail(el, f"{what} is not supported")
    context = el.get("context")
    if not context or not context.strip():
        reader.fail(el, "sch:rule needs a context")
    rule = Rule(context, el.get("id"), [], [], el.get("subject"), reader.where(el))
    rule.label = rule.id or f"{pat.label}/{pos}"
    rule_role = el.get("role")
    rule_props = (el.get("properties") or "").split()
    for c in reader.rule_parts(el):
        name = local(c)
        if name == "let":
            rule.lets.append(reader.let(c))
            continue
        test = c.get("test")
        if test is None or not test.strip():
            reader.fail(c, f"sch:{name} needs a test")
        role = c.get("role") or rule_role or ""
        diags = (c.get("diagnostics") or "").split()
        props = rule_props + (c.get("properties") or "").split()
        for d in diags:
            if d not in schema.diagnostics:
                reader.fail(c, f"sch:{name} refers to diagnostic {d!r}, which is not defined")
        for d in props:
            if d not in schema.properties:
                reader.fail(c, f"sch:{name} refers to property {d!r}, which is not defined")
        severity = "warning" if role.strip().lower() in WARNING_ROLES else "error"
        rule.checks.append(Check(name, test, c, severity, c.get("id"), diags, props, c.get("subject"), reader.where(c)))
    _no_duplicates(rule.lets, "rule")
    return rule


def _no_duplicates(lets: list[Let], level: str) -> None:
    seen = set()
    for let in lets:
        if let.name in seen:
            raise SchemaError(f"{let.where}: variable {let.name!r} is defined twice in the same {level}")
        seen.add(let.name)
