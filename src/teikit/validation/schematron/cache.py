"""What a warm run keeps of a compiled Schematron, on disk.

Saxon-HE cannot export a compiled stylesheet (SEF export needs Saxon-EE),
so what is kept is everything before Saxon's own compile: for each
Schematron file (its contents and those of the files it includes, phase
and language), which element names each rule can match; and for each set
of rules compiled, the generated XSLT as it goes to Saxon (already
confined) and the checks and rules that read Saxon's report back.  A
warm run then reads neither the schema nor its rules, and only Saxon
compiles.  Entries are keyed by content (files, options, and the code
of this package and of the confinement), written atomically, and one
that cannot be read is rebuilt: it can cost speed, never a verdict.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import pickle
from pathlib import Path
from typing import Any

from ...reproducible import sha256_file
from .model import Check, Rule

#: bump when the layout of an entry changes
LAYOUT = "1"


@functools.cache
def _code() -> str:
    """A digest of the code that makes what is cached: a changed compiler never reads an older entry."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(LAYOUT.encode())
    for f in [*sorted(here.glob("*.py")), here.parent.parent / "saxon_confine.py"]:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def _folder() -> Path | None:
    from ..rngcache import cache_dir

    folder = cache_dir()
    return folder.parent / "schematron" if folder is not None else None


def _key(*parts: Any) -> str:
    return hashlib.sha256(repr((_code(), *parts)).encode()).hexdigest()


def _load(name: str) -> Any:
    folder = _folder()
    if folder is None:
        return None
    try:
        return pickle.loads((folder / name).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None


def _save(name: str, value: Any) -> None:
    from ... import xmlio

    folder = _folder()
    if folder is not None:
        try:
            xmlio.write_atomic(folder / name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError, TypeError):
            pass  # a cache that cannot be written is only slower


def _current(sums: list[tuple[str, str]]) -> bool:
    """Whether the files hashed in ``sums`` still have those contents."""
    for f, digest in sums:
        try:
            if sha256_file(f) != digest:
                return False
        except OSError:
            return False
    return True


# -- per Schematron file: the files it read and what each rule can match -----
def load_reach(path: Path, phase: str | None, lang: str | None) -> tuple[list[tuple[str, str]], Any] | None:
    """(file sums, reach) stored by :func:`save_reach`, if the files are unchanged."""
    found = _load(f"{_key('reach', str(path.resolve()), phase, lang)}.reach")
    if not (isinstance(found, tuple) and len(found) == 2 and _current(found[0])):
        return None
    return found[0], found[1]


def save_reach(path: Path, phase: str | None, lang: str | None, sums: list[tuple[str, str]], reach: Any) -> None:
    _save(f"{_key('reach', str(path.resolve()), phase, lang)}.reach", (sums, reach))


# -- per set of rules compiled: the XSLT and what reads the report back --------
@dataclasses.dataclass(frozen=True)
class Compiled:
    """A compiled Schematron without Saxon's executable (see :class:`.run.Schematron`)."""

    xslt: str  # the generated stylesheet
    confined: str  # as given to Saxon (``xslt`` itself when nothing needed confining)
    checks: list[Check]
    rules: list[Rule]
    path: Path
    query_binding: str
    patterns: list[str]
    files: list[Path]
    documents: bool
    dropped: int


def light(checks: list[Check], rules: list[Rule]) -> tuple[list[Check], list[Rule]]:
    """Copies of the checks and rules with only what reading a report needs:
    their message elements (lxml elements do not pickle; the messages are in
    the XSLT), lets and lazy locations stay behind."""
    copies: dict[int, Check] = {}

    def copy(c: Check) -> Check:
        if id(c) not in copies:
            copies[id(c)] = dataclasses.replace(c, content=None, where=str(c.where))  # type: ignore[arg-type]
        return copies[id(c)]

    out_rules = [dataclasses.replace(r, lets=[], where=str(r.where), checks=[copy(c) for c in r.checks]) for r in rules]
    return [copy(c) for c in checks], out_rules


def load_compiled(sums: list[tuple[str, str]], phase: str | None, lang: str | None, keep: frozenset[int]) -> Any:
    found = _load(f"{_key('xslt', sums, phase, lang, sorted(keep))}.xslt")
    return found if isinstance(found, Compiled) else None


def save_compiled(
    sums: list[tuple[str, str]], phase: str | None, lang: str | None, keep: frozenset[int], value: Compiled
) -> None:
    _save(f"{_key('xslt', sums, phase, lang, sorted(keep))}.xslt", value)
