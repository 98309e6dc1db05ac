"""Structural comparison of two RELAX NG grammars: defines and their normalised patterns."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

RNG = "http://relaxng.org/ns/structure/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"


GROUPING = ("define", "element", "group", "optional", "zeroOrMore", "oneOrMore", "list", "attribute")


def _items(el: etree._Element) -> list[etree._Element]:
    """Children, with groups flattened where grouping is implicit (a semantic no-op)."""
    out = []
    for c in el:
        if not isinstance(c.tag, str) or not c.tag.startswith("{" + RNG):
            continue
        if c.tag == f"{{{RNG}}}group" and el.tag.split("}")[1] in GROUPING:
            out.extend(_items(c))
        else:
            out.append(c)
    return out


def _norm(el: etree._Element) -> str:
    name = el.tag.split("}")[1]
    attrs = ",".join(f"{k}={v}" for k, v in sorted(el.attrib.items()) if not k.startswith("{"))
    text = (el.text or "").strip() if name in ("value", "param", "name", "nsName") else ""
    items = _items(el)
    if name in ("group", "choice") and len(items) == 1:
        return _norm(items[0])
    inner = " ".join(_norm(c) for c in items)
    return f"{name}[{attrs}]{text}({inner})"


def defines(path: Path | str) -> dict[str, str]:
    root = etree.parse(str(path)).getroot()
    out: dict[str, str] = {}
    for d in root.iter(f"{{{RNG}}}define"):
        out[d.get("name", "")] = _norm(d)
    starts = [_norm(s) for s in root.iter(f"{{{RNG}}}start")]
    out["<start>"] = " ".join(starts)
    return out


def rules(path: Path | str) -> list[tuple[str, str, str]]:
    """(context, test, message) of every Schematron rule/assert/report, whitespace normalised."""
    root = etree.parse(str(path)).getroot()
    out = []
    for rule in root.iter(f"{{{SCH}}}rule"):
        ctx = " ".join((rule.get("context") or "").split())
        for check in rule:
            if isinstance(check.tag, str) and check.tag in (f"{{{SCH}}}assert", f"{{{SCH}}}report"):
                msg = " ".join("".join(check.itertext()).split())
                out.append((ctx, " ".join((check.get("test") or "").split()), msg))
    return sorted(out)


def compare(mine: Path | str, ref: Path | str) -> list[str]:
    a, b = defines(mine), defines(ref)
    diffs = []
    for name in sorted(set(a) | set(b)):
        if name not in a:
            diffs.append(f"missing define {name}")
        elif name not in b:
            diffs.append(f"extra define {name}")
        elif a[name] != b[name]:
            diffs.append(f"differs {name}\n  mine: {a[name][:600]}\n  ref:  {b[name][:600]}")
    return diffs
