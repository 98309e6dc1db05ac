"""Small edits of lxml trees that more than one part of teikit needs."""

from __future__ import annotations

from lxml import etree


def remove_keeping_tail(node: etree._Element) -> None:
    """Remove ``node`` from its parent, keeping the text that follows it
    (its tail) where it was; a node without a parent is left alone."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        prev = node.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)
