"""Formatters for problems: text, json, junit, github.

They serve every flow (validation, build, readiness, bag fixity).  Each
takes the list of files looked at and the problems found and returns a
string; the CLI prints it.
"""

from __future__ import annotations

import json

from .problems import Report

FORMATS = ("text", "json", "junit", "github")
#: ``teikit validate`` also writes SVRL, the Schematron report of one file
VALIDATE_FORMATS = (*FORMATS, "svrl")


def summary(report: Report) -> str:
    n = len(report.files)
    bad = len(report.invalid_files)
    e, w = len(report.errors), len(report.warnings)
    line = (
        f"{n} file{'s' if n != 1 else ''}: {n - bad} valid, {bad} invalid; "
        f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"
    )
    return line + skipped(report)


def skipped(report: Report) -> str:
    """``; N skipped`` (files found but not documents), or nothing."""
    return f"; {len(report.skipped)} skipped" if report.skipped else ""


def text(report: Report) -> str:
    lines = [str(p) for p in report.problems]
    return "\n".join(lines)


def as_json(report: Report) -> str:
    data = {
        "files": [
            {
                "file": f,
                "valid": not report.failing(f),
                "problems": [p.to_dict() for p in report.problems if p.file == f],
            }
            for f in report.files
        ],
        "summary": {
            "files": len(report.files),
            "valid": len(report.files) - len(report.invalid_files),
            "invalid": len(report.invalid_files),
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "skipped": len(report.skipped),
        },
    }
    if report.skipped:
        data["skipped"] = [p.to_dict() for p in report.skipped]
    # problems not tied to one of the files (e.g. a register file) stay visible
    orphans = [p.to_dict() for p in report.problems if p.file not in set(report.files)]
    if orphans:
        data["other"] = orphans
    return json.dumps(data, indent=2, ensure_ascii=False)


def junit(report: Report, suite: str = "teikit validate") -> str:
    from xml.sax.saxutils import escape, quoteattr  # imports urllib.request: only JUnit output pays

    by_file = {f: [p for p in report.problems if p.file == f] for f in report.files}
    failures = sum(1 for f in report.files if report.failing(f))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name={quoteattr(suite)} tests="{len(report.files)}" failures="{failures}" errors="0">',
        f'  <testsuite name={quoteattr(suite)} tests="{len(report.files)}" failures="{failures}" errors="0">',
    ]
    for f, problems in by_file.items():
        out.append(f'    <testcase classname="teikit" name={quoteattr(f)}>')
        failing = report.failing(f)
        if failing:
            body = "\n".join(str(p) for p in failing)
            out.append(
                f'      <failure message={quoteattr(f"{len(failing)} problem(s)")} type="invalid">{escape(body)}</failure>'
            )
        rest = [p for p in problems if p not in failing]
        if rest:
            out.append(f"      <system-out>{escape(chr(10).join(str(p) for p in rest))}</system-out>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out)


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def github(report: Report) -> str:
    lines = []
    for p in report.problems:
        props = [f"file={_gh_escape(p.file, True)}"]
        if p.line:
            props.append(f"line={p.line}")
        if p.column:
            props.append(f"col={p.column}")
        props.append(f"title={_gh_escape('teikit ' + p.tag, True)}")
        kind = "error" if p.is_error else "warning" if p.severity == "warning" else "notice"
        lines.append(f"::{kind} {','.join(props)}::{_gh_escape(p.message)}")
    return "\n".join(lines)


def render(report: Report, fmt: str) -> str:
    if fmt == "text":
        return text(report)
    if fmt == "json":
        return as_json(report)
    if fmt == "junit":
        return junit(report)
    if fmt == "github":
        return github(report)
    if fmt == "svrl":
        return svrl(report)
    raise ValueError(fmt)


def svrl(report: Report) -> str:
    """The SVRL report of the one file checked (see :mod:`teikit.validation.schematron.svrl`)."""
    from .problems import UsageError

    if len(report.files) != 1:
        raise UsageError(
            f"--format svrl writes the report of one file, and this run has {len(report.files)}; "
            "give one file, or --svrl-dir DIR for one SVRL file per document"
        )
    return report.svrl.get(report.files[0], b"").decode("utf-8").rstrip("\n")
