"""The process's one Saxon (saxonche) processor, configured safely.

Every XSLT run in teikit goes through this module: the output formats
(:mod:`teikit.publish`) and Schematron (compiled to XSLT 3.0 by
:mod:`teikit.validation.schematron`).

* :func:`processor` makes the single ``PySaxonProcessor`` of the process
  on first use; :func:`started` says whether it exists.  Saxon is a
  GraalVM native image whose forked copies hang when its garbage
  collector runs, so :func:`teikit.corpus.run_jobs` forks only while
  :func:`started` is false, and each worker then starts its own
  processor and compiles what it needs once.
* :func:`compile_file` and :func:`compile_text` compile a stylesheet once
  per process (cached by path, or by text and folder).
* :func:`node` turns a parsed document into a Saxon node and
  :func:`transform` runs an executable on one, returning the result.

Safety.  Saxon never parses a user file itself (its parser would resolve
external entities): documents reach it only as text from
:func:`teikit.xmlio.to_saxon_text`, and extra documents a stylesheet
needs (an edition's register) are passed as node parameters.  Should a
stylesheet or a Schematron rule call ``doc()`` or ``unparsed-text()``
anyway, Saxon may read only ``file:`` URIs (never the network) and its
parser neither loads a DTD nor expands an external entity.  Saxon's own
error listing, which it writes to the process's stderr, is captured and
dropped: every error reaches the caller as a :class:`TransformError`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from . import saxon_confine, xmlio
from .problems import TeikitError

_PROC: Any = None
_CACHE: dict[str, Any] = {}
_CONFINED: set[int] = set()  # ids of the executables that read the run's files list
_RUN_FILES = ""

_FEATURE = "http://saxon.sf.net/feature/"
_PARSER_FEATURES = {
    "http://xml.org/sax/features/external-general-entities": "false",
    "http://xml.org/sax/features/external-parameter-entities": "false",
    "http://apache.org/xml/features/nonvalidating/load-external-dtd": "false",
}
# The JDK parser inside Saxon stops at depth 100, 200 attributes on an
# element and names of 1,000 characters.  Saxon only ever parses text that
# lxml has already parsed within libxml2's limits (depth 256, names of
# 50,000 characters, no attribute limit), so its own limits are lifted
# ("0" is none) rather than made a second, narrower gate.
_PARSER_LIMITS = ("maxElementDepth", "elementAttributeLimit", "maxXMLNameLimit")


class TransformError(TeikitError):
    """A stylesheet failed to compile or to run; the message says why."""


def started() -> bool:
    """Whether this process may have started Saxon (forking is then unsafe).

    saxonche is imported only when the processor is made, here; a caller
    that made a processor of its own has imported it as well."""
    return _PROC is not None or "saxonche" in sys.modules


def processor() -> Any:
    """The process's single Saxon processor (created on first use)."""
    global _PROC
    if _PROC is None:
        from saxonche import PySaxonProcessor

        proc = PySaxonProcessor(license=False)
        # doc() and unparsed-text() never reach the network, and never
        # read a file through a DTD or an external entity.
        proc.set_configuration_property(_FEATURE + "allowedProtocols", "file")
        for feature, value in _PARSER_FEATURES.items():
            proc.set_configuration_property(f"{_FEATURE}parserFeature?uri={feature}", value)
        for limit in _PARSER_LIMITS:
            uri = f"http://www.oracle.com/xml/jaxp/properties/{limit}"
            proc.set_configuration_property(f"{_FEATURE}parserProperty?uri={uri}", "0")
        _PROC = proc
    return _PROC


def allow_files(paths: Iterable[Path | str]) -> None:
    """Name the files of this run: the only ones a Schematron's ``doc()``
    or ``unparsed-text()`` may read (see :mod:`teikit.saxon_confine`)."""
    global _RUN_FILES
    _RUN_FILES = saxon_confine.allowed(paths)


def message(exc: BaseException) -> str:
    """Saxon's message on one line."""
    text = " ".join(str(exc).split())
    return text or exc.__class__.__name__


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Saxon prints its error listing on file descriptor 2 as well as
    raising it: that copy goes to a scratch file, never to the terminal."""
    with tempfile.TemporaryFile() as scratch:
        saved = os.dup(2)
        try:
            os.dup2(scratch.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def compile_file(path: Path | str) -> Any:
    """Compile a stylesheet file once per process; later calls return the same executable."""
    path = Path(path).resolve()
    key = str(path)
    if key not in _CACHE:
        from saxonche import PySaxonApiError

        if not path.is_file():
            raise TransformError(f"stylesheet {path} is missing")
        compiler = processor().new_xslt30_processor()
        try:
            with _quiet():
                executable = compiler.compile_stylesheet(stylesheet_file=key)
        except PySaxonApiError as exc:
            raise TransformError(f"{path.name}: stylesheet does not compile: {message(exc)}") from None
        if executable is None:
            raise TransformError(f"{path.name}: stylesheet does not compile")
        _CACHE[key] = executable
    return _CACHE[key]


def confined_text(text: str) -> str:
    """``text`` with its resource-reading calls confined (see :mod:`teikit.saxon_confine`),
    as :func:`compile_text` compiles it; a :class:`TransformError` if it cannot be."""
    try:
        return saxon_confine.confine(text)
    except saxon_confine.Unconfinable as exc:
        raise TransformError(f"stylesheet refused: {exc}") from None


def compile_text(text: str, folder: Path, confined: str | None = None) -> Any:
    """Compile stylesheet text (relative URIs resolve against ``folder``)
    once per process and content.  A static error is a :class:`TransformError`
    carrying Saxon's full message (with its line numbers) for the caller to map.

    The text is not teikit's own (a Schematron is as untrusted as the
    document naming it): its calls of ``doc()``, ``unparsed-text()`` and
    their kin are confined to the run's files first, line for line
    (``confined``: what :func:`confined_text` gave for it earlier)."""
    folder = Path(folder).resolve()
    key = "text:" + hashlib.sha256(f"{folder}\0{text}".encode()).hexdigest()
    if key not in _CACHE:
        from saxonche import PySaxonApiError

        if confined is None:
            confined = confined_text(text)
        compiler = processor().new_xslt30_processor()
        compiler.set_cwd(str(folder))
        try:
            with _quiet():
                executable = compiler.compile_stylesheet(stylesheet_text=confined, encoding="UTF-8")
        except PySaxonApiError as exc:
            raise TransformError(str(exc)) from None
        if confined != text:
            _CONFINED.add(id(executable))
        _CACHE[key] = executable
    return _CACHE[key]


def node(doc: Any) -> Any:
    """A Saxon node for a :class:`~teikit.xmlio.ParsedDoc` (or lxml tree/element)."""
    return parse_text(xmlio.to_saxon_text(doc))


def parse_text(text: str, base_uri: str | None = None) -> Any:
    """A Saxon node for XML text that lxml has already parsed and
    serialised (never a user's file as it is: it may name a DTD).
    ``base_uri`` is the file's URI, so that ``base-uri(/)`` and a
    relative ``doc()`` in a rule resolve against the document's folder."""
    from saxonche import PySaxonApiError

    proc = processor()
    try:
        with _quiet():
            if base_uri is None:
                return proc.parse_xml(xml_text=text)
            builder = proc.new_document_builder()
            builder.set_base_uri(base_uri)
            return builder.parse_xml(xml_text=text)
    except PySaxonApiError as exc:
        raise TransformError(message(exc)) from None


def transform(
    executable: Any,
    doc: Any,
    params: Mapping[str, str] | None = None,
    *,
    nodes: Mapping[str, Any] | None = None,
    empty_ok: bool = False,
    readable: str = "",
) -> str:
    """Transform ``doc`` (a ParsedDoc, lxml tree/element, or a Saxon node).

    ``params`` are string parameters; ``nodes`` are node parameters (a
    ParsedDoc / lxml tree, or an already built Saxon node), e.g.
    ``{"register": register_doc}``.  Returns the serialised result; no
    result at all is an error unless ``empty_ok``, when it is ``""``.
    ``readable`` names more files (as :func:`saxon_confine.allowed` spells
    them) that a confined stylesheet may read in this transform only.
    """
    from saxonche import PySaxonApiError

    proc = processor()
    source = doc if _is_saxon(doc) else node(doc)
    try:
        executable.clear_parameters()
        for name, value in (params or {}).items():
            executable.set_parameter(name, proc.make_string_value(str(value)))
        for name, value in (nodes or {}).items():
            if value is not None:
                executable.set_parameter(name, value if _is_saxon(value) else node(value))
        if id(executable) in _CONFINED:
            allowed = f"{_RUN_FILES}\n{readable}" if readable else _RUN_FILES
            executable.set_parameter(saxon_confine.ALLOWED, proc.make_string_value(allowed))
        executable.set_global_context_item(xdm_item=source)
        with _quiet():
            result = executable.transform_to_string(xdm_node=source)
    except PySaxonApiError as exc:
        raise TransformError(message(exc)) from None
    if result is None:
        if not empty_ok:
            raise TransformError("the transform produced no output")
        return ""
    return str(result)


def _is_saxon(value: object) -> bool:
    return type(value).__module__.startswith("saxonche") or type(value).__name__.startswith("PyXdm")
