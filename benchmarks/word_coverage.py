#!/usr/bin/env python3
"""Word coverage of the plain-text output against the TEI sources.

Word coverage, as the "any real TEI" goal defines it: the words of the
source's text (every text node under ``tei:text``, or ``tei:sourceDoc``
where there is no ``text``, joined as TEI reads them, split on white
space, lowercased, punctuation stripped) counted as a multiset, and the
share of them found in the plain-text output.  The functions are
``teikit.publish.coverage``'s, the ones ``build`` warns with.

    python3 benchmarks/word_coverage.py CORPUS... [--out DIR] [--jobs N] [--goal 0.97] [--worst 10]

Without ``--out`` the plain text is built (``--no-validate``) into a
temporary folder; with it, ``DIR/text/NAME.txt`` of an earlier
``teikit build --out DIR`` is read.  Prints the median, mean and minimum
coverage, how many documents reach the goal, the worst documents, and
exits 1 when the median is below the goal (or a document has no output).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def measure(files: list[Path], text_dir: Path) -> tuple[dict[str, float], list[str]]:
    """Coverage per source file, and the files with no text output."""
    from teikit import xmlio
    from teikit.publish import coverage

    found: dict[str, float] = {}
    missing: list[str] = []
    for f in files:
        out = text_dir / f"{f.stem}.txt"
        if not out.is_file():
            missing.append(str(f))
            continue
        try:
            doc = xmlio.load(f, str(f), [f.resolve().parent])
        except (OSError, xmlio.XMLError) as exc:
            missing.append(f"{f} ({exc})")
            continue
        source = coverage.source_words(doc.root)
        found[str(f)] = coverage.coverage(source, coverage.words(out.read_text(encoding="utf-8")))
    return found, missing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, help="the --out folder of an earlier build (default: build now)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--goal", type=float, default=0.97, help="the median coverage to reach")
    ap.add_argument("--worst", type=int, default=10, help="how many of the worst documents to list")
    args = ap.parse_args()

    from teikit import corpus
    from teikit.publish import build

    files = corpus.find(args.corpus).files
    stems = [f.stem for f in files]
    dupes = {s for s in stems if stems.count(s) > 1}
    if dupes:
        print(f"note: {len(dupes)} file names occur twice; their outputs are named NAME-2 and are not measured")
        files = [f for f in files if f.stem not in dupes]
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out
        if out is None:
            out = Path(tmp)
            result = build(args.corpus, out=out, formats=("text",), params={}, validator=None, jobs=args.jobs)
            print(result.summary())
        found, missing = measure(files, out / "text")
    if not found:
        print("no document measured")
        return 1
    values = sorted(found.values())
    reached = sum(1 for v in values if v >= args.goal)
    print(
        f"{len(found)} documents: median {statistics.median(values):.4f}, mean {statistics.fmean(values):.4f}, "
        f"min {values[0]:.4f}; {reached} reach {args.goal}; {len(missing)} without text output"
    )
    for name, value in sorted(found.items(), key=lambda kv: kv[1])[: args.worst]:
        print(f"  {value:.4f}  {name}")
    for name in missing:
        print(f"  no output  {name}")
    return 0 if statistics.median(values) >= args.goal and not missing else 1


if __name__ == "__main__":
    sys.exit(main())
