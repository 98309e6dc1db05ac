"""Printing a report of problems, shared by build, deposit and verify."""

from __future__ import annotations

import click

from .. import report as reports
from ..problems import Report


def print_report(rep: Report, fmt: str = "text") -> None:
    if fmt == "text":
        for p in [*rep.problems, *rep.skipped]:
            click.echo(str(p), err=True)
    else:
        click.echo(reports.render(rep, fmt))
