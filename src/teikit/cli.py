"""The ``teikit`` command.  Thin: each command parses its options, calls
one library function and formats the result.  This is the only place
that maps errors to exit codes:

* 0 -- all valid / every output written;
* 1 -- something invalid, or a build or deposit failed;
* 2 -- usage or configuration error (unknown option, missing schema,
  unreadable file, unresolvable xml-model).

No Python traceback is shown unless ``--traceback`` is given.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from . import __version__
from . import report as reports
from .problems import OutputError, Report, TeikitError
from .publish import formats
from .publish.formats import FORMATS

_LOCATED = re.compile(r"^(Error:|\S+:\d+(:\d+)?:)")


def _err(message: str) -> None:
    message = " ".join(str(message).split("\n")[:1]) if "\n" in str(message) else str(message)
    click.echo(message if _LOCATED.match(message) else f"Error: {message}", err=True)


class TeikitGroup(click.Group):
    """Maps exceptions to one-line messages and documented exit codes."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        traceback = "--traceback" in argv
        try:
            rv = super().main(argv, prog_name or "teikit", complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            _err("aborted")
            sys.exit(1)
        except TeikitError as exc:
            if traceback:
                raise
            _err(str(exc))
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            _err("interrupted")
            sys.exit(1)
        except Exception as exc:
            if traceback:
                raise
            _err(f"internal error: {type(exc).__name__}: {exc} (run again with --traceback for details)")
            sys.exit(1)
        sys.exit(rv or 0)


@click.group(cls=TeikitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="teikit")
@click.option("--traceback", is_flag=True, help="Show a Python traceback on errors (for bug reports).")
def cli(traceback: bool) -> None:
    """teikit: validate, publish and deposit TEI P5 editions.

    Exit codes: 0 ok, 1 invalid or failed, 2 usage or configuration error.
    """


def _jobs(value: int) -> int:
    return os.cpu_count() or 1 if value == 0 else value


def _write_or_print(text: str, output: Path | None) -> None:
    if output is None:
        if text:
            click.echo(text)
        return
    from .xmlio import write_atomic

    try:
        write_atomic(output, text + "\n")
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None


_schema_options = [
    click.option(
        "--schema",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE.rng|FILE.rnc",
        help="RelaxNG schema (.rng, or .rnc compact syntax); Schematron embedded in it runs too. "
        "Replaces every RelaxNG xml-model.",
    ),
    click.option(
        "--schematron",
        "schematron",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
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
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="OASIS XML catalog for http(s) schema URIs (repeatable; default: $XML_CATALOG_FILES).",
    ),
    click.option("--phase", metavar="NAME", help="Schematron phase (default: the schema's defaultPhase, else #ALL)."),
    click.option("--strict", is_flag=True, help="Warnings (Schematron role=warning/info) also fail."),
]


def schema_options(f):
    for opt in reversed(_schema_options):
        f = opt(f)
    return f


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@schema_options
@click.option("--no-schematron", is_flag=True, help="Skip Schematron (RelaxNG and references only).")
@click.option("--no-references", is_flag=True, help="Skip the pointer (reference integrity) checks.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(reports.VALIDATE_FORMATS),
    default="text",
    show_default=True,
    help="Report format (svrl: the Schematron report of one file).",
)
@click.option(
    "--svrl-dir",
    type=click.Path(file_okay=False, path_type=Path),
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
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the report to FILE (atomically) instead of stdout.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, help="Worker processes (0: one per CPU)."
)
@click.option("--quiet", "-q", is_flag=True, help="No summary line.")
def validate(
    paths,
    schema,
    schematron,
    no_xml_model,
    catalog,
    phase,
    strict,
    no_schematron,
    no_references,
    fmt,
    svrl_dir,
    lang,
    output,
    jobs,
    quiet,
):
    """Validate TEI files against RelaxNG, Schematron and pointer checks.

    PATHS are files or folders (searched for *.xml); default: tei/.

    \b
    Example:
        teikit validate tei/
        teikit validate --schema ../shared/schema/tei_all.rng --jobs 2 corpus/
        teikit validate --format github tei/    # annotations in GitHub Actions
    """
    import teikit

    rep = Report(strict=strict)
    stream = fmt == "text" and output is None
    validator = teikit.Validator(
        schema=schema,
        schematron=schematron,
        catalog=catalog,
        phase=phase,
        references=not no_references,
        run_schematron=not no_schematron,
        xml_model=not no_xml_model,
        lang=lang,
        svrl_dir=svrl_dir,
        keep_svrl=fmt == "svrl",
    )
    results = teikit.iter_results(paths or ["tei"], jobs=_jobs(jobs), skipped=rep.skipped, validator=validator)
    for display, problems in results:
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
        _write_or_print(reports.render(rep, fmt), output)
    if not quiet:
        click.echo(reports.summary(rep), err=not stream)
    return 0 if rep.ok else 1


def _print_report(rep: Report, fmt: str = "text") -> None:
    if fmt == "text":
        for p in rep.problems:
            click.echo(str(p), err=True)
    else:
        click.echo(reports.render(rep, fmt))


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
        k, v = item.split("=", 1)
        out[k.strip()] = v
    return out


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
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help=f"Output folder ({', '.join(f'out/{name}/' for name in FORMATS)}).",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Stylesheet parameter, e.g. choice=sic, wrap=80, notes=footnotes (see README).",
)
@click.option("--no-validate", is_flag=True, help="Build even documents that are invalid.")
@schema_options
@click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, help="Worker processes (0: one per CPU)."
)
def build(paths, to, out, params, no_validate, schema, schematron, no_xml_model, catalog, phase, strict, jobs):
    """Build HTML, plain text and EPUB 3 from TEI files.

    PATHS are files or folders (searched for *.xml); default: tei/.
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
        params=_params(params),
        validate=not no_validate,
        schema=schema,
        schematron=schematron,
        catalog=catalog,
        phase=phase,
        xml_model=not no_xml_model,
        strict=strict,
        jobs=_jobs(jobs),
    )
    _print_report(result.report)
    click.echo(result.summary(), err=True)
    return 0 if result.ok else 1


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/deposit"),
    show_default=True,
    help="Folder in which the bag (and archive) is written.",
)
@click.option(
    "--profile",
    default="generic",
    show_default=True,
    metavar="NAME|FILE",
    help="Readiness and metadata profile: generic, tapas, clarin, zenodo, or a TOML file.",
)
@click.option("--archive", type=click.Choice(["zip", "tar"]), help="Also write a serialised bag.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(reports.FORMATS),
    default="text",
    show_default=True,
    help="Format of the readiness report.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, help="Worker processes (0: one per CPU)."
)
def deposit(paths, out, profile, archive, fmt, jobs):
    """Check readiness, build, and pack an archive-ready BagIt bag.

    Nothing is written unless every readiness check passes.

    \b
    Example:
        SOURCE_DATE_EPOCH=1700000000 teikit deposit --profile clarin --archive zip
    """
    import teikit

    result = teikit.deposit_bag(paths or ["tei"], out=out, profile=profile, archive=archive, jobs=_jobs(jobs))
    _print_report(result.report, fmt)
    click.echo(result.summary(), err=True)
    return 0 if result.ok else 1


@cli.command()
@click.argument("bag", type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(reports.FORMATS), default="text", show_default=True, help="Report format."
)
def verify(bag, fmt):
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


def main() -> None:
    cli()
