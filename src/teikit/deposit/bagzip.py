"""A zip bag, read from its central directory: members are listed, refused or
hashed straight from the archive (see :mod:`.bagsource`), never unpacked."""

from __future__ import annotations

import stat
import struct
import zipfile
from collections.abc import Iterator
from typing import IO

from .bagsource import (
    ARCHIVE_ERRORS,
    MAX_MEMBERS,
    ArchiveLister,
    BagReader,
    Listing,
    ReadError,
    Sink,
    hash_stream,
    kind_of,
)

_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_ZIP_METHOD_NAMES = {9: "deflate64", 6: "implode", 93: "zstandard", 95: "xz", 98: "ppmd", 99: "AES encryption"}


def _zip_entries(fh: IO[bytes], size: int) -> int:
    """The member count in a zip's end record, before zipfile reads them all."""
    tail_len = min(size, 65557)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise zipfile.BadZipFile("no end of central directory record (a truncated or damaged zip)")
    (count,) = struct.unpack("<H", tail[at + 10 : at + 12])
    if count == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack("<Q", tail[at - 12 : at - 4])
        fh.seek(offset)
        record = fh.read(56)
        if record[:4] == b"PK\x06\x06":
            (count,) = struct.unpack("<Q", record[32:40])
    return int(count)


class ZipReader(BagReader):
    def __init__(self, fh: IO[bytes], size: int, out: Sink):
        self.prefix = ""
        self.listing = Listing()
        count = _zip_entries(fh, size)
        if count > MAX_MEMBERS:
            raise zipfile.BadZipFile(f"the archive lists {count} members, more than teikit's limit of {MAX_MEMBERS}")
        fh.seek(0)
        self.zf = zipfile.ZipFile(fh)
        lister = ArchiveLister(out)
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in self.zf.infolist():
            mode = info.external_attr >> 16 if info.create_system == 3 else 0
            fmt = stat.S_IFMT(mode)
            if info.is_dir() or fmt == stat.S_IFDIR:
                lister.member(info.filename.rstrip("/") + "/", "dir", 0)
                continue
            kind = "file" if fmt in (0, stat.S_IFREG) else kind_of(mode)
            method = None
            if info.flag_bits & 0x1:
                method = "encryption"
            elif info.compress_type not in _ZIP_METHODS:
                method = f"the {_ZIP_METHOD_NAMES.get(info.compress_type, 'unknown')} compression method ({info.compress_type})"
            lister.member(info.filename, kind, info.file_size, info.compress_size, method)
            self.infos.setdefault(info.filename, info)
        self.prefix, self.listing = lister.finish()

    def _info(self, name: str) -> zipfile.ZipInfo:
        return self.infos[f"{self.prefix}/{name}" if self.prefix else name]

    def read(self, name: str, limit: int) -> bytes:
        try:
            with self.zf.open(self._info(name)) as fh:
                return fh.read(limit)
        except ARCHIVE_ERRORS as exc:
            raise ReadError(f"damaged member: {exc}") from None

    def digests(self, names: list[str], algs: list[str]) -> Iterator[tuple[str, dict[str, str] | str]]:
        for name in sorted(names, key=lambda n: self._info(n).header_offset):
            try:
                with self.zf.open(self._info(name)) as fh:
                    yield name, hash_stream(fh.read, self.listing.files[name], algs)
            except ARCHIVE_ERRORS as exc:
                yield name, f"damaged member: {exc}"

    def close(self) -> None:
        self.zf.close()
        super().close()
