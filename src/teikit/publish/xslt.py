"""Running XSLT 3.0 with saxonche: one processor per process, compiled once.

* :func:`processor` gives the process's single ``PySaxonProcessor``.
* :func:`compile_xslt` compiles a stylesheet once per run (cached by
  path); compile before :func:`teikit.corpus.run_jobs` forks workers so
  they inherit the compiled executables.
* :func:`transform` runs an executable on a parsed document and returns
  the serialised result as a string.

Saxon never parses a user file by itself (its parser resolves external
entities): documents reach it only as text from
:func:`teikit.xmlio.to_saxon_text`.  Extra documents a stylesheet needs
(an edition's register, say) are parsed safely in Python and passed in
as node parameters (``nodes=``), never fetched with ``doc()``.
Stylesheets are teikit's own (or user-named) trusted files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .. import xmlio
from ..problems import TeikitError

_PROC = None
_PROC_PID = None
_CACHE: dict[str, object] = {}
_PARSER_FEATURES = {
    "http://xml.org/sax/features/external-general-entities": "false",
    "http://xml.org/sax/features/external-parameter-entities": "false",
    "http://apache.org/xml/features/nonvalidating/load-external-dtd": "false",
}


class TransformError(TeikitError):
    """A stylesheet failed to compile or to run; the message says why."""


def processor():
    """The process's single Saxon processor (created on first use)."""
    global _PROC, _PROC_PID
    if _PROC is None:
        from saxonche import PySaxonProcessor

        _PROC = PySaxonProcessor(license=False)
        # Stylesheets and Schematron rules may call doc() or unparsed-text():
        # never over the network, and never through a DTD or external entity.
        _PROC.set_configuration_property("http://saxon.sf.net/feature/allowedProtocols", "file")
        for feature, value in _PARSER_FEATURES.items():
            _PROC.set_configuration_property(f"http://saxon.sf.net/feature/parserFeature?uri={feature}", value)
        _PROC_PID = os.getpid()
    return _PROC


def _message(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or exc.__class__.__name__


def compile_xslt(path: Path | str):
    """Compile a stylesheet once per run; later calls return the same executable."""
    path = Path(path).resolve()
    key = str(path)
    if key not in _CACHE:
        from saxonche import PySaxonApiError

        if not path.is_file():
            raise TransformError(f"stylesheet {path} is missing")
        compiler = processor().new_xslt30_processor()
        try:
            executable = compiler.compile_stylesheet(stylesheet_file=key)
        except PySaxonApiError as exc:
            raise TransformError(f"{path.name}: stylesheet does not compile: {_message(exc)}") from None
        if executable is None:
            raise TransformError(f"{path.name}: stylesheet does not compile")
        _CACHE[key] = executable
    return _CACHE[key]


def node(doc) -> object:
    """A Saxon node for a :class:`~teikit.xmlio.ParsedDoc` (or lxml tree/element)."""
    from saxonche import PySaxonApiError

    try:
        return processor().parse_xml(xml_text=xmlio.to_saxon_text(doc))
    except PySaxonApiError as exc:
        raise TransformError(_message(exc)) from None


def transform(
    executable, doc, params: Mapping[str, str] | None = None, *, nodes: Mapping[str, object] | None = None
) -> str:
    """Transform ``doc`` (a ParsedDoc, lxml tree/element, or a Saxon node).

    ``params`` are string parameters; ``nodes`` are node parameters (a
    ParsedDoc / lxml tree, or an already built Saxon node), e.g.
    ``{"register": register_doc}``.  Returns the serialised result.
    """
    from saxonche import PySaxonApiError

    proc = processor()
    try:
        source = doc if _is_saxon(doc) else node(doc)
        executable.clear_parameters()
        for name, value in (params or {}).items():
            executable.set_parameter(name, proc.make_string_value(str(value)))
        for name, value in (nodes or {}).items():
            if value is not None:
                executable.set_parameter(name, value if _is_saxon(value) else node(value))
        executable.set_global_context_item(xdm_item=source)
        result = executable.transform_to_string(xdm_node=source)
    except PySaxonApiError as exc:
        raise TransformError(_message(exc)) from None
    if result is None:
        raise TransformError("the transform produced no output")
    return result


def _is_saxon(value) -> bool:
    return type(value).__module__.startswith("saxonche") or type(value).__name__.startswith("PyXdm")
