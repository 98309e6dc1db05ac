"""Finding files, ``--shard``, the ``--jobs`` pool and the progress bar."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from .problems import NOTE, Problem, ShardInfo, UsageError

T = TypeVar("T")
R = TypeVar("R")


DOCUMENT_GLOBS = ("*.xml", "*.tei")
TEI_ROOTS = frozenset({"TEI", "teiCorpus", "TEI.2", "teiCorpus.2"})
TEI_NS = "http://www.tei-c.org/ns/1.0"
ENGINE = "discover"


@dataclass
class Found:
    """The documents of a run, the files left out (as notes, with why),
    and the folders XInclude may read from."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)
    #: each file's shard key: its path relative to the folder it was found in (a named file: as given)
    keys: dict[Path, str] = field(default_factory=dict)
    #: set by :meth:`select`: which shard of the whole run these files are
    shard: ShardInfo | None = None

    def select(self, shard: Shard | None) -> Found:
        """The files of one shard (all of them without one), in the same order."""
        if shard is None:
            return self
        picked = [i for i, f in enumerate(self.files) if shard.takes(self.keys[f])]
        info = ShardInfo(shard.index, shard.count, len(self.files), tuple(picked))
        files = [self.files[i] for i in picked]
        return Found(files, list(self.skipped), list(self.roots), {f: self.keys[f] for f in files}, info)


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based): the files whose key hashes to it.

    The key is a file's path relative to the folder named on the command
    line (a file named itself: its path as given), hashed with SHA-256, so
    the split does not depend on the machine, the working folder, the
    order files are found in, or on which other files exist: adding a file
    never moves another to a different shard.
    """

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``K/N`` with 1 <= K <= N, else a :class:`UsageError`."""
        k, sep, n = text.partition("/")
        if not (sep and k.strip().isdigit() and n.strip().isdigit()):
            raise UsageError(f"--shard {text}: expected K/N, e.g. 1/4")
        shard = cls(int(k), int(n))
        if not 1 <= shard.index <= shard.count:
            raise UsageError(f"--shard {text}: K must be between 1 and N")
        return shard

    def takes(self, key: str) -> bool:
        digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def find(paths: Iterable[str | os.PathLike[str]], globs: Sequence[str] = DOCUMENT_GLOBS) -> Found:
    """The TEI documents named or found below folders (``globs``, default
    ``*.xml`` and ``*.tei``), in sorted order.

    A file another file of the run pulls in by XInclude is skipped with a
    note (it is part of that document), and so is, below a folder, a file
    whose root is not a TEI element (a file named on the command line is
    taken whatever its root).  A file that is not well-formed stays,
    to be reported.  A path that does not exist is a usage error (exit 2),
    and so is a run that finds no document.
    """
    found = Found()
    seen: set[Path] = set()
    searched: list[Path] = []
    named: set[Path] = set()
    raw_paths = [Path(p) for p in paths]
    for p in raw_paths:
        if p.is_dir():
            items = sorted({q for g in globs for q in p.rglob(g) if q.is_file()})
            searched.append(p)
            found.roots.append(p.resolve())
        elif p.is_file():
            items = [p]
            named.add(p.resolve())
            found.roots.append(p.resolve().parent)
        elif p.exists():
            raise UsageError(f"{p}: not a regular file or folder")
        else:
            raise UsageError(f"{p}: no such file or folder")
        for q in items:
            key = q.resolve()
            if key not in seen:
                seen.add(key)
                found.files.append(q)
                found.keys[q] = _shard_key(q, p if p.is_dir() else None)
    included = _included(found.files, found.roots)
    kept = []
    for q in found.files:
        key = q.resolve()
        why = included.get(key) or (None if key in named else _not_tei(q))
        if why:
            found.skipped.append(Problem(display_name(q), None, None, NOTE, ENGINE, f"skipped: {why}"))
        else:
            kept.append(q)
    found.files = kept
    found.keys = {q: found.keys[q] for q in kept}
    if not kept:
        where = ", ".join(str(p) for p in raw_paths) or "."
        raise UsageError(f"no TEI files found in {where}")
    return found


def _shard_key(path: Path, folder: Path | None) -> str:
    """A file's path relative to the folder it was found in, or as given, with ``/``."""
    rel = path.relative_to(folder) if folder is not None else Path(os.path.normpath(path))
    return rel.as_posix()


def discover(paths: Iterable[str | os.PathLike[str]], globs: Sequence[str] = DOCUMENT_GLOBS) -> list[Path]:
    """The documents :func:`find` finds."""
    return find(paths, globs).files


def _not_tei(path: Path) -> str | None:
    """Why a file found in a folder is not a TEI document, or None (a TEI
    root, or a file to report because it cannot be read or parsed)."""
    from .xmlio import root_name

    name = root_name(path)
    if name is None:
        return None
    ns, local = name
    if local in TEI_ROOTS and ns in (TEI_NS, None):
        return None
    shown = f"{{{ns}}}{local}" if ns else local
    return f'not a TEI document (its root element is "{shown}")'


def _included(files: list[Path], roots: list[Path]) -> dict[Path, str]:
    """Files of the run that another file pulls in by XInclude -> why they are skipped."""
    from . import xmlexpand, xmlio

    out: dict[Path, str] = {}
    for f in files:
        try:
            with open(f, "rb") as fh:
                if b"XInclude" not in fh.read():
                    continue
            doc = xmlio.parse(f)
        except (OSError, xmlio.XMLError):
            continue
        for el in xmlexpand.includes(doc.root):
            target = xmlexpand.target_path(el, f)
            if target is not None and el.get("parse", "xml") == "xml":
                out.setdefault(target.resolve(), f"included by {display_name(f)} (XInclude): part of that document")
    return out


def file_size(path: Path) -> int:
    """A file's size in bytes (0 if it cannot be read): the cost of
    checking it, for :func:`run_jobs`."""
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def display_name(path: Path) -> str:
    """How a file is named in messages: relative to the working folder if
    below it, else as given."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


_WORKER: Callable[[Any], Any] | None = None


def saxon_started() -> bool:
    """Whether this process has started Saxon (see :func:`teikit.saxon.started`)."""
    from . import saxon

    return saxon.started()


def _call(item: Any) -> Any:
    assert _WORKER is not None
    return _WORKER(item)


def _call_indexed(pair: tuple[int, Any]) -> tuple[int, Any]:
    assert _WORKER is not None
    return pair[0], _WORKER(pair[1])


def _in_order(done: Iterable[tuple[int, R]]) -> Iterator[R]:
    """Results that arrive in any order, yielded in item order."""
    waiting: dict[int, R] = {}
    expected = 0
    for i, result in done:
        waiting[i] = result
        while expected in waiting:
            yield waiting.pop(expected)
            expected += 1


def run_jobs(
    func: Callable[[T], R], items: Sequence[T], jobs: int = 1, label: str = "", cost: Callable[[T], float] | None = None
) -> Iterator[R]:
    """Apply ``func`` to each item, with ``jobs`` processes; results come
    in item order.

    Workers are forked and inherit what the caller prepared (parsed
    documents, compiled RelaxNG).  Saxon must not have been started in
    this process: workers start it themselves and compile once each; if
    it has been started, the items are processed here, one by one.
    With ``cost`` (e.g. a file's size), the costliest items are handed
    out first, so that no worker is left with a large file at the end.
    A progress bar is shown on stderr when stderr is a terminal.
    """
    global _WORKER
    jobs = max(1, min(jobs, len(items) or 1))
    if jobs > 1 and saxon_started():
        # Saxon is a GraalVM native image: forked copies of a process that
        # has started it crash or hang (its GC threads are not forked).  The
        # command-line flows start Saxon only inside their workers; a
        # long-lived caller that has already used it runs in-process.
        jobs = 1
    show = sys.stderr.isatty() and len(items) > 1
    if jobs == 1:
        results: Iterable[R] = (func(i) for i in items)
        pool = None
    else:
        _WORKER = func
        import multiprocessing  # only runs with workers pay for it

        ctx = multiprocessing.get_context("fork")
        pool = ctx.Pool(jobs)
        # many small items go to the workers in batches, so that each hand-over costs less than its work
        batch = max(1, min(16, len(items) // (jobs * 64)))
        if cost is None:
            results = pool.imap(_call, items, chunksize=batch)
        else:
            order = sorted(range(len(items)), key=lambda i: -cost(items[i]))
            results = _in_order(pool.imap_unordered(_call_indexed, [(i, items[i]) for i in order], chunksize=batch))
    try:
        if show:
            with click.progressbar(results, length=len(items), label=label, file=sys.stderr) as bar:
                yield from bar
        else:
            yield from results
    finally:
        if pool is not None:
            pool.close()
            pool.join()
            _WORKER = None
