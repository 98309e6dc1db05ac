"""A tar bag, plain or compressed, read as a stream (once to list, once to
hash), never unpacked; decompression is capped (see :mod:`.bagsource`)."""

from __future__ import annotations

import bz2
import gzip
import lzma
import re
import tarfile
from collections.abc import Iterator
from typing import IO, Any

from .bagsource import (
    ARCHIVE_ERRORS,
    MAX_MEMBERS,
    MAX_RATIO,
    RATIO_FLOOR,
    TAG_LIMIT,
    ArchiveLister,
    BagReader,
    ReadError,
    Sink,
    TooBig,
    hash_stream,
    strip_dot,
)

COMPRESSED: dict[bytes, Any] = {b"\x1f\x8b": gzip.GzipFile, b"BZh": bz2.BZ2File, b"\xfd7zXZ\x00": lzma.LZMAFile}
TAR_SUFFIXES = (".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz")
_TAG_NAME = re.compile(r"^(?:[^/]+/)?(?:bagit\.txt|bag-info\.txt|(?:tag)?manifest-[A-Za-z0-9]+\.txt)$")
_EXTENDED = {
    tarfile.XHDTYPE,
    tarfile.XGLTYPE,
    tarfile.SOLARIS_XHDTYPE,
    tarfile.GNUTYPE_LONGNAME,
    tarfile.GNUTYPE_LONGLINK,
}


class _Capped:
    """A read-only stream that stops once more than ``limit`` bytes came out of it."""

    def __init__(self, raw: Any, limit: int):
        self.raw, self.limit, self.done = raw, limit, 0

    def read(self, n: int = -1) -> bytes:
        data: bytes = self.raw.read(n if n is not None and n >= 0 else self.limit + 1 - self.done)
        self.done += len(data)
        if self.done > self.limit:
            raise TooBig(f"the archive expands more than {MAX_RATIO}:1 (a tar bomb?); not read further")
        return data


class _SafeTarInfo(tarfile.TarInfo):
    """Refuses extended headers (long names, pax records) that would be read whole into memory."""

    @classmethod
    def fromtarfile(cls, tf: tarfile.TarFile) -> _SafeTarInfo:
        # tarfile takes a truncated or garbled header after the first for the end of the archive
        try:
            return super().fromtarfile(tf)
        except tarfile.HeaderError as exc:
            tf.teikit_end = exc  # type: ignore[attr-defined]
            raise

    def _proc_member(self, tf: tarfile.TarFile) -> Any:
        if self.type in _EXTENDED and self.size > 1 << 20:
            raise tarfile.HeaderError(f"an extended header of {self.size} bytes")
        return super()._proc_member(tf)  # type: ignore[misc]


def _tar_kind(m: tarfile.TarInfo) -> str:
    if m.issym():
        return "a symbolic link; not followed"
    if m.islnk():
        return "a hard link; not followed"
    return {
        tarfile.FIFOTYPE: "a FIFO (named pipe); not read",
        tarfile.CHRTYPE: "a character device; not read",
        tarfile.BLKTYPE: "a block device; not read",
    }.get(m.type, "of an unknown member type; not read")


class TarReader(BagReader):
    """A tar, plain or compressed, read as a stream: once to list, once to hash."""

    def __init__(self, fh: IO[bytes], size: int, opener: Any, out: Sink):
        self.fh, self.size, self.opener = fh, size, opener
        self.tags: dict[str, bytes] = {}
        self.names: dict[str, str] = {}  # member name -> name below the bag's top folder
        lister = ArchiveLister(out)
        captured = 0
        for count, (m, tf) in enumerate(self._members(), 1):
            if count > MAX_MEMBERS:
                raise tarfile.TarError(f"the archive holds more than teikit's limit of {MAX_MEMBERS} members")
            if m.isdir():
                lister.member(m.name + "/", "dir", 0)
            elif m.isreg():
                sparse = m.type == tarfile.GNUTYPE_SPARSE or getattr(m, "sparse", None) is not None
                lister.member(m.name, "file", m.size, None, "a sparse-file encoding" if sparse else None)
                if _TAG_NAME.match(strip_dot(m.name)) and m.size <= TAG_LIMIT and captured + m.size <= 4 * TAG_LIMIT:
                    member = tf.extractfile(m)
                    self.tags.setdefault(strip_dot(m.name), member.read(m.size) if member else b"")
                    captured += m.size
            else:
                lister.member(m.name, _tar_kind(m), 0)
        self.prefix, self.listing = lister.finish()

    def _members(self) -> Iterator[tuple[tarfile.TarInfo, tarfile.TarFile]]:
        self.fh.seek(0)
        raw = self.opener(fileobj=self.fh) if self.opener else self.fh
        capped = _Capped(raw, MAX_RATIO * self.size + RATIO_FLOOR if self.opener else self.size)
        with tarfile.open(fileobj=capped, mode="r|", tarinfo=_SafeTarInfo) as tf:  # type: ignore[call-overload]
            while (m := tf.next()) is not None:
                tf.members.clear()  # a stream of members, not a list of them
                yield m, tf
            end = getattr(tf, "teikit_end", None)
            if type(end).__name__ != "EOFHeaderError":  # the end-of-archive marker
                raise tarfile.ReadError(
                    f"the archive ends without its end-of-archive marker after {tf.offset} bytes (truncated?)"
                )

    def _full(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def read(self, name: str, limit: int) -> bytes:
        full = self._full(name)
        if full not in self.tags:
            raise ReadError("is not read: the tag files add up to more than teikit reads from a tar")
        return self.tags[full][:limit]

    def digests(self, names: list[str], algs: list[str]) -> Iterator[tuple[str, dict[str, str] | str]]:
        want = {self._full(n): n for n in names}
        done: set[str] = set()
        try:
            for m, tf in self._members():
                name = want.get(strip_dot(m.name))
                if name is None or name in done or not m.isreg():
                    continue
                done.add(name)
                member = tf.extractfile(m)
                try:
                    yield name, hash_stream(member.read if member else (lambda n: b""), self.listing.files[name], algs)
                except ReadError as exc:
                    yield name, f"damaged member: it {exc}"
        except ARCHIVE_ERRORS as exc:
            for name in names:
                if name not in done:
                    yield name, f"damaged archive: {exc}"
                    done.add(name)
