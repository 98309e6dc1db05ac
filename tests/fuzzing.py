"""Seeded mutants of TEI documents and of bags, and the promises every run must keep.

Used by ``tests/test_fuzz.py`` (a few hundred cases, in-process) and by
``benchmarks/fuzz.py`` (a thousand or more, each in a capped subprocess).
The promises are invariants, not expected outputs: whatever the input,

* no traceback, and an exit code of 0, 1 or 2;
* every line printed is one of the documented forms (:data:`FORMS`);
* the input is not modified, and nothing is written outside the output folder.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import shutil
import stat
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = [
    re.compile(r"^\S.*?:(?:\d+:(?:\d+:)?)? (?:error|warning): \S.* \[[a-z][a-z-]*(?::[^\]\s]+)?\]$"),  # a problem
    re.compile(r"^Error: \S.*$"),
    re.compile(r"^\d+ files?: \d+ valid, \d+ invalid; \d+ errors?, \d+ warnings?$"),  # validate
    re.compile(r"^\d+ documents?: \d+ files? written to .+/; \d+ failed$"),  # build
    re.compile(r"^\S.*: (?:valid bag|\d+ problem\(s\))$"),  # verify
]
EXITS = {0, 1, 2}

# Fragments an attacker or a broken converter would insert
NASTY = [
    b'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE TEI SYSTEM "http://example.org/tei.dtd">',
    b'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    b'<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    b"&x;",
    b"&d;",
    b"<![CDATA[",
    b"]]>",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xed\xa0\x80",
    b"<?xml-model href='http://example.org/x.rng' schematypens='http://relaxng.org/ns/structure/1.0'?>",
    b"<?xml-model href='/dev/zero' schematypens='http://relaxng.org/ns/structure/1.0'?>",
    b"<?xml-model href='" + b"n" * 300 + b".rng' schematypens='http://relaxng.org/ns/structure/1.0'?>",
    b"<?xml-model href='.' schematypens='http://purl.oclc.org/dsdl/schematron'?>",
    b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/>',
    b'<p xml:id="dup">a</p><p xml:id="dup">b</p>',
    b'<ptr target="#nowhere"/>',
    b'<persName ref="register.xml#missing">x</persName>',
    b"<lb/>" * 200,
    b"<div>" * 300 + b"</div>" * 300,
    b'<hi rend="small\xe2\x80\x8bcaps">x</hi>',
    b"<" + b"a" * 2000 + b"/>",
    b'<p a="1" a="2"/>',
    b"\n" * 50,
    b"\r\n",
    b'<?xml version="1.0" encoding="ISO-8859-1"?>',
    b'<?xml version="1.1"?>',
    b"<date when='2017-13-45'/>",
    b"</TEI>",
    b"<TEI xmlns='http://www.tei-c.org/ns/1.0'>",
]


def digest_tree(path: Path) -> str:
    """A hash of a file or folder (names, kinds, bytes), links not followed."""
    h = hashlib.sha256()
    items = [path] if not path.is_dir() or path.is_symlink() else [path, *sorted(path.rglob("*"))]
    for p in items:
        st = p.lstat()
        h.update(p.relative_to(path.parent).as_posix().encode() + b"\0" + str(stat.S_IFMT(st.st_mode)).encode())
        if stat.S_ISREG(st.st_mode):
            h.update(p.read_bytes())
        elif stat.S_ISLNK(st.st_mode):
            h.update(os.readlink(p).encode())
    return h.hexdigest()


def off_form(lines: list[str]) -> list[str]:
    """The lines that are none of the documented forms."""
    return [line for line in lines if not any(f.match(line) for f in FORMS)]


# -- documents ---------------------------------------------------------------------------------
def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    op = rng.randrange(7)
    at = rng.randrange(len(data) + 1)
    if op == 0:  # flip a byte
        if not data:
            return data
        at = min(at, len(data) - 1)
        return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]
    if op == 1:  # delete a range
        return data[:at] + data[at + rng.randrange(1, 200) :]
    if op == 2:  # duplicate a range
        end = min(len(data), at + rng.randrange(1, 400))
        return data[:end] + data[at:end] + data[end:]
    if op == 3:  # truncate
        return data[:at]
    if op == 4 and data.startswith(b"<?xml"):  # before the root: declarations and DOCTYPEs
        cut = data.find(b"?>") + 2
        return data[:cut] + b"\n" + rng.choice(NASTY) + data[cut:]
    # insert a nasty fragment at a tag boundary if there is one nearby
    lt = data.find(b"<", at)
    at = lt if lt >= 0 else at
    return data[:at] + rng.choice(NASTY) + data[at:]


def document_mutants(rng: random.Random, seeds: list[bytes]) -> Iterator[bytes]:
    while True:
        data = rng.choice(seeds)
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            data = _mutate_bytes(rng, data)
        yield data


def document_seeds() -> list[bytes]:
    files = [*sorted((ROOT / "tei").glob("*.xml")), *sorted((ROOT / "tests/cases/build/edition").glob("*.xml"))]
    return [f.read_bytes() for f in files]


def document_folder(tmp: Path) -> Path:
    """A folder laid out as the project is (tei/ beside schema/), where mutants are written."""
    shutil.copytree(ROOT / "schema", tmp / "schema", dirs_exist_ok=True)
    (tmp / "tei").mkdir(exist_ok=True)
    for f in (ROOT / "tei").glob("register.xml"):
        shutil.copy(f, tmp / "tei" / f.name)
    return tmp / "tei"


# -- bags ----------------------------------------------------------------------------------------
def make_bag(tmp: Path) -> Path:
    import bagit

    root = tmp / "seed" / "bag"
    (root / "tei").mkdir(parents=True)
    for f in sorted((ROOT / "tei").glob("*.xml"))[:2]:
        shutil.copy(f, root / "tei" / f.name)
    (root / "notes.txt").write_text("notes\n")
    bagit.make_bag(str(root), checksums=["sha256", "sha512"])
    return root


def _members(root: Path) -> list[tuple[str, bytes | None, int]]:
    """(name, bytes or None for a folder, mode) for everything in a bag folder."""
    out: list[tuple[str, bytes | None, int]] = [(root.name + "/", None, 0o40755)]
    for p in sorted(root.rglob("*")):
        name = f"{root.name}/{p.relative_to(root).as_posix()}"
        out.append((name + "/", None, 0o40755) if p.is_dir() else (name, p.read_bytes(), 0o100644))
    return out


def _member_ops(
    rng: random.Random, members: list[tuple[str, bytes | None, int]]
) -> list[tuple[str, bytes | None, int]]:
    files = [i for i, m in enumerate(members) if m[1] is not None]
    i = rng.choice(files)
    name, data, mode = members[i]
    assert data is not None
    op = rng.randrange(10)
    members = list(members)
    if op == 0:
        members.append((name, data + b"x", mode))  # a duplicate
    elif op == 1:
        members[i] = (name, None if rng.random() < 0.5 else data, 0o120777)  # a link
    elif op == 2:
        members[i] = (name, b"", rng.choice((0o10644, 0o20644, 0o60644, 0o140644)))  # fifo, devices, socket
    elif op == 3:
        odd = ["../../escape.txt", "/abs.txt", "bag/data/" + "n" * 300, "bag/./x", "C:/x", "bag/data/new\nline.txt"]
        odd += ["bag/data/\x1b[31mred.txt", "bag/data/\udcff.txt", "bag/data/tab\there.txt", "bag//data/x"]
        members[i] = (rng.choice(odd), data, mode)
    elif op == 4:
        members.append((name + "/inner.txt", b"x", 0o100644))  # a file that is also a folder
    elif op == 5:
        members[i] = (name, bytes(rng.choice((1 << 20, 3 << 20))), mode)  # compresses very well
    elif op == 6:
        del members[i]
    elif op == 7:
        members[i] = (name, _mutate_bytes(rng, data), mode)
    elif op == 8:
        members[i] = (name.replace("bag/", "other/", 1), data, mode)  # two top folders
    else:
        members[i] = (unicodedata_twin(name), data, mode)
        members.append((name, data, mode))
    return members


def unicodedata_twin(name: str) -> str:
    """The name with an 'e' spelt decomposed (e + combining acute): equal after NFC to 'é' spelt precomposed."""
    return name.replace("notes", "note\u0301s") if "notes" in name else name + "\u0301"


def _write_zip(target: Path, members: list[tuple[str, bytes | None, int]]) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data, mode in members:
                info = zipfile.ZipInfo(name, (2023, 11, 14, 0, 0, 0))
                info.create_system = 3
                info.external_attr = mode << 16
                zf.writestr(info, data if data is not None else b"/etc/passwd")


def _write_tar(target: Path, members: list[tuple[str, bytes | None, int]], mode_: str) -> None:
    with tarfile.open(target, mode_) as tf:
        for name, data, mode in members:
            info = tarfile.TarInfo(name.rstrip("/"))
            kind = stat.S_IFMT(mode)
            info.mode = mode & 0o7777
            if kind == stat.S_IFDIR:
                info.type = tarfile.DIRTYPE
            elif kind == stat.S_IFLNK:
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            elif kind == stat.S_IFIFO:
                info.type = tarfile.FIFOTYPE
            elif kind in (stat.S_IFCHR, stat.S_IFBLK, stat.S_IFSOCK):
                info.type = tarfile.CHRTYPE if kind == stat.S_IFCHR else tarfile.BLKTYPE
            if info.type == tarfile.REGTYPE:
                info.size = len(data or b"")
                tf.addfile(info, io.BytesIO(data or b""))
            else:
                tf.addfile(info)


def _write_folder(target: Path, members: list[tuple[str, bytes | None, int]]) -> None:
    target.mkdir()
    for name, data, mode in members:
        if name.startswith("/") or ".." in name.split("/") or len(name.encode()) > 250 or ":" in name:
            continue
        try:
            _write_one(target / name, data, stat.S_IFMT(mode))
        except OSError:  # a file where a folder should be: a folder cannot hold it
            continue


def _write_one(p: Path, data: bytes | None, kind: int) -> None:
    if kind == stat.S_IFDIR:
        p.mkdir(parents=True, exist_ok=True)
        return
    p.parent.mkdir(parents=True, exist_ok=True)
    if p.exists() or p.is_symlink():
        return
    if kind == stat.S_IFLNK:
        p.symlink_to("/dev/zero" if p.name.endswith(".txt") else "/etc")
    elif kind == stat.S_IFIFO:
        os.mkfifo(p)
    elif kind == stat.S_IFREG:
        p.write_bytes(data or b"")


def _flip_archive(rng: random.Random, target: Path) -> None:
    data = target.read_bytes()
    for _ in range(rng.randrange(1, 4)):
        data = _mutate_bytes(rng, data)
    target.write_bytes(data)


def bag_mutants(rng: random.Random, seed: Path, tmp: Path) -> Iterator[Path]:
    """Mutated bags: folders, zips and tars (plain and compressed), written below ``tmp``."""
    base = _members(seed)
    writers: list[tuple[str, Callable[[Path, list[tuple[str, bytes | None, int]]], None]]] = [
        ("", _write_folder),
        (".zip", _write_zip),
        (".tar", lambda t, m: _write_tar(t, m, "w")),
        (".tar.gz", lambda t, m: _write_tar(t, m, "w:gz")),
    ]
    for n in range(1_000_000):
        members = base
        for _ in range(rng.choice((1, 1, 2))):
            members = _member_ops(rng, members)
        suffix, writer = rng.choice(writers)
        target = tmp / f"case{n}{suffix}"
        try:
            writer(target, members)
        except (UnicodeError, OSError, ValueError):  # a name this format cannot store: the unmutated bag
            shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)
            writer(target, base)
        if suffix and rng.random() < 0.3:
            _flip_archive(rng, target)
        yield target
