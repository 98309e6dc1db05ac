"""``teikit report``: working with the reports of earlier runs."""

from __future__ import annotations

from pathlib import Path

import click

from .. import report as reports
from ._app import cli, write_or_print
from ._options import FILE, format_option


@cli.group()
def report() -> None:
    """Work with the reports of earlier runs (e.g. of the shards of a CI matrix)."""


@report.command("merge")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@format_option(reports.MERGE_FORMATS, "Format of the merged report.")
@click.option("--output", type=FILE, metavar="FILE", help="Write the merged report to FILE (atomically).")
@click.option("--strict", is_flag=True, help="Warnings also fail (a shard's report already says so itself).")
@click.option("--quiet", "-q", is_flag=True, help="No summary line.")
def merge(inputs: tuple[Path, ...], fmt: str, output: Path | None, strict: bool, quiet: bool) -> int:
    """Merge JSON reports of `teikit validate --format json` into one.

    The reports of `--shard 1/N` ... `--shard N/N` give the report of the
    whole run, files in its order; every shard must be there, once.
    Exit code 1 if the merged report has errors, as `validate` would.

    \b
    Example:
        teikit validate --shard 1/2 --format json --output shard-1.json corpus/
        teikit validate --shard 2/2 --format json --output shard-2.json corpus/
        teikit report merge shard-*.json --format junit --output teikit.xml
    """
    rep = reports.merge_files(inputs, strict=strict)
    stream = fmt == "text" and output is None
    write_or_print(reports.render(rep, fmt), output)
    if not quiet:
        for note in rep.skipped:
            click.echo(str(note), err=True)
        click.echo(reports.summary(rep), err=not stream)
    return 0 if rep.ok else 1
