"""``teikit validate``: well-formedness, RelaxNG, Schematron and references.

One generator, :func:`iter_errors`, feeds :func:`validate` (raises
:class:`~teikit.problems.ValidationError`), :func:`is_valid` (returns a
bool) and :func:`run` (returns a :class:`~teikit.problems.Report`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import corpus, xmlio
from ..odd import hook as odd_hook
from ..problems import ERROR, Problem, Report, SchemaError, ValidationError
from .catalog import Catalog
from .references import ReferenceChecker
from .relaxng import RelaxNG
from .rngcache import scan_files
from .schemas import SchemaChoice, choose, fingerprint, model_kind, pseudo_attributes, resolve_href

__all__ = ["Validator", "is_valid", "iter_errors", "run", "validate"]


@dataclass
class Validator:
    """Holds what a run compiles once: schemas, Schematron, catalogs.

    ``schema`` is a RelaxNG file (XML syntax) whose embedded Schematron
    also runs; ``schematron`` lists standalone ``.sch`` files.  Without
    them each document's ``xml-model`` PIs decide, then ``schema/``.
    """

    schema: Path | None = None
    schematron: Sequence[Path] = ()
    catalog: Sequence[Path] = ()
    phase: str | None = None
    references: bool = True
    run_schematron: bool = True
    _catalog: Catalog = field(init=False, repr=False)
    _rng: dict = field(default_factory=dict, init=False, repr=False)
    _sch: dict = field(default_factory=dict, init=False, repr=False)
    _refs: ReferenceChecker = field(default_factory=ReferenceChecker, init=False, repr=False)
    _phase_found: bool = field(default=False, init=False, repr=False)
    _phase_missing: dict = field(default_factory=dict, init=False, repr=False)  # path -> why
    _names: frozenset | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.schema is not None:
            self.schema = Path(self.schema)
            if not self.schema.is_file():
                raise SchemaError(f"Error: schema {self.schema} does not exist")
            self.schema = odd_hook.schema_file(self.schema)  # an ODD is compiled (cached by content)
        self.schematron = tuple(Path(s) for s in self.schematron)
        for s in self.schematron:
            if not s.is_file():
                raise SchemaError(f"Error: Schematron {s} does not exist")
        self._catalog = Catalog.from_env(list(self.catalog))

    # -- schemas -----------------------------------------------------------
    def choice_for(self, doc: xmlio.ParsedDoc) -> SchemaChoice:
        return choose(
            doc.tree,
            doc.path,
            doc.display,
            schema=self.schema,
            schematron=tuple(self.schematron),
            catalog=self._catalog,
        )

    def relaxng(self, path: Path) -> RelaxNG:
        key = fingerprint(path)
        if key not in self._rng:
            self._rng[key] = RelaxNG(path)
        return self._rng[key]

    def schematron_for(self, path: Path, names: frozenset[str] | None = None):
        """The Schematron in ``path`` compiled for documents whose element
        names are ``names`` (rules that cannot fire are left out; ``None``:
        all rules).  The run's names, gathered by :meth:`prepare`, are used
        when they cover ``names``, so a run compiles once per process."""
        from .schematron import compile_schematron  # Saxon starts only when needed

        if names is not None and self._names is not None and names <= self._names:
            names = self._names
        key = (fingerprint(path), names)
        if key not in self._sch:
            phase = None if path in self._phase_missing else self.phase
            try:
                self._sch[key] = compile_schematron(path, phase=phase, names=names)
                self._phase_found = self._phase_found or phase is not None
            except SchemaError as exc:
                # --phase applies to the Schematron that defines it; another
                # (e.g. tei_all's embedded rules, which have no phases) runs
                # with its default phase.  If none defines it, that is an error.
                if phase is None or f"phase {phase!r} is not defined" not in str(exc):
                    raise
                self._sch[key] = compile_schematron(path, phase=None, names=names)
                self._phase_missing[path] = str(exc)
        return self._sch[key]

    def check_phase(self) -> None:
        """After compiling: a --phase that no Schematron defines is an error."""
        if self.phase is not None and self._phase_missing and not self._phase_found:
            raise SchemaError(next(iter(self._phase_missing.values())))

    def prepare(self, files: Iterable[Path], *, saxon: bool = True) -> None:
        """Compile, before any worker is forked, every schema the files name.

        Reads only each file's prolog (the xml-model PIs before the root);
        a schema missed here is still compiled later, in the worker.
        With ``saxon=False`` Schematron is left for the workers: Saxon
        (a GraalVM native image) must never be started in a process that
        then forks, or the forked workers hang when its garbage collector
        runs.  Each worker then compiles it once.
        """
        wanted: list[tuple[str, Path]] = []
        if self.schema is not None:
            wanted.append(("rng", self.schema))
            wanted.append(("sch", self.schema))
        wanted += [("sch", s) for s in self.schematron]
        if self.schema is None:  # as choose(): --schema overrides every xml-model
            kinds = ("rng",) if self.schematron else ("rng", "sch")
            for f in files:
                for attrs in _prolog_models(f):
                    kind = model_kind(attrs)
                    if kind == "odd" and attrs.get("href"):
                        try:
                            odd = odd_hook.schema_file(resolve_href(attrs["href"], f, self._catalog, str(f), None))
                            wanted += [("rng", odd), ("sch", odd)]
                        except SchemaError:
                            pass  # reported per document, with its line
                    elif kind in kinds and attrs.get("href"):
                        try:
                            wanted.append((kind, resolve_href(attrs["href"], f, self._catalog, str(f), None)))
                        except SchemaError:
                            pass  # reported per document, with its line
        if wanted:  # one byte scan of the files: a superset of each one's names
            self._names = scan_files(files)
        for kind, path in dict.fromkeys(wanted):
            if kind == "rng":
                self.relaxng(path).prepare(self._names)
            elif self.run_schematron and saxon:
                self.schematron_for(path, self._names)
        if saxon:
            self.check_phase()

    # -- one document --------------------------------------------------------
    def check(self, doc: xmlio.ParsedDoc) -> list[Problem]:
        choice = self.choice_for(doc)
        problems: list[Problem] = []
        if choice.rng is not None:
            problems += self.relaxng(choice.rng).check(doc)
        else:
            problems += doc.id_problems
        if self.run_schematron:
            names = doc.names()
            compiled = [self.schematron_for(sch, names) for sch in choice.schematron]
            self.check_phase()
            for sch in compiled:
                if sch is not None:
                    problems += sch.check(doc)
        if self.references:
            problems += self._refs.check(doc)
        return sorted(problems, key=_order)

    def check_file(self, path: Path) -> tuple[str, list[Problem]]:
        display = corpus.display_name(path)
        try:
            doc = xmlio.parse(path, display)
        except xmlio.XMLError as exc:
            return display, [exc.problem]
        except OSError as exc:
            return display, [Problem(display, None, None, ERROR, "xml", f"cannot read file: {exc.strerror or exc}")]
        return display, self.check(doc)


def _order(p: Problem):
    return (p.line or 0, p.column or 0, p.engine, p.message)


_PROLOG_PI = re.compile(rb"<\?xml-model(.*?)\?>", re.S)


def _prolog_models(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, "rb") as fh:
            head = fh.read(16384)
    except OSError:
        return []
    root = re.search(rb"<[A-Za-z_]", head)
    head = head[: root.start()] if root else head
    return [pseudo_attributes(m.group(1).decode("utf-8", "replace")) for m in _PROLOG_PI.finditer(head)]


# ---------------------------------------------------------------------------
def _job(validator: Validator):
    def work(path: Path):
        return validator.check_file(path)

    return work


def iter_results(
    paths: Iterable[str | os.PathLike], *, jobs: int = 1, validator: Validator | None = None, **options
) -> Iterator[tuple[str, list[Problem]]]:
    """(file, problems) for each file, in order.  Schemas compile once."""
    validator = validator or Validator(**options)
    files = corpus.discover(paths)
    jobs = max(1, min(jobs, len(files)))
    validator.prepare(files, saxon=jobs == 1)
    yield from corpus.run_jobs(_job(validator), files, jobs=jobs, label="Validating", cost=corpus.file_size)


def iter_errors(paths: Iterable[str | os.PathLike], **options) -> Iterator[Problem]:
    """Every problem in every file, file by file."""
    for _, problems in iter_results(paths, **options):
        yield from problems


def run(paths: Iterable[str | os.PathLike], *, strict: bool = False, **options) -> Report:
    report = Report(strict=strict)
    for display, problems in iter_results(paths, **options):
        report.files.append(display)
        report.add(problems)
    return report


def validate(paths: Iterable[str | os.PathLike], *, strict: bool = False, **options) -> Report:
    """Validate; raise :class:`ValidationError` if anything is invalid."""
    report = run(paths, strict=strict, **options)
    if not report.ok:
        raise ValidationError(report)
    return report


def is_valid(paths: Iterable[str | os.PathLike], *, strict: bool = False, **options) -> bool:
    """True when no file has an error (or, with ``strict``, a warning)."""
    for problem in iter_errors(paths, **options):
        if problem.is_error or strict:
            return False
    return True
