"""Problem values and the error hierarchy.

Every engine (well-formedness, RelaxNG, Schematron, references, build,
deposit readiness, bag fixity) reports what it finds as :class:`Problem`
values.  Engines never print and never exit; ``teikit.cli`` alone maps
errors to exit codes.

Exit codes (documented in the README):

* 0 -- everything is valid / every output was written;
* 1 -- something is invalid, or a build/deposit failed;
* 2 -- usage or configuration error (bad option, missing schema, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # information only: never fails a run, not even with --strict

#: Problem kinds: an xml:id used twice; an xml:id that is not an NCName
DUPLICATE_ID = "duplicate-id"
BAD_ID = "bad-id"
#: SchemaError kind: the --phase asked for is not defined in that Schematron
UNDEFINED_PHASE = "undefined-phase"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file.

    ``line`` and ``column`` are 1-based; ``None`` when unknown.  ``engine``
    names the problem source: ``xml`` (well-formedness and safety),
    ``rng``, ``sch``, ``ref``, ``build``, ``deposit`` or ``bag``.
    ``rule`` identifies the rule within the engine (a Schematron rule id,
    a readiness rule name, ...).  ``path`` is an XPath to the node.

    ``kind`` and ``names`` carry what the message says as data, for code
    that refines a problem after it is made (the words are for people):
    ``kind`` says which sort of problem it is (:data:`DUPLICATE_ID`,
    :data:`BAD_ID`, ...), ``names`` the names or values involved.  They
    are not part of the report formats.
    """

    file: str
    line: int | None
    column: int | None
    severity: str
    engine: str
    message: str
    rule: str | None = None
    path: str | None = None
    kind: str | None = None
    names: tuple[str, ...] = ()
    #: what else the engine knows, as (name, value) pairs: for Schematron the
    #: SVRL's role, flag, lang, see, icon and fpi.  Shown in JSON only.
    details: tuple[tuple[str, str], ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def fails(self, strict: bool = False) -> bool:
        """Whether this problem fails a run: an error, or a warning with ``strict``."""
        return self.is_error or (strict and self.severity == WARNING)

    @property
    def tag(self) -> str:
        """The bracketed source tag: ``rng``, ``ref``, ``sch:RULE-ID``."""
        return f"{self.engine}:{self.rule}" if self.rule else self.engine

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.severity}: {self.message} [{self.tag}]"

    def to_dict(self) -> dict[str, Any]:
        """The reported fields (``kind`` and ``names`` are for the code only;
        ``details`` only when there are some)."""
        out = {k: v for k, v in asdict(self).items() if k not in ("kind", "names", "details")}
        if self.details:
            out["details"] = dict(self.details)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        """A problem read back from :meth:`to_dict` (``kind`` and ``names`` are not kept there)."""
        fields: dict[str, Any] = {
            k: data.get(k) for k in ("file", "line", "column", "severity", "engine", "message", "rule", "path")
        }
        details = tuple((str(k), str(v)) for k, v in dict(data.get("details") or {}).items())
        return cls(**fields, details=details)


class TeikitError(Exception):
    """Root of every error teikit raises on purpose."""

    exit_code = 1


class UsageError(TeikitError):
    """Bad command-line usage or configuration: exit code 2."""

    exit_code = 2


class SchemaError(UsageError):
    """A schema is missing, unreadable, unresolvable or does not compile.

    ``kind`` (e.g. :data:`UNDEFINED_PHASE`) and ``names`` say what went
    wrong as data, so that callers never read the message back."""

    def __init__(self, message: str, *, kind: str | None = None, names: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.kind = kind
        self.names = names


class OutputError(TeikitError):
    """An output file could not be written."""


@dataclass(frozen=True)
class ShardInfo:
    """Which part of a sharded run a report covers: shard ``index`` of
    ``count``, and, for each of its files, its position among the
    ``total`` files of the whole run (so that shards merge in order)."""

    index: int
    count: int
    total: int
    positions: tuple[int, ...]


@dataclass
class Report:
    """The result of a run: the files looked at and the problems found."""

    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    strict: bool = False
    skipped: list[Problem] = field(default_factory=list)  # files left out of the run, as notes saying why
    svrl: dict[str, bytes] = field(default_factory=dict)  # file -> its Schematron SVRL report, when asked for
    shard: ShardInfo | None = None  # the part of a sharded run this is (--shard K/N)

    def add(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == NOTE]

    def failing(self, file: str | None = None) -> list[Problem]:
        """Problems that make a file (or the run) fail."""
        probs = self.problems if file is None else [p for p in self.problems if p.file == file]
        return [p for p in probs if p.fails(self.strict)]

    @property
    def invalid_files(self) -> list[str]:
        bad = {p.file for p in self.failing()}
        return [f for f in self.files if f in bad]

    @property
    def ok(self) -> bool:
        return not self.failing()


class ValidationError(TeikitError):
    """Raised by :func:`teikit.validate` when a document is invalid."""

    def __init__(self, report: Report):
        self.report = report
        first = report.failing()[0] if report.failing() else None
        super().__init__(str(first) if first else "invalid")
