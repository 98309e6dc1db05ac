"""Formatters for problems: text, json, junit, github.

They serve every flow (validation, build, readiness, bag fixity).  Each
takes the list of files looked at and the problems found and returns a
string; the CLI prints it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .problems import Problem, Report, ShardInfo, UsageError

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
    """The report as JSON; a shard's also gives which shard it is and each
    file's position in the whole run, which :func:`merge` needs."""
    by_file: dict[str, list[dict[str, Any]]] = {f: [] for f in report.files}
    for p in report.problems:
        if p.file in by_file:
            by_file[p.file].append(p.to_dict())
    entries: list[dict[str, Any]] = [
        {"file": f, "valid": not report.failing(f), "problems": by_file[f]} for f in report.files
    ]
    if report.shard is not None:
        for entry, position in zip(entries, report.shard.positions, strict=True):
            entry["index"] = position
    data: dict[str, Any] = {
        "files": entries,
        "summary": {
            "files": len(report.files),
            "valid": len(report.files) - len(report.invalid_files),
            "invalid": len(report.invalid_files),
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "skipped": len(report.skipped),
        },
    }
    if report.shard is not None:
        shard = report.shard
        data["shard"] = {"index": shard.index, "count": shard.count, "files": shard.total, "strict": report.strict}
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


# -- merging the reports of shards ------------------------------------------
MERGE_FORMATS = ("text", "json", "junit", "github")


def merge(reports: Sequence[tuple[str, str]], *, strict: bool = False) -> Report:
    """One report from the JSON reports (``(name, text)`` pairs) of a run's shards.

    The reports of ``--shard K/N`` runs must be all N shards of one run,
    each once; their files are put back in the order of the whole run, so
    the merged report is the report of the run unsharded (a shard's report
    says whether its run was ``--strict``).  Reports of runs that were not
    sharded are joined in the order given, and must not name a file twice;
    ``strict`` makes warnings fail.  Anything else is a :class:`UsageError`."""
    parts = [_read_json_report(name, text) for name, text in reports]
    sharded = [name for name, data in parts if "shard" in data]
    if sharded and len(sharded) != len(parts):
        plain = next(name for name, data in parts if "shard" not in data)
        raise UsageError(f"cannot merge {sharded[0]}, a shard's report, with {plain}, which is not one")
    entries = _ordered_entries(parts) if sharded else [e for _, data in parts for e in data["files"]]
    merged = Report(strict=strict or any(bool(data.get("shard", {}).get("strict")) for _, data in parts))
    for entry in entries:
        if entry["file"] in merged.files:
            raise UsageError(f"cannot merge: file {entry['file']} is in more than one report")
        merged.files.append(entry["file"])
        merged.add(Problem.from_dict(p) for p in entry["problems"])
    seen: set[str] = set()
    for _, data in parts:
        merged.add(Problem.from_dict(p) for p in data.get("other", []))
        for note in data.get("skipped", []):
            key = json.dumps(note, sort_keys=True)
            if key not in seen:  # every shard lists the same skipped files
                seen.add(key)
                merged.skipped.append(Problem.from_dict(note))
    return merged


def merge_files(paths: Sequence[Path], *, strict: bool = False) -> Report:
    """:func:`merge` of report files."""
    texts = []
    for path in paths:
        try:
            texts.append((str(path), Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read report {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return merge(texts, strict=strict)


def _read_json_report(name: str, text: str) -> tuple[str, dict[str, Any]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        hint = " (write the shards' reports with --format json)" if text.lstrip().startswith("<") else ""
        raise UsageError(f"{name} is not a JSON report of teikit validate: {exc}{hint}") from None
    if not (isinstance(data, dict) and isinstance(data.get("files"), list) and "summary" in data):
        raise UsageError(f"{name} is not a JSON report of teikit validate (no files and summary)")
    return name, data


def _ordered_entries(parts: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The file entries of all shards of one run, in the run's order; the
    shards must be complete (each of 1..N once, each position once)."""
    infos = [(name, _shard_info(name, data)) for name, data in parts]
    first_name, first = infos[0]
    by_index: dict[int, str] = {}
    for name, info in infos:
        if (info.count, info.total) != (first.count, first.total):
            raise UsageError(
                f"cannot merge: {name} is shard {info.index}/{info.count} of a run of {info.total} files, "
                f"{first_name} shard {first.index}/{first.count} of one of {first.total}"
            )
        if info.index in by_index:
            raise UsageError(
                f"cannot merge: {by_index[info.index]} and {name} are both shard {info.index}/{info.count}"
            )
        by_index[info.index] = name
    missing = [str(k) for k in range(1, first.count + 1) if k not in by_index]
    if missing:
        raise UsageError(f"cannot merge: shard {', '.join(missing)} of {first.count} missing")
    placed: dict[int, dict[str, Any]] = {}
    for _, data in parts:
        for entry in data["files"]:
            placed[int(entry["index"])] = entry
    if sorted(placed) != list(range(first.total)):
        raise UsageError(f"cannot merge: the shards hold {len(placed)} of the run's {first.total} files")
    return [placed[i] for i in range(first.total)]


def _shard_info(name: str, data: dict[str, Any]) -> ShardInfo:
    shard = data["shard"]
    try:
        positions = tuple(int(e["index"]) for e in data["files"])
        return ShardInfo(int(shard["index"]), int(shard["count"]), int(shard["files"]), positions)
    except (KeyError, TypeError, ValueError):
        raise UsageError(f"{name}: a shard's report without its shard index, count and file positions") from None
