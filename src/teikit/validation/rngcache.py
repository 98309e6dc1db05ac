"""Compiled RelaxNG schemas, specialised to the element names in use.

libxml2 needs 9-13 s to compile tei_all.  Specialised to the names a
document (or a whole run's documents) uses (see :mod:`specialize`), the
same grammar compiles in about 10 ms with the same verdicts.

:class:`CompiledRng` keeps, for one schema file:

* the parsed grammar, stripped of documentation (parsed once);
* compiled specialisations, each with the set of names it covers; a
  document whose names are covered by one of them reuses it;
* on disk, under the user's cache folder, the text of each
  specialisation, keyed on the schema (every file it reads, see
  :func:`load_schema`) and the name set, so a later run skips the
  specialising step.  Files are written atomically; a corrupt or
  foreign file is ignored and rewritten.  A cached file is read from
  its bytes, so its name never reaches a message, and only a schema
  that passed every check of :mod:`rngload` is ever cached.

A time box guards against a pathological slow-down of a specialised
schema: if validation takes longer than the box, the verdict comes from
the full schema instead.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import queue
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from lxml import etree

from .. import xmlio
from . import rngids
from .rngload import Loader, digest_files, file_digest
from .specialize import element_start, specialize, strip

CACHE_VERSION = "4"
T = TypeVar("T")
_TIME_BOX = float(os.environ.get("TEIKIT_RNG_TIME_BOX", "20"))  # seconds, plus 5 s per MB


def cache_dir() -> Path | None:
    if os.environ.get("TEIKIT_NO_CACHE"):
        return None
    base = os.environ.get("TEIKIT_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "teikit" / "rng"


def scan_files(files: Iterable[str | os.PathLike[str]]) -> frozenset[str]:
    """The union of :func:`specialize.scan_names` over ``files``.

    Each file's scan is remembered in the cache folder, keyed on its path,
    size and modification time, so a corpus validated again is not read
    twice.  A stale entry can only cost speed, never a verdict: the
    RelaxNG and Schematron checks compare each document's own names with
    the names a compiled schema covers, and compile anew when needed."""
    from .specialize import scan_names

    folder = cache_dir()
    path = folder / f"names-{CACHE_VERSION}.json" if folder else None
    known = _load_json(path)
    if not isinstance(known, dict):
        known = {}
    names: set[str] = set()
    changed = False
    for f in files:
        try:
            st = os.stat(f)
            key = os.path.abspath(f)
            entry = known.get(key)
            if isinstance(entry, list) and entry[:2] == [st.st_size, st.st_mtime_ns] and isinstance(entry[2], str):
                names.update(entry[2].split())
                continue
            found = scan_names(Path(f).read_bytes())
        except OSError:
            continue  # reported when the file is read for checking
        names |= found
        known[key] = [st.st_size, st.st_mtime_ns, " ".join(sorted(found))]
        changed = True
    if changed and path is not None:
        if len(known) > _NAME_SCANS:
            known = dict(list(known.items())[-_NAME_SCANS:])
        _save_json(path, known)
    return frozenset(names)


_NAME_SCANS = 20000  # files remembered


def _load_json(path: Path | None) -> Any:
    """A JSON value from the cache, or None (absent, unreadable, corrupt)."""
    if path is None or not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # rewritten by the caller


def _save_json(path: Path | None, value: Any) -> None:
    if path is not None:
        try:
            xmlio.write_atomic(path, json.dumps(value, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written is only slower


def _version() -> str:
    from .. import __version__

    return __version__


def load_schema(path: Path) -> tuple[etree._ElementTree, str, dict[str, Any]]:
    """The schema at ``path`` as one checked, self-contained grammar
    (:mod:`rngload`), its key (the digests of every file it reads,
    teikit's version and the cache's) and its ID types (:mod:`rngids`;
    in the grammar they are NCName).  Raises :class:`SchemaError`.

    A manifest in the cache maps the schema's path to the files it read
    and their digests; when all still match, the checked grammar is read
    from the cache.  A schema that fails is never recorded, and an
    entry that cannot be used is rebuilt."""
    folder = cache_dir()
    main = str(path.resolve())
    manifest_path = folder / f"schemas-{CACHE_VERSION}.json" if folder else None
    manifest = _load_json(manifest_path)
    if not isinstance(manifest, dict):
        manifest = {}
    entry = manifest.get(main)
    if isinstance(entry, dict) and isinstance(entry.get("files"), list) and folder is not None:
        try:
            files = [(str(p), str(d)) for p, d in entry["files"]]
            if all(file_digest(p) == d for p, d in files):
                key = _schema_key(files)
                ids = json.loads((folder / f"{key}.ids.json").read_text(encoding="utf-8"))
                data = (folder / f"{key}.grammar.rng").read_bytes()
                if isinstance(ids, dict) and isinstance(ids.get("checked"), list):
                    return etree.ElementTree(etree.fromstring(data, xmlio._parser())), key, ids
        except (OSError, ValueError, TypeError, etree.XMLSyntaxError):
            pass  # rebuilt below
    loaded = Loader().load(path)
    key = _schema_key(loaded.files)
    ids = rngids.analyse(loaded.tree.getroot(), str(path))
    rngids.neutralise(loaded.tree)
    if folder is not None:
        try:
            xmlio.write_atomic(folder / f"{key}.ids.json", json.dumps(ids).encode("utf-8"))
            xmlio.write_atomic(folder / f"{key}.grammar.rng", etree.tostring(loaded.tree, encoding="utf-8"))
            manifest[main] = {"files": loaded.files}
            if len(manifest) > 2000:
                manifest = dict(list(manifest.items())[-2000:])
            _save_json(manifest_path, manifest)
        except OSError:
            pass  # a cache that cannot be written is only slower
    return loaded.tree, key, ids


def _schema_key(files: list[tuple[str, str]]) -> str:
    return hashlib.sha256(f"{digest_files(files)}|{_version()}|{CACHE_VERSION}".encode()).hexdigest()


class _TimeBox:
    """Runs work with a time limit on one long-lived thread, not one per
    document: the caller hands it over and waits.  libxml2 cannot be
    interrupted, so work that outlasts its limit is abandoned with its
    thread, and the next work gets a new thread."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], list[Any], threading.Event]] | None = None
        self._thread: threading.Thread | None = None

    def run(self, work: Callable[[], T], limit: float) -> tuple[bool, T | None]:
        """(True, ``work()``), or (False, None) if it took longer than ``limit`` seconds."""
        if self._jobs is None or self._thread is None or not self._thread.is_alive():  # first, or after a fork
            self._jobs = queue.SimpleQueue()
            self._thread = threading.Thread(target=self._serve, args=(self._jobs,), daemon=True)
            self._thread.start()
        slot: list[Any] = []
        finished = threading.Event()
        self._jobs.put((work, slot, finished))
        if not finished.wait(limit):
            self._jobs = self._thread = None  # abandoned, still busy
            return False, None
        ok, value = slot[0]
        if not ok:
            raise value
        return True, value

    @staticmethod
    def _serve(jobs: queue.SimpleQueue[tuple[Callable[[], Any], list[Any], threading.Event]]) -> None:
        while True:
            work, slot, finished = jobs.get()
            try:
                slot.append((True, work()))
            except BaseException as exc:  # handed to the caller's thread
                slot.append((False, exc))
            finished.set()


_BOXES = threading.local()  # one time box per calling thread, so that callers never wait on each other


def _box() -> _TimeBox:
    box: _TimeBox | None = getattr(_BOXES, "box", None)
    if box is None:
        box = _BOXES.box = _TimeBox()
    return box


class CompiledRng:
    def __init__(
        self,
        grammar: etree._ElementTree,
        key: str | bytes,
        specialise: bool = True,
        on_error: Callable[[etree.RelaxNGParseError], Exception] | None = None,
    ):
        # the key of load_schema; bytes (a grammar's source) are hashed
        self.digest = hashlib.sha256(key).hexdigest() if isinstance(key, bytes) else key
        self._stripped: etree._ElementTree | None = None
        self.specialise = specialise and grammar.getroot().tag == "{http://relaxng.org/ns/structure/1.0}grammar"
        self._compiled: list[tuple[frozenset[str], etree.RelaxNG]] = []
        self._subtrees: list[tuple[frozenset[str], etree.RelaxNG | None]] = []
        self._full: etree.RelaxNG | None = None
        self._grammar = grammar
        self.fallbacks = 0
        self._on_error = on_error
        if not self.specialise:
            self.full()  # compile errors show at once

    @property
    def _base(self) -> etree._ElementTree:
        """The grammar without documentation: made only when a
        specialisation is not found in the disk cache."""
        if self._stripped is None:
            self._stripped = copy.deepcopy(self._grammar)
            strip(self._stripped.getroot())
        return self._stripped

    # -- schemas -------------------------------------------------------------
    def _compile(self, tree: etree._ElementTree) -> etree.RelaxNG:
        try:
            return etree.RelaxNG(tree)
        except etree.RelaxNGParseError as exc:
            if self._on_error is None:
                raise
            raise self._on_error(exc) from None

    def full(self) -> etree.RelaxNG:
        if self._full is None:
            self._full = self._compile(self._grammar)
        return self._full

    def for_names(self, names: frozenset[str]) -> etree.RelaxNG:
        if not self.specialise:
            return self.full()
        for covered, schema in self._compiled:
            if names <= covered:
                return schema
        tree = self._load_or_specialise(names)
        assert tree is not None  # only a subtree schema may be impossible
        schema = self._compile(tree)
        self._compiled.append((names, schema))
        return schema

    def for_subtrees(self, names: frozenset[str]) -> etree.RelaxNG | None:
        """A schema whose start is any named element pattern for these
        names (see :func:`specialize.element_start`), or None if the
        grammar does not allow one.  It validates one element's subtree."""
        if not self.specialise:
            return None
        for covered, schema in self._subtrees:
            if names <= covered:
                return schema
        # the names of the run's document schema, so one compile serves all
        names = next((covered for covered, _ in self._compiled if names <= covered), names)
        tree = self._load_or_specialise(names, subtrees=True)
        try:
            schema = etree.RelaxNG(tree) if tree is not None else None
        except etree.RelaxNGParseError:
            schema = None  # only an optimisation: the whole document is validated instead
        self._subtrees.append((names, schema))
        return schema

    def _load_or_specialise(self, names: frozenset[str], subtrees: bool = False) -> etree._ElementTree | None:
        variant = "subtrees" if subtrees else "document"
        key = hashlib.sha256(
            ("\n".join(sorted(names)) + "|" + self.digest + "|" + variant + "|" + CACHE_VERSION).encode()
        ).hexdigest()
        folder = cache_dir()
        path = folder / f"{key}.rng" if folder else None
        if path is not None and path.is_file():
            try:  # from bytes: the cache file's name must never appear in a message
                return etree.ElementTree(etree.fromstring(path.read_bytes(), xmlio._parser()))
            except (OSError, etree.XMLSyntaxError):
                pass  # rewritten below
        tree: etree._ElementTree | None = specialize(self._base, names)
        if subtrees:
            tree = element_start(tree, names)  # type: ignore[arg-type]
            if tree is None:
                return None
        assert tree is not None
        if path is not None:
            try:
                xmlio.write_atomic(path, etree.tostring(tree, xml_declaration=True, encoding="utf-8"))
            except OSError:
                pass  # a cache that cannot be written is only slower
        return tree

    # -- derived indexes ---------------------------------------------------
    def _index_path(self, kind: str) -> Path | None:
        folder = cache_dir()
        return folder / f"{self.digest}-{kind}-{CACHE_VERSION}.json" if folder else None

    def load_index(self, kind: str) -> Any:
        """A JSON value computed from this schema earlier, or None."""
        return _load_json(self._index_path(kind))

    def save_index(self, kind: str, value: Any) -> None:
        _save_json(self._index_path(kind), value)

    # -- validation ----------------------------------------------------------
    def boxed(self, work: Callable[[], T], size: int) -> T | None:
        """``work()``, or None if it outlasts the time box for a document of
        ``size`` bytes (the caller then falls back to the full schema).  An
        exception in ``work`` is raised here."""
        done, value = _box().run(work, _TIME_BOX + 5 * size / 1_000_000)
        if done:
            return value
        self.fallbacks += 1
        return None

    def validate(self, tree: etree._ElementTree, names: frozenset[str], size: int) -> tuple[bool, list[Any]]:
        """(valid, error entries) for a parsed document."""
        schema = self.for_names(names)
        if not self.specialise:
            ok = schema.validate(tree)
            return ok, list(schema.error_log)

        def run() -> tuple[bool, list[Any]]:
            ok = schema.validate(tree)
            return ok, list(schema.error_log)

        result = self.boxed(run, size)
        if result is not None:
            return result
        # pathological: use the full schema
        full = self.full()
        ok = full.validate(copy.deepcopy(tree))
        return ok, list(full.error_log)
