"""Assemble the model: patterns (abstract ones instantiated), rules (abstract
ones expanded), the phase, the checks of scoping rules for ``let``, and
the choice among language variants of an assertion."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ... import corpus
from ...problems import UNDEFINED_PHASE, SchemaError
from .extract import Reader
from .model import _IGNORED, WARNING_ROLES, Check, Let, Pattern, Rule, Schema, local
from .templates import expand_abstract, rule_parts


def read_schema(path: Path, phase: str | None = None, lang: str | None = None) -> Schema:
    """The model of the Schematron in ``path``, restricted to ``phase``;
    where an assertion comes in several languages, the ``lang`` one runs."""
    reader = Reader(path)
    schema, phases, default_phase = reader.read()
    patterns: list[Pattern] = []
    for n, el in enumerate(reader.pattern_elems, 1):
        params: dict[str, str] = {}
        if el.get("is-a"):
            el, params = expand_abstract(reader, el)
        patterns.append(_pattern(reader, schema, el, n, params))
    ids = [p.id for p in patterns if p.id]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise SchemaError(f"Error: {corpus.display_name(path)}: pattern id {sorted(dup)[0]!r} is used twice")
    every = list(patterns)
    chosen = phase if phase not in (None, "#DEFAULT") else (default_phase or "#ALL")
    phase_lets: list[Let] = []
    if chosen != "#ALL":
        patterns, phase_lets = _phase(reader, schema, path, phase, chosen, phases, patterns)
    schema.patterns = patterns
    schema.phase = chosen
    _globals(schema, phase_lets, every)
    for key, el in [*schema.diagnostics.items(), *schema.properties.items()]:
        if not key:
            reader.fail(el, f"sch:{local(el)} needs an id")
    _choose_languages(schema, lang or "en")
    schema.files = list(dict.fromkeys(reader.files))
    schema.reader = reader  # keeps copies (and their locations) alive for the compiler
    return schema


def _phase(
    reader: Reader,
    schema: Schema,
    path: Path,
    phase: str | None,
    chosen: str,
    phases: dict[str, etree._Element],
    patterns: list[Pattern],
) -> tuple[list[Pattern], list[Let]]:
    """The active patterns and the lets of phase ``chosen``; sets ``schema.start``."""
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
            active.append(pid or "")
        elif name == "let":
            phase_lets.append(reader.let(a))
        elif name is not None and name not in _IGNORED:
            reader.fail(a, f"sch:{name} is not allowed in sch:phase")
    start = el.get("from")
    if start is not None:
        if not start.strip():
            reader.fail(el, "phase/@from is empty")
        schema.start = start
    _no_duplicates(phase_lets, "phase")
    return [p for p in patterns if p.id in active], phase_lets


def _globals(schema: Schema, phase_lets: list[Let], patterns: list[Pattern]) -> None:
    """Schema, phase and pattern variables are all global (ISO Schematron
    2020): a name may be defined once among them."""
    _no_duplicates(schema.lets, "schema", "at schema level")
    seen: dict[str, tuple[Let, str]] = {let.name: (let, "the schema") for let in schema.lets}
    for lets, level in [(phase_lets, "phase"), *[(p.lets, f"pattern {p.label}") for p in patterns]]:
        for let in lets:
            if let.name in seen:
                first, where = seen[let.name]
                raise SchemaError(
                    f"{let.where}: variable {let.name!r} ({level}) is already defined in {where} at {first.where}; "
                    "schema, phase and pattern variables are all global in ISO Schematron 2020"
                )
            seen[let.name] = (let, level)
    active = {id(p) for p in schema.patterns}
    schema.lets = schema.lets + phase_lets
    schema.globals = schema.lets + [let for p in patterns if id(p) in active for let in p.lets]


def _pattern(reader: Reader, schema: Schema, el: etree._Element, n: int, params: dict[str, str]) -> Pattern:
    pid = el.get("id")
    pat = Pattern(pid, pid or f"pattern{n}", [], [], reader.where(el), group=local(el) == "group")
    pat.documents = el.get("documents")
    if pat.documents is not None and not pat.documents.strip():
        reader.fail(el, "pattern/@documents is empty")
    pat.role = el.get("role")
    title = next((t for t in el if local(t) == "title"), None)
    if title is not None:
        pat.title = " ".join("".join(str(t) for t in title.itertext()).split())
    pos = 0
    for c in reader.children(el):
        name = local(c)
        if name == "let":
            pat.lets.append(reader.let(c))
        elif name == "rule":
            if c.get("abstract") == "true":
                continue
            pos += 1
            pat.rules.append(_rule(reader, schema, c, pat, pos, el, params))
        elif name is None or name in _IGNORED or (name == "param" and el.get("abstract") == "true"):
            continue
        else:
            reader.fail(c, f"sch:{name} is not allowed in sch:{local(el)}")
    _no_duplicates(pat.lets, "pattern")
    return pat


def _rule(
    reader: Reader,
    schema: Schema,
    el: etree._Element,
    pat: Pattern,
    pos: int,
    pat_el: etree._Element,
    params: dict[str, str],
) -> Rule:
    context = el.get("context")
    if not context or not context.strip():
        reader.fail(el, "sch:rule needs a context")
        raise AssertionError  # unreachable: fail raises
    rule = Rule(context, el.get("id"), [], [], el.get("subject"), reader.where(el))
    rule.label = rule.id or f"{pat.label}/{pos}"
    rule.role, rule.flag = el.get("role"), el.get("flag")
    rule.visit_each = el.get("visit-each")
    if rule.visit_each is not None and not rule.visit_each.strip():
        reader.fail(el, "rule/@visit-each is empty")
    rule.properties = (el.get("properties") or "").split()
    for c in rule_parts(reader, el, pat_el):
        if local(c) == "let":
            rule.lets.append(reader.let(c))
            continue
        rule.checks.append(_check(reader, schema, c, rule, params))
    _no_duplicates(rule.lets, "rule")
    return rule


def _check(reader: Reader, schema: Schema, c: etree._Element, rule: Rule, params: dict[str, str]) -> Check:
    name = local(c) or ""
    test = c.get("test")
    if test is None or not test.strip():
        reader.fail(c, f"sch:{name} needs a test")
        raise AssertionError  # unreachable: fail raises
    role = c.get("role") or rule.role or ""
    diags = (c.get("diagnostics") or "").split()
    props = rule.properties + (c.get("properties") or "").split()
    for d in diags:
        if d not in schema.diagnostics:
            reader.fail(c, f"sch:{name} refers to diagnostic {d!r}, which is not defined")
    for d in props:
        if d not in schema.properties:
            reader.fail(c, f"sch:{name} refers to property {d!r}, which is not defined")
    severity = "warning" if role.strip().lower() in WARNING_ROLES else "error"
    check = Check(name, test, c, severity, c.get("id"), diags, props, c.get("subject"), reader.where(c))
    check.role = c.get("role") or rule.role
    check.flag = c.get("flag") or rule.flag
    check.lang = reader.lang(c)
    check.see, check.icon, check.fpi = c.get("see"), c.get("icon"), c.get("fpi")
    check.params = params
    return check


def _primary(tag: str | None) -> str | None:
    return tag.split("-")[0].split("_")[0].lower() if tag else None


_NUMBERED = re.compile(r"(?:-constraint)?-rule-\d+$|-\d+$")
_LANG_SUFFIX = re.compile(r"^(?P<stem>.+)-(?P<lang>[a-z]{2}(?:-[A-Za-z]{2}|-[A-Za-z]{4})?)$")  # an ISO 639-1 language


def _choose_languages(schema: Schema, lang: str) -> None:
    """Where the same assertion (kind, test and rule context) exists in
    several languages, keep the variants in ``lang``, else those without
    xml:lang, else the first language given; one that exists in a single
    language always runs.

    TEI's generated schemas (tei_all) drop the constraint's xml:lang and
    keep it only in the id (``...-spanTo-fr-constraint-rule-44`` beside
    ``...-spanTo-constraint-rule-43``): among variants without xml:lang,
    an id that is another variant's id plus a language suffix gives that
    language."""
    groups: dict[tuple[str, str, str], list[tuple[Check, str]]] = {}
    for pat in schema.patterns:
        for rule in pat.rules:
            for check in rule.checks:
                key = (" ".join(rule.context.split()), check.kind, " ".join(check.test.split()))
                ident = check.id or (pat.id if len(pat.rules) == 1 else None) or rule.id or ""
                groups.setdefault(key, []).append((check, _NUMBERED.sub("", ident)))
    drop: set[int] = set()
    want = _primary(lang)
    for members in groups.values():
        if len(members) < 2:
            continue
        langs = [_primary(c.lang) for c, _ in members]
        if not any(langs):
            stems = {stem for _, stem in members}
            found = [_LANG_SUFFIX.match(stem) for _, stem in members]
            langs = [_primary(m.group("lang")) if m and m.group("stem") in stems else None for m in found]
        if len(set(langs)) < 2:
            continue
        keep = want if want in langs else (None if None in langs else langs[0])
        drop |= {id(c) for (c, _), lg in zip(members, langs, strict=True) if lg != keep}
    if drop:
        for rule in schema.rules:
            rule.checks = [c for c in rule.checks if id(c) not in drop]


def _no_duplicates(lets: list[Let], level: str, where: str | None = None) -> None:
    seen = set()
    for let in lets:
        if let.name in seen:
            raise SchemaError(f"{let.where}: variable {let.name!r} is defined twice {where or f'in the same {level}'}")
        seen.add(let.name)
