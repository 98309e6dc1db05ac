"""The built edition in a real browser: headless Chromium (Debian), driven over the
DevTools protocol on a pipe (--remote-debugging-pipe), with no extra dependency.

Opens the seed page, clicks a note reference (real mouse events), lands on the note,
clicks its back-link, lands on the reference, clicks a name and lands on its register
entry.  Screenshots are kept in test-artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import CASES, ROOT
from teikit.publish import build

ARTIFACTS = ROOT / "test-artifacts" / "browser"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-pipe",
    "--window-size=1000,800",
]


class Browser:
    """A minimal DevTools-protocol client over fds 3 (to Chromium) and 4 (from it)."""

    def __init__(self, exe: str, profile: Path):
        to_r, self._to_w = os.pipe()
        self._from_r, from_w = os.pipe()

        def pipes():
            a, b = os.dup(to_r), os.dup(from_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [exe, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=pipes,
            pass_fds=(3, 4),
        )
        os.close(to_r)
        os.close(from_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.page("Page.enable")
        self.page("Runtime.enable")

    def close(self):
        try:
            self.call("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_w)
        os.close(self._from_r)

    def _read(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_r], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._from_r, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method: str, session: str | None = None, timeout: float = 30, **params) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to_w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def page(self, method: str, **params) -> dict:
        return self.call(method, session=self.session, **params)

    def wait_event(self, name: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("method") == name:
                    return self.events.pop(i)
            self.events.append(self._read(max(0.1, deadline - time.monotonic())))

    def js(self, expression: str):
        res = self.page("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in res:
            raise RuntimeError(f"{expression}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def open(self, url: str):
        self.events.clear()
        self.page("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def click(self, selector: str, navigates: str):
        """A real mouse click in the middle of the element; waits for the navigation."""
        box = self.js(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2]; }})()""")
        self.events.clear()
        for kind in ("mousePressed", "mouseReleased"):
            self.page("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)
        self.wait_event(navigates)

    def target(self) -> dict:
        return self.js("""(() => { const t = document.querySelector(':target'); if (!t) return null;
            const r = t.getBoundingClientRect();
            return {id: t.id, text: t.textContent.replace(/\\s+/g, ' ').trim(), file: location.pathname.split('/').pop(),
                    visible: r.bottom > 0 && r.top < innerHeight}; })()""")

    def screenshot(self, path: Path):
        data = self.page("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        exe = shutil.which(name)
        if exe:
            return exe
    pytest.skip("chromium is not installed (CI installs Debian's chromium; see .ci/run)")


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory) -> tuple[Path, str]:
    """The edition (tei/) when it is there, else the test edition; and the page to open."""
    tei = ROOT / "tei"
    source, first = (
        (tei, "after-october") if (tei / "after-october.xml").is_file() else (CASES / "build" / "edition", "letter")
    )
    out = tmp_path_factory.mktemp("site")
    result = build([source], out=out, formats=("html",), params={}, validator=None)
    assert result.ok, [str(p) for p in result.report.problems]
    return out / "html", first


def test_notes_and_names_in_chromium(seed_site, tmp_path):
    exe = chromium()
    site, name = seed_site
    browser = Browser(exe, tmp_path / "profile")
    try:
        browser.open((site / f"{name}.html").as_uri())
        assert browser.js("document.title")
        assert browser.js("getComputedStyle(document.body).maxWidth") != "none"  # teikit.css is applied
        browser.screenshot(ARTIFACTS / f"{name}.png")

        # a note reference -> its note
        ref = browser.js("document.querySelector('a[role=doc-noteref]').id")
        note_id = browser.js("document.querySelector('a[role=doc-noteref]').getAttribute('href')").lstrip("#")
        browser.click("a[role=doc-noteref]", "Page.navigatedWithinDocument")
        target = browser.target()
        assert target["id"] == note_id and target["visible"]
        assert browser.js("!!document.querySelector(':target').closest('[role=doc-endnotes]')")
        browser.screenshot(ARTIFACTS / f"{name}-note.png")

        # ... and back
        browser.click(":target a[role=doc-backlink]", "Page.navigatedWithinDocument")
        target = browser.target()
        assert target["id"] == ref and target["visible"]

        # a name -> its register entry, which names it and links back
        href = browser.js("document.querySelector('a[href^=\"register.html#\"]').getAttribute('href')")
        mention = browser.js("document.querySelector('a[href^=\"register.html#\"]').id")
        browser.click('a[href^="register.html#"]', "Page.loadEventFired")
        target = browser.target()
        assert target["file"] == "register.html" and target["id"] == href.split("#")[1] and target["visible"]
        assert browser.js(f"""!!document.querySelector(':target a[href="{name}.html#{mention}"]')""")
        browser.screenshot(ARTIFACTS / f"{name}-register.png")
    finally:
        browser.close()
    assert (ARTIFACTS / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
