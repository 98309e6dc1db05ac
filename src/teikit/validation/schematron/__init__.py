"""ISO Schematron compiled to XSLT 3.0 and run with saxonche (engine ``sch``).

Interface used by :mod:`teikit.validation`:

``compile_schematron(path, phase=None) -> Schematron | None``
    ``path`` is a standalone ``.sch`` or a RelaxNG schema whose embedded
    rules are extracted.  Returns ``None`` when a RelaxNG file embeds no
    rules.  Raises :class:`teikit.problems.SchemaError` (exit 2) for
    unsupported constructs and compile errors.

``Schematron.check(doc: ParsedDoc) -> list[Problem]``
    One problem per failed assert / firing report: engine ``sch``, rule
    = the rule id (or pattern id + position), severity from ``role``.
"""
from __future__ import annotations


def compile_schematron(path, phase=None):  # replaced by the real compiler
    raise NotImplementedError
