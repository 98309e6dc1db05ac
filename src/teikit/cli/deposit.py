"""``teikit deposit`` and ``teikit verify``."""

from __future__ import annotations

from pathlib import Path

import click

from ._app import cli, resolve_jobs
from ._options import format_option, huge_option, jobs_option, out_option
from ._report import print_report as _print_report


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@out_option(Path("out/deposit"), "Folder in which the bag (and archive) is written.")
@click.option(
    "--profile",
    default="generic",
    show_default=True,
    metavar="NAME|FILE",
    help="Readiness and metadata profile: generic, tapas, clarin, zenodo, or a TOML file.",
)
@click.option("--archive", type=click.Choice(["zip", "tar"]), help="Also write a serialised bag.")
@format_option(help="Format of the readiness report.")
@jobs_option
@huge_option
def deposit(paths: tuple[Path, ...], out: Path, profile: str, archive: str | None, fmt: str, jobs: int) -> int:
    """Check readiness, build, and pack an archive-ready BagIt bag.

    Nothing is written unless every readiness check passes.

    \b
    Example:
        SOURCE_DATE_EPOCH=1700000000 teikit deposit --profile clarin --archive zip
    """
    import teikit

    result = teikit.deposit_bag(paths or ["tei"], out=out, profile=profile, archive=archive, jobs=resolve_jobs(jobs))
    _print_report(result.report, fmt)
    click.echo(result.summary(), err=True)
    return 0 if result.ok else 1


@cli.command()
@click.argument("bag", type=click.Path(path_type=Path))
@format_option()
def verify(bag: Path, fmt: str) -> int:
    """Verify a bag or serialised bag (.zip, .tar): structure, Payload-Oxum,
    completeness and every checksum.  Lists every problem.

    \b
    Example:
        teikit verify out/deposit/teikit-edition
    """
    import teikit

    rep = teikit.verify(bag)
    _print_report(rep, fmt)
    click.echo(f"{bag}: " + ("valid bag" if rep.ok else f"{len(rep.problems)} problem(s)"), err=True)
    return 0 if rep.ok else 1
