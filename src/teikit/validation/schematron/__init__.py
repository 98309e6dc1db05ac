"""ISO Schematron compiled to XSLT 3.0 and run with saxonche (engine ``sch``).

Interface used by :mod:`teikit.validation`:

``compile_schematron(path, phase=None, names=None, lang=None) -> Schematron | None``
    ``path`` is a standalone ``.sch`` or a RelaxNG schema whose embedded
    rules are extracted.  Returns ``None`` when a RelaxNG file embeds no
    rules.  Raises :class:`teikit.problems.SchemaError` (exit 2) for
    unsupported constructs and compile errors.

    ``names``, if given, are the local names of the elements of the
    documents to be checked (as :func:`teikit.validation.specialize.scan_names`
    gives them).  Rules whose context can only match elements with other
    local names (see :func:`.candidates.element_names`) are left out, and
    so are patterns left without rules: Saxon compiles less, and
    :meth:`Schematron.check` gives exactly the same problems for any
    document whose element names are all in ``names``.  (A rule that can
    never match never fires, so first-rule-wins is unaffected; pattern
    lets are evaluated only from their own rules.)  What is not checked
    then is the XPath in the rules left out: an error there is reported
    only by a compile for documents that have those elements.

``Schematron.check(doc: ParsedDoc) -> list[Problem]``
    One problem per failed assert / firing report: engine ``sch``, rule
    = the assert's id, else the rule's id, else the pattern id (or
    ``patternN``) plus ``/`` and the rule's position in the pattern;
    severity from ``role``.  ``len(Schematron.rules)`` is the number of
    rules compiled, ``Schematron.dropped`` the number left out.

The first compile of a Schematron (per file contents and phase) on a
machine takes every rule, so a rule that does not compile is reported
whatever the documents; the cache folder (``TEIKIT_CACHE_DIR``, see
:mod:`teikit.validation.rngcache`) records that it compiled, and later
runs compile only the rules their documents can fire.

The model is read once per file content and phase.  A compiled result is
reused for every request whose rules it contains (so a compile for the
names of a whole corpus serves each of its documents); a request it
does not cover compiles all the rules, so that no file and phase is
compiled more than twice in a process, whatever the order of requests.

Modules: :mod:`.model` (the model), :mod:`.extract` (reading, include,
extends/@href), :mod:`.templates` (abstract patterns and rules),
:mod:`.assemble` (patterns, rules, phase, variable scope, languages),
:mod:`.candidates` (which nodes a rule context can match),
:mod:`.compile`, :mod:`.writer` and :mod:`.messages` (XSLT 3.0
generation and compilation), :mod:`.run` (applying it: the SVRL report
and the problems read from it), :mod:`.svrl` (the SVRL teikit writes).

``Schematron.validate(doc)`` gives a :class:`Result`: the problems, the
SVRL report and the dynamic errors among the problems.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from collections.abc import Iterable
from pathlib import Path

from ... import saxon
from ...reproducible import sha256_file
from . import cache
from .assemble import read_schema
from .candidates import element_names
from .compile import compile_confined, generate
from .model import WARNING_ROLES, Schema
from .run import Result, Schematron

__all__ = ["WARNING_ROLES", "Result", "Schematron", "compile_schematron"]


@dataclasses.dataclass
class _Entry:
    sums: list[tuple[str, str]]  # the files read, with their hashes
    schema: Schema | None  # the model; None: not read yet (a warm cache), or no rules (see ``empty``)
    reach: list[frozenset[str] | None]  # per rule: the element names it can match (None: anything)
    compiled: list[tuple[frozenset[int], Schematron]]  # (rule numbers compiled, result)
    empty: bool = False  # a RelaxNG file without rules

    def model(self, path: Path, phase: str | None, lang: str | None) -> Schema:
        if self.schema is None:
            self.schema = read_schema(path, phase, lang)
        return self.schema


#: In-process cache: (resolved path, phase) -> the model and its compiled subsets.
_CACHE: dict[tuple[str, str | None, str | None], _Entry] = {}


def _sums(files: Iterable[Path | str]) -> list[tuple[str, str]]:
    out = []
    for f in files:
        try:
            out.append((str(f), sha256_file(f)))
        except OSError:
            out.append((str(f), ""))
    return out


def _entry(path: Path, phase: str | None, lang: str | None = None) -> _Entry:
    key = (str(path.resolve()), phase, lang)
    hit = _CACHE.get(key)
    if hit is not None and _sums([f for f, _ in hit.sums]) == hit.sums:
        return hit
    stored = cache.load_reach(path, phase, lang)
    if stored is not None:
        sums, reach = stored
        entry = _Entry(sums, None, reach or [], [], empty=reach is None)
    else:
        schema = read_schema(path, phase, lang)
        if schema.embedded and not schema.rules:
            entry = _Entry(_sums(schema.files), None, [], [], empty=True)
        else:
            # a rule on subordinate documents may match any of their elements
            reach = [None if p.documents else element_names(r.context) for p in schema.patterns for r in p.rules]
            entry = _Entry(_sums(schema.files), schema, reach, [])
        cache.save_reach(path, phase, lang, entry.sums, None if entry.empty else entry.reach)
    _CACHE[key] = entry
    return entry


def compile_schematron(
    path: Path, phase: str | None = None, names: Iterable[str] | None = None, lang: str | None = None
) -> Schematron | None:
    """Compile the Schematron in ``path`` (once per process and content),
    leaving out the rules that cannot match an element named in ``names``;
    of an assertion given in several languages, the ``lang`` one runs
    (default English)."""
    if isinstance(names, str):
        raise TypeError("names must be a collection of element names, not a string")
    entry = _entry(Path(path), phase, lang)
    if entry.empty:
        return None
    every = frozenset(range(len(entry.reach)))
    if names is None:
        keep = every
    else:
        names = frozenset(names)
        keep = frozenset(i for i, reach in enumerate(entry.reach) if reach is None or not reach.isdisjoint(names))
    for kept, result in entry.compiled:
        if keep <= kept:
            return result
    if entry.compiled or not _proven(entry, phase):
        # a second set of rules: compile them all, once, rather than one
        # subset per kind of document (a corpus has dozens).  And the first
        # compile of a Schematron on this machine takes all its rules, so a
        # broken rule is reported whatever the documents.
        keep = every
    result = _restored(entry, phase, lang, keep) or _compiled(entry, Path(path), phase, lang, keep)
    entry.compiled.append((keep, result))
    if keep == every:
        _prove(entry, phase)
    return result


def _restored(entry: _Entry, phase: str | None, lang: str | None, keep: frozenset[int]) -> Schematron | None:
    """The rules ``keep`` as a warm run's disk cache holds them, compiled by Saxon; None if not there."""
    stored = cache.load_compiled(entry.sums, phase, lang, keep)
    if stored is None:
        return None
    try:
        executable = saxon.compile_text(stored.xslt, stored.path.resolve().parent, stored.confined)
    except saxon.TransformError:
        return None  # compiled before; if not now, compile from the schema, which says why
    return Schematron.restore(stored, executable)


def _compiled(entry: _Entry, path: Path, phase: str | None, lang: str | None, keep: frozenset[int]) -> Schematron:
    schema = _select(entry.model(path, phase, lang), keep)
    text, writer, checks, rules = generate(schema)
    executable, confined = compile_confined(schema, text, writer)
    result = Schematron(schema, executable, checks, rules, text, dropped=len(entry.reach) - len(keep))
    cache.save_compiled(entry.sums, phase, lang, keep, result.keep(confined))
    return result


def _marker(entry: _Entry, phase: str | None) -> Path | None:
    """Where the cache records that every rule of this Schematron (these
    file contents, this phase) compiled; None without a cache folder."""
    from ..rngcache import CACHE_VERSION, cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(repr((sorted(h for _, h in entry.sums), phase, CACHE_VERSION)).encode()).hexdigest()
    return folder.parent / "schematron" / f"{key}.compiles"


def _proven(entry: _Entry, phase: str | None) -> bool:
    marker = _marker(entry, phase)
    return marker is not None and marker.is_file()


def _prove(entry: _Entry, phase: str | None) -> None:
    from ... import xmlio

    marker = _marker(entry, phase)
    if marker is not None and not marker.is_file():
        try:
            xmlio.write_atomic(marker, b"")
        except OSError:
            pass  # a cache that cannot be written is only slower


def _select(schema: Schema, keep: frozenset[int]) -> Schema:
    """A copy of ``schema`` with the rules numbered in ``keep`` (in
    ``schema.rules`` order), dropping patterns left without rules.  Rules
    and checks are copied, since :func:`generate` numbers the checks."""
    out = copy.copy(schema)  # shares lets, namespaces, diagnostics, xslt, reader
    out.patterns = []
    n = 0
    for pat in schema.patterns:
        rules = []
        for rule in pat.rules:
            if n in keep:
                rules.append(dataclasses.replace(rule, checks=[dataclasses.replace(c) for c in rule.checks]))
            n += 1
        if rules or not pat.rules:
            out.patterns.append(dataclasses.replace(pat, rules=rules))
    return out
