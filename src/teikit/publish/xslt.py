"""The publishing side's name for :mod:`teikit.saxon`, which owns the
process's one Saxon processor, its safety settings and the compiled
stylesheets.  Kept so that the format modules read ``xslt.transform(...)``."""

from __future__ import annotations

from ..saxon import TransformError, node, processor, transform
from ..saxon import compile_file as compile_xslt

__all__ = ["TransformError", "compile_xslt", "node", "processor", "transform"]
