"""Finding files, the ``--jobs`` pool and the progress bar."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import click

from .problems import UsageError

T = TypeVar("T")
R = TypeVar("R")


def discover(paths: Iterable[str | os.PathLike], suffix: str = ".xml") -> list[Path]:
    """Files named directly, and ``*.xml`` below folders, in sorted order.

    A path that does not exist is a usage error (exit 2).
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            items = sorted(q for q in p.rglob(f"*{suffix}") if q.is_file())
        elif p.is_file():
            items = [p]
        elif p.exists():
            raise UsageError(f"{p}: not a regular file or folder")
        else:
            raise UsageError(f"{p}: no such file or folder")
        for q in items:
            key = q.resolve()
            if key not in seen:
                seen.add(key)
                found.append(q)
    return found


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


_WORKER: Callable | None = None


def saxon_started() -> bool:
    """Whether this process has started Saxon (see :func:`teikit.saxon.started`)."""
    from . import saxon

    return saxon.started()


def _call(item):
    assert _WORKER is not None
    return _WORKER(item)


def _call_indexed(pair):
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
        if cost is None:
            results = pool.imap(_call, items, chunksize=1)
        else:
            order = sorted(range(len(items)), key=lambda i: -cost(items[i]))
            results = _in_order(pool.imap_unordered(_call_indexed, [(i, items[i]) for i in order], chunksize=1))
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
