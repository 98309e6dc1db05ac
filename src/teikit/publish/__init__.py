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
import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from .. import corpus, xmlio
from ..problems import ERROR, Problem, Report, TeikitError, UsageError
from ..reproducible import source_date_epoch
from . import coverage, epub_meta, html_site, langtags, manifest, xslt
from .formats import EPUB, FORMATS, PARAMS, TEXT, Format
from .formats import names as formats_list

if TYPE_CHECKING:
    from ..validation import Validator
    from .epub import EpubBuilder

_CHOICES = {"sic", "corr", "orig", "reg", "abbr", "expan"}
_PARAM_VALUES = {
    "notes": ("endnotes", "footnotes"),
    "supplied": ("brackets", "plain"),
    "lines": ("flow", "diplomatic"),
    "view": ("diplomatic", "reading"),
    "marks": ("signs", "labels", "none"),
}


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
        lost = sum(1 for p in self.report.problems if p.rule == "lost-text")
        return (
            f"{n} document{'s' if n != 1 else ''}: {len(self.written)} file"
            f"{'s' if len(self.written) != 1 else ''} written to {self.out}/; {len(self.failed)} failed"
            + (f"; {lost} with lost text" if lost else "")
            + (f"; {len(self.report.skipped)} skipped" if self.report.skipped else "")
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


def _problem(doc_or_name: xmlio.ParsedDoc | str, message: str) -> Problem:
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
    tei_default: Any = {None: xmlio.TEI_NS}  # lxml's stubs allow no None key, lxml does
    etree.cleanup_namespaces(tree.getroot(), top_nsmap=tei_default)
    return xmlio.ParsedDoc(doc.path, doc.display, tree, doc.source, doc.id_problems)


def _epub_builder(params: dict[str, str]) -> EpubBuilder:
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
    refs: frozenset[str] = frozenset()  # file names its @ref attributes point to
    series: tuple[str, ...] = ()  # its series titles (the edition's title is the one all share)


def _look(path: Path, roots: list[Path] | None = None) -> _Source:
    display = corpus.display_name(path)
    try:
        doc = _in_tei_namespace(xmlio.load(path, display, roots))
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


def _names(docs: list[Any], registers: list[xmlio.ParsedDoc] | tuple[()] = ()) -> list[str]:
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


_DOC_PARAMS = ("choice", "wrap", "notes", "supplied", "lines", "view", "marks")


class _Job:
    """What the forked workers inherit: the sources, the registers (parsed
    and validated) and the validator; each process parses one document at
    a time and compiles the stylesheets itself, once."""

    def __init__(
        self,
        items: list[Any],
        names: list[str],
        out: Path,
        formats: tuple[str, ...],
        params: dict[str, str],
        registers: list[xmlio.ParsedDoc],
        register_doc: xmlio.ParsedDoc | None,
        epub: EpubBuilder | None,
        validator: Validator | None = None,
        strict: bool = False,
        given: dict[str, str] | None = None,
    ) -> None:
        self.items, self.names, self.out = items, names, out
        self.given: dict[str, str] = dict(given or {})  # --meta
        self.roots: list[Path] | None = None  # the run's folders, for XInclude
        self.formats, self.epub = formats, epub
        self.params = {k: v for k, v in params.items() if k in _DOC_PARAMS}
        self.registers = {id(r) for r in registers}
        self.register_doc = register_doc
        self.validator, self.strict = validator, strict
        self._nodes: dict[str, Any] | None = None

    # Saxon is started lazily, in the process that uses it: a GraalVM
    # native image started before a fork hangs the forked workers when its
    # garbage collector runs.  xslt.compile_xslt caches per process.
    @property
    def meta(self) -> Any:
        return xslt.compile_xslt(html_site.stylesheet("meta"))

    @property
    def nodes(self) -> dict[str, Any]:
        if self._nodes is None:
            self._nodes = {"register": xslt.node(self.register_doc) if self.register_doc is not None else None}
        return self._nodes

    def _load(self, item: Any) -> tuple[xmlio.ParsedDoc | None, list[Problem]]:
        """The document to build (parsed and validated here) and the
        problems found; None when it must not be built."""
        if isinstance(item, xmlio.ParsedDoc):
            return item, []  # a register: parsed and validated before the workers
        try:
            doc = xmlio.load(item.path, item.display, self.roots)
        except xmlio.XMLError as exc:  # changed since the first look
            return None, [exc.problem]
        except OSError as exc:
            return None, [_problem(item.display, f"cannot read: {exc.strerror or exc}")]
        problems = self.validator.check(doc) if self.validator is not None else []
        if any(p.fails(self.strict) for p in problems):
            return None, problems
        return _in_tei_namespace(doc), problems

    def __call__(self, i: int) -> tuple[list[Path], list[Problem], str | None]:
        """Build document i: (written paths, problems, meta XML or None when
        nothing was built).  Each format succeeds or fails on its own."""
        doc, problems = self._load(self.items[i])
        if doc is None:
            return [], problems, None
        name = self.names[i]
        register = id(doc) in self.registers
        langs, lang_problems = langtags.language_map(doc)
        params = {**self.params, langtags.PARAM: langtags.as_param(langs)}
        try:
            source = xslt.node(doc)
        except TeikitError as exc:
            return [], [*problems, _failure(doc, "", exc)], None
        if not register and ("html" in self.formats or "epub" in self.formats):
            problems += lang_problems
        written: list[Path] = []
        text = None
        for fmt in (f for f in FORMATS.values() if f.name in self.formats):
            if register and not fmt.registers:
                continue  # a register is register.html and the EPUBs' back matter
            try:
                outputs, warnings = self._one(fmt, doc, source, name, params)
                for target, data in outputs:
                    if data is not None:
                        xmlio.write_atomic(target, data)
                    written.append(target)
                problems += warnings
                text = outputs[0][1] if fmt.packaging == TEXT else text
            except TeikitError as exc:
                problems.append(_failure(doc, fmt.name, exc))
            except OSError as exc:
                problems.append(_problem(doc, f"cannot write {fmt.name} {exc.filename}: {exc.strerror or exc}"))
        meta = None
        if not register and written:
            try:
                meta = xslt.transform(self.meta, source, {**params, "page-name": name}, nodes=self.nodes)
            except TeikitError as exc:
                problems.append(_failure(doc, "", exc))
        if isinstance(text, str):  # the plain text, when it was written
            problems += coverage.check(doc, text)
        return written, problems, meta

    def _one(
        self, fmt: Format, doc: xmlio.ParsedDoc, source: Any, name: str, params: dict[str, str]
    ) -> tuple[list[tuple[Path, str | bytes | None]], list[Problem]]:
        """The files of one format, (target, data to write) with the main file
        first, and warnings.  An EPUB is written by its builder (its warnings:
        metadata fallbacks); a long HTML document comes in parts, with the
        local images its graphics name."""
        target = fmt.target(self.out, name)
        if fmt.packaging == EPUB:
            given = dict(self.given)
            if "identifier" in given and len(self.names) - len(self.registers) > 1:
                given["identifier"] += f"#{name}"  # each document its own identifier; the edition has the value
            assert self.epub is not None  # made whenever epub is asked for
            return [(target, None)], self.epub.document(doc, target, register=self.register_doc, given=given)
        executable = xslt.compile_xslt(fmt.stylesheet_path)
        if fmt.name == "html":
            # a long document's further parts come as extra pages (NAME-part2.html, ...),
            # and the local images its graphics name are copied beside it
            page, parts = html_site.transform_pages(
                executable, source, {**params, "page-name": name}, self.nodes, f"{name}-part"
            )
            outputs: list[tuple[Path, str | bytes | None]] = [(target, page)]
            outputs += [(target.with_name(part), text) for part, text in parts.items()]
            files, missing = html_site.images(doc)
            outputs += [(target.parent / url, path.read_bytes()) for path, url in files]
            return outputs, list(missing)
        data = xslt.transform(executable, source, params, nodes=self.nodes)
        return [(target, data.rstrip("\n") + "\n" if fmt.packaging == TEXT else data)], []


def _failure(doc: xmlio.ParsedDoc, fmt: str, exc: TeikitError) -> Problem:
    problem = getattr(exc, "problem", None)
    if isinstance(problem, Problem):
        return problem
    return _problem(doc, f"cannot build {fmt or 'the document'}: {exc}" if fmt else f"cannot build: {exc}")


def _validated(
    docs: list[xmlio.ParsedDoc],
    validator: Validator | None,
    strict: bool,
    jobs: int,
    report: Report,
    result: BuildResult,
) -> list[xmlio.ParsedDoc]:
    """The documents that pass validation (all of them without a validator).

    With several jobs the checks run in forked workers that start Saxon
    themselves (see :class:`_Job`)."""
    if validator is None:
        return docs
    checked = corpus.run_jobs(lambda i: validator.check(docs[i]), list(range(len(docs))), jobs, "validate")
    ok: list[xmlio.ParsedDoc] = []
    for doc, problems in zip(docs, checked, strict=True):
        report.add(problems)
        if any(p.fails(strict) for p in problems):
            result.failed.append(doc.display)
        else:
            ok.append(doc)
    return ok


def _first_look(files: list[Path], roots: list[Path], jobs: int, result: BuildResult) -> list[_Source]:
    """The files that can be read and parsed, each looked at once (in ``jobs`` workers)."""
    sources: list[_Source] = []
    look = functools.partial(_look, roots=roots)
    for source in corpus.run_jobs(look, files, jobs, "read", cost=corpus.file_size):
        result.report.files.append(source.display)
        if source.problem is not None:
            result.report.add([source.problem])
            result.failed.append(source.display)
        else:
            sources.append(source)
    return sources


def _edition_epub(
    epub: EpubBuilder,
    items: list[Any],
    roots: list[Path],
    register_doc: xmlio.ParsedDoc | None,
    given: dict[str, str],
    result: BuildResult,
) -> None:
    """edition.epub, holding every text: the documents are parsed again, together."""
    target = result.out / "epub" / "edition.epub"
    try:
        docs = [
            d if isinstance(d, xmlio.ParsedDoc) else _in_tei_namespace(xmlio.load(d.path, d.display, roots))
            for d in items
        ]
        epub.edition(docs, target, register=register_doc, given=given)
        result.written.append(target)
    except (TeikitError, xmlio.XMLError, OSError) as exc:
        problem = getattr(exc, "problem", None)
        result.report.add(
            [problem if isinstance(problem, Problem) else _problem("edition.epub", f"cannot build: {exc}")]
        )
        result.failed.append("edition.epub")


def build(
    paths: Iterable[str | os.PathLike[str]],
    *,
    out: Path,
    formats: tuple[str, ...],
    params: dict[str, str],
    validator: Validator | None = None,
    strict: bool = False,
    jobs: int = 1,
    meta: dict[str, str] | None = None,
    globs: tuple[str, ...] | None = None,
) -> BuildResult:
    """Build the requested formats for every TEI file under ``paths``.
    ``meta`` (``--meta``) gives EPUB metadata the headers lack or override."""
    out = Path(out)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"unknown format {', '.join(bad) or '(none)'}; choose from {formats_list()}")
    params = check_params(dict(params))
    given = epub_meta.check_given(meta or {})
    if "epub" in formats:
        source_date_epoch()  # a malformed value is a usage error, before any work
    found = corpus.find(paths, globs or corpus.DOCUMENT_GLOBS)
    files, roots = found.files, found.roots
    made = manifest.prepare(out, formats)
    report = Report(strict=strict, skipped=found.skipped)
    result = BuildResult(report, out=out)
    if validator is not None:
        validator.roots = roots
        validator.prepare(files, saxon=jobs == 1)
    sources = _first_look(files, roots, jobs, result)

    # registers: files whose body holds only lists, or with a listPerson that another file points to
    referenced = frozenset().union(*(s.refs for s in sources))
    is_register = [s.register or (s.lists_persons and s.path.name in referenced) for s in sources]
    registers = [xmlio.load(s.path, s.display, roots) for s, r in zip(sources, is_register, strict=True) if r]
    registers = [_in_tei_namespace(d) for d in _validated(registers, validator, strict, jobs, report, result)]
    texts: list[Any] = [s for s, r in zip(sources, is_register, strict=True) if not r]
    result.documents = len(files)
    register_doc = html_site.merge_registers(registers)
    # the EPUB has its own note style (pop-up footnotes): the HTML/text note style is not for it
    epub = _epub_builder({k: v for k, v in params.items() if k != "notes"}) if "epub" in formats else None

    everything = texts + registers
    names = _names(everything, registers)
    job = _Job(everything, names, out, formats, params, registers, register_doc, epub, validator, strict, given)
    job.roots = roots
    metas: list[str | None] = []
    done: dict[str, set[str]] = {}
    for i, (written, problems, meta_xml) in enumerate(
        corpus.run_jobs(
            job, list(range(len(everything))), jobs, "build", cost=lambda i: corpus.file_size(everything[i].path)
        )
    ):
        result.written.extend(written)
        report.add(problems)
        if any(p.fails(strict) for p in problems):
            result.failed.append(everything[i].display)
        metas.append(meta_xml)
        done[names[i]] = {t.parent.name for t in written}  # the formats written for this document
    register_node = job.nodes["register"]  # after the workers: Saxon may start here

    built = [(d, n, m) for d, n, m in zip(everything, names, metas, strict=True) if m]
    in_html = [b for b in built if "html" in done[b[1]]]
    if "html" in formats and in_html:
        result.written.extend(
            html_site.write_site(
                out / "html", in_html, register_doc, register_node, params, done, report, result.failed
            )
        )
    in_epub = [b[0] for b in built if "epub" in done[b[1]]]
    if epub is not None and len(in_epub) > 1:
        _edition_epub(epub, in_epub, roots, register_doc, given, result)
    manifest.write(out, result.written, made)
    return result
