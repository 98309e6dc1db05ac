"""teikit's public library surface; ``teikit`` re-exports it, and ``teikit.cli`` calls exactly these.

* :func:`validate` raises :class:`~teikit.problems.ValidationError` when
  anything is invalid; :func:`check` returns the report either way;
  :func:`iter_results` yields each file's problems as they come (what
  ``teikit validate`` prints); :func:`iter_errors` and :func:`is_valid`
  are the shortcuts.
* :func:`build` writes HTML, text and EPUB (see :mod:`teikit.publish.formats`).
* :func:`deposit_bag` checks readiness and writes a BagIt bag;
  :func:`verify` checks one.  (The name ``deposit`` is the subpackage's.)

Validation options, wherever they are taken: ``schema`` (a RelaxNG
file, overriding ``xml-model``), ``schematron`` (standalone files),
``catalog`` (OASIS XML catalogs), ``phase``, ``references``,
``run_schematron`` and ``xml_model`` (see :class:`teikit.validation.Validator`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .problems import Report
from .validation import Validator, is_valid, iter_errors, iter_results
from .validation import run as _run
from .validation import validate as _validate

if TYPE_CHECKING:
    from .deposit import DepositResult
    from .publish import BuildResult

PathLike = str | os.PathLike[str]
DEFAULT_PATHS = ("tei",)

__all__ = ["build", "check", "deposit_bag", "is_valid", "iter_errors", "iter_results", "validate", "verify"]


def validate(paths: Iterable[PathLike] = DEFAULT_PATHS, *, strict: bool = False, **options: Any) -> Report:
    """Validate every TEI file under ``paths``; raise
    :class:`~teikit.problems.ValidationError` (its ``.report`` holds the
    problems) if any file fails.  ``jobs=N`` checks in N processes."""
    return _validate(paths, strict=strict, **options)


def check(paths: Iterable[PathLike] = DEFAULT_PATHS, *, strict: bool = False, **options: Any) -> Report:
    """Validate every TEI file under ``paths`` and return the report, valid or not."""
    return _run(paths, strict=strict, **options)


def build(
    paths: Iterable[PathLike] = DEFAULT_PATHS,
    *,
    out: PathLike = "out",
    formats: Sequence[str] | None = None,
    params: dict[str, str] | None = None,
    validate: bool = True,
    strict: bool = False,
    jobs: int = 1,
    schema: Path | None = None,
    schematron: Sequence[Path] = (),
    catalog: Sequence[Path] = (),
    phase: str | None = None,
    xml_model: bool = True,
    **more: Any,
) -> BuildResult:
    """Build ``formats`` for every TEI file under ``paths`` into ``out``;
    invalid documents are reported and not built unless ``validate=False``.
    ``formats`` default to every format of :data:`teikit.publish.formats.FORMATS`."""
    from .publish import build as _build
    from .publish.formats import FORMATS  # imported here: validating needs none of publishing

    validator = None
    if validate:
        validator = Validator(schema=schema, schematron=schematron, catalog=catalog, phase=phase, xml_model=xml_model)
    return _build(
        list(paths),
        out=Path(out),
        formats=tuple(FORMATS if formats is None else formats),
        params=dict(params or {}),
        validator=validator,
        strict=strict,
        jobs=jobs,
        **more,
    )


def deposit_bag(
    paths: Iterable[PathLike] = DEFAULT_PATHS,
    *,
    out: PathLike = "out/deposit",
    profile: str = "generic",
    archive: str | None = None,
    jobs: int = 1,
) -> DepositResult:
    """Check the readiness of every TEI file under ``paths`` against
    ``profile`` and, if all pass, write one bag to ``out`` (and, with
    ``archive`` ``"zip"`` or ``"tar"``, a serialised copy)."""
    from .deposit import deposit as _deposit

    return _deposit(list(paths), out=Path(out), profile=profile, archive=archive, jobs=jobs)


def verify(bag: PathLike) -> Report:
    """Every problem of a bag folder, ``.zip`` or ``.tar`` (empty report: a valid bag)."""
    from .deposit import verify as _verify

    return _verify(Path(bag))
