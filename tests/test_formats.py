"""The format table is the one place that names the output formats."""

from __future__ import annotations

import re

from teikit.cli import cli
from teikit.publish import PARAMS, formats


def test_every_format_has_its_stylesheet_and_known_params():
    for fmt in formats.FORMATS.values():
        assert fmt.stylesheet_path.is_file(), fmt
        assert fmt.stylesheet.split("/")[0] == fmt.name  # one xslt/ folder per format
        assert set(fmt.params) <= set(PARAMS), fmt
        assert fmt.packaging in (formats.PAGE, formats.TEXT, formats.EPUB)


def test_every_param_is_read_by_some_format():
    assert {p for f in formats.FORMATS.values() for p in f.params} == set(PARAMS)


def test_build_help_and_to_read_the_table(runner):
    out = runner.invoke(cli, ["build", "--help"]).output
    assert "Comma-separated output formats: html, text, epub." in out
    assert "[default: html,text,epub]" in out
    for fmt in formats.FORMATS.values():
        assert re.search(rf"^ +{fmt.name} +{re.escape(fmt.summary)}$", out, re.M), fmt.name
        assert f"--param {', '.join(fmt.params)}" in out
    bad = runner.invoke(cli, ["build", "--to", "pdf", "tei"])
    assert bad.exit_code == 2
    assert "unknown format pdf; choose from html, text, epub" in bad.output


def test_deposit_builds_every_format(tmp_path, monkeypatch):
    import teikit.deposit as dep
    import teikit.publish as publish

    seen = {}

    def fake_build(files, *, out, formats, params, validator, jobs):
        seen["formats"] = formats
        return None

    monkeypatch.setattr(publish, "build", fake_build)
    dep.build_outputs([], tmp_path, 1)
    assert seen["formats"] == tuple(formats.FORMATS)
