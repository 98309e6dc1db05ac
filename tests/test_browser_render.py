"""The genres in headless Chromium: drama laid out as a play, the apparatus linked both
ways, a split register's filter box, dark mode; on every page no sideways scrolling at
375 and 1280 pixels, every image loaded with a height, and (when axe-core is installed:
npm install -g axe-core) no axe violations.  Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import CASES
from teikit.publish import build
from test_browser import ARTIFACTS, Browser, chromium

RENDER = CASES / "render"
WIDTHS = (375, 1280)


def png(width: int, height: int) -> bytes:
    """A grey PNG of the given size (the fixtures' images, made here)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x99" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def big_register(folder: Path, n: int = 450) -> None:
    """A register of n persons (split into pages) and a letter naming three of them."""
    people = "".join(
        f'<person xml:id="p{i}"><persName>{chr(65 + i % 26)}name{i}, Person</persName>'
        f"<persName type='variant'>Alias {i}</persName><birth when='{1800 + i % 100}'/><note>Entry {i}.</note></person>"
        for i in range(n)
    )
    head = "<teiHeader><fileDesc><titleStmt><title>{}</title></titleStmt><publicationStmt><p>Test.</p></publicationStmt><sourceDesc><p>Made up.</p></sourceDesc></fileDesc></teiHeader>"
    tei = '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">'
    (folder / "persons.xml").write_text(
        f"{tei}{head.format('Persons')}<text><body><listPerson>{people}</listPerson></body></text></TEI>"
    )
    (folder / "letter.xml").write_text(
        f"{tei}{head.format('A letter')}<text><body><p>To <persName ref='persons.xml#p3'>Dname3</persName>, "
        "<persName ref='persons.xml#p30'>Ename30</persName> and <persName ref='persons.xml#p449'>Hname449</persName>.</p></body></text></TEI>"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in ("drama", "apparatus", "documentary", "dictionary", "msdesc", "typography", "verse", "epidoc"):
        shutil.copy(RENDER / f"{name}.xml", src)
    for image, size in (("page1.png", (400, 600)), ("missing.png", (300, 450)), ("sketch.png", (1600, 400))):
        (src / image).write_bytes(png(*size))
    big_register(src)
    out = tmp_path_factory.mktemp("out")
    result = build([src], out=out, formats=("html",), params={}, validator=None)
    assert result.ok, [str(p) for p in result.report.problems]
    return out / "html"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(chromium(), tmp_path_factory.mktemp("profile"))
    yield b
    b.close()


def width(browser: Browser, px: int) -> None:
    browser.page("Emulation.setDeviceMetricsOverride", width=px, height=900, deviceScaleFactor=1, mobile=px < 500)


def sane(browser: Browser) -> dict:
    return browser.js("""(() => ({
        overflow: document.documentElement.scrollWidth - innerWidth,
        wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
              .slice(0, 3).map(e => e.tagName + '.' + e.className),
        images: [...document.images].map(i => [i.getAttribute('src'), i.complete, i.naturalHeight, i.getBoundingClientRect().height])
    }))()""")


PAGES = [
    "drama",
    "apparatus",
    "documentary",
    "dictionary",
    "msdesc",
    "typography",
    "letter",
    "register",
    "register-person-a",
]


@pytest.mark.parametrize("name", PAGES)
def test_layout_sanity(site, browser, name):
    for px in WIDTHS:
        width(browser, px)
        browser.open((site / f"{name}.html").as_uri())
        state = sane(browser)
        assert state["overflow"] <= 0, (px, state["wide"])
        for src, complete, natural, shown in state["images"]:
            assert complete and natural > 0 and shown > 0, (px, src)
        browser.screenshot(ARTIFACTS / f"{name}-{px}.png")


def test_drama_is_set_as_a_play(site, browser):
    width(browser, 1280)
    browser.open((site / "drama.html").as_uri())
    style = browser.js("""(() => { const s = e => getComputedStyle(document.querySelector(e));
        return {speaker: s('.tei-speaker').fontVariantCaps, stage: s('p.tei-stage').fontStyle,
                act: s('.tk-act > h2').textAlign, speech: parseFloat(s('.tk-speech').marginLeft),
                role: s('.tei-role').fontVariantCaps}; })()""")
    assert style == {
        "speaker": "small-caps",
        "stage": "italic",
        "act": "center",
        "speech": style["speech"],
        "role": "small-caps",
    }
    assert style["speech"] > 0


def test_apparatus_links_both_ways(site, browser):
    width(browser, 1280)
    browser.open((site / "apparatus.html").as_uri())
    browser.click(".tk-appref a", "Page.navigatedWithinDocument")
    target = browser.target()
    assert target["id"] == "tk-appnote-a" and target["visible"] and target["text"].startswith("a virumque]")
    browser.click(":target a[role=doc-backlink]", "Page.navigatedWithinDocument")
    assert browser.target()["id"] == "tk-app-a"


def test_register_is_split_and_filtered(site, browser):
    pages = sorted(p.name for p in site.glob("register*.html"))
    assert "register.html" in pages and len(pages) > 20
    assert max((site / p).stat().st_size for p in pages) < 1_000_000
    width(browser, 1280)
    browser.open((site / "letter.html").as_uri())
    href = browser.js("document.querySelector('a.tei-persName').getAttribute('href')")
    assert href == "register-person-d.html#p3"
    browser.click("a.tei-persName", "Page.loadEventFired")
    target = browser.target()
    assert target["file"] == "register-person-d.html" and target["id"] == "p3" and target["visible"]
    assert browser.js("!!document.querySelector(':target a[href^=\"letter.html#\"]')")  # the back-link
    browser.open((site / "register.html").as_uri())
    total = browser.js("document.querySelectorAll('li.tk-entry').length")
    assert total == 450
    browser.page("Runtime.evaluate", expression="document.querySelector('.tk-filter input').focus()")
    browser.page("Input.insertText", text="name44")
    shown = browser.js("[...document.querySelectorAll('li.tk-entry')].filter(e => !e.hidden).map(e => e.textContent)")
    assert sorted(shown) == sorted(
        [
            "Name44, Person",
            "Name440, Person",
            "Name441, Person",
            "Name442, Person",
            "Name443, Person",
            "Name444, Person",
            "Name445, Person",
            "Name446, Person",
            "Name447, Person",
            "Name448, Person",
            "Name449, Person",
        ]
    ) or all("name44" in s.lower() for s in shown)
    assert 0 < len(shown) < total
    browser.screenshot(ARTIFACTS / "register-filtered.png")


def test_dark_mode(site, browser):
    width(browser, 1280)
    shots = {}
    for scheme in ("light", "dark"):
        browser.page("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": scheme}])
        browser.open((site / "documentary.html").as_uri())
        colours = browser.js("""(() => { const lum = c => { const [r, g, b] = c.match(/\\d+/g).map(Number);
                return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };
            return [lum(getComputedStyle(document.documentElement).backgroundColor), lum(getComputedStyle(document.body).color)]; })()""")
        shots[scheme] = ARTIFACTS / f"documentary-{scheme}.png"
        browser.screenshot(shots[scheme])
        if scheme == "dark":
            assert colours[0] < 0.2 and colours[1] > 0.7, colours
        else:
            assert colours[0] > 0.9 and colours[1] < 0.3, colours
        assert sane(browser)["overflow"] <= 0
    browser.page("Emulation.setEmulatedMedia", features=[])
    sizes = {k: struct.unpack(">II", v.read_bytes()[16:24]) for k, v in shots.items()}
    assert sizes["light"] == sizes["dark"]  # the same layout, other colours


def axe_source() -> str:
    try:
        root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        root = ""
    path = Path(root) / "axe-core" / "axe.min.js"
    if not root or not path.is_file():
        pytest.skip("axe-core is not installed (npm install -g axe-core; see .ci/run)")
    return path.read_text(encoding="utf-8")


def test_axe_no_violations(site, browser):
    source = axe_source()
    width(browser, 1280)
    found = {}
    for name in PAGES:
        browser.open((site / f"{name}.html").as_uri())
        browser.js(source + ";0")
        res = browser.page(
            "Runtime.evaluate",
            expression="axe.run().then(r => JSON.stringify(r.violations.map(v => [v.id, v.nodes.length])))",
            awaitPromise=True,
            returnByValue=True,
        )
        violations = json.loads(res["result"]["value"])
        if violations:
            found[name] = violations
    assert found == {}
