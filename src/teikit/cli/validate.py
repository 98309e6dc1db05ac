"""``teikit validate``."""

from __future__ import annotations

from pathlib import Path

import click

from .. import report as reports
from ..problems import Report
from ._app import cli, resolve_jobs, write_or_print
from ._options import FILE, FOLDER, SchemaChoice, format_option, glob_option, huge_option, jobs_option, schema_options


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@schema_options
@click.option("--no-schematron", is_flag=True, help="Skip Schematron (RelaxNG and references only).")
@click.option("--no-references", is_flag=True, help="Skip the pointer (reference integrity) checks.")
@click.option(
    "--no-id-check",
    is_flag=True,
    help="No ID/IDREF/IDREFS checks of RelaxNG DTD compatibility (duplicate IDs, dangling IDREFs), as jing -i.",
)
@format_option(reports.VALIDATE_FORMATS, "Report format (svrl: the Schematron report of one file).")
@click.option(
    "--svrl-dir",
    type=FOLDER,
    metavar="DIR",
    help="Also write each file's Schematron SVRL report below DIR (its path, extension .svrl.xml).",
)
@click.option(
    "--lang",
    metavar="TAG",
    default="en",
    show_default=True,
    help="Schematron: of an assertion given in several languages, run this one.",
)
@click.option(
    "--output",
    type=FILE,
    metavar="FILE",
    help="Write the report to FILE (atomically) instead of stdout.",
)
@glob_option
@jobs_option
@click.option("--quiet", "-q", is_flag=True, help="No summary line.")
@click.option(
    "--shard",
    metavar="K/N",
    help="Check only shard K of N: the files whose path (relative to the folder searched) hashes to K. "
    "N runs cover every file once; `teikit report merge` joins their JSON reports.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run the per-file work on a Dask cluster: a scheduler's address (tcp://HOST:8786), or 'local' for a "
    "local cluster of --jobs workers. Needs the dask extra.",
)
@huge_option
def validate(
    paths: tuple[Path, ...],
    choice: SchemaChoice,
    globs: tuple[str, ...],
    no_schematron: bool,
    no_references: bool,
    no_id_check: bool,
    fmt: str,
    svrl_dir: Path | None,
    lang: str,
    output: Path | None,
    jobs: int,
    quiet: bool,
    shard: str | None,
    scheduler: str | None,
) -> int:
    """Validate TEI files against RelaxNG, Schematron and pointer checks.

    PATHS are files or folders (searched for TEI in *.xml and *.tei); default: tei/.

    \b
    Example:
        teikit validate tei/
        teikit validate --schema ../shared/schema/tei_all.rng --jobs 2 corpus/
        teikit validate --format github tei/    # annotations in GitHub Actions
        teikit validate --shard 1/4 --format json --output shard-1.json corpus/
    """
    import teikit
    from teikit import corpus

    part = corpus.Shard.parse(shard) if shard is not None else None
    stream = fmt == "text" and output is None
    validator = teikit.Validator(
        references=not no_references,
        run_schematron=not no_schematron,
        ids=not no_id_check,
        lang=lang,
        svrl_dir=svrl_dir,
        keep_svrl=fmt == "svrl",
        **choice.validator(),
    )
    found = corpus.find(paths or ["tei"], globs or corpus.DOCUMENT_GLOBS).select(part)
    rep = Report(strict=choice.strict, skipped=list(found.skipped), shard=found.shard)
    for display, problems in teikit.iter_results(
        found, jobs=resolve_jobs(jobs), validator=validator, scheduler=scheduler
    ):
        rep.files.append(display)
        rep.add(problems)
        if stream:
            for p in problems:
                click.echo(str(p))
    if not quiet:
        for note in rep.skipped:
            click.echo(str(note), err=True)
    if not stream:
        rep.svrl = validator.svrl
        write_or_print(reports.render(rep, fmt), output)
    if not quiet:
        click.echo(reports.summary(rep), err=not stream)
    return 0 if rep.ok else 1
