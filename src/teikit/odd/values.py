"""Occurrence indicators as the Stylesheets read them."""

from __future__ import annotations

from ..problems import SchemaError


def occurs(min_occurs: str | None, max_occurs: str | None) -> tuple[int, int]:
    """(min, max) with -1 for unbounded; both default to 1."""
    lo_text = (min_occurs if min_occurs is not None else "1").strip()
    hi_text = (max_occurs if max_occurs is not None else "1").strip()
    try:
        lo = int(lo_text)
    except ValueError as exc:
        raise SchemaError(f"minOccurs={lo_text!r} is not a number") from exc
    if hi_text.isdigit():
        hi = int(hi_text)
        if hi < lo:
            raise SchemaError(f"maxOccurs={hi} is less than minOccurs={lo} (maxOccurs defaults to 1)")
        return lo, hi
    return lo, -1


def owe_name(min_occurs: str | None, max_occurs: str | None) -> str:
    """The occurrence wrapper element: optional, oneOrMore, zeroOrMore or none."""
    lo, hi = occurs(min_occurs, max_occurs)
    if lo == 0 and hi == 1:
        return "optional"
    if lo >= 1 and hi == -1:
        return "oneOrMore"
    if lo == 0 and hi == -1:
        return "zeroOrMore"
    return ""
