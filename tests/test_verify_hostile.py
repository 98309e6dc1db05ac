"""teikit verify on hostile bags: links, special files, bombs, duplicate and
damaged members.  Every archive is generated here (none is committed).

Each case runs ``teikit verify`` in a subprocess whose address space is
capped (RLIMIT_AS) at 200 MiB, with a 60 s timeout as a guard against
hangs: the exact lines and the exit code are asserted.
"""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import tarfile
import time
import warnings
import zipfile
import zlib
from pathlib import Path

import bagit
import pytest

from capped import _CAPPED, run_capped
from teikit.deposit import bag as bagmod

SRC = Path(__file__).resolve().parent.parent / "src"


@pytest.fixture
def bag(tmp_path: Path) -> Path:
    root = tmp_path / "bag"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("alpha\n")
    (root / "sub" / "b.txt").write_text("beta\n")
    bagit.make_bag(str(root), checksums=["sha256", "sha512"])
    bagmod.normalise(root)
    return root


def _members(root: Path) -> list[tuple[str, bytes]]:
    return [(name, p.read_bytes()) for name, p in bagmod._members(root) if p.is_file()]


def _zip(target: Path, members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of some cases
        with zipfile.ZipFile(target, "w", compression=method) as zf:
            for name, data in members:
                zf.writestr(name, data)
    return target


def _oxum(root: Path) -> str:
    return (root / "bag-info.txt").read_text().split("Payload-Oxum: ")[1].split()[0]


# -- links and special files -------------------------------------------------------------
def test_tag_file_linked_to_dev_zero(bag: Path) -> None:
    (bag / "manifest-sha512.txt").unlink()
    (bag / "manifest-sha512.txt").symlink_to("/dev/zero")
    assert run_capped("verify", str(bag)) == (
        1,
        [
            f"{bag}/manifest-sha512.txt: error: a symbolic link; not followed [bag:unsafe-member]",
            f"{bag}: 1 problem(s)",
        ],
    )


def test_data_folder_linked_outside(bag: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    (bag / "data").rename(outside)
    (bag / "data").symlink_to(outside)
    assert run_capped("verify", str(bag)) == (
        1,
        [f"{bag}/data: error: a symbolic link; not followed [bag:unsafe-member]", f"{bag}: 1 problem(s)"],
    )


def test_the_bag_itself_is_a_link(bag: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(bag)
    assert run_capped("verify", str(link)) == (
        1,
        [
            f"{link}: error: the bag itself is a symbolic link; not followed [bag:unsafe-member]",
            f"{link}: 1 problem(s)",
        ],
    )


def test_fifo_in_payload_and_fifo_as_the_bag(bag: Path, tmp_path: Path) -> None:
    os.mkfifo(bag / "data" / "pipe")
    assert run_capped("verify", str(bag)) == (
        1,
        [f"{bag}/data/pipe: error: a FIFO (named pipe); not read [bag:unsafe-member]", f"{bag}: 1 problem(s)"],
    )
    fifo = tmp_path / "fifo.zip"
    os.mkfifo(fifo)
    assert run_capped("verify", str(fifo)) == (
        1,
        [
            f"{fifo}: error: the bag itself is a FIFO (named pipe); not read [bag:unsafe-member]",
            f"{fifo}: 1 problem(s)",
        ],
    )


def test_links_and_devices_in_a_tar(bag: Path, tmp_path: Path) -> None:
    target = tmp_path / "links.tar"
    bagmod.write_tar(bag, target, 1700000000)
    with tarfile.open(target, "a") as tf:
        for name, kind in (("bag/data/passwd", tarfile.SYMTYPE), ("bag/data/hard", tarfile.LNKTYPE)):
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, "/etc/passwd"
            tf.addfile(info)
        info = tarfile.TarInfo("bag/data/zero")
        info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 5
        tf.addfile(info)
    assert run_capped("verify", str(target)) == (
        1,
        [
            f"{target}: error: member 'bag/data/passwd' is a symbolic link; not followed [bag:unsafe-member]",
            f"{target}: error: member 'bag/data/hard' is a hard link; not followed [bag:unsafe-member]",
            f"{target}: error: member 'bag/data/zero' is a character device; not read [bag:unsafe-member]",
            f"{target}: 3 problem(s)",
        ],
    )


# -- archives that lie ----------------------------------------------------------------------
def test_duplicate_zip_members(bag: Path, tmp_path: Path) -> None:
    members = _members(bag)
    genuine = dict(members)["bag/data/a.txt"]
    tampered = [(n, b"tampered\n" if n == "bag/data/a.txt" else d) for n, d in members]
    target = _zip(tmp_path / "dup.zip", [*tampered, ("bag/data/a.txt", genuine)])
    assert run_capped("verify", str(target)) == (
        1,
        [
            f"{target}: error: member 'bag/data/a.txt' occurs more than once; a reader may take either copy, "
            "so none is read [bag:duplicate-member]",
            f"{target}: 1 problem(s)",
        ],
    )


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes (a multiple of 1 MiB), and their CRC, made quickly:
    after a full flush the compressor starts afresh, so one block's output can be repeated."""
    block = bytes(1 << 20)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size >> 20):
        crc = zlib.crc32(block, crc)
    return one * (size >> 20) + co.flush(), crc


def _append_raw_member(target: Path, name: str, packed: bytes, crc: int, size: int) -> None:
    """Add a deflated member whose compressed bytes are given (zipfile only writes what it compresses)."""
    with zipfile.ZipFile(target) as zf:
        old = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(target, "w") as zf:
        for info, data in old:
            zf.writestr(info, data)
        info = zipfile.ZipInfo(name, (2023, 11, 14, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.CRC, info.file_size, info.compress_size = crc, size, len(packed)
        info.header_offset = zf.fp.tell()  # type: ignore[union-attr]
        zf.fp.write(info.FileHeader())  # type: ignore[union-attr]
        zf.fp.write(packed)  # type: ignore[union-attr]
        zf.start_dir = zf.fp.tell()  # type: ignore[union-attr]
        zf.filelist.append(info)
        zf.NameToInfo[name] = info


def test_zip_bomb_is_never_inflated(bag: Path, tmp_path: Path) -> None:
    target = _zip(tmp_path / "bomb.zip", _members(bag))
    size = 1 << 30
    packed, crc = _deflated_zeros(size)
    _append_raw_member(target, "bag/data/a.txt.bak", packed, crc, size)
    assert target.stat().st_size < 2 << 20
    assert run_capped("verify", str(target)) == (
        1,
        [
            f"{target}: error: member 'bag/data/a.txt.bak' expands from {len(packed)} to {size} bytes "
            "(over 100:1, a zip bomb?); not read [bag:archive-bomb]",
            f"{target}!bag/bag-info.txt:3: error: Payload-Oxum says {_oxum(bag)} (bytes.files) "
            f"but the payload has {size + 11}.3 [bag:payload-oxum]",
            f"{target}!bag/data/a.txt.bak: error: file is not listed in any manifest (added after bagging?) [bag:extra]",
            f"{target}: 3 problem(s)",
        ],
    )


def test_payload_read_no_further_than_payload_oxum(bag: Path, tmp_path: Path) -> None:
    # a stored member (no expansion to catch) much larger than the bag says it holds
    big = bytes(8 << 20)
    members = [(n, big if n == "bag/data/sub/b.txt" else d) for n, d in _members(bag)]
    target = _zip(tmp_path / "large.zip", members, zipfile.ZIP_STORED)
    assert run_capped("verify", str(target)) == (
        1,
        [
            f"{target}!bag/bag-info.txt:3: error: Payload-Oxum says {_oxum(bag)} (bytes.files) "
            f"but the payload has {6 + len(big)}.2 [bag:payload-oxum]",
            f"{target}!bag/data/sub/b.txt: error: not read: it would take the payload past the "
            f"{_oxum(bag).split('.')[0]} bytes Payload-Oxum declares [bag:payload-oxum]",
            f"{target}: 2 problem(s)",
        ],
    )


def test_compressed_tar_bomb(bag: Path, tmp_path: Path) -> None:
    target = tmp_path / "bomb.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=1) as tf:
        info = tarfile.TarInfo("bag/data/zeros")
        info.size = 256 << 20
        with open("/dev/zero", "rb") as zeros:
            tf.addfile(info, zeros)
    assert run_capped("verify", str(target)) == (
        1,
        [
            f"{target}: error: damaged archive: the archive expands more than 100:1 (a tar bomb?); "
            "not read further [bag:archive]",
            f"{target}: 1 problem(s)",
        ],
    )


# -- damaged archives -----------------------------------------------------------------------
def _set_method(path: Path, name: str, method: int) -> None:
    """Rewrite a member's compression method in its local and central headers."""
    data = bytearray(path.read_bytes())
    offset = zipfile.ZipFile(path).getinfo(name).header_offset
    data[offset + 8 : offset + 10] = struct.pack("<H", method)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        (length,) = struct.unpack("<H", data[at + 28 : at + 30])
        if data[at + 46 : at + 46 + length] == name.encode():
            data[at + 10 : at + 12] = struct.pack("<H", method)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_damaged_archives(bag: Path, tmp_path: Path) -> None:
    members = _members(bag)
    clash = _zip(tmp_path / "clash.zip", [*members, ("bag/data/a.txt/inner.txt", b"x")])
    long_name = "bag/data/" + "n" * 300 + ".txt"
    longer = _zip(tmp_path / "long.zip", [*members, (long_name, b"x")])
    deflate64 = _zip(tmp_path / "deflate64.zip", members, zipfile.ZIP_STORED)
    _set_method(deflate64, "bag/data/a.txt", 9)
    good = _zip(tmp_path / "good.zip", members)
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    expected = {
        clash: [
            f"{clash}: error: member 'bag/data/a.txt' is a file and also the folder of other members; "
            "not read [bag:member-clash]",
            f"{clash}!bag/data/a.txt/inner.txt: error: file is not listed in any manifest (added after bagging?) "
            "[bag:extra]",
        ],
        longer: [
            f"{longer}: error: member {long_name[:120]!r}… has a path component longer than 255 bytes, "
            "which no common file system can hold; not read [bag:unsafe-member]"
        ],
        deflate64: [
            f"{deflate64}: error: member 'bag/data/a.txt' uses the deflate64 compression method (9), "
            "which teikit cannot read; not checked [bag:archive]"
        ],
        truncated: [
            f"{truncated}: error: damaged archive: no end of central directory record (a truncated or damaged zip) "
            "[bag:archive]"
        ],
    }
    for path, lines in expected.items():
        assert run_capped("verify", str(path)) == (1, [*lines, f"{path}: {len(lines)} problem(s)"])
    assert run_capped("verify", str(good)) == (0, [f"{good}: valid bag"])


def test_truncated_tar(bag: Path, tmp_path: Path) -> None:
    target = tmp_path / "cut.tar"
    bagmod.write_tar(bag, target, 1700000000)
    data = target.read_bytes()
    inside = data.index(b"alpha\n") + 3  # in the middle of a member
    target.write_bytes(data[:inside])
    assert run_capped("verify", str(target)) == (
        1,
        [f"{target}: error: damaged archive: unexpected end of data [bag:archive]", f"{target}: 1 problem(s)"],
    )
    between = len(data.rstrip(b"\0")) + 511 & ~511  # after the last member, before the end-of-archive marker
    target.write_bytes(data[:between])
    assert run_capped("verify", str(target)) == (
        1,
        [
            f"{target}: error: damaged archive: the archive ends without its end-of-archive marker after "
            f"{between} bytes (truncated?) [bag:archive]",
            f"{target}: 1 problem(s)",
        ],
    )


# -- interruption -------------------------------------------------------------------------------
def _reading(pid: int, path: Path, timeout: float = 30) -> bool:
    """Wait until process ``pid`` has ``path`` open (so it is past its start-up)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd")):
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def test_sigterm_leaves_nothing(bag: Path, tmp_path: Path) -> None:
    big = bag / "data" / "a.txt"
    with open(big, "r+b") as fh:
        fh.truncate(64 << 30)  # sparse: reading it takes long, storing it nothing
    info = bag / "bag-info.txt"  # a Payload-Oxum that allows reading it all
    info.write_text(info.read_text().replace(f"Payload-Oxum: {_oxum(bag)}", f"Payload-Oxum: {(64 << 30) + 5}.2"))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", _CAPPED, "verify", str(bag)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC), "TMPDIR": str(scratch)},
    )
    assert _reading(proc.pid, big)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (1, "", "Error: terminated\n")
    assert list(scratch.iterdir()) == []


def test_sparse_file_past_payload_oxum_is_not_read(bag: Path) -> None:
    with open(bag / "data" / "a.txt", "r+b") as fh:
        fh.truncate(64 << 30)  # costs nothing to make; hashing it would take minutes
    assert run_capped("verify", str(bag)) == (
        1,
        [
            f"{bag}/bag-info.txt:3: error: Payload-Oxum says {_oxum(bag)} (bytes.files) "
            f"but the payload has {(64 << 30) + 5}.2 [bag:payload-oxum]",
            f"{bag}/data/a.txt: error: not read: it would take the payload past the "
            f"{_oxum(bag).split('.')[0]} bytes Payload-Oxum declares [bag:payload-oxum]",
            f"{bag}: 2 problem(s)",
        ],
    )


def test_in_process_run_leaves_the_callers_sigterm_handler(bag: Path, runner) -> None:  # type: ignore[no-untyped-def]
    from teikit.cli import cli

    before = signal.getsignal(signal.SIGTERM)
    assert runner.invoke(cli, ["verify", str(bag)]).exit_code == 0
    assert signal.getsignal(signal.SIGTERM) is before
