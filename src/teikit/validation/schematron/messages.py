"""The messages of assertions, diagnostics and properties, as SVRL text."""

from __future__ import annotations

from typing import Any

from lxml import etree

from ...problems import SchemaError
from .model import XSL, Schema, Where, local
from .templates import substitute
from .writer import Writer, attrs, esc, text


def text_element(w: Writer, schema: Schema, el: Any, what: str, params: dict[str, str]) -> None:
    reader = schema.reader
    known = attrs(see=el.get("see"), icon=el.get("icon"), fpi=el.get("fpi"), lang=reader.lang(el))
    w.add(f"<%S:text{known}>")
    content(w, el, reader.where(el), what, params)
    w.add("</%S:text>")


_INLINE = {"emph": (), "dir": ("value",), "span": ("class",)}


def content(w: Writer, el: Any, where: str | Where, what: str, params: dict[str, str]) -> None:
    """The message of an assert/report/diagnostic/property element, as SVRL text."""
    # as an XSLT processor would, leave out white space alone at either end
    # (the message is normalised anyway; inside, it separates the parts)
    children = list(el)
    if el.text and (el.text.strip() or not children):
        w.add(f"<%X:text>{text(el.text)}</%X:text>")
    for n, child in enumerate(children):
        if isinstance(child.tag, str):
            _inline(w, child, where, what, params)
        if child.tail and (child.tail.strip() or n < len(children) - 1):
            w.add(f"<%X:text>{text(child.tail)}</%X:text>")


def _inline(w: Writer, child: Any, where: str | Where, what: str, params: dict[str, str]) -> None:
    name = local(child)
    if name == "value-of" or (name is None and child.tag in (f"{{{XSL}}}value-of", f"{{{XSL}}}copy-of")):
        sel = child.get("select")
        if not sel:
            raise SchemaError(
                f"{where}: {what}: {'sch:value-of' if name else child.prefix + ':' + etree.QName(child).localname} needs a select"
            )
        sel = substitute(sel, params)
        kind = "copy-of" if child.tag == f"{{{XSL}}}copy-of" else "value-of"
        w.add(f'<%X:{kind} select="{esc(sel)}"/>', (where, f"{what}: {kind} select {sel!r}"))
    elif name == "name":
        path = child.get("path")
        # ISO 2020: with @path, the value of that expression; without, the context node's name
        sel = substitute(path, params) if path else "name(.)"
        w.add(f'<%X:value-of select="{esc(sel)}"/>', (where, f"{what}: name path {path!r}"))
    elif name in _INLINE:
        keep = attrs(**{a: child.get(a) for a in _INLINE[name]})
        w.add(f"<%S:{name}{keep}>")
        content(w, child, where, what, params)
        w.add(f"</%S:{name}>")
    elif name is None:
        content(w, child, where, what, params)
    else:
        raise SchemaError(f"{where}: {what}: sch:{name} is not allowed in a message")
