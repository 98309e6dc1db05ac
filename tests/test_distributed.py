"""``--scheduler``: the run on a Dask cluster (a ``LocalCluster`` of two
worker processes) gives what the local run gives: the same problems, in
the same order, the same report and exit code.

The documents are the edition (tei/, checked against schema/teikit.rng
and teikit.sch through their xml-model PIs: RelaxNG, Schematron and
references), a copy of one article with faults of each engine, and a
file that is not well-formed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from teikit.cli import cli
from teikit.validation import Validator, iter_results

distributed = pytest.importorskip("dask.distributed", reason="dask.distributed is not installed (the dask extra)")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local.scheduler_address


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "tei", tmp_path / "tei")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    article = (tmp_path / "tei" / "after-october.xml").read_text(encoding="utf-8")
    faulty = article.replace('<persName ref="register.xml#pers.kerensky"', "<persName", 1)
    faulty = faulty.replace('xml:id="noteref1"', 'xml:id="noteref9"', 1).replace(
        'target="#note1"', 'target="#nowhere"', 1
    )
    assert faulty.count("<persName>") + faulty.count("<persName ") > 0 and faulty != article
    (tmp_path / "tei" / "faulty.xml").write_text(faulty, encoding="utf-8")
    (tmp_path / "tei" / "broken.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>\n</TEI>\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path / "tei"


def test_the_cluster_gives_the_local_results(cluster: str, docs: Path) -> None:
    local = list(iter_results(["tei"], validator=Validator()))
    remote = list(iter_results(["tei"], validator=Validator(), scheduler=cluster))
    assert remote == local
    engines = {p.engine for _, problems in local for p in problems}
    assert {"rng", "sch", "ref", "xml"} <= engines  # every engine had something to say


def test_the_cli_on_the_cluster_prints_and_exits_as_locally(runner, cluster: str, docs: Path) -> None:
    for fmt in ("text", "json"):
        here = runner.invoke(cli, ["validate", "--format", fmt, "tei"])
        there = runner.invoke(cli, ["validate", "--format", fmt, "--scheduler", cluster, "tei"])
        assert (there.exit_code, there.stdout, there.stderr) == (here.exit_code, here.stdout, here.stderr)
        assert here.exit_code == 1


def test_a_shard_on_the_cluster(runner, cluster: str, docs: Path) -> None:
    here = runner.invoke(cli, ["validate", "--shard", "2/2", "--format", "json", "tei"])
    there = runner.invoke(cli, ["validate", "--shard", "2/2", "--format", "json", "--scheduler", cluster, "tei"])
    assert (there.exit_code, there.stdout) == (here.exit_code, here.stdout)


def test_an_unreachable_scheduler_is_a_usage_error(runner, docs: Path) -> None:
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        r = runner.invoke(cli, ["validate", "--scheduler", "tcp://127.0.0.1:9", "tei"])
    assert r.exit_code == 2 and r.stderr.startswith("Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9: ")


def test_without_dask_the_option_says_what_to_install(runner, docs: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if it were not installed
    r = runner.invoke(cli, ["validate", "--scheduler", "local", "tei"])
    assert (r.exit_code, r.stderr) == (
        2,
        "Error: --scheduler needs dask.distributed: install it with pip install 'teikit[dask]'\n",
    )
