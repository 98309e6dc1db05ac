"""``teikit build``."""

from __future__ import annotations

from pathlib import Path

import click

from ..publish import formats
from ..publish.formats import FORMATS
from ._app import cli, resolve_jobs
from ._options import SchemaChoice, glob_option, huge_option, jobs_option, out_option, parse_params, schema_options
from ._report import print_report as _print_report


def _formats(value: str) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(x.strip() for x in value.split(",") if x.strip()))
    bad = [x for x in items if x not in FORMATS]
    if bad or not items:
        raise click.BadParameter(
            f"unknown format {', '.join(bad) or '(none)'}; choose from {formats.names()}", param_hint="--to"
        )
    return items


@cli.command(epilog=formats.help_text())
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--to",
    "to",
    default=",".join(FORMATS),
    show_default=True,
    metavar="FORMATS",
    help=f"Comma-separated output formats: {formats.names()}.",
)
@out_option(Path("out"), f"Output folder ({', '.join(f'out/{name}/' for name in FORMATS)}).")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Stylesheet parameter, e.g. choice=sic, wrap=80, notes=footnotes (see README).",
)
@click.option(
    "--meta",
    "meta",
    multiple=True,
    metavar="NAME=VALUE",
    help="EPUB metadata over the header's: identifier=URI, date=YYYY-MM-DD, language=TAG, title=TEXT (see README).",
)
@click.option("--no-validate", is_flag=True, help="Build even documents that are invalid.")
@click.option(
    "--report-unrendered",
    is_flag=True,
    help="List the elements, with counts and words, that no template of their own renders.",
)
@schema_options
@glob_option
@jobs_option
@huge_option
def build(
    paths: tuple[Path, ...],
    to: str,
    out: Path,
    params: tuple[str, ...],
    meta: tuple[str, ...],
    no_validate: bool,
    report_unrendered: bool,
    choice: SchemaChoice,
    globs: tuple[str, ...],
    jobs: int,
) -> int:
    """Build HTML, plain text and EPUB 3 from TEI files.

    PATHS are files or folders (searched for TEI in *.xml and *.tei); default: tei/.
    Invalid documents are reported and not built, unless --no-validate.

    \b
    Example:
        teikit build
        teikit build --to html --param choice=sic --out site/ letters/
    """
    import teikit

    result = teikit.build(
        paths or ["tei"],
        out=out,
        formats=_formats(to),
        params=parse_params(params),
        validate=not no_validate,
        strict=choice.strict,
        jobs=resolve_jobs(jobs),
        meta=parse_params(meta, "--meta"),
        globs=globs,
        **choice.validator(),
    )
    _print_report(result.report)
    click.echo(result.summary(), err=True)
    if report_unrendered:
        from ..publish.unrendered import report as unrendered

        found = unrendered(paths or ["tei"], parse_params(params))
        for item in found:
            click.echo(str(item))
        names = len({u.name for u in found})
        click.echo(
            f"unrendered: {names} element name{'s' if names != 1 else ''} fell to the generic template", err=True
        )
    return 0 if result.ok else 1
