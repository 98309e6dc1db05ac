"""``teikit odd``: the ODD commands."""

from __future__ import annotations

from pathlib import Path

import click

from ._app import cli, write_or_print
from ._options import FILE


@cli.group()
def odd() -> None:
    """Compile TEI customisations (ODD) natively: RelaxNG with Schematron, or standalone Schematron."""


@odd.command("compile")
@click.argument("spec", type=FILE)
@click.option("-o", "--output", type=FILE, help="Write here (default: stdout).")
@click.option(
    "--to",
    "target",
    type=click.Choice(["rng", "sch"]),
    default="rng",
    show_default=True,
    help="rng: RelaxNG (XML syntax) with the Schematron embedded; sch: the constraints as ISO Schematron.",
)
@click.option(
    "--source",
    type=FILE,
    help="The TEI source (p5subset.xml); default: the one bundled with teikit.",
)
def odd_compile(spec: Path, output: Path | None, target: str, source: Path | None) -> int:
    """Compile SPEC.odd as the TEI Stylesheets' odd2odd and odd2relax do."""
    from ..odd import compile_odd

    if not spec.is_file():
        from ..problems import UsageError

        raise UsageError(f"{spec}: no such file")
    compiled = compile_odd(spec, source)
    data = compiled.rng_bytes() if target == "rng" else compiled.sch_bytes()
    write_or_print(data.decode("utf-8").rstrip("\n"), output)
    return 0
