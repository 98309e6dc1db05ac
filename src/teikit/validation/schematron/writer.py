"""The text of a generated stylesheet, and the escapes it is written with."""

from __future__ import annotations

from .extract import _esc as escape
from .model import Where


class Writer:
    """The stylesheet text, one construct per line, with each line's origin."""

    def __init__(self, taken: set[str]) -> None:
        self.lines: list[str] = []
        self.origin: dict[int, tuple[str | Where, str]] = {}
        self.x = _free("xsl", taken)
        self.s = _free("svrl", taken | {self.x})
        self.t = _free("t", taken | {self.x, self.s})

    def add(self, text: str, origin: tuple[str | Where, str] | None = None) -> None:
        # "%X", "%S", "%T" stand for the prefixes; "%" in anything from the
        # schema is written as a character reference (see esc, text)
        self.lines.append(text.replace("%X", self.x).replace("%S", self.s).replace("%T", self.t))
        if origin:
            self.origin[len(self.lines)] = origin

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _free(prefix: str, taken: set[str]) -> str:
    """``prefix``, or ``prefix1``, ``prefix2``... whichever the schema does not bind."""
    n, out = 0, prefix
    while out in taken:
        n += 1
        out = f"{prefix}{n}"
    return out


def text(s: str) -> str:
    return (
        s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;").replace("%", "&#37;")
    )


def esc(s: str) -> str:
    return escape(s).replace("%", "&#37;")


def lit(s: str) -> str:
    """An attribute value written as it is (braces are not a template)."""
    return esc(s).replace("{", "{{").replace("}", "}}")


def attrs(**values: str | None) -> str:
    """Literal attributes (``name_`` for names with a hyphen or colon: see :data:`_NAMES`)."""
    return "".join(f' {_NAMES.get(k, k)}="{lit(v)}"' for k, v in values.items() if v is not None)


def avts(**values: str | None) -> str:
    """Attributes whose values are attribute value templates (role, flag)."""
    return "".join(f' {k}="{esc(v)}"' for k, v in values.items() if v is not None)


_NAMES = {"lang": "xml:lang", "schema_version": "schemaVersion"}
