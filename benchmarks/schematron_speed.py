"""Schematron speed: time per MB on a corpus, with and without the
candidate-node optimisation.  Not a test; run by hand:

    python benchmarks/schematron_speed.py [SCHEMA] [FOLDER]

Defaults: TEI's embedded rules (../shared/schema/tei_all.rng) on the 99
ELTeC novels (../shared/corpus/eltec-eng/level1).  Reports compile time,
then per-MB times for lxml parsing, the Schematron check (serialise for
Saxon, Saxon parse, transform, map results to problems) and, for
comparison, the same check with every node visited in every pattern.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from teikit import xmlio  # noqa: E402
from teikit.validation.schematron import compile as sch_compile  # noqa: E402
from teikit.validation.schematron import compile_schematron  # noqa: E402
from teikit.validation.schematron.assemble import read_schema  # noqa: E402
from teikit.validation.schematron.candidates import ALL  # noqa: E402
from teikit.validation.schematron.run import Schematron  # noqa: E402


def main() -> None:
    shared = ROOT.parent / "shared"
    schema = Path(sys.argv[1]) if len(sys.argv) > 1 else shared / "schema" / "tei_all.rng"
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else shared / "corpus" / "eltec-eng" / "level1"
    files = sorted(folder.glob("*.xml"))
    t = time.perf_counter()
    fast = compile_schematron(schema)
    compile_s = time.perf_counter() - t

    model = read_schema(schema)
    original = sch_compile.union
    sch_compile.union = lambda contexts: ALL
    try:
        text, writer, checks, rules = sch_compile.generate(model)
    finally:
        sch_compile.union = original
    slow = Schematron(model, sch_compile.compile_xslt(model, text, writer), checks, rules, text)

    t = time.perf_counter()
    docs = [xmlio.parse(f, f.name) for f in files]
    parse_s = time.perf_counter() - t
    mb = sum(len(d.source) for d in docs) / 1e6
    results = {}
    for name, sch in (("candidates", fast), ("every node", slow)):
        t = time.perf_counter()
        n = sum(len(sch.check(d)) for d in docs)
        results[name] = (time.perf_counter() - t, n)
    print(f"{schema.name}: {len(fast.patterns)} patterns, {len(fast.rules)} rules, compiled in {compile_s:.2f} s")
    print(f"{len(files)} files, {mb:.1f} MB; lxml parse {parse_s:.2f} s ({parse_s / mb * 1000:.0f} ms/MB)")
    for name, (secs, n) in results.items():
        print(f"check ({name}): {secs:.2f} s, {secs / mb * 1000:.0f} ms/MB, {n} problems")


if __name__ == "__main__":
    main()
