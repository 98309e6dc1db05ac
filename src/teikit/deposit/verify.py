"""``teikit verify``: fixity of a bag folder, a ``.zip`` or a ``.tar``.

Cheapest checks first (structure, ``bagit.txt``, ``bag-info.txt``,
Payload-Oxum, completeness), then every checksum of every manifest and
tag manifest.  Every problem is collected (engine ``bag``).  Archives are
unpacked into a temporary folder by hand, member by member: absolute
names, ``..``, links and devices are refused and reported, never
followed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import stat
import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ..problems import ERROR, Problem, Report, UsageError
from ..reproducible import file_digests

_MANIFEST = re.compile(r"^(tag)?manifest-([A-Za-z0-9]+)\.txt$")


class _Out:
    def __init__(self, label: str):
        self.label = label
        self.problems: list[Problem] = []

    def add(self, rel: str | None, line: int | None, rule: str, message: str) -> None:
        where = self.label if not rel else f"{self.label}/{rel}"
        self.problems.append(Problem(where, line, None, ERROR, "bag", message, rule=rule))


# -- safe unpacking ------------------------------------------------------------------
def _safe_name(name: str) -> str | None:
    if "\\" in name or "\x00" in name:
        return None
    p = PurePosixPath(name)
    if p.is_absolute() or ".." in p.parts or re.match(r"^[A-Za-z]:", name):
        return None
    return p.as_posix()


def _write_member(dest: Path, name: str, data_stream) -> None:
    target = dest / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:
        shutil.copyfileobj(data_stream, fh)


def unpack(archive: Path, dest: Path, out: _Out) -> None:
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                for info in zf.infolist():
                    name = _safe_name(info.filename.rstrip("/"))
                    mode = info.external_attr >> 16
                    if name is None:
                        out.add(
                            None,
                            None,
                            "unsafe-member",
                            f"member {info.filename!r} escapes the bag (path traversal); not unpacked",
                        )
                    elif stat.S_ISLNK(mode):
                        out.add(
                            None, None, "unsafe-member", f"member {info.filename!r} is a symbolic link; not unpacked"
                        )
                    elif info.is_dir():
                        (dest / name).mkdir(parents=True, exist_ok=True)
                    else:
                        with zf.open(info) as src:
                            _write_member(dest, name, src)
        elif tarfile.is_tarfile(archive):
            with tarfile.open(archive) as tf:
                for m in tf.getmembers():
                    name = _safe_name(m.name.rstrip("/"))
                    if name is None:
                        out.add(
                            None,
                            None,
                            "unsafe-member",
                            f"member {m.name!r} escapes the bag (path traversal); not unpacked",
                        )
                    elif m.isdir():
                        (dest / name).mkdir(parents=True, exist_ok=True)
                    elif not m.isfile():
                        out.add(None, None, "unsafe-member", f"member {m.name!r} is a link or device; not unpacked")
                    else:
                        _write_member(dest, name, tf.extractfile(m))
        else:
            raise UsageError(f"{archive}: not a bag folder, .zip or .tar")
    except (zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        out.add(None, None, "archive", f"damaged archive: {exc}")


def _bag_root(top: Path) -> Path | None:
    if (top / "bagit.txt").exists():
        return top
    entries = [p for p in top.iterdir()]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return None


# -- the checks ---------------------------------------------------------------------------
def _lines(path: Path, out: _Out, rel: str) -> list[tuple[int, str]]:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        out.add(rel, None, "encoding", "tag file is not UTF-8")
        return []
    return [(n, line) for n, line in enumerate(text.splitlines(), 1)]


def _tag_values(path: Path, out: _Out, rel: str) -> dict[str, list[tuple[int, str]]]:
    values: dict[str, list[tuple[int, str]]] = {}
    last = None
    for n, line in _lines(path, out, rel):
        if line[:1] in (" ", "\t") and last:
            k, items = last
            ln, v = items[-1]
            items[-1] = (ln, v + " " + line.strip())
            continue
        if ":" not in line:
            out.add(rel, n, "tag-file", f"malformed line (expected 'Label: value'): {line!r}")
            continue
        k, v = line.split(":", 1)
        values.setdefault(k.strip(), []).append((n, v.strip()))
        last = (k.strip(), values[k.strip()])
    return values


def _parse_manifest(path: Path, out: _Out, rel: str) -> dict[str, tuple[str, int]]:
    entries: dict[str, tuple[str, int]] = {}
    for n, line in _lines(path, out, rel):
        if not line.strip():
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            out.add(rel, n, "manifest", f"malformed line (expected 'checksum  path'): {line!r}")
            continue
        digest, name = parts[0].lower(), unquote(parts[1].strip().lstrip("*"))
        if _safe_name(name) is None:
            out.add(rel, n, "manifest", f"unsafe path {name!r} (absolute or '..')")
            continue
        entries[PurePosixPath(name).as_posix()] = (digest, n)
    return entries


_hash = file_digests


def check_bag(root: Path, out: _Out) -> None:
    # 1. structure
    if not (root / "bagit.txt").is_file():
        out.add("bagit.txt", None, "structure", "bagit.txt is missing: this is not a bag")
    else:
        decl = _tag_values(root / "bagit.txt", out, "bagit.txt")
        version = decl.get("BagIt-Version", [(None, None)])[0]
        enc = decl.get("Tag-File-Character-Encoding", [(None, None)])[0]
        if not version[1] or not re.match(r"^\d+\.\d+$", version[1]):
            out.add("bagit.txt", version[0] or 1, "bagit.txt", "BagIt-Version is missing or malformed")
        if not enc[1] or enc[1].upper() not in ("UTF-8", "UTF8"):
            out.add(
                "bagit.txt",
                enc[0] or 2,
                "bagit.txt",
                f"Tag-File-Character-Encoding is {enc[1] or 'missing'}; teikit reads UTF-8 bags",
            )
    data = root / "data"
    if not data.is_dir():
        out.add("data", None, "structure", "the payload folder data/ is missing")
    manifests = sorted(p for p in root.glob("manifest-*.txt") if _MANIFEST.match(p.name))
    tagmanifests = sorted(p for p in root.glob("tagmanifest-*.txt") if _MANIFEST.match(p.name))
    if not manifests:
        out.add(None, None, "structure", "no payload manifest (manifest-<algorithm>.txt)")
    algs = {}
    for m in manifests + tagmanifests:
        alg = _MANIFEST.match(m.name).group(2).lower()
        if alg not in hashlib.algorithms_available:
            out.add(m.name, None, "manifest", f"unknown checksum algorithm {alg!r}")
        else:
            algs[m] = alg
    payload = []
    for p in sorted(data.rglob("*")) if data.is_dir() else []:
        if p.is_symlink():
            out.add(p.relative_to(root).as_posix(), None, "unsafe-member", "symbolic link in the payload; not followed")
        elif p.is_file():
            payload.append(p.relative_to(root).as_posix())
    payload.sort()

    # 2. Payload-Oxum (sizes only)
    if (root / "bag-info.txt").is_file():
        info = _tag_values(root / "bag-info.txt", out, "bag-info.txt")
        for n, oxum in info.get("Payload-Oxum", []):
            m = re.match(r"^(\d+)\.(\d+)$", oxum)
            size = sum((root / p).stat().st_size for p in payload)
            if not m:
                out.add("bag-info.txt", n, "payload-oxum", f"malformed Payload-Oxum {oxum!r} (expected bytes.files)")
            elif (int(m.group(1)), int(m.group(2))) != (size, len(payload)):
                out.add(
                    "bag-info.txt",
                    n,
                    "payload-oxum",
                    f"Payload-Oxum says {oxum} (bytes.files) but the payload has {size}.{len(payload)}",
                )

    # 3. completeness
    parsed = {m: _parse_manifest(m, out, m.name) for m in manifests if m in algs}
    listed: dict[str, tuple[str, int]] = {}
    for m, entries in parsed.items():
        for name, (_, n) in entries.items():
            listed.setdefault(name, (m.name, n))
    for name, (mname, n) in sorted(listed.items()):
        if not (root / name).is_file() or (root / name).is_symlink():
            out.add(mname, n, "missing", f"{name} is listed but missing from the bag")
        elif not name.startswith("data/"):
            out.add(mname, n, "manifest", f"{name} is listed in a payload manifest but is not below data/")
    for name in payload:
        if name not in listed:
            out.add(name, None, "extra", "file is not listed in any manifest (added after bagging?)")
        else:
            lacking = [m.name for m, e in parsed.items() if name not in e]
            if lacking:
                out.add(name, None, "incomplete", f"file is not listed in {', '.join(lacking)}")

    # 4. every checksum: payload, then tag files
    for group in (parsed, {m: _parse_manifest(m, out, m.name) for m in tagmanifests if m in algs}):
        wanted: dict[str, dict[str, str]] = {}
        for m, entries in group.items():
            for name, (digest, _) in entries.items():
                wanted.setdefault(name, {})[algs[m]] = digest
        for name, digests in sorted(wanted.items()):
            path = root / name
            if not path.is_file() or path.is_symlink():
                if group is not parsed:
                    out.add(name, None, "missing", "tag file is listed in a tag manifest but missing")
                continue
            got = _hash(path, sorted(digests))
            bad = [a for a in sorted(digests) if got[a] != digests[a]]
            if bad:
                what = "tag file" if group is not parsed else "file"
                out.add(
                    name, None, "checksum", f"{what} changed since bagging: {', '.join(bad)} checksum does not match"
                )


def verify(bag) -> Report:
    """Every problem of a bag folder, ``.zip`` or ``.tar``."""
    bag = Path(bag)
    label = str(bag)
    if not bag.exists():
        raise UsageError(f"{bag}: no such bag, .zip or .tar")
    out = _Out(label)
    rep = Report(files=[label])
    if bag.is_dir():
        check_bag(bag, out)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="teikit-verify-"))
        try:
            unpack(bag, tmp, out)
            root = _bag_root(tmp)
            if root is None:
                out.add(
                    None, None, "structure", "the archive holds no bag (bagit.txt at the top or in its one top folder)"
                )
            else:
                out.label = f"{label}!{root.relative_to(tmp).as_posix()}" if root != tmp else label
                check_bag(root, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    rep.add(out.problems)
    return rep
