"""``teikit build``: TEI to HTML, plain text and EPUB 3 with XSLT 3.0.

Flow: discover the files; take a first look at each (in ``jobs``
forked workers): is it well-formed, is it a register, which files does
it point to; validate and merge the registers; then each worker parses,
validates (unless no validator is given: ``--no-validate``) and
transforms one document at a time, compiling every stylesheet once,
and writes ``out/html/NAME.html``, ``out/text/NAME.txt`` and
``out/epub/NAME.epub`` atomically.  So memory is bounded by the largest
document, not the corpus (only the registers, and for the edition EPUB
its documents, are held together).  A document that fails is reported
(engine ``build``, one line) and the others are still built; a
document's outputs are written only when all its formats succeeded.

Register files (TEI whose body holds only listPerson/listPlace/listOrg/...
lists, or a file named in another document's ``@ref``) are not built as
documents: they become ``register.html`` (every entry links back to each
mention) and the EPUBs' back matter.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import corpus, xmlio
from ..problems import ERROR, Problem, Report, TeikitError, UsageError
from ..reproducible import source_date_epoch
from . import html_site, xslt
from .formats import EPUB, FORMATS, PARAMS, TEXT, Format
from .formats import names as formats_list

_CHOICES = {"sic", "corr", "orig", "reg", "abbr", "expan"}
_PARAM_VALUES = {"notes": ("endnotes", "footnotes"), "supplied": ("brackets", "plain")}


@dataclass
class BuildResult:
    report: Report
    written: list[Path] = field(default_factory=list)
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    out: Path = Path("out")

    @property
    def ok(self) -> bool:
        """Every requested output written, no invalid or failed document."""
        return not self.failed and self.report.ok

    def summary(self) -> str:
        n = self.documents
        return (
            f"{n} document{'s' if n != 1 else ''}: {len(self.written)} file"
            f"{'s' if len(self.written) != 1 else ''} written to {self.out}/; {len(self.failed)} failed"
        )


def check_params(params: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(params) - set(PARAMS))
    if unknown:
        raise UsageError(f"unknown --param {', '.join(unknown)}; known parameters: {', '.join(sorted(PARAMS))}")
    if "choice" in params:
        tokens = [t for t in params["choice"].replace(",", " ").split() if t]
        bad = [t for t in tokens if t not in _CHOICES]
        if bad or not tokens:
            raise UsageError(f"--param choice={params['choice']}: expected any of sic|corr, orig|reg, abbr|expan")
    if "wrap" in params and not (params["wrap"].isdigit() and int(params["wrap"]) >= 20):
        raise UsageError(f"--param wrap={params['wrap']}: expected a whole number of columns, at least 20")
    if params.get("notes") in ("footnote", "endnote"):  # the singular is accepted too
        params["notes"] += "s"
    for name, allowed in _PARAM_VALUES.items():
        if name in params and params[name] not in allowed:
            raise UsageError(f"--param {name}={params[name]}: expected {' or '.join(allowed)}")
    return params


def _problem(doc_or_name, message: str) -> Problem:
    name = doc_or_name.display if isinstance(doc_or_name, xmlio.ParsedDoc) else str(doc_or_name)
    return Problem(name, None, None, ERROR, "build", " ".join(message.split()))


def _in_tei_namespace(doc: xmlio.ParsedDoc) -> xmlio.ParsedDoc:
    """TEI without a namespace (P4: TEI.2, id, lang) as P5 elements, for the stylesheets.

    The file itself is validated as it is; only what the stylesheets see changes.
    """
    root = doc.root
    if not isinstance(root.tag, str) or etree.QName(root).namespace is not None:
        return doc
    if etree.QName(root).localname not in ("TEI", "TEI.2", "teiCorpus", "teiCorpus.2"):
        return doc
    tree = copy.deepcopy(doc.tree)
    for el in tree.getroot().iter(etree.Element):
        if etree.QName(el).namespace is None:
            el.tag = f"{{{xmlio.TEI_NS}}}{etree.QName(el).localname.removesuffix('.2')}"
        for old, new in (("id", f"{{{xmlio.XML_NS}}}id"), ("lang", f"{{{xmlio.XML_NS}}}lang")):
            if old in el.attrib and new not in el.attrib:
                el.set(new, el.attrib.pop(old))
    etree.cleanup_namespaces(tree.getroot(), top_nsmap={None: xmlio.TEI_NS})
    return xmlio.ParsedDoc(doc.path, doc.display, tree, doc.source, doc.id_problems)


def _epub_builder(params):
    try:
        from .epub import EpubBuilder
    except ImportError as exc:  # the EPUB half is not installed in this checkout
        raise UsageError(f"EPUB output is not available in this build of teikit ({exc})") from None
    return EpubBuilder(params)


@dataclass
class _Source:
    """A file after the first look: what register detection needs."""

    path: Path
    display: str
    problem: Problem | None = None
    register: bool = False  # its body holds only lists
    lists_persons: bool = False  # it has a listPerson (a register if another file points to it)
    refs: frozenset = frozenset()  # file names its @ref attributes point to
    series: tuple = ()  # its series titles (the edition's title is the one all share)


def _look(path: Path) -> _Source:
    display = corpus.display_name(path)
    try:
        doc = _in_tei_namespace(xmlio.parse(path, display))
    except xmlio.XMLError as exc:
        return _Source(path, display, exc.problem)
    except OSError as exc:
        return _Source(path, display, _problem(display, f"cannot read: {exc.strerror or exc}"))
    from .epub import series_titles

    return _Source(
        path,
        display,
        None,
        html_site.is_register(doc),
        doc.root.find(f".//{{{xmlio.TEI_NS}}}listPerson") is not None,
        frozenset(html_site.referenced_files([doc])),
        tuple(series_titles(doc)),
    )


def _names(docs: list, registers=()) -> list[str]:
    """Output base names: the file stems, made unique in discovery order.

    A document may not take the name of an edition page (index, register).
    """
    seen: dict[str, int] = {}
    names = []
    reserved = {"index", "register", "teikit", "edition"}
    for d in docs:
        stem = d.path.stem
        n = seen.get(stem, 1 if stem not in reserved or any(d is r for r in registers) else 2)
        seen[stem] = n + 1
        names.append(stem if n == 1 else f"{stem}-{n}")
    return names


_DOC_PARAMS = ("choice", "wrap", "notes", "supplied")


class _Job:
    """What the forked workers inherit: the sources, the registers (parsed
    and validated) and the validator; each process parses one document at
    a time and compiles the stylesheets itself, once."""

    def __init__(self, items, names, out, formats, params, registers, register_doc, epub, validator=None, strict=False):
        self.items, self.names, self.out = items, names, out
        self.formats, self.epub = formats, epub
        self.params = {k: v for k, v in params.items() if k in _DOC_PARAMS}
        self.registers = {id(r) for r in registers}
        self.register_doc = register_doc
        self.validator, self.strict = validator, strict
        self._nodes: dict | None = None

    # Saxon is started lazily, in the process that uses it: a GraalVM
    # native image started before a fork hangs the forked workers when its
    # garbage collector runs.  xslt.compile_xslt caches per process.
    def _pages(self) -> list[Format]:
        """The requested formats that are one transform per document, in the table's order."""
        return [f for f in FORMATS.values() if f.name in self.formats and f.packaging != EPUB]

    @property
    def meta(self):
        return xslt.compile_xslt(html_site.stylesheet("meta"))

    @property
    def nodes(self) -> dict:
        if self._nodes is None:
            self._nodes = {"register": xslt.node(self.register_doc) if self.register_doc is not None else None}
        return self._nodes

    def _load(self, item) -> tuple[xmlio.ParsedDoc | None, list[Problem]]:
        """The document to build (parsed and validated here) and the
        problems found; None when it must not be built."""
        if isinstance(item, xmlio.ParsedDoc):
            return item, []  # a register: parsed and validated before the workers
        try:
            doc = xmlio.parse(item.path, item.display)
        except xmlio.XMLError as exc:  # changed since the first look
            return None, [exc.problem]
        except OSError as exc:
            return None, [_problem(item.display, f"cannot read: {exc.strerror or exc}")]
        problems = self.validator.check(doc) if self.validator is not None else []
        if any(p.is_error or self.strict for p in problems):
            return None, problems
        return _in_tei_namespace(doc), problems

    def __call__(self, i: int):
        """Build document i: (written paths, problems, meta XML or None when it failed)."""
        doc, problems = self._load(self.items[i])
        if doc is None:
            return [], problems, None
        name = self.names[i]
        register = id(doc) in self.registers
        outputs: list[tuple[Path, str]] = []
        meta = ""
        try:
            source = xslt.node(doc)
            for fmt in self._pages():
                if register and not fmt.registers:
                    continue
                params = {k: v for k, v in self.params.items() if k in fmt.params}
                data = xslt.transform(xslt.compile_xslt(fmt.stylesheet_path), source, params, nodes=self.nodes)
                outputs.append(
                    (fmt.target(self.out, name), data.rstrip("\n") + "\n" if fmt.packaging == TEXT else data)
                )
            if not register:
                meta = xslt.transform(self.meta, source, self.params, nodes=self.nodes)
            if self.epub is not None and not register:
                target = FORMATS["epub"].target(self.out, name)
                self.epub.document(doc, target, register=self.register_doc)
                outputs.append((target, None))
        except TeikitError as exc:
            problem = getattr(exc, "problem", None)
            return (
                [],
                [*problems, problem if isinstance(problem, Problem) else _problem(doc, f"cannot build: {exc}")],
                None,
            )
        written = []
        try:
            for target, data in outputs:
                if data is not None:
                    xmlio.write_atomic(target, data)
                written.append(target)
        except OSError as exc:
            return (
                written,
                [*problems, _problem(doc, f"cannot write {exc.filename or target}: {exc.strerror or exc}")],
                None,
            )
        return written, problems, meta


def _validated(docs, validator, strict, jobs, report, result) -> list:
    """The documents that pass validation (all of them without a validator).

    With several jobs the checks run in forked workers that start Saxon
    themselves (see :class:`_Job`)."""
    if validator is None:
        return docs
    checked = corpus.run_jobs(lambda i: validator.check(docs[i]), list(range(len(docs))), jobs, "validate")
    ok = []
    for doc, problems in zip(docs, checked, strict=True):
        report.add(problems)
        if any(p.is_error or strict for p in problems):
            result.failed.append(doc.display)
        else:
            ok.append(doc)
    return ok


def build(
    paths,
    *,
    out: Path,
    formats: tuple[str, ...],
    params: dict[str, str],
    validator=None,
    strict: bool = False,
    jobs: int = 1,
) -> BuildResult:
    """Build the requested formats for every TEI file under ``paths``."""
    out = Path(out)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"unknown format {', '.join(bad) or '(none)'}; choose from {formats_list()}")
    params = check_params(dict(params))
    if "epub" in formats:
        source_date_epoch()  # a malformed value is a usage error, before any work
    files = corpus.discover(paths)
    if not files:
        raise UsageError(f"no .xml files found in {', '.join(str(p) for p in paths)}")
    report = Report(strict=strict)
    result = BuildResult(report, out=out)
    if validator is not None:
        validator.prepare(files, saxon=jobs == 1)
    sources: list[_Source] = []
    for source in corpus.run_jobs(_look, files, jobs, "read", cost=corpus.file_size):
        report.files.append(source.display)
        if source.problem is not None:
            report.add([source.problem])
            result.failed.append(source.display)
        else:
            sources.append(source)

    # registers: files whose body holds only lists, or with a listPerson that another file points to
    referenced = frozenset().union(*(s.refs for s in sources))
    is_register = [s.register or (s.lists_persons and s.path.name in referenced) for s in sources]
    registers = [xmlio.parse(s.path, s.display) for s, r in zip(sources, is_register, strict=True) if r]
    registers = [_in_tei_namespace(d) for d in _validated(registers, validator, strict, jobs, report, result)]
    texts: list = [s for s, r in zip(sources, is_register, strict=True) if not r]
    result.documents = len(files)
    register_doc = html_site.merge_registers(registers)
    # the EPUB has its own note style (pop-up footnotes): the HTML/text note style is not for it
    epub = _epub_builder({k: v for k, v in params.items() if k != "notes"}) if "epub" in formats else None

    everything = texts + registers
    names = _names(everything, registers)
    job = _Job(everything, names, out, formats, params, registers, register_doc, epub, validator, strict)
    metas: list[str | None] = []
    for i, (written, problems, meta) in enumerate(
        corpus.run_jobs(
            job, list(range(len(everything))), jobs, "build", cost=lambda i: corpus.file_size(everything[i].path)
        )
    ):
        result.written.extend(written)
        report.add(problems)
        if any(p.is_error or strict for p in problems):
            result.failed.append(everything[i].display)
        metas.append(meta)
    register_node = job.nodes["register"]  # after the workers: Saxon may start here

    built = [(d, n, m) for d, n, m in zip(everything, names, metas, strict=True) if m]
    if "html" in formats and built:
        result.written.extend(
            html_site.write_site(
                out / "html", built, register_doc, register_node, params, formats, report, result.failed
            )
        )
    if epub is not None and len(built) > 1:
        target = out / "epub" / "edition.epub"
        try:
            # one file holding every text: the documents are parsed again, together
            docs = [
                d if isinstance(d, xmlio.ParsedDoc) else _in_tei_namespace(xmlio.parse(d.path, d.display))
                for d, _, _ in built
            ]
            epub.edition(docs, target, register=register_doc)
            result.written.append(target)
        except (TeikitError, xmlio.XMLError, OSError) as exc:
            problem = getattr(exc, "problem", None)
            report.add([problem if isinstance(problem, Problem) else _problem("edition.epub", f"cannot build: {exc}")])
            result.failed.append("edition.epub")
    return result
