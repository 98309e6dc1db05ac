"""Shared fixtures.  The shared corpus is read from ../shared and never copied."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TEI_ALL = SHARED / "schema" / "tei_all.rng"
CORPUS = SHARED / "corpus"
CASES = Path(__file__).resolve().parent / "cases"


def need_shared(*parts: str) -> Path:
    """The path below ../shared, or skip the test with a clear reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is absent (shared corpus not available)")
    return path


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (CI installs it; see .ci/run)")
    return path


# Per-user folders a run may write to: teikit's cache, and what the tools
# the tests start use (npm writes its logs below ~/.npm, Chromium its NSS
# database below ~/.pki, whatever XDG says).  The suite points them all,
# HOME included, at one temporary folder, so it never touches the home of
# whoever runs it.
USER_DIRS = (
    "HOME",
    "TEIKIT_CACHE_DIR",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "npm_config_cache",
)


@pytest.fixture(scope="session", autouse=True)
def _user_dirs_in_tmp(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("user-dirs")
    saved = {name: os.environ.get(name) for name in USER_DIRS}
    for name in USER_DIRS:
        os.environ[name] = str(base / name.lower())
        os.makedirs(os.environ[name], exist_ok=True)
    yield base
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def stub_build(monkeypatch):
    """A stand-in for teikit.publish: one small file per document and format."""
    import teikit.deposit as dep
    from teikit.problems import Report

    def fake(files, out, jobs):
        written = []
        for f in files:
            for fmt, ext in (("html", ".html"), ("text", ".txt"), ("epub", ".epub")):
                target = out / fmt / (f.stem + ext)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(f"{fmt} of {f.name}\n".encode())
                written.append(target)
        return SimpleNamespace(ok=True, report=Report(), written=written)

    monkeypatch.setattr(dep, "build_outputs", fake)
    return fake


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def tei_all() -> Path:
    return need_shared("schema", "tei_all.rng")


@pytest.fixture(scope="session")
def jing() -> str:
    return need_tool("jing")


@pytest.fixture(scope="session", autouse=True)
def _no_network_env():
    # A fixed SOURCE_DATE_EPOCH is set per test where reproducibility is tested.
    os.environ.pop("XML_CATALOG_FILES", None)
    yield
