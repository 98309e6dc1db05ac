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

import functools
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from . import __version__
from . import report as reports
from .problems import OutputError, Report, TeikitError
from .publish import formats
from .publish.formats import FORMATS

F = TypeVar("F", bound=Callable[..., Any])


def _tei_edition() -> str:
    from .odd.catalog import tei_edition

    return tei_edition()


_LOCATED = re.compile(r"^(Error:|\S+:\d+(:\d+)?:)")


def _err(message: str) -> None:
    message = " ".join(str(message).split("\n")[:1]) if "\n" in str(message) else str(message)
    click.echo(message if _LOCATED.match(message) else f"Error: {message}", err=True)


class Terminated(BaseException):
    """SIGTERM, raised so that every ``finally`` (staging folders, temporary files) runs, as for Ctrl-C."""


def _on_sigterm(signum: int, frame: object) -> None:
    if os.getpid() != _MAIN_PID[0]:  # a forked worker: die as before, the parent cleans up
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Terminated


_MAIN_PID = [0]


class TeikitGroup(click.Group):
    """Maps exceptions to one-line messages and documented exit codes."""

    def main(  # it never returns: it exits with the documented code
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        argv = list(sys.argv[1:] if args is None else args)
        traceback = "--traceback" in argv
        _MAIN_PID[0] = os.getpid()
        previous = None  # restored on the way out: a program calling the CLI in-process keeps its own
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
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
            except Terminated:
                _err("terminated")
                sys.exit(1)
            except KeyboardInterrupt:
                _err("interrupted")
                sys.exit(1)
            except Exception as exc:
                if traceback:
                    raise
                _err(f"internal error: {type(exc).__name__}: {exc} (run again with --traceback for details)")
                sys.exit(1)
            sys.exit(rv or 0)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


@click.group(cls=TeikitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="teikit", message="%(prog)s %(version)s (bundled TEI source: " + _tei_edition() + ")"
)
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
    from .xmlio import allow_huge

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
) -> int:
    """Validate TEI files against RelaxNG, Schematron and pointer checks.

    PATHS are files or folders (searched for TEI in *.xml and *.tei); default: tei/.

    \b
    Example:
        teikit validate tei/
        teikit validate --schema ../shared/schema/tei_all.rng --jobs 2 corpus/
        teikit validate --format github tei/    # annotations in GitHub Actions
    """
    import teikit

    rep = Report(strict=choice.strict)
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
    results = teikit.iter_results(
        paths or ["tei"], jobs=_jobs(jobs), validator=validator, skipped=rep.skipped, globs=globs
    )
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
        for p in [*rep.problems, *rep.skipped]:
            click.echo(str(p), err=True)
    else:
        click.echo(reports.render(rep, fmt))


def _params(values: tuple[str, ...], option: str = "--param") -> dict[str, str]:
    out = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint=option)
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
        params=_params(params),
        validate=not no_validate,
        strict=choice.strict,
        jobs=_jobs(jobs),
        meta=_params(meta, "--meta"),
        globs=globs,
        **choice.validator(),
    )
    _print_report(result.report)
    click.echo(result.summary(), err=True)
    if report_unrendered:
        from .publish.unrendered import report as unrendered

        found = unrendered(paths or ["tei"], _params(params))
        for item in found:
            click.echo(str(item))
        names = len({u.name for u in found})
        click.echo(
            f"unrendered: {names} element name{'s' if names != 1 else ''} fell to the generic template", err=True
        )
    return 0 if result.ok else 1


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

    result = teikit.deposit_bag(paths or ["tei"], out=out, profile=profile, archive=archive, jobs=_jobs(jobs))
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
    from .odd import compile_odd

    if not spec.is_file():
        from .problems import UsageError

        raise UsageError(f"{spec}: no such file")
    compiled = compile_odd(spec, source)
    data = compiled.rng_bytes() if target == "rng" else compiled.sch_bytes()
    _write_or_print(data.decode("utf-8").rstrip("\n"), output)
    return 0


def main() -> None:
    cli()
