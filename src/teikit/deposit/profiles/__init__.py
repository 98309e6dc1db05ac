"""Deposit profiles: small declarative TOML files.

``generic``, ``tapas`` and ``clarin`` live beside this module (so they
ship in the wheel); a user names their own file instead.  A profile may
``extends`` another (by built-in name, or a path relative to itself):
tables merge key by key, ``rules`` merge by rule name.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...problems import UsageError

HERE = Path(__file__).resolve().parent
BUILTIN = ("generic", "tapas", "clarin", "zenodo")
_TABLES = ("bag", "files", "validation", "dc", "datacite", "bag_info")


@dataclass
class Rule:
    name: str
    test: str
    where: str
    message: str
    severity: str = "error"


@dataclass
class Field:
    key: str
    xpath: str
    report_missing: bool = True
    single: bool = False


@dataclass
class Profile:
    name: str
    description: str
    origin: Path
    builtin: bool
    bag_name: str
    name_pattern: re.Pattern[str]
    name_hint: str
    max_bytes: int
    allow_bom: bool
    project_validation: bool
    schema_candidates: list[str]
    schema_name: str
    rules: list[Rule] = field(default_factory=list)
    dc: list[Field] = field(default_factory=list)
    datacite: list[Field] = field(default_factory=list)
    bag_info: list[Field] = field(default_factory=list)

    def extra_schema(self) -> Path | None:
        """The extra RelaxNG schema, or None.  Missing -> UsageError."""
        if not self.schema_candidates:
            return None
        base = Path.cwd() if self.builtin else self.origin.parent
        looked = []
        for raw in self.schema_candidates:
            if raw.startswith("$"):
                value = os.environ.get(raw[1:])
                if not value:
                    looked.append(f"{raw} (not set)")
                    continue
                cand = Path(value)
            else:
                cand = Path(raw)
            cand = cand if cand.is_absolute() else base / cand
            if cand.is_file():
                return cand
            looked.append(str(cand))
        what = self.schema_name or "an extra schema"
        raise UsageError(
            f"the {self.name} profile validates against {what}, which teikit does not ship and which was not found "
            f"(looked in: {'; '.join(looked)}); set TEIKIT_TEI_ALL=/path/to/tei_all.rng or use a profile file "
            f"whose [validation] schema names it"
        )


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"cannot read profile {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not a valid TOML profile: {exc}") from None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if key in _TABLES and isinstance(value, dict):
            merged = dict(out.get(key, {}))
            merged.update(value)
            out[key] = merged
        elif key == "rules":
            rules = {r.get("name"): r for r in out.get("rules", [])}
            for r in value:
                rules[r.get("name")] = r
            out["rules"] = list(rules.values())
        else:
            out[key] = value
    return out


def _resolve(spec: str, seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], Path, bool]:
    if spec in BUILTIN:
        path, builtin = HERE / f"{spec}.toml", True
    else:
        path, builtin = Path(spec), False
        if not path.suffix == ".toml" and not path.exists():
            raise UsageError(f"unknown profile {spec!r}: choose {', '.join(BUILTIN)} or give a .toml file")
    if path.resolve() in seen:
        raise UsageError(f"{path}: profile extends itself (cycle)")
    data = _read(path)
    parent = data.get("extends")
    if parent:
        if parent not in BUILTIN and not Path(parent).is_absolute():
            parent = str(path.parent / parent)
        base, _, _ = _resolve(parent, (*seen, path.resolve()))
        data = _merge(base, {k: v for k, v in data.items() if k != "extends"})
    return data, path, builtin


def _fields(data: dict[str, Any], table: str, where: Path) -> list[Field]:
    out = []
    for key, spec in data.get(table, {}).items():
        if isinstance(spec, str):
            spec = {"xpath": spec}
        if not isinstance(spec, dict) or not isinstance(spec.get("xpath"), str):
            raise UsageError(f"{where}: [{table}.{key}] needs an xpath string")
        out.append(Field(key, spec["xpath"], bool(spec.get("report_missing", True)), bool(spec.get("single", False))))
    return out


def load(spec: str | os.PathLike[str]) -> Profile:
    """The profile named ``spec`` (built-in name or TOML file)."""
    data, path, builtin = _resolve(str(spec))
    files = data.get("files", {})
    valid = data.get("validation", {})
    try:
        pattern = re.compile(files.get("name_pattern", r"^[A-Za-z0-9_][A-Za-z0-9._-]*$"))
    except re.error as exc:
        raise UsageError(f"{path}: bad [files] name_pattern: {exc}") from None
    rules = []
    for r in data.get("rules", []):
        missing = [k for k in ("name", "test", "message") if not isinstance(r.get(k), str)]
        if missing:
            raise UsageError(f"{path}: a [[rules]] entry lacks {', '.join(missing)}")
        rules.append(
            Rule(r["name"], r["test"], r.get("where", "tei:teiHeader"), r["message"], r.get("severity", "error"))
        )
    schema = valid.get("schema", [])
    if isinstance(schema, str):
        schema = [schema] if schema else []
    max_bytes = files.get("max_bytes", 0)
    if not isinstance(max_bytes, int) or max_bytes < 0:
        raise UsageError(f"{path}: [files] max_bytes must be a whole number of bytes (0: no limit)")
    return Profile(
        name=str(data.get("name", path.stem)),
        description=str(data.get("description", "")),
        origin=path,
        builtin=builtin,
        bag_name=str(data.get("bag", {}).get("name", "teikit-edition")),
        name_pattern=pattern,
        name_hint=str(files.get("name_hint", pattern.pattern)),
        max_bytes=max_bytes,
        allow_bom=bool(files.get("allow_bom", True)),
        project_validation=bool(valid.get("project", True)),
        schema_candidates=[str(s) for s in schema],
        schema_name=str(valid.get("schema_name", "")),
        rules=rules,
        dc=_fields(data, "dc", path),
        datacite=_fields(data, "datacite", path),
        bag_info=_fields(data, "bag_info", path),
    )
