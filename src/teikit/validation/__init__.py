"""``teikit validate``: well-formedness, RelaxNG, Schematron and references.

One generator, :func:`iter_errors`, feeds :func:`validate` (raises
:class:`~teikit.problems.ValidationError`), :func:`is_valid` (returns a
bool) and :func:`run` (returns a :class:`~teikit.problems.Report`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import corpus, xmlio
from ..odd import hook as odd_hook
from ..problems import ERROR, UNDEFINED_PHASE, OutputError, Problem, Report, SchemaError, ValidationError
from ..saxon import allow_files
from .catalog import Catalog
from .references import ReferenceChecker
from .relaxng import RelaxNG
from .rngcache import scan_files
from .schemas import (
    ENGINE,
    Association,
    SchemaChoice,
    choose,
    choose_from,
    fingerprint,
    model_kind,
    not_a_schema_file,
    prolog_associations,
    rng_from_rnc,
)

if TYPE_CHECKING:
    from .schematron import Schematron

__all__ = ["Validator", "is_valid", "iter_errors", "run", "validate"]


@dataclass
class Validator:
    """Holds what a run compiles once: schemas, Schematron, catalogs.

    ``schema`` is a RelaxNG file (``.rng``, or ``.rnc``) whose embedded
    Schematron also runs, replacing every RelaxNG association;
    ``schematron`` lists standalone ``.sch`` files, added to the
    associations (or alone, with ``xml_model=False``).  A document with
    no RelaxNG association gets the bundled tei_all (see ``schemas``).
    """

    schema: Path | None = None
    schematron: Sequence[Path] = ()
    catalog: Sequence[Path] = ()
    phase: str | None = None
    references: bool = True
    run_schematron: bool = True
    ids: bool = True  # DTD compatibility's ID/IDREF checks (off: as jing -i)
    xml_model: bool = True
    roots: Sequence[Path] | None = None  # folders XInclude may read (the run's); None: each file's own
    lang: str | None = None  # Schematron: the language of assertions that come in several (default English)
    svrl_dir: Path | None = None  # Schematron: write each document's SVRL report below this folder
    keep_svrl: bool = False  # Schematron: keep each document's SVRL report in ``svrl`` (in-process runs)
    svrl: dict[str, bytes] = field(default_factory=dict, init=False, repr=False)
    _catalog: Catalog = field(init=False, repr=False)
    _rng: dict[str, RelaxNG] = field(default_factory=dict, init=False, repr=False)
    _sch: dict[tuple[str, frozenset[str] | None], Schematron | None] = field(
        default_factory=dict, init=False, repr=False
    )
    _refs: ReferenceChecker = field(default_factory=ReferenceChecker, init=False, repr=False)
    _phase_found: bool = field(default=False, init=False, repr=False)
    _phase_missing: dict[Path, str] = field(default_factory=dict, init=False, repr=False)  # path -> why
    _names: frozenset[str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.schema is not None:
            # an ODD is compiled first (cached on disk by content)
            self.schema = odd_hook.schema_file(_option_schema(Path(self.schema), "schema"))
        self.schematron = tuple(_option_schema(Path(s), "Schematron") for s in self.schematron)
        self._catalog = Catalog.from_env(list(self.catalog))

    # -- schemas -----------------------------------------------------------
    def choice_for(self, doc: xmlio.ParsedDoc) -> SchemaChoice:
        return choose(
            doc,
            schema=self.schema,
            schematron=tuple(self.schematron),
            catalog=self._catalog,
            use_models=self.xml_model,
            schematron_models=self.run_schematron,
        )

    def relaxng(self, path: Path) -> RelaxNG:
        key = fingerprint(path)
        if key not in self._rng:
            self._rng[key] = RelaxNG(path, ids=self.ids)
        return self._rng[key]

    def schematron_for(self, path: Path, names: frozenset[str] | None = None) -> Schematron | None:
        """The Schematron in ``path`` compiled for documents whose element
        names are ``names`` (rules that cannot fire are left out; ``None``:
        all rules).  The run's names, gathered by :meth:`prepare`, are used
        when they cover ``names``, so a run compiles once per process."""
        from .schematron import compile_schematron  # Saxon starts only when needed

        if names is not None and self._names is not None and names <= self._names:
            names = self._names
        if self.svrl_dir is not None or self.keep_svrl:
            names = None  # the SVRL lists every active pattern, even those that cannot fire
        key = (fingerprint(path), names)
        if key not in self._sch:
            phase = None if path in self._phase_missing else self.phase
            try:
                self._sch[key] = compile_schematron(path, phase=phase, names=names, lang=self.lang)
                self._phase_found = self._phase_found or phase is not None
            except SchemaError as exc:
                # --phase applies to the Schematron that defines it; another
                # (e.g. tei_all's embedded rules, which have no phases) runs
                # with its default phase.  If none defines it, that is an error.
                if phase is None or exc.kind != UNDEFINED_PHASE:
                    raise
                self._sch[key] = compile_schematron(path, phase=None, names=names, lang=self.lang)
                self._phase_missing[path] = str(exc)
        return self._sch[key]

    def check_phase(self) -> None:
        """After compiling: a --phase that no Schematron defines is an error."""
        if self.phase is not None and self._phase_missing and not self._phase_found:
            named = [m for p, m in self._phase_missing.items() if self._named(p)]
            raise SchemaError(named[0] if named else next(iter(self._phase_missing.values())))

    def prepare(self, files: Iterable[Path], *, saxon: bool = True) -> None:
        """Compile, before any worker is forked, every schema the files name.

        Reads only each file's prolog (the xml-model PIs before the root);
        a schema missed here is still compiled later, in the worker.
        With ``saxon=False`` Schematron is left for the workers: Saxon
        (a GraalVM native image) must never be started in a process that
        then forks, or the forked workers hang when its garbage collector
        runs.  Each worker then compiles it once.
        """
        files = list(files)
        allow_files(files)  # the only files a Schematron's doc() may read
        wanted: list[tuple[str, Path]] = []
        for f in files:
            models = (
                [Association(model_kind(a), a.get("href", "")) for a in _prolog_models(f)] if self.xml_model else []
            )
            choice = choose_from(
                models, f, str(f), schema=self.schema, schematron=tuple(self.schematron), catalog=self._catalog
            )
            if choice.rng is not None:
                wanted.append(("rng", choice.rng))
            wanted += [("sch", s) for s in choice.schematron]  # unresolved ones are reported per document
        if wanted:  # one byte scan of the files: a superset of each one's names
            self._names = scan_files(files)
        for kind, path in dict.fromkeys(wanted):
            try:
                if kind == "rng" and self._names is not None:
                    self.relaxng(path).prepare(self._names)
                elif self.run_schematron and saxon:
                    self.schematron_for(path, self._names)
            except SchemaError:
                if self._named(path):
                    raise
                # a schema a document names is that document's problem, reported when it is checked
        if saxon:
            self.check_phase()

    # -- one document --------------------------------------------------------
    def check(self, doc: xmlio.ParsedDoc) -> list[Problem]:
        choice = self.choice_for(doc)
        problems: list[Problem] = list(choice.problems)
        if choice.rng is not None:
            try:
                problems += self.relaxng(choice.rng).check(doc)
            except SchemaError as exc:
                problems.append(self._broken(doc, choice, choice.rng, exc))
        else:
            problems += doc.id_problems
        if self.run_schematron:
            names = doc.names()
            compiled = []
            for path in choice.schematron:
                try:
                    compiled.append(self.schematron_for(path, names))
                except SchemaError as exc:
                    problems.append(self._broken(doc, choice, path, exc))
            self.check_phase()
            reports = []
            for sch in compiled:
                if sch is not None:
                    result = sch.validate(doc, full=self.svrl_dir is not None or self.keep_svrl)
                    problems += result.problems
                    reports.append(result.svrl)
            if self.svrl_dir is not None or self.keep_svrl:
                self._keep_svrl(doc, reports)
        if self.references:
            self._refs.roots = self.roots
            problems += self._refs.check(doc)
        return sorted(problems, key=_order)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (for the workers of a Dask cluster) without what it has compiled:
        each worker compiles for itself, once."""
        state = dict(self.__dict__)
        state.update(_rng={}, _sch={}, _refs=ReferenceChecker(), svrl={})
        return state

    def _named(self, path: Path) -> bool:
        """Whether a schema was given on the command line (its failure is the run's)."""
        return path == self.schema or path in self.schematron

    def _broken(self, doc: xmlio.ParsedDoc, choice: SchemaChoice, path: Path, exc: SchemaError) -> Problem:
        """A schema named by a document's xml-model (or the bundled one)
        that cannot be used is an error of that document, at the PI that
        names it.  A schema given on the command line stops the run."""
        if self._named(path):
            raise exc
        line, column = choice.places.get(path, (None, None))
        message = f"the schema {path} cannot be used: {_one_line(str(exc)).removeprefix('Error: ')}"
        return Problem(doc.display, line, column, ERROR, ENGINE, message)

    def _keep_svrl(self, doc: xmlio.ParsedDoc, reports: list[Any]) -> None:
        from .schematron import svrl

        data = svrl.document(reports)
        if self.keep_svrl:
            self.svrl[doc.display] = data
        if self.svrl_dir is not None:
            try:
                xmlio.write_atomic(svrl.target(Path(self.svrl_dir), doc.display), data)
            except OSError as exc:
                raise OutputError(f"cannot write the SVRL of {doc.display}: {exc.strerror or exc}") from None

    def check_file(self, path: Path, display: str | None = None) -> tuple[str, list[Problem]]:
        """One file's name in messages (``display``, else :func:`corpus.display_name`) and problems."""
        display = display or corpus.display_name(path)
        try:
            doc = xmlio.load(path, display, self.roots)
        except xmlio.XMLError as exc:
            return display, [exc.problem]
        except OSError as exc:
            return display, [Problem(display, None, None, ERROR, "xml", f"cannot read file: {exc.strerror or exc}")]
        return display, self.check(doc)


def _option_schema(path: Path, what: str) -> Path:
    """A schema named on the command line: a readable file (``.rnc`` converted)."""
    why = not_a_schema_file(path)
    if why:
        raise SchemaError(
            f"Error: {what} {path} does not exist" if why.startswith("schema not found") else f"Error: {what} {why}"
        )
    return rng_from_rnc(path) if path.suffix.lower() == ".rnc" else path


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _order(p: Problem) -> tuple[int, int, str, str]:
    return (p.line or 0, p.column or 0, p.engine, p.message)


def _prolog_models(path: Path) -> list[dict[str, str]]:
    """The xml-model PIs of a file, from its first 16 KB (no parse)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16384).decode("utf-8", "replace")
    except OSError:
        return []
    root = re.search(r"<[A-Za-z_]", head)
    return [attrs for attrs, _ in prolog_associations(head, root.start() if root else None)]


# ---------------------------------------------------------------------------
def _job(validator: Validator) -> Callable[[Path], tuple[str, list[Problem]]]:
    def work(path: Path) -> tuple[str, list[Problem]]:
        return validator.check_file(path)

    return work


def iter_results(
    paths: Iterable[str | os.PathLike[str]] | corpus.Found,
    *,
    jobs: int = 1,
    validator: Validator | None = None,
    skipped: list[Problem] | None = None,
    globs: Sequence[str] | None = None,
    shard: corpus.Shard | None = None,
    scheduler: str | None = None,
    **options: Any,
) -> Iterator[tuple[str, list[Problem]]]:
    """(file, problems) for each file, in order.  Schemas compile once.
    ``globs`` choose the files below folders (default ``*.xml``, ``*.tei``);
    the files found but skipped (not TEI, included by another) are
    added to ``skipped`` as notes, before the first result.  With
    ``shard``, only that shard's files are checked; with ``scheduler``,
    on a Dask cluster.  ``paths`` may also be what :func:`teikit.corpus.find` found."""
    if not isinstance(paths, corpus.Found):
        paths = corpus.find(paths, globs or corpus.DOCUMENT_GLOBS)
    found = paths.select(shard)
    if skipped is not None:
        skipped.extend(found.skipped)
    yield from iter_found(found, jobs=jobs, validator=validator or Validator(**options), scheduler=scheduler)


def iter_found(
    found: corpus.Found, *, jobs: int = 1, validator: Validator, scheduler: str | None = None
) -> Iterator[tuple[str, list[Problem]]]:
    """(file, problems) for each file :func:`corpus.find` found, in order:
    on ``jobs`` local processes, or with ``scheduler`` (a Dask scheduler's
    address, or ``local``: a local Dask cluster of ``jobs`` workers) on a
    Dask cluster."""
    files = found.files
    validator.roots = found.roots
    if scheduler is not None:
        from . import distributed

        yield from distributed.run(validator, files, scheduler, jobs=jobs)
        return
    jobs = max(1, min(jobs, len(files)))
    validator.prepare(files, saxon=jobs == 1)
    yield from corpus.run_jobs(_job(validator), files, jobs=jobs, label="Validating", cost=corpus.file_size)


def iter_errors(paths: Iterable[str | os.PathLike[str]], **options: Any) -> Iterator[Problem]:
    """Every problem in every file, file by file."""
    for _, problems in iter_results(paths, **options):
        yield from problems


def run(
    paths: Iterable[str | os.PathLike[str]],
    *,
    strict: bool = False,
    shard: corpus.Shard | None = None,
    globs: Sequence[str] | None = None,
    jobs: int = 1,
    validator: Validator | None = None,
    **options: Any,
) -> Report:
    """The report of a run (with ``shard``: of that shard, which :func:`teikit.report.merge` joins)."""
    found = corpus.find(paths, globs or corpus.DOCUMENT_GLOBS).select(shard)
    report = Report(strict=strict, skipped=list(found.skipped), shard=found.shard)
    for display, problems in iter_found(found, jobs=jobs, validator=validator or Validator(**options)):
        report.files.append(display)
        report.add(problems)
    return report


def validate(paths: Iterable[str | os.PathLike[str]], *, strict: bool = False, **options: Any) -> Report:
    """Validate; raise :class:`ValidationError` if anything is invalid."""
    report = run(paths, strict=strict, **options)
    if not report.ok:
        raise ValidationError(report)
    return report


def is_valid(paths: Iterable[str | os.PathLike[str]], *, strict: bool = False, **options: Any) -> bool:
    """True when no file has an error (or, with ``strict``, a warning)."""
    for problem in iter_errors(paths, **options):
        if problem.fails(strict):
            return False
    return True
