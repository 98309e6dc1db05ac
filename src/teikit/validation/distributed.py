"""``--scheduler``: the per-file work of a validation run on a Dask cluster.

The client (this process) finds the files, compiles what a local run
compiles before its workers start, and sends each worker, once, a copy
of the :class:`~teikit.validation.Validator` without its compiled
schemas; each worker compiles them once, on its first file, and keeps
them for the others.  The files must be at the same paths on every
worker (one machine, or a shared file system).  Results come back in
the order of the files, so a run gives what a local run gives.
``dask.distributed`` is an optional extra (``teikit[dask]``), imported
only here.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import corpus
from ..problems import Problem, UsageError

if TYPE_CHECKING:
    from . import Validator

LOCAL = "local"
#: what a worker has built for the run it serves: token -> its validator
_BUILT: dict[str, Validator] = {}


@dataclass(frozen=True)
class Spec:
    """What every worker needs once: the run's validator (its caches left
    behind when pickled) and files (which alone a Schematron may read)."""

    token: str
    validator: Validator
    files: tuple[Path, ...]


def _client(scheduler: str, jobs: int, stack: ExitStack) -> Any:
    try:
        dd: Any = importlib.import_module("dask.distributed")  # untyped: Any, so that mypy takes its calls
    except ImportError:
        raise UsageError("--scheduler needs dask.distributed: install it with pip install 'teikit[dask]'") from None
    if scheduler == LOCAL:
        cluster = stack.enter_context(
            dd.LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, dashboard_address=None)
        )
        return stack.enter_context(dd.Client(cluster))
    try:
        # how long to try: dask's distributed.comm.timeouts.connect (30 s; DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT)
        return stack.enter_context(dd.Client(scheduler))
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def _check(path: str, display: str, spec: Spec) -> tuple[str, list[Problem], bytes | None]:
    """One file, on a worker: the validator of the run, built on its first file."""
    validator = _BUILT.get(spec.token)
    if validator is None:
        from ..saxon import allow_files

        _BUILT.clear()  # a worker serves one run at a time; an earlier run's schemas go
        validator = _BUILT[spec.token] = spec.validator
        allow_files(list(spec.files))
    display, problems = validator.check_file(Path(path), display)
    return display, problems, validator.svrl.pop(display, None)


def run(
    validator: Validator, files: Sequence[Path], scheduler: str, *, jobs: int = 1
) -> Iterator[tuple[str, list[Problem]]]:
    """(file, problems) for each file, in order, checked on the Dask
    cluster at ``scheduler`` (``tcp://HOST:8786``), or on a local one of
    ``jobs`` worker processes (``local``)."""
    validator.prepare(files, saxon=False)  # a schema named on the command line fails here, before any work
    with ExitStack() as stack:
        client = _client(scheduler, jobs, stack)
        absolute = [str(Path(f).resolve()) for f in files]
        spec = client.scatter(Spec(uuid.uuid4().hex, validator, tuple(map(Path, absolute))), broadcast=True)
        displays = [corpus.display_name(f) for f in files]
        futures = client.map(_check, absolute, displays, spec=spec, pure=False)
        try:
            for future in futures:
                display, problems, svrl = future.result()
                if svrl is not None:
                    validator.svrl[display] = svrl
                yield display, problems
        finally:
            client.cancel(futures)
