"""Caps on the RelaxNG problems of one element and of one file.

A converter that emits 10^5 bad siblings, or an element with 5,000 bad
attributes, must cost a count, not 10^5 messages: at most
``PER_ELEMENT`` problems alike (the same kind, on the same name) are
listed for one element, then one "… and N more like this" line; at most
``PER_FILE`` problems are listed for a file, then one line saying how
many more there are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from ..problems import ERROR, Problem
from ..xmlio import ParsedDoc
from .rngtext import _pretty, _show

El = etree._Element
Name = tuple[str, str]

PER_ELEMENT = 10  # problems of one kind on one element's attributes and children, then a summary
PER_FILE = 1000  # problems in one file, then a summary


class Caps:
    """At most PER_ELEMENT problems alike (same kind, same name) on one
    element; the rest become one "… and N more like this" line, so a
    converter's 10^5 bad siblings cost a count, not 10^5 messages."""

    def __init__(self, report: Callable[..., Problem], doc: ParsedDoc, el: El) -> None:
        self.report = report  # words one problem, as RelaxNG._report
        self.doc = doc
        self.el = el
        self.seen: dict[Any, Any] = {}
        self.first_over: dict[Any, Any] = {}

    def take(self, kind: str, name: Any, err: Any) -> bool:
        key = (kind, name)
        n = self.seen.get(key, 0) + 1
        self.seen[key] = n
        if n == PER_ELEMENT + 1:
            self.first_over[key] = err
        return bool(n <= PER_ELEMENT)

    def summaries(self, attrs: tuple[Name, ...], tokens: tuple[Any, ...], nodes: list[Any]) -> list[Problem]:
        out = []
        for key, err in self.first_over.items():
            more = self.seen[key] - PER_ELEMENT
            if key[0] == "value":
                node, attr, what = self.el, err, f"invalid attribute values on element {_show(self.el)}"
            else:
                example = self.report(self.doc, self.el, err, attrs, tokens, nodes)
                node, attr, what = None, None, example.message.split(";")[0]
                out.append(
                    Problem(
                        example.file,
                        example.line,
                        example.column,
                        ERROR,
                        "rng",
                        f"… and {more:,} more like this: {what}",
                        path=example.path,
                    )
                )
                continue
            line, col = self.doc.locate(node, attr)
            out.append(
                Problem(
                    self.doc.display,
                    line,
                    col,
                    ERROR,
                    "rng",
                    f"… and {more:,} more like this: {what}",
                    path=_pretty(node),
                )
            )
        return out


def cap_file(doc: ParsedDoc, problems: list[Problem]) -> list[Problem]:
    if len(problems) <= PER_FILE:
        return problems
    rest = len(problems) - PER_FILE
    last = problems[PER_FILE - 1]
    return [
        *problems[:PER_FILE],
        Problem(
            doc.display,
            last.line,
            last.column,
            ERROR,
            "rng",
            f"… and {rest:,} more problems in this file (at most {PER_FILE:,} are listed)",
        ),
    ]
