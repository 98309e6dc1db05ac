"""``teikit deposit`` and ``teikit verify``.

deposit: discover -> profile -> readiness (nothing written unless every
rule holds) -> metadata from the headers -> stage sources, schemas,
outputs and metadata -> bagit -> normalise -> self-check -> serialise ->
rename into place.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import corpus, xmlio
from ..problems import OutputError, Report, TeikitError, UsageError
from ..reproducible import source_date_epoch
from . import bag as bagmod
from . import metadata, readiness
from .profiles import Profile
from .profiles import load as load_profile
from .verify import verify

if TYPE_CHECKING:
    from ..publish import BuildResult
    from ..validation import Validator

__all__ = ["DepositResult", "deposit", "load_profile", "verify"]


@dataclass
class DepositResult:
    report: Report
    bag: Path | None = None
    archive: Path | None = None
    stage: str = "readiness"  # where it stopped: readiness, build, or done
    payload: str = ""  # Payload-Oxum of the written bag
    files: int = 0

    @property
    def ok(self) -> bool:
        return self.bag is not None and self.report.ok

    def summary(self) -> str:
        """One line: what was written, or why nothing was."""
        if self.ok:
            extra = f"; archive: {self.archive}" if self.archive else ""
            return f"bag written: {self.bag} ({self.files} files, Payload-Oxum {self.payload}){extra}"
        n = len(self.report.failing())
        what = "readiness check failed" if self.stage == "readiness" else f"{self.stage} failed"
        return f"{what}: {n} problem{'s' if n != 1 else ''}; nothing written"


def _base(files: list[Path]) -> Path:
    parents = [str(f.resolve().parent) for f in files]
    return Path(os.path.commonpath(parents))


def build_outputs(files: list[Path], out: Path, jobs: int) -> BuildResult:
    """Every output format, built as ``teikit build`` does (the documents
    are already validated, so no validator)."""
    try:
        from ..publish import build
        from ..publish.formats import FORMATS
    except ImportError as exc:
        raise TeikitError(f"cannot build the outputs: teikit.publish is not available ({exc})") from None
    return build(files, out=out, formats=tuple(FORMATS), params={}, validator=None, jobs=jobs)


def _validators(
    profile: Profile, files: list[Path], jobs: int = 1
) -> tuple[Validator | None, Validator | None, Path | None]:
    from ..validation import Validator

    validator = Validator() if profile.project_validation else None
    extra_path = profile.extra_schema()
    extra = Validator(schema=extra_path, references=False) if extra_path else None
    for v in (validator, extra):
        if v is not None:
            v.prepare(files, saxon=jobs == 1)
    return validator, extra, extra_path


def deposit(
    paths: Iterable[str | os.PathLike[str]], *, out: Path, profile: str, archive: str | None = None, jobs: int = 1
) -> DepositResult:
    """Check readiness and write one bag (and, with ``archive``, a serialised bag)."""
    paths = list(paths)
    prof = load_profile(profile)
    files = _inputs(paths, out, prof, archive)
    rels = [f.resolve().relative_to(_base(files)) for f in files]
    validator, extra, extra_path = _validators(prof, files, jobs)

    report = Report(files=[corpus.display_name(f) for f in files])
    report.add(readiness.check(files, rels, prof, validator, extra, jobs=jobs))
    if not report.ok:
        return DepositResult(report)

    docs = [xmlio.parse(f, corpus.display_name(f)) for f in files]
    meta = metadata.extract(prof, docs)
    report.add(meta.problems)
    layout = bagmod.schema_layout(_schemas(docs, validator, extra_path))

    out = Path(out)
    with bagmod.Staging(out, prof.bag_name) as stage:
        root = stage.root
        _copy_sources(root, files, rels, layout)
        built = build_outputs(files, root / "out", jobs)
        if not built.ok:
            report.add(built.report.problems)
            return DepositResult(report, stage="build")
        (root / "metadata").mkdir()
        (root / "metadata" / "dc.xml").write_bytes(metadata.dublin_core(meta))
        (root / "metadata" / "datacite.json").write_bytes(metadata.datacite_json(meta))
        bagmod.make(root, meta.bag_info, jobs)
        oxum = _oxum(root)
        if archive:
            suffix, writer = bagmod.WRITERS[archive]
            epoch = source_date_epoch()
            writer(root, stage.dir / f"{prof.bag_name}{suffix}", epoch if epoch is not None else _now())
        try:
            bag_path, archive_path = stage.commit(archive)
        except OSError as exc:
            raise OutputError(f"cannot move the bag into {out}: {exc.strerror or exc}") from None
    nfiles = int(oxum.split(".")[1]) if "." in oxum else 0
    return DepositResult(report, bag_path, archive_path, stage="done", payload=oxum, files=nfiles)


def _inputs(paths: list[str | os.PathLike[str]], out: Path, prof: Profile, archive: str | None) -> list[Path]:
    """The TEI files to deposit, once every argument is known to be usable."""
    if archive is not None and archive not in bagmod.WRITERS:
        raise UsageError(f"unknown archive format {archive!r}: choose zip or tar")
    if not re.match(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$", prof.bag_name):
        raise UsageError(f"{prof.origin}: [bag] name {prof.bag_name!r} is not a safe folder name")
    source_date_epoch()  # a malformed value is a usage error, before any work
    files = corpus.discover(paths)
    if not files:
        raise UsageError(f"no TEI files (*.xml) in {', '.join(str(p) for p in paths)}")
    target = Path(out).resolve()
    for raw in paths:
        src = Path(raw).resolve()
        if Path(raw).is_dir() and (target == src or src in target.parents):
            raise UsageError(
                f"--out {out} is inside the source folder {raw}: the next run would take the bag for sources"
            )
    return files


def _schemas(docs: list[xmlio.ParsedDoc], validator: Validator | None, extra_path: Path | None) -> list[Path]:
    """The schema files the documents were checked against (they go into the bag)."""
    schemas: list[Path] = []
    for doc in docs:
        if validator is not None:
            choice = validator.choice_for(doc)
            schemas += [p for p in (choice.rng, *choice.schematron) if p is not None]
    if extra_path is not None:
        schemas.append(extra_path)
    return schemas


def _copy_sources(root: Path, files: list[Path], rels: list[Path], layout: dict[str, Path]) -> None:
    """The TEI files under ``tei/`` and their schemas under ``schema/``."""
    for src, rel in zip(files, rels, strict=True):
        dest = root / "tei" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    for name, src in sorted(layout.items()):
        dest = root / "schema" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)


def _oxum(root: Path) -> str:
    for line in (root / "bag-info.txt").read_text("utf-8").splitlines():
        if line.startswith("Payload-Oxum:"):
            return line.split(":", 1)[1].strip()
    return ""


def _now() -> int:
    import time

    return int(time.time())
