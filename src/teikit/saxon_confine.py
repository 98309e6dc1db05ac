"""Confining ``doc()``, ``unparsed-text()`` and their kin to the run's files.

A Schematron is as untrusted as the document whose ``xml-model`` names
it, and its rules are XPath: ``unparsed-text('/home/me/.ssh/id_rsa')``
in an assert message would copy a private file into the report.
Saxon's ``allowedProtocols`` (see :mod:`teikit.saxon`) keeps the network
out but not the disk, and saxonche gives Python no URI resolver.  So
every call of a function that reads a resource is renamed, before
compiling, to a function of teikit's that resolves the URI the same way
and reads it only if it names one of the run's files (a stylesheet
parameter, set at each transform); otherwise ``doc()`` and
``unparsed-text()`` raise ``FODC0002``/``FOUT1170`` and the
``*-available()`` functions return false, as for a missing file.
``collection()``, ``uri-collection()``, ``transform()``,
``load-xquery-module()`` and ``function-lookup()`` are refused outright,
as are ``xsl:evaluate``, ``xsl:source-document``, ``xsl:merge-source``
and ``xsl:result-document``; ``environment-variable()`` finds nothing.

The rewrite works on the stylesheet's text, attribute by attribute, and
changes no line: compile errors still point at the lines the Schematron
compiler mapped.  XPath string literals, element text and comments are
left alone; a text value template (``expand-text``) that calls such a
function is refused, since teikit does not rewrite element text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from lxml import etree

NS = "urn:teikit:saxon"
#: the parameter holding the run's files, one URI a line
ALLOWED = f"{{{NS}}}allowed"

_FN = "http://www.w3.org/2005/xpath-functions"
_XS = "http://www.w3.org/2001/XMLSchema"
_XSL = "http://www.w3.org/1999/XSL/Transform"
_NAMES = (
    "available-environment-variables",
    "environment-variable",
    "function-lookup",
    "unparsed-text-available",
    "unparsed-text-lines",
    "unparsed-text",
    "uri-collection",
    "load-xquery-module",
    "doc-available",
    "collection",
    "transform",
    "document",
    "json-doc",
    "doc",
)
_CALL = re.compile(
    r"(?<![\w.\-:}$@])(?:fn:|Q\{" + re.escape(_FN) + r"\})?(" + "|".join(map(re.escape, _NAMES)) + r")(?=\s*[(#])"
)
_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"|&apos;.*?&apos;|&quot;.*?&quot;", re.S)
_TAG = re.compile(r"""<(?![!?/])[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")
_CLOSE = re.compile(r"</[^>]*>")
_VALUE = re.compile(r"""(=\s*)("[^"]*"|'[^']*')""")
_SKIP = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_EXPAND = re.compile(r"""expand-text\s*=\s*["']\s*(yes|true|1)\s*["']""")
_END = re.compile(r"</xsl:(stylesheet|transform)>\s*$")

# iri-to-uri() leaves these as they are; Python's quote() must too, so
# that the two spellings of a file's URI compare equal.
_SAFE = "!#$%&'()*+,-./:;=?@[]_~"

_CHECK = "Q{" + NS + "}uri($href, static-base-uri())"
_FUNCTIONS = f"""<xsl:param xmlns:xsl="http://www.w3.org/1999/XSL/Transform" name="Q{{{NS}}}allowed" select="''"/>\
<xsl:function xmlns:xsl="http://www.w3.org/1999/XSL/Transform" name="Q{{{NS}}}uri" as="xs:string?" \
xmlns:xs="http://www.w3.org/2001/XMLSchema"><xsl:param name="href" as="xs:string?"/>\
<xsl:param name="base" as="xs:string?"/>\
<xsl:variable name="u" select="if (exists($href)) then iri-to-uri(resolve-uri($href, $base)) else ()"/>\
<xsl:sequence select="for $v in replace($u, '^file://(localhost)?/', 'file:/') return \
if ($v = tokenize($Q{{{NS}}}allowed, '&#10;')) then $v else ()"/></xsl:function>"""


def _wrap(name: str, params: str, body: str, as_: str) -> str:
    decl = "".join(f'<xsl:param name="{p}"/>' for p in params.split())
    return (
        f'<xsl:function xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:xs="{_XS}" name="Q{{{NS}}}{name}"'
        f' as="{as_}">'
        f'{decl}<xsl:sequence select="{body}"/></xsl:function>'
    )


def _refuse(name: str, code: str) -> str:
    return (
        f"error(QName('http://www.w3.org/2005/xqt-errors', '{code}'), "
        f"'teikit lets stylesheets read only the files of the run, not ' || ($href, '')[1] || ' ({name})')"
    )


def _reader(name: str, params: str, as_: str, code: str) -> str:
    args = ", ".join("$" + p if p != "href" else "$u" for p in params.split())
    body = f"let $u := {_CHECK} return if (empty($href)) then () else if (exists($u)) then {name}({args}) else {_refuse(name, code)}"
    return _wrap(name, params, body, as_)


def _available(name: str, params: str) -> str:
    args = ", ".join("$" + p if p != "href" else "$u" for p in params.split())
    return _wrap(name, params, f"let $u := {_CHECK} return exists($u) and {name}({args})", "xs:boolean")


def _forbidden(name: str, params: str) -> str:
    msg = f"'teikit does not let stylesheets call {name}()'"
    body = f"error(QName('http://www.w3.org/2005/xqt-errors', 'FODC0002'), {msg})"
    return _wrap(name, params, body, "item()*")


_LIBRARY = "".join(
    [
        _FUNCTIONS,
        _reader("doc", "href", "document-node()?", "FODC0002"),
        _available("doc-available", "href"),
        _reader("unparsed-text", "href", "xs:string?", "FOUT1170"),
        _reader("unparsed-text", "href encoding", "xs:string?", "FOUT1170"),
        _reader("unparsed-text-lines", "href", "xs:string*", "FOUT1170"),
        _reader("unparsed-text-lines", "href encoding", "xs:string*", "FOUT1170"),
        _available("unparsed-text-available", "href"),
        _available("unparsed-text-available", "href encoding"),
        _reader("json-doc", "href", "item()?", "FODC0002"),
        _reader("json-doc", "href options", "item()?", "FODC0002"),
        _wrap("document", "uris", "for $href in $uris ! string(.) return Q{" + NS + "}doc($href)", "node()*"),
        _wrap("document", "uris base", "for $href in $uris ! string(.) return Q{" + NS + "}doc($href)", "node()*"),
        _forbidden("collection", ""),
        _forbidden("collection", "href"),
        _forbidden("uri-collection", ""),
        _forbidden("uri-collection", "href"),
        _forbidden("transform", "options"),
        _forbidden("load-xquery-module", "uri"),
        _forbidden("load-xquery-module", "uri options"),
        # a function found by name would bypass every wrapper above
        _forbidden("function-lookup", "name arity"),
        # the environment (tokens, paths) is no business of a schema's: as if empty
        _wrap("environment-variable", "name", "()", "xs:string?"),
        _wrap("available-environment-variables", "", "()", "xs:string*"),
    ]
)


class Unconfinable(ValueError):
    """The stylesheet reads resources in a way teikit cannot confine."""


def _rewrite_value(value: str) -> str:
    out, last = [], 0
    for m in _LITERAL.finditer(value):
        out.append(_CALL.sub(f"Q{{{NS}}}\\1", value[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_CALL.sub(f"Q{{{NS}}}\\1", value[last:]))
    return "".join(out)


def _rewrite_tag(tag: str) -> str:
    return _VALUE.sub(lambda m: m.group(1) + m.group(2)[0] + _rewrite_value(m.group(2)[1:-1]) + m.group(2)[-1], tag)


# XSLT instructions that read or write a resource, or compile XPath from
# a string at run time (which no rewrite can reach): refused outright.
_INSTRUCTIONS = ("evaluate", "source-document", "merge-source", "result-document")


def _instructions(text: str) -> None:
    try:
        root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return  # Saxon reports it when compiling
    for name in _INSTRUCTIONS:
        if root.find(f".//{{{_XSL}}}{name}") is not None or etree.QName(root).localname == name:
            raise Unconfinable(f"xsl:{name} is not allowed")


def confine(text: str) -> str:
    """The stylesheet ``text`` with every resource-reading call confined.

    Raises :class:`Unconfinable` for an instruction that reads or writes a
    resource and for a text value template that calls such a function."""
    _instructions(text)
    pieces, last = [], 0
    for m in _SKIP.finditer(text):
        pieces.append((text[last : m.start()], True))
        pieces.append((m.group(0), False))
        last = m.end()
    pieces.append((text[last:], True))
    expand = _EXPAND.search(text) is not None
    out = []
    for piece, markup in pieces:
        if not markup:
            out.append(piece)
            continue
        if expand:
            words = _CLOSE.sub(" ", _TAG.sub(" ", piece))
            if "{" in words and _CALL.search(words):
                raise Unconfinable("a text value template reads a resource (doc(), unparsed-text(), ...)")
        out.append(_TAG.sub(lambda t: _rewrite_tag(t.group(0)), piece))
    result = "".join(out)
    if result == text:
        return text  # nothing to confine: the stylesheet compiles as written
    end = _END.search(result)
    if end is None:
        raise Unconfinable("resource-reading calls outside an xsl:stylesheet")
    return result[: end.start()] + _LIBRARY + result[end.start() :]


def allowed(paths: Iterable[Path | str]) -> str:
    """The value of :data:`ALLOWED` for these files: each one's URI as
    ``iri-to-uri(resolve-uri(...))`` spells it, absolute and resolved."""
    uris: dict[str, None] = {}
    for p in paths:
        for form in (Path(p).absolute(), Path(p).resolve()):
            uris["file:" + quote(form.as_posix(), safe=_SAFE)] = None
    return "\n".join(uris)
