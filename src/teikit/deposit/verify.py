"""``teikit verify``: fixity of a bag folder, a ``.zip`` or a ``.tar``.

Cheapest checks first (structure, ``bagit.txt``, ``bag-info.txt``,
Payload-Oxum, completeness), then every checksum of every manifest and
tag manifest.  Every problem is collected (engine ``bag``).  The bag is
read through :mod:`.bagsource`, which never follows a link, never reads
a special file and never unpacks an archive: members are hashed straight
from it.  Reads are bounded: a tag file by ``TAG_LIMIT`` (all of them
together by ``TAG_TOTAL``), and the payload of an archive by its
Payload-Oxum, so a bomb costs no more than the bag claims to hold.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from ..problems import ERROR, Problem, Report
from .bagsource import MAX_MEMBERS, TAG_LIMIT, BagReader, ReadError, open_bag, printable, quote

_MANIFEST = re.compile(r"^(tag)?manifest-([A-Za-z0-9]+)\.txt$")
# hashlib's fixed-length digests, under the names BagIt manifests use
_ALGORITHMS = {a for a in hashlib.algorithms_guaranteed if re.fullmatch(r"[a-z0-9]+", a) and not a.startswith("shake")}
TAG_TOTAL = 4 * TAG_LIMIT  # bytes read from all tag files together


class _Out:
    def __init__(self, label: str):
        self.label = label
        self.problems: list[Problem] = []
        self.tag_bytes = 0

    def add(self, rel: str | None, line: int | None, rule: str, message: str) -> None:
        where = self.label if not rel else f"{self.label}/{rel}"
        self.problems.append(Problem(printable(where), line, None, ERROR, "bag", printable(message), rule=rule))


# -- tag files ----------------------------------------------------------------------------
_EOL = re.compile(r"\r\n|\r|\n")  # the line ends RFC 8493 allows
LINE_PROBLEMS = 20  # malformed lines reported one by one per tag file; the rest are counted
FILE_PROBLEMS = 100  # missing, extra or incompletely listed files reported one by one


def _lines(reader: BagReader, name: str, out: _Out) -> Iterator[tuple[int, str]]:
    """The numbered lines of a tag file, one at a time (a tag file may hold a million)."""
    size = reader.listing.files[name]
    if size > TAG_LIMIT or out.tag_bytes + size > TAG_TOTAL:
        limit = (
            f"teikit's limit of {TAG_LIMIT} bytes" if size > TAG_LIMIT else f"the {TAG_TOTAL} bytes of all tag files"
        )
        out.add(name, None, "tag-file", f"tag file of {size} bytes is over {limit}; not read")
        return
    out.tag_bytes += size
    try:
        text = reader.read(name, TAG_LIMIT).decode("utf-8")
    except ReadError as exc:
        out.add(name, None, "unreadable", f"tag file {exc}")
        return
    except UnicodeDecodeError:
        out.add(name, None, "encoding", "tag file is not UTF-8")
        return
    start, n = 0, 0
    for n, m in enumerate(_EOL.finditer(text), 1):
        yield n, text[start : m.start()]
        start = m.end()
    if start < len(text):
        yield n + 1, text[start:]


class _Limited:
    """Reports problems of one kind, the first ``cap`` one by one and the rest as a count
    (a hostile bag may hold a million of them)."""

    def __init__(self, out: _Out, rule: str, cap: int = LINE_PROBLEMS):
        self.out, self.rule, self.cap, self.count = out, rule, cap, 0

    def add(self, rel: str | None, line: int | None, message: str) -> None:
        self.count += 1
        if self.count <= self.cap:
            self.out.add(rel, line, self.rule, message)

    def close(self, rel: str | None, what: str) -> None:
        if self.count > self.cap:
            self.out.add(rel, None, self.rule, f"… and {self.count - self.cap} more {what}")


def _tag_values(reader: BagReader, name: str, out: _Out, wanted: set[str]) -> dict[str, list[tuple[int, str]]]:
    """The values of the ``wanted`` labels (continuation lines joined); every line's form is checked."""
    values: dict[str, list[tuple[int, list[str]]]] = {}
    last: list[str] | None = None
    bad = _Limited(out, "tag-file")
    for n, line in _lines(reader, name, out):
        if line[:1] in (" ", "\t") and last is not None:
            last.append(line.strip())
            continue
        if ":" not in line:
            bad.add(name, n, f"malformed line (expected 'Label: value'): {quote(line)}")
            continue
        k, v = line.split(":", 1)
        last = None
        if k.strip() in wanted:
            last = [v.strip()]
            values.setdefault(k.strip(), []).append((n, last))
    bad.close(name, "malformed lines")
    return {k: [(n, " ".join(parts)) for n, parts in items] for k, items in values.items()}


def _manifest_path(path: str) -> str | None:
    """A manifest's path in normal form (no ``.`` or empty components), or None if it is unsafe."""
    if "\\" in path or "\x00" in path or path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    return None if ".." in parts else "/".join(parts)


def _parse_manifest(reader: BagReader, name: str, out: _Out) -> dict[str, tuple[str, int]]:
    entries: dict[str, tuple[str, int]] = {}
    bad = _Limited(out, "manifest")
    for n, line in _lines(reader, name, out):
        if not line.strip():
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            bad.add(name, n, f"malformed line (expected 'checksum  path'): {quote(line)}")
            continue
        digest, path = parts[0].lower(), unquote(parts[1].strip().lstrip("*"))
        normal = _manifest_path(path)
        if normal is None:
            bad.add(name, n, f"unsafe path {quote(path)} (absolute or '..')")
            continue
        if len(entries) == MAX_MEMBERS:
            out.add(name, n, "manifest", f"lists more than {MAX_MEMBERS} files, teikit's limit; the rest is not read")
            break
        entries[normal] = (digest, n)
    bad.close(name, "malformed lines")
    return entries


# -- the checks ---------------------------------------------------------------------------
def _structure(reader: BagReader, out: _Out) -> None:
    files, listing = reader.listing.files, reader.listing
    if "bagit.txt" in files and not listing.blocked("bagit.txt"):
        decl = _tag_values(reader, "bagit.txt", out, {"BagIt-Version", "Tag-File-Character-Encoding"})
        version = decl.get("BagIt-Version", [(0, "")])[0]
        enc = decl.get("Tag-File-Character-Encoding", [(0, "")])[0]
        if not re.match(r"^\d+\.\d+$", version[1]):
            out.add("bagit.txt", version[0] or 1, "bagit.txt", "BagIt-Version is missing or malformed")
        if enc[1].upper() not in ("UTF-8", "UTF8"):
            out.add(
                "bagit.txt",
                enc[0] or 2,
                "bagit.txt",
                f"Tag-File-Character-Encoding is {enc[1][:100] or 'missing'}; teikit reads UTF-8 bags",
            )
    elif not listing.blocked("bagit.txt"):
        out.add("bagit.txt", None, "structure", "bagit.txt is missing: this is not a bag")
    if "data" not in listing.dirs and not listing.blocked("data"):
        out.add("data", None, "structure", "the payload folder data/ is missing")


def _algorithms(reader: BagReader, out: _Out, prefix: str) -> dict[str, str]:
    """Manifest (or tag manifest) name -> its algorithm, for the ones teikit can check."""
    algs: dict[str, str] = {}
    for name in sorted(n for n in reader.listing.files if "/" not in n and n.startswith(prefix)):
        m = _MANIFEST.match(name)
        if not m or reader.listing.blocked(name):
            continue
        alg = m.group(2).lower()
        if alg not in _ALGORITHMS:
            out.add(name, None, "manifest", f"unknown checksum algorithm {alg!r}")
        else:
            algs[name] = alg
    return algs


def _oxum(reader: BagReader, out: _Out, payload: list[str]) -> int | None:
    """Check Payload-Oxum against the listing; its byte count, if it gives one."""
    listing = reader.listing
    if "bag-info.txt" not in listing.files or listing.blocked("bag-info.txt"):
        return None
    budget = None
    # a link, special file, duplicate or clash in the payload is reported already: a count would only repeat it
    compare = not any(n == "data" or n.startswith("data/") for n in listing.refused | listing.ambiguous)
    for n, oxum in _tag_values(reader, "bag-info.txt", out, {"Payload-Oxum"}).get("Payload-Oxum", []):
        m = re.match(r"^(\d+)\.(\d+)$", oxum)
        size = sum(listing.files[p] for p in payload)
        if not m:
            out.add("bag-info.txt", n, "payload-oxum", f"malformed Payload-Oxum {oxum[:100]!r} (expected bytes.files)")
            continue
        budget = int(m.group(1)) if budget is None else min(budget, int(m.group(1)))
        if compare and (int(m.group(1)), int(m.group(2))) != (size, len(payload)):
            out.add(
                "bag-info.txt",
                n,
                "payload-oxum",
                f"Payload-Oxum says {oxum} (bytes.files) but the payload has {size}.{len(payload)}",
            )
    return budget


def _completeness(
    reader: BagReader, out: _Out, parsed: dict[str, dict[str, tuple[str, int]]], payload: list[str]
) -> None:
    listing = reader.listing
    listed: dict[str, tuple[str, int]] = {}
    for m, entries in parsed.items():
        for name, (_, n) in entries.items():
            listed.setdefault(name, (m, n))
    missing, extra, incomplete = (_Limited(out, rule, FILE_PROBLEMS) for rule in ("missing", "extra", "incomplete"))
    for name, (mname, n) in sorted(listed.items()):
        if listing.blocked(name):
            continue  # a link, special file or unreadable member: reported as such
        if name not in listing.files:
            missing.add(mname, n, f"{name} is listed but missing from the bag")
        elif not name.startswith("data/"):
            out.add(mname, n, "manifest", f"{name} is listed in a payload manifest but is not below data/")
    for name in payload:
        if name not in listed:
            extra.add(name, None, "file is not listed in any manifest (added after bagging?)")
        else:
            lacking = [m for m, e in parsed.items() if name not in e]
            if lacking:
                incomplete.add(name, None, f"file is not listed in {', '.join(lacking)}")
    missing.close(None, "files listed but missing from the bag")
    extra.close(None, "files not listed in any manifest")
    incomplete.close(None, "files missing from some manifests")


def _checksums(
    reader: BagReader,
    out: _Out,
    group: dict[str, dict[str, tuple[str, int]]],
    algs: dict[str, str],
    budget: int | None,
    tags: bool,
) -> None:
    listing = reader.listing
    wanted: dict[str, dict[str, str]] = {}
    for m, entries in group.items():
        for name, (digest, _) in entries.items():
            wanted.setdefault(name, {})[algs[m]] = digest
    names = []
    early: dict[str, tuple[str, str]] = {}  # problems known before reading, by name
    spent = 0
    for name in sorted(wanted):
        if listing.blocked(name):
            continue
        if name not in listing.files:
            if tags:
                early[name] = ("missing", "tag file is listed in a tag manifest but missing")
        elif budget is not None and not tags and spent + listing.files[name] > budget:
            early[name] = (
                "payload-oxum",
                f"not read: it would take the payload past the {budget} bytes Payload-Oxum declares",
            )
        else:
            spent += listing.files[name]
            names.append(name)
    what = "tag file" if tags else "file"
    results = dict(reader.digests(names, sorted({a for n in names for a in wanted[n]})))
    for name in sorted(wanted):
        got = results.get(name)
        if name in early:
            out.add(name, None, *early[name])
        elif isinstance(got, str):
            out.add(name, None, "unreadable", f"{what} cannot be checked: {got}")
        elif got is not None:
            bad = [a for a in sorted(wanted[name]) if got[a] != wanted[name][a]]
            if bad:
                out.add(
                    name, None, "checksum", f"{what} changed since bagging: {', '.join(bad)} checksum does not match"
                )


def check_bag(reader: BagReader, out: _Out) -> None:
    _structure(reader, out)
    algs = _algorithms(reader, out, "manifest-")
    tag_algs = _algorithms(reader, out, "tagmanifest-")
    if not algs:
        out.add(None, None, "structure", "no payload manifest (manifest-<algorithm>.txt)")
    payload = sorted(n for n in reader.listing.files if n.startswith("data/"))
    budget = _oxum(reader, out, payload)
    parsed = {m: _parse_manifest(reader, m, out) for m in algs}
    _completeness(reader, out, parsed, payload)
    # sizes in an archive are claims, and a sparse file costs nothing to make: read no more than the bag says it holds
    _checksums(reader, out, parsed, algs, budget, tags=False)
    tag_parsed = {m: _parse_manifest(reader, m, out) for m in tag_algs}
    _checksums(reader, out, tag_parsed, tag_algs, None, tags=True)


def verify(bag: str | Path) -> Report:
    """Every problem of a bag folder, ``.zip`` or ``.tar``."""
    bag = Path(bag)
    label = str(bag)
    out = _Out(label)
    rep = Report(files=[label])
    reader = open_bag(bag, out)
    if reader is not None:
        try:
            if reader.prefix:
                out.label = f"{label}!{reader.prefix}"
            if reader.handle is not None and not reader.prefix and "bagit.txt" not in reader.listing.files:
                out.add(
                    None, None, "structure", "the archive holds no bag (bagit.txt at the top or in its one top folder)"
                )
            else:
                check_bag(reader, out)
        finally:
            reader.close()
    rep.add(out.problems)
    return rep
