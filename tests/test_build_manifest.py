"""Interrupted runs: the build manifest, the sweep of killed runs' leftovers,
and an output folder that cannot be written."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CASES
from teikit import xmlio
from teikit.cli import cli
from teikit.deposit import bag as bagmod
from teikit.publish import build, manifest

EDITION = CASES / "build" / "edition"
SRC = Path(__file__).resolve().parent.parent / "src"


def _outputs(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != manifest.NAME)


def test_manifest_lists_every_output_with_its_hash(tmp_path: Path) -> None:
    result = build([EDITION], out=tmp_path, formats=("text",), params={}, validator=None)
    assert result.ok
    lines = (tmp_path / manifest.NAME).read_text().splitlines()
    assert lines == [f"{hashlib.sha256((tmp_path / n).read_bytes()).hexdigest()}  {n}" for n in _outputs(tmp_path)]
    assert [line.split("  ")[1] for line in lines] == ["text/letter.txt", "text/poems.txt", "text/register.txt"]
    check = subprocess.run(["sha256sum", "-c", manifest.NAME], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_interrupted_build_leaves_no_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build([EDITION], out=tmp_path, formats=("text",), params={}, validator=None)
    before = {n: (tmp_path / n).read_bytes() for n in _outputs(tmp_path)}
    writes = []
    real = xmlio.write_atomic

    def interrupted(target: Path, data: bytes | str, **kw: int) -> None:
        if writes:
            raise KeyboardInterrupt
        writes.append(target)
        real(target, "changed\n", **kw)

    monkeypatch.setattr(xmlio, "write_atomic", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build([EDITION], out=tmp_path, formats=("text",), params={}, validator=None)
    # a mix of old and new outputs, and no manifest to vouch for it
    assert not (tmp_path / manifest.NAME).exists()
    assert _outputs(tmp_path) == sorted(before)
    changed = [n for n in before if (tmp_path / n).read_bytes() != before[n]]
    assert changed == [writes[0].relative_to(tmp_path).as_posix()]
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_a_build_that_writes_nothing_leaves_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI>")
    result = build([bad], out=tmp_path / "out" / "deeper", formats=("text",), params={}, validator=None)
    assert not result.ok and not (tmp_path / "out").exists()


def _unwritable(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o555)
        return ro / "out"
    if Path("/sys").is_dir():  # root writes anywhere but in a read-only file system
        return Path("/sys/teikit-out")
    pytest.skip("no read-only folder to write in when running as root")


def test_build_out_not_writable_is_one_clean_line(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    afile = tmp_path / "afile"
    afile.write_text("")
    for out in (afile / "sub", _unwritable(tmp_path)):
        res = runner.invoke(cli, ["build", "--no-validate", "--to", "text", "--out", str(out), str(EDITION)])
        reason = "Not a directory" if out.parent == afile else os.strerror(_errno(out))
        assert (res.exit_code, res.output) == (1, f"Error: cannot write in {out}: {reason}\n")
    res = runner.invoke(cli, ["build", "--to", "text", "--out", str(afile), str(EDITION)])
    assert (
        res.exit_code == 2
        and res.output.splitlines()[-1] == f"Error: Invalid value for '--out': Directory '{afile}' is a file."
    )


def _errno(path: Path) -> int:
    try:
        path.mkdir(parents=True)
    except OSError as exc:
        return exc.errno or 0
    raise AssertionError(f"{path} was writable")


# -- leftovers of killed runs ----------------------------------------------------------------
def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_sweep_removes_only_what_killed_runs_left(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getppid()
    old = time.time() - 2 * xmlio.STALE_AGE
    (tmp_path / f".teikit-edition.{dead}.abcd_123.partial").mkdir()
    (tmp_path / f".teikit-edition.{alive}.abcd_124.partial").mkdir()
    (tmp_path / ".teikit-edition.abcd_125.partial").mkdir()  # no pid, an hour old: abandoned
    os.utime(tmp_path / ".teikit-edition.abcd_125.partial", (old, old))
    (tmp_path / ".teikit-edition.abcd_126.partial").mkdir()  # no pid, fresh: perhaps still running
    (tmp_path / f".poems.txt.{dead}.zz_9abcd.tmp").write_text("half")
    (tmp_path / f".poems.txt.{dead}.zz_9abce.partial").write_text("a file, not a staging folder")
    (tmp_path / f".link.{dead}.zz_9abcf.partial").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "notes.partial").mkdir()  # not a name teikit makes
    assert xmlio.sweep_stale(tmp_path) == sorted(
        [
            f".poems.txt.{dead}.zz_9abcd.tmp",
            ".teikit-edition.abcd_125.partial",
            f".teikit-edition.{dead}.abcd_123.partial",
        ]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            f".teikit-edition.{alive}.abcd_124.partial",
            ".teikit-edition.abcd_126.partial",
            f".poems.txt.{dead}.zz_9abce.partial",
            f".link.{dead}.zz_9abcf.partial",
            "elsewhere",
            "notes.partial",
        ]
    )


def test_deposit_after_sigkill_sweeps_the_staging_folder(tmp_path: Path) -> None:
    out = tmp_path / "deposit"
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal, sys\n"
            "from teikit.deposit.bag import Staging\n"
            "with Staging(sys.argv[1], 'teikit-edition') as stage:\n"
            "    (stage.root / 'data.txt').write_text('half a bag')\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n",
            str(out),
        ],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        timeout=60,
    )
    assert killed.returncode == -9
    (left,) = out.iterdir()
    assert left.name.startswith(".teikit-edition.") and left.name.endswith(".partial")
    with bagmod.Staging(out, "teikit-edition") as stage:
        assert sorted(p.name for p in out.iterdir()) == [stage.dir.name]
    assert list(out.iterdir()) == []
