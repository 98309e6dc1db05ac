"""Options shared by several commands, each declared once."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import report as reports

F = TypeVar("F", bound=Callable[..., Any])


# The parameter types of options naming a file and a folder.
FILE = click.Path(dir_okay=False, path_type=Path)
FOLDER = click.Path(file_okay=False, path_type=Path)

_schema_options = [
    click.option(
        "--schema",
        type=FILE,
        metavar="SCHEMA",
        help="RelaxNG schema (.rng, or .rnc compact syntax), or an ODD compiled on the fly; Schematron embedded "
        "in it runs too. Replaces every RelaxNG xml-model.",
    ),
    click.option(
        "--schematron",
        "schematron",
        multiple=True,
        type=FILE,
        metavar="FILE.sch",
        help="A standalone ISO Schematron file (repeatable), added to the xml-model associations.",
    ),
    click.option(
        "--no-xml-model",
        "no_xml_model",
        is_flag=True,
        help="Ignore the documents' xml-model PIs: only --schema / --schematron (else the bundled tei_all).",
    ),
    click.option(
        "--catalog",
        multiple=True,
        type=FILE,
        metavar="FILE",
        help="OASIS XML catalog for http(s) schema URIs (repeatable; default: $XML_CATALOG_FILES).",
    ),
    click.option("--phase", metavar="NAME", help="Schematron phase (default: the schema's defaultPhase, else #ALL)."),
    click.option("--strict", is_flag=True, help="Warnings (Schematron role=warning/info) also fail."),
]


@dataclass(frozen=True)
class SchemaChoice:
    """The schema options, as one value: validate and build take them alike."""

    schema: Path | None
    schematron: tuple[Path, ...]
    xml_model: bool
    catalog: tuple[Path, ...]
    phase: str | None
    strict: bool

    def validator(self) -> dict[str, Any]:
        """The keyword arguments of :class:`teikit.Validator` they give."""
        return {
            "schema": self.schema,
            "schematron": self.schematron,
            "catalog": self.catalog,
            "phase": self.phase,
            "xml_model": self.xml_model,
        }


def _set_huge(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    from ..xmlio import allow_huge

    allow_huge(value)
    return value


huge_option = click.option(
    "--huge",
    is_flag=True,
    expose_value=False,
    callback=_set_huge,
    help="Lift the XML parser's size limits (nesting 256 -> 2,048 deep; text nodes, attribute values and "
    "names 10 MB -> 1 GB). Entity expansion stays bounded.",
)


def schema_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The schema options, handed to the command as ``choice`` (a :class:`SchemaChoice`)."""

    @functools.wraps(f)
    def command(
        *args: Any,
        schema: Path | None,
        schematron: tuple[Path, ...],
        no_xml_model: bool,
        catalog: tuple[Path, ...],
        phase: str | None,
        strict: bool,
        **kwargs: Any,
    ) -> Any:
        choice = SchemaChoice(schema, tuple(schematron), not no_xml_model, tuple(catalog), phase, strict)
        return f(*args, choice=choice, **kwargs)

    for opt in reversed(_schema_options):
        command = opt(command)
    return command


glob_option = click.option(
    "--glob",
    "globs",
    multiple=True,
    metavar="PATTERN",
    help="Which files to take below folders (repeatable; default: *.xml and *.tei).",
)
jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, help="Worker processes (0: one per CPU)."
)


def format_option(formats: Sequence[str] = reports.FORMATS, help: str = "Report format.") -> Callable[[F], F]:
    return click.option(
        "--format", "fmt", type=click.Choice(list(formats)), default="text", show_default=True, help=help
    )


def out_option(default: Path, help: str) -> Callable[[F], F]:
    return click.option("--out", "out", type=FOLDER, default=default, show_default=True, help=help)


def parse_params(values: tuple[str, ...], option: str = "--param") -> dict[str, str]:
    out = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint=option)
        k, v = item.split("=", 1)
        out[k.strip()] = v
    return out
