"""Any TEI, not only ours: every file of ../shared/corpus builds an EPUB
that passes EPUBCheck 5 with 0 errors and 0 warnings.

* 99 ELTeC novels, one EPUB each;
* 148 Schnitzler letters, one EPUB each, with the edition's two register
  files (listplace.xml, listorg.xml) as back matter, and one EPUB of all
  148 letters;
* the two register files on their own: their headers declare no
  language, so the build fails naming the field, and builds with
  ``epub-language=de``.

EPUBs are built with two worker processes and checked in one batch
(two JVMs).  Skips when ../shared or Java/EPUBCheck is absent.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import need_shared
from teikit import corpus, xmlio
from teikit.publish import epub_check
from teikit.publish.epub import EpubBuilder, EpubError
from teikit.publish.html_site import merge_registers

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shared():
    root = need_shared("corpus")
    reason = epub_check.available()
    if reason:
        pytest.skip(reason)
    return root


_BUILDER: EpubBuilder | None = None
_REGISTER = None
_WARNINGS: dict[str, list[str]] = {}


def _build(item: tuple[Path, Path, bool]) -> str | None:
    """The error of one EPUB, or None; its warnings (metadata fallbacks) are kept in _WARNINGS."""
    source, target, with_register = item
    try:
        warnings = _BUILDER.document(xmlio.parse(source), target, register=_REGISTER if with_register else None)
    except EpubError as exc:
        return str(exc.problem)
    _WARNINGS[source.name] = [str(w) for w in warnings]
    return None


@pytest.fixture(scope="module")
def built(shared, tmp_path_factory):
    global _BUILDER, _REGISTER
    out = tmp_path_factory.mktemp("corpus-epub")
    novels = sorted((shared / "eltec-eng" / "level1").glob("*.xml"))
    letters = sorted((shared / "schnitzler-briefe" / "data" / "editions").glob("*.xml"))
    registers = sorted((shared / "schnitzler-briefe" / "data" / "indices").glob("*.xml"))
    assert (len(novels), len(letters), len(registers)) == (99, 148, 2)
    _BUILDER = EpubBuilder({})
    _REGISTER = merge_registers([xmlio.parse(r) for r in registers])
    items = [(p, out / f"{p.stem}.epub", False) for p in novels] + [(p, out / f"{p.stem}.epub", True) for p in letters]
    errors = [e for e in corpus.run_jobs(_build, items, jobs=2) if e]
    register_errors = {}
    for r in registers:
        register_errors[r.name] = _build((r, out / f"{r.stem}.epub", False))
        EpubBuilder({"epub-language": "de"}).document(xmlio.parse(r), out / f"{r.stem}.epub")
    EpubBuilder({}).edition([xmlio.parse(p) for p in letters], out / "schnitzler-edition.epub", register=_REGISTER)
    return out, items, errors, register_errors


def test_every_corpus_file_builds(built):
    _out, items, errors, _ = built
    assert errors == []
    assert all(target.is_file() for _, target, _ in items)


def test_register_files_without_language_take_und_with_a_warning_naming_the_field(built, shared):
    _, _, _, register_errors = built
    folder = shared / "schnitzler-briefe" / "data" / "indices"
    expected = (
        "{}:3:3: warning: no known language in TEI/@xml:lang, text/@xml:lang or teiHeader/profileDesc/langUsage/"
        "language/@ident: the EPUB's dc:language is und (give --meta language=... to set it) [build:epub-metadata]"
    )
    names = ("listorg.xml", "listplace.xml")
    assert register_errors == dict.fromkeys(names)
    assert {n: _WARNINGS[n] for n in names} == {n: [expected.format(xmlio.parse(folder / n).display)] for n in names}


def test_letters_link_names_to_the_register_back_matter(built):
    out = built[0]
    with zipfile.ZipFile(out / "schnitzler-edition.epub") as zf:
        register = zf.read("OEBPS/register.xhtml").decode("utf-8")
        names = [n for n in zf.namelist() if n.startswith("OEBPS/L")]
        linked = sum(zf.read(n).decode("utf-8").count('href="register.xhtml#') for n in names)
    assert len(names) == 148
    assert linked > 100 and register.count('class="tk-mention"') == linked


def test_epubcheck_corpus(built):
    out = built[0]
    epubs = sorted(out.glob("*.epub"))
    assert len(epubs) == 99 + 148 + 2 + 1
    results = epub_check.check(epubs, jobs=2)
    counts = {"errors": sum(len(r.errors) for r in results), "warnings": sum(len(r.warnings) for r in results)}
    report = [f"{r.path.name}: {m}" for r in results for m in r.errors + r.warnings]
    assert (counts, report[:20]) == ({"errors": 0, "warnings": 0}, [])
