"""Writing the bag: stage, let bagit build it, normalise, serialise, rename.

The ``bagit`` library builds a bag by *moving* the files of a folder into
``data/``.  So everything is copied into a staging folder created inside
the output folder, bagit runs there, the result is checked with
``bagit.Bag.validate()``, and only then is it renamed into place.  Any
exception (or Ctrl-C) removes the staging folder: no partial bag, and the
sources are only ever read.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import bagit
from lxml import etree

from .. import __version__, xmlio
from ..problems import OutputError
from ..reproducible import file_digests, source_date_epoch

ALGORITHMS = ("sha256", "sha512")
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XI_NS = "http://www.w3.org/2001/XInclude"


def bagging_date() -> str:
    epoch = source_date_epoch()
    when = datetime.fromtimestamp(epoch, UTC) if epoch is not None else datetime.now(UTC)
    return when.strftime("%Y-%m-%d")


# -- schemas and what they include --------------------------------------------------
def schema_closure(path: Path) -> list[Path]:
    """A schema and every local file it includes (RelaxNG include /
    externalRef, Schematron include, XInclude), in discovery order."""
    found: list[Path] = []
    todo = [Path(path).resolve()]
    while todo:
        cur = todo.pop(0)
        if cur in found or not cur.is_file():
            continue
        found.append(cur)
        try:
            tree = xmlio.parse_trusted(cur)
        except (etree.XMLSyntaxError, OSError):
            continue
        for el in tree.iter(
            f"{{{RNG_NS}}}include", f"{{{RNG_NS}}}externalRef", f"{{{SCH_NS}}}include", f"{{{XI_NS}}}include"
        ):
            href = el.get("href", "")
            if href and "://" not in href:
                todo.append((cur.parent / href.split("#")[0]).resolve())
    return found


def schema_layout(schemas: list[Path]) -> dict[str, Path]:
    """Bag-relative names (below ``schema/``) for every schema file."""
    layout: dict[str, Path] = {}
    for n, main in enumerate(dict.fromkeys(Path(s).resolve() for s in schemas)):
        for f in schema_closure(main):
            try:
                rel = f.relative_to(main.parent).as_posix()
            except ValueError:
                rel = f.name
            name = rel
            if name in layout and layout[name] != f:
                name = f"{n}/{rel}"
            layout.setdefault(name, f)
    return layout


# -- the bag ----------------------------------------------------------------------------
def _hash(path: Path, alg: str) -> str:
    return file_digests(path, [alg])[alg]


def normalise(root: Path) -> None:
    """Make bagit's output byte-reproducible: BagIt 1.0 (RFC 8493),
    manifests sorted by path, tag manifests recomputed in sorted order,
    permissions 0644 / 0755."""
    (root / "bagit.txt").write_bytes(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    for alg in ALGORITHMS:
        m = root / f"manifest-{alg}.txt"
        lines = m.read_bytes().decode("utf-8").splitlines()
        m.write_bytes(
            "".join(f"{line}\n" for line in sorted(lines, key=lambda s: s.split(" ", 1)[1].lstrip())).encode()
        )
    tags = sorted(p.name for p in root.iterdir() if p.is_file() and not p.name.startswith("tagmanifest-"))
    for alg in ALGORITHMS:
        text = "".join(f"{_hash(root / t, alg)}  {t}\n" for t in tags)
        (root / f"tagmanifest-{alg}.txt").write_bytes(text.encode("utf-8"))
    for dirpath, _dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o644)


def make(root: Path, bag_info: dict[str, list[str]], jobs: int = 1) -> None:
    """Turn the staged folder ``root`` into a bag, in place, and check it."""
    info: dict[str, str | list[str]] = {k: v if len(v) > 1 else v[0] for k, v in bag_info.items() if v}
    info["Bagging-Date"] = bagging_date()
    # teikit's version, not bagit's: the same teikit release gives the same bytes
    info["Bag-Software-Agent"] = f"teikit {__version__} (bagit-python)"
    try:
        bagit.make_bag(str(root), bag_info=info, processes=max(1, jobs), checksums=list(ALGORITHMS))
        normalise(root)
        bagit.Bag(str(root)).validate()
    except (bagit.BagError, OSError) as exc:
        raise OutputError(f"cannot build the bag in {root}: {exc}") from None


# -- serialised bags -------------------------------------------------------------------
def _members(root: Path) -> list[tuple[str, Path]]:
    """(archive name, path) for the bag folder and everything below, sorted."""
    items = [(root.name, root)]
    for p in sorted(root.rglob("*"), key=lambda q: q.relative_to(root).as_posix()):
        items.append((f"{root.name}/{p.relative_to(root).as_posix()}", p))
    return items


def write_zip(root: Path, target: Path, mtime: int) -> None:
    stamp = time.gmtime(max(mtime, 315532800))[:6]  # zip cannot go below 1980
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, p in _members(root):
            if p.is_dir():
                info = zipfile.ZipInfo(name + "/", stamp)
                info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10
                info.create_system = 3
                zf.writestr(info, b"")
            else:
                info = zipfile.ZipInfo(name, stamp)
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                info.create_system = 3
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, p.read_bytes(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def write_tar(root: Path, target: Path, mtime: int) -> None:
    with tarfile.open(target, "w", format=tarfile.GNU_FORMAT) as tf:
        for name, p in _members(root):
            info = tarfile.TarInfo(name)
            info.mtime = mtime
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if p.is_dir():
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tf.addfile(info)
            else:
                data = p.read_bytes()
                info.size = len(data)
                info.mode = 0o644
                tf.addfile(info, io.BytesIO(data))


WRITERS: dict[str, tuple[str, Callable[[Path, Path, int], None]]] = {
    "zip": (".zip", write_zip),
    "tar": (".tar", write_tar),
}


# -- staging and the final rename ---------------------------------------------------
class Staging:
    """A temporary folder inside ``out``; removed on exit, whatever happens.

    Folders that did not exist before (``out`` and its parents) are
    removed again if the run fails and they are empty.
    """

    def __init__(self, out: Path, name: str):
        self.out = Path(out)
        self.name = name
        self.created: list[Path] = []
        self.done = False

    def __enter__(self) -> Staging:
        missing = []
        p = self.out
        while not p.exists():
            missing.append(p)
            p = p.parent
        self.created = missing
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            xmlio.sweep_stale(self.out)  # what killed runs left (by name, pid and age)
            self.dir = Path(tempfile.mkdtemp(prefix=f".{self.name}.{os.getpid()}.", suffix=".partial", dir=self.out))
        except OSError as exc:
            self._remove_created()
            raise OutputError(f"cannot write in {self.out}: {exc.strerror or exc}") from None
        self.root = self.dir / self.name
        self.root.mkdir()
        return self

    def commit(self, archive: str | None) -> tuple[Path, Path | None]:
        """Rename the finished bag (and archive) into place."""
        target = self.out / self.name
        made = None
        for kind, (suffix, _) in WRITERS.items():
            old = self.out / f"{self.name}{suffix}"
            if kind == archive:
                made = old
                os.replace(self.dir / f"{self.name}{suffix}", made)
            elif old.is_file():  # a serialised bag of an earlier run no longer matches the bag
                os.rename(old, self.dir / f"previous{suffix}")
        previous = None
        if target.exists() or target.is_symlink():
            previous = self.dir / "previous"
            os.rename(target, previous)
        try:
            os.rename(self.root, target)
        except BaseException:
            if previous is not None:  # put the earlier bag back before the staging folder goes
                os.rename(previous, target)
            raise
        self.done = True
        return target, made

    def _remove_created(self) -> None:
        for p in self.created:  # innermost first
            try:
                p.rmdir()
            except OSError:
                break

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        if not self.done:
            self._remove_created()
