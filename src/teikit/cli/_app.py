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

import importlib
import os
import re
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from .. import __version__
from ..problems import OutputError, TeikitError


def _tei_edition() -> str:
    from ..odd.catalog import tei_edition

    return tei_edition()


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``; the TEI edition is read only then (it costs a read of the bundled p5subset's head)."""
    if value and not ctx.resilient_parsing:
        click.echo(f"teikit {__version__} (bundled TEI source: {_tei_edition()})")
        ctx.exit()


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
    """Maps exceptions to one-line messages and documented exit codes.

    A command's module is imported when the command is asked for (see
    :meth:`load_lazily`), so that ``teikit validate`` does not import what
    ``teikit build`` needs; ``teikit --help`` lists, and so imports, them all."""

    lazy: dict[str, str]

    def load_lazily(self, commands: dict[str, str]) -> None:
        """Command name -> the module below :mod:`teikit.cli` that registers it."""
        self.lazy = {**getattr(self, "lazy", {}), **commands}

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = getattr(self, "lazy", {}).get(cmd_name)
        if cmd_name not in self.commands and module is not None:
            importlib.import_module(f"{__package__}.{module}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *getattr(self, "lazy", {})})

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
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.option("--traceback", is_flag=True, help="Show a Python traceback on errors (for bug reports).")
def cli(traceback: bool) -> None:
    """teikit: validate, publish and deposit TEI P5 editions.

    Exit codes: 0 ok, 1 invalid or failed, 2 usage or configuration error.
    """


def resolve_jobs(value: int) -> int:
    return os.cpu_count() or 1 if value == 0 else value


def write_or_print(text: str, output: Path | None) -> None:
    if output is None:
        if text:
            click.echo(text)
        return
    from ..xmlio import write_atomic

    try:
        write_atomic(output, text + "\n")
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None


def main() -> None:
    cli()
