"""The format table is the one place that names the output formats."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from teikit.cli import cli
from teikit.publish import PARAMS, formats

XSL = "{http://www.w3.org/1999/XSL/Transform}"


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
    flat = " ".join(out.split())  # click wraps the option help to the terminal's width
    assert "Comma-separated output formats: html, text, epub." in flat
    assert "[default: html,text,epub]" in flat
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


def _global_params(sheet: Path, seen: set[Path] | None = None) -> set[str]:
    """The global xsl:param names of a stylesheet and the modules it imports or includes."""
    seen = set() if seen is None else seen
    if sheet in seen:
        return set()
    seen.add(sheet)
    root = etree.parse(str(sheet)).getroot()
    names = {p.get("name") for p in root.findall(f"{XSL}param")}
    for ref in [*root.findall(f"{XSL}import"), *root.findall(f"{XSL}include")]:
        names |= _global_params((sheet.parent / ref.get("href")).resolve(), seen)
    return names


def test_each_format_lists_the_params_its_stylesheet_reads():
    """The table and the stylesheets agree: a --param a format's stylesheet
    declares is listed for that format, and a listed one is declared
    (edition-title and epub-language are read by teikit itself; the EPUB
    sets notes itself, as pop-up footnotes need every note in one place)."""
    set_by_teikit = {"epub": {"notes"}}
    for fmt in formats.FORMATS.values():
        declared = _global_params(fmt.stylesheet_path.resolve()) & set(PARAMS)
        declared -= set_by_teikit.get(fmt.name, set())
        assert declared == set(fmt.params) - {"edition-title", "epub-language"}, fmt.name
