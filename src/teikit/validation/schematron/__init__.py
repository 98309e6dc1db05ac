"""ISO Schematron compiled to XSLT 3.0 and run with saxonche (engine ``sch``).

Interface used by :mod:`teikit.validation`:

``compile_schematron(path, phase=None) -> Schematron | None``
    ``path`` is a standalone ``.sch`` or a RelaxNG schema whose embedded
    rules are extracted.  Returns ``None`` when a RelaxNG file embeds no
    rules.  Raises :class:`teikit.problems.SchemaError` (exit 2) for
    unsupported constructs and compile errors.

``Schematron.check(doc: ParsedDoc) -> list[Problem]``
    One problem per failed assert / firing report: engine ``sch``, rule
    = the assert's id, else the rule's id, else the pattern id (or
    ``patternN``) plus ``/`` and the rule's position in the pattern;
    severity from ``role``.

Modules: :mod:`.model` (the model), :mod:`.extract` (reading, include,
abstract patterns and rules), :mod:`.assemble` (patterns, rules, phase), :mod:`.candidates` (which nodes a rule context can match),
:mod:`.compile` (XSLT 3.0 generation and compilation), :mod:`.run`
(applying it and mapping results to problems).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .compile import compile_xslt, generate
from .assemble import read_schema
from .model import WARNING_ROLES
from .run import Schematron

__all__ = ["compile_schematron", "Schematron", "WARNING_ROLES"]

#: In-process cache: (resolved path, phase) -> (file fingerprints, result).
_CACHE: dict[tuple[str, str | None], tuple[list[tuple[str, str]], Schematron | None]] = {}


def _sums(files) -> list[tuple[str, str]]:
    out = []
    for f in files:
        try:
            out.append((str(f), hashlib.sha256(Path(f).read_bytes()).hexdigest()))
        except OSError:
            out.append((str(f), ""))
    return out


def compile_schematron(path: Path, phase: str | None = None) -> Schematron | None:
    """Compile the Schematron in ``path`` (once per process and content)."""
    path = Path(path)
    key = (str(path.resolve()), phase)
    hit = _CACHE.get(key)
    if hit is not None and _sums([f for f, _ in hit[0]]) == hit[0]:
        return hit[1]
    schema = read_schema(path, phase)
    if schema.embedded and not schema.rules and not any(p.rules for p in schema.patterns):
        result = None
    else:
        text, writer, checks, rules = generate(schema)
        result = Schematron(schema, compile_xslt(schema, text, writer), checks, rules, text)
    _CACHE[key] = (_sums(schema.files), result)
    return result
