"""Reading a bag without trusting it: a folder, a ``.zip`` or a ``.tar``.

Each reader first lists the bag (names, kinds, sizes) and refuses, with
one problem each, what a bag must not hold: links, FIFOs, devices and
sockets (the bag itself, ``data/`` and tag files included), unsafe,
overlong or clashing names, duplicate members, members it cannot
decompress, and members that expand too much.  Nothing is unpacked:
checksums are computed from the folder, or straight from the archive,
and no read goes past the size the listing declared.

Invariants: no link is ever followed (files are opened component by
component with ``O_NOFOLLOW``); a non-regular file is never read (so a
FIFO cannot block and ``/dev/zero`` cannot fill memory); a tag file is
read only up to :data:`TAG_LIMIT`; nothing is written anywhere.
"""

from __future__ import annotations

import hashlib
import lzma
import os
import stat
import struct
import tarfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from ..problems import UsageError

TAG_LIMIT = 16 << 20  # bytes read from one tag file (a manifest of ~80,000 files)
MAX_MEMBERS = 100_000  # members listed from one archive, files read from one manifest
MAX_RATIO = 100  # how far one archive member (or a compressed tar) may expand
RATIO_FLOOR = 1 << 20  # members smaller than this may expand further (tiny files compress well)
NAME_MAX = 255  # bytes in one path component, as on every common file system
_CHUNK = 1 << 20
_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = {
    stat.S_IFLNK: "a symbolic link; not followed",
    stat.S_IFIFO: "a FIFO (named pipe); not read",
    stat.S_IFCHR: "a character device; not read",
    stat.S_IFBLK: "a block device; not read",
    stat.S_IFSOCK: "a socket; not read",
}


class Sink(Protocol):
    def add(self, rel: str | None, line: int | None, rule: str, message: str) -> None: ...


class ReadError(Exception):
    """One file or member could not be read; the message says why."""


class TooBig(Exception):
    """A compressed tar expands further than :data:`MAX_RATIO` allows."""


ARCHIVE_ERRORS = (  # what reading a damaged archive or member raises
    ReadError,
    TooBig,
    zipfile.BadZipFile,
    tarfile.TarError,
    EOFError,
    OSError,
    ValueError,  # zipfile's negative seeks and undecodable UTF-8 names
    NotImplementedError,
    RuntimeError,  # zipfile's encrypted members
    struct.error,
    zlib.error,
    lzma.LZMAError,
)


def kind_of(mode: int) -> str:
    """What a non-regular, non-directory file is, in words, for a message."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file; not read")


@dataclass
class Listing:
    """What a bag holds, by name relative to the bag's top folder."""

    files: dict[str, int] = field(default_factory=dict)  # regular files: declared size
    dirs: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)  # links and special files (reported)
    unreadable: set[str] = field(default_factory=set)  # regular, but not to be read (reported)
    ambiguous: set[str] = field(default_factory=set)  # duplicate or clashing members (reported)

    def blocked(self, name: str) -> bool:
        """True if the name, or a folder above it, was refused or is unreadable."""
        if not self.refused and not self.unreadable:
            return False
        parts = name.split("/")
        return any("/".join(parts[:i]) in self.refused for i in range(1, len(parts) + 1)) or name in self.unreadable

    def add_file(self, name: str, size: int) -> None:
        self.files[name] = size
        parts = name.split("/")
        self.dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))


def hash_stream(read: Any, size: int, algs: Iterable[str]) -> dict[str, str]:
    """Hash at most ``size`` bytes; one byte more shows the file is longer than listed."""
    hs = {a: hashlib.new(a) for a in algs}
    got = 0
    while got <= size:
        block = read(min(_CHUNK, size + 1 - got))
        if not block:
            break
        got += len(block)
        for h in hs.values():
            h.update(block)
    if got != size:
        raise ReadError(f"holds {'more than ' if got > size else ''}{min(got, size)} bytes, not the {size} listed")
    return {a: h.hexdigest() for a, h in hs.items()}


class BagReader:
    """The interface the checks use: :class:`FolderReader` here, ``ZipReader`` in
    :mod:`.bagzip`, ``TarReader`` in :mod:`.bagtar`."""

    prefix = ""  # an archive's top folder holding the bag
    listing: Listing
    handle: IO[bytes] | None = None  # the archive file, closed with the reader

    def read(self, name: str, limit: int) -> bytes:
        raise NotImplementedError

    def digests(self, names: list[str], algs: list[str]) -> Iterator[tuple[str, dict[str, str] | str]]:
        raise NotImplementedError

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


# -- folders ------------------------------------------------------------------------------
class FolderReader(BagReader):
    def __init__(self, root: Path, out: Sink):
        self.root = root
        self.listing = Listing()
        self._walk(out)

    def _walk(self, out: Sink) -> None:
        todo = [""]
        while todo:
            rel = todo.pop()
            try:
                entries = sorted(os.scandir(self.root / rel if rel else self.root), key=lambda e: e.name)
            except OSError as exc:
                out.add(rel or None, None, "unreadable", f"cannot list the folder: {exc.strerror or exc}")
                self.listing.refused.add(rel)
                continue
            for entry in entries:
                name = f"{rel}/{entry.name}" if rel else entry.name
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError as exc:  # gone since it was listed
                    out.add(name, None, "unreadable", f"cannot be examined: {exc.strerror or exc}")
                    self.listing.refused.add(name)
                    continue
                if stat.S_ISDIR(st.st_mode):
                    self.listing.dirs.add(name)
                    todo.append(name)
                elif stat.S_ISREG(st.st_mode):
                    self.listing.add_file(name, st.st_size)
                else:
                    out.add(name, None, "unsafe-member", f"{kind_of(st.st_mode)}")
                    self.listing.refused.add(name)

    def _open(self, name: str) -> int:
        """A descriptor for a regular file below the root, no link followed on the way."""
        fd = os.open(self.root, _OPEN | getattr(os, "O_DIRECTORY", 0))
        try:
            parts = name.split("/")
            for part in parts[:-1]:
                nxt = os.open(part, _OPEN | getattr(os, "O_DIRECTORY", 0), dir_fd=fd)
                os.close(fd)
                fd = nxt
            leaf = os.open(parts[-1], _OPEN, dir_fd=fd)
        except OSError as exc:
            raise ReadError(f"cannot be opened without following a link: {exc.strerror or exc}") from None
        finally:
            os.close(fd)
        mode = os.fstat(leaf).st_mode
        if not stat.S_ISREG(mode):
            os.close(leaf)
            raise ReadError(f"is {kind_of(mode)}")
        return leaf

    def read(self, name: str, limit: int) -> bytes:
        with os.fdopen(self._open(name), "rb") as fh:
            return fh.read(limit)

    def digests(self, names: list[str], algs: list[str]) -> Iterator[tuple[str, dict[str, str] | str]]:
        for name in names:
            try:
                with os.fdopen(self._open(name), "rb") as fh:
                    yield name, hash_stream(fh.read, self.listing.files[name], algs)
            except (ReadError, OSError) as exc:
                yield name, f"file changed while being read: it {exc}" if isinstance(exc, ReadError) else str(exc)


# -- archives -------------------------------------------------------------------------------
def printable(text: str) -> str:
    """Text for one line of a terminal: names from a bag may hold newlines, escape
    sequences or bytes that are not UTF-8, which are shown escaped."""
    if text.isprintable():
        return text
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def quote(text: str, width: int = 120) -> str:
    """A name or line for a message: quoted, on one line, cut short (with an ellipsis) past ``width``."""
    return repr(text[:width]) + ("…" if len(text) > width else "")


def strip_dot(raw: str) -> str:
    """A member name without leading ``./`` (as ``tar -C dir .`` writes)."""
    while raw.startswith("./"):
        raw = raw[2:]
    return raw


def _name_problem(raw: str) -> str | None:
    """Why an archive member's name cannot be part of a bag, or None."""
    if "\\" in raw or "\x00" in raw or raw.startswith("/") or raw[1:3] == ":/" or raw[1:2] == ":":
        return "escapes the bag (path traversal); not read"
    parts = raw.rstrip("/").split("/")
    if ".." in parts:
        return "escapes the bag (path traversal); not read"
    if any(p in ("", ".") for p in parts):
        return "has an empty or '.' path component; not read"
    if any(len(p.encode("utf-8", "surrogateescape")) > NAME_MAX for p in parts):
        return f"has a path component longer than {NAME_MAX} bytes, which no common file system can hold; not read"
    return None


class ArchiveLister:
    """Shared bookkeeping while an archive's members are listed."""

    def __init__(self, out: Sink):
        self.out = out
        self.raw = Listing()
        self.seen: dict[str, str] = {}  # NFC name -> the name as first seen

    def problem(self, raw: str, rule: str, why: str) -> None:
        self.out.add(None, None, rule, f"member {quote(raw)} {why}")

    def member(self, raw: str, kind: str, size: int, packed: int | None = None, method: str | None = None) -> None:
        """Record one member: kind is 'file', 'dir' or a refusal in words."""
        raw = strip_dot(raw)
        if raw in ("", "/"):
            return
        why = _name_problem(raw)
        if why:
            self.problem(raw, "unsafe-member", why)
            return
        name = raw.rstrip("/")
        key = unicodedata.normalize("NFC", name)
        if kind == "dir":
            if key in self.seen and self.seen[key] in self.raw.files:
                self.problem(raw, "member-clash", "is a folder and also a file; not read")
                self.raw.unreadable.add(self.seen[key])
                self.raw.ambiguous.add(self.seen[key])
            self.raw.dirs.add(name)
            return
        if key in self.seen:
            self.problem(
                raw, "duplicate-member", "occurs more than once; a reader may take either copy, so none is read"
            )
            self.raw.unreadable.add(self.seen[key])
            self.raw.ambiguous.add(self.seen[key])
            return
        self.seen[key] = name
        if kind != "file":
            self.problem(raw, "unsafe-member", f"is {kind}")
            self.raw.refused.add(name)
            return
        self.raw.add_file(name, size)
        if method:
            self.problem(raw, "archive", f"uses {method}, which teikit cannot read; not checked")
            self.raw.unreadable.add(name)
        elif packed is not None and size > RATIO_FLOOR and size > MAX_RATIO * max(packed, 1):
            self.problem(
                raw,
                "archive-bomb",
                f"expands from {packed} to {size} bytes (over {MAX_RATIO}:1, a zip bomb?); not read",
            )
            self.raw.unreadable.add(name)

    def finish(self) -> tuple[str, Listing]:
        """The bag's top folder in the archive, and the listing below it."""
        for name in sorted(self.raw.files):  # a file that is also a folder of other members
            if name in self.raw.dirs:
                self.problem(name, "member-clash", "is a file and also the folder of other members; not read")
                self.raw.unreadable.add(name)
                self.raw.ambiguous.add(name)
        tops = {n.split("/", 1)[0] for n in [*self.raw.files, *self.raw.dirs, *self.raw.refused]}
        prefix = ""
        if "bagit.txt" not in self.raw.files and len(tops) == 1 and next(iter(tops)) in self.raw.dirs:
            prefix = next(iter(tops))
        if not prefix:
            return "", self.raw
        cut = len(prefix) + 1
        inner = Listing()
        inner.files = {n[cut:]: s for n, s in self.raw.files.items() if n.startswith(prefix + "/")}
        inner.dirs = {n[cut:] for n in self.raw.dirs if n.startswith(prefix + "/")}
        inner.refused = {n[cut:] for n in self.raw.refused if n.startswith(prefix + "/")}
        inner.unreadable = {n[cut:] for n in self.raw.unreadable if n.startswith(prefix + "/")}
        inner.ambiguous = {n[cut:] for n in self.raw.ambiguous if n.startswith(prefix + "/")}
        return prefix, inner


# -- which reader ----------------------------------------------------------------------------
def _tar_header(head: bytes) -> bool:
    try:
        tarfile.TarInfo.frombuf(head[:512], "utf-8", "surrogateescape")
    except (tarfile.HeaderError, ValueError):
        return False
    return True


def _archive(path: Path, fh: IO[bytes], size: int, out: Sink) -> BagReader | None:
    from .bagtar import COMPRESSED, TAR_SUFFIXES, TarReader
    from .bagzip import ZipReader

    head = fh.read(512)
    name = path.name.lower()
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06") or name.endswith(".zip"):
        return ZipReader(fh, size, out)
    opener = next((o for magic, o in COMPRESSED.items() if head.startswith(magic)), None)
    if opener or _tar_header(head) or name.endswith(TAR_SUFFIXES):
        return TarReader(fh, size, opener, out)
    out.add(None, None, "structure", "not a bag folder, .zip or .tar")
    return None


def open_bag(path: Path, out: Sink) -> BagReader | None:
    """The reader for a bag folder or archive, or None (the reason is reported)."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise UsageError(f"{path}: no such bag, .zip or .tar") from None
    except OSError as exc:
        out.add(None, None, "structure", f"cannot be read: {exc.strerror or exc}")
        return None
    if stat.S_ISDIR(st.st_mode):
        return FolderReader(path, out)
    if not stat.S_ISREG(st.st_mode):
        out.add(None, None, "unsafe-member", f"the bag itself is {kind_of(st.st_mode)}")
        return None
    try:
        fh = os.fdopen(os.open(path, _OPEN), "rb")
    except OSError as exc:
        out.add(None, None, "structure", f"cannot be read: {exc.strerror or exc}")
        return None
    try:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):  # replaced since the look above
            out.add(None, None, "unsafe-member", f"the bag itself is {kind_of(mode)}")
            fh.close()
            return None
        reader = _archive(path, fh, os.fstat(fh.fileno()).st_size, out)
    except ARCHIVE_ERRORS as exc:
        fh.close()
        out.add(None, None, "archive", f"damaged archive: {str(exc) or type(exc).__name__}")
        return None
    if reader is None:
        fh.close()
    else:
        reader.handle = fh
    return reader
