#!/usr/bin/env python3
"""Per Exemplar ODD: is teikit's compiled schema jing-equal to the TEI Stylesheets' reference?

    python3 benchmarks/odd_jing_diff.py [NAME...] [--seeds 2] [--show 5] [--corpus 2] [--keep DIR] [--src DIR]

Compiles each Exemplar in ../shared/odd/exemplars with ``teikit.odd.compile_odd`` (source: the shared
p5subset.xml), generates documents from the reference grammar and from the compiled one (every element
reached, ``--seeds`` rounds), makes one-fault mutants of them, adds the smallest ``--corpus`` files of each
corpus folder, and runs jing with both schemas.  It prints, per Exemplar, the verdicts that differ (with
jing's first errors on each side) and the Schematron rules found on one side only, the first ``--show`` of
each; then one summary line.  Exit status 1 if any Exemplar differs.  Needs jing and ../shared.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# --src DIR (before anything is imported) tries the compiler of another checkout, e.g. a branch's src/
_SRC = sys.argv[sys.argv.index("--src") + 1] if "--src" in sys.argv[:-1] else str(ROOT / "src")
sys.path[:0] = [_SRC, str(ROOT / "tests")]

from support import jing, oddharness  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="Exemplar names (default: all)")
    parser.add_argument("--seeds", type=int, default=2, help="rounds of generation per grammar")
    parser.add_argument("--show", type=int, default=5, help="differences shown per Exemplar and kind")
    parser.add_argument("--corpus", type=int, default=2, help="corpus files per corpus folder")
    parser.add_argument("--keep", type=Path, help="keep the generated files here (default: a temporary folder)")
    parser.add_argument("--src", help="the src/ folder to import teikit from (default: this checkout's)")
    args = parser.parse_args()
    if jing.available() is None:
        print("Error: jing is not installed", file=sys.stderr)
        return 2
    from teikit.odd import compile_odd

    corpus_dir = oddharness.SHARED_ODD.parent / "corpus"
    corpus = oddharness.corpus_samples(corpus_dir, args.corpus) if corpus_dir.is_dir() else []
    budget = oddharness.Budget(seeds=args.seeds)
    work_root = args.keep or Path(tempfile.mkdtemp(prefix="odd-jing-"))
    differing = 0
    chosen = [e for e in oddharness.exemplars() if not args.names or e[0] in args.names]
    for name, odd, reference in chosen:
        start = time.perf_counter()
        work = work_root / name
        work.mkdir(parents=True, exist_ok=True)
        try:
            compiled = compile_odd(odd, source=oddharness.SHARED_ODD / "p5subset.xml")
        except Exception as exc:  # the report must go on to the next Exemplar whatever the compiler does
            print(f"{name}: DOES NOT COMPILE: {type(exc).__name__}: {exc}")
            differing += 1
            continue
        mine = work / f"{name}.rng"
        mine.write_bytes(compiled.rng_bytes())
        result = oddharness.compare(name, reference, mine, work, extra=corpus, budget=budget)
        seconds = time.perf_counter() - start
        counts = ", ".join(f"{n} {k}" for k, n in sorted(result.samples.items()))
        verdict = "jing-equal" if result.equal else "DIFFERENT"
        messages = f"same first error in {result.same_messages}/{result.invalid_both} invalid in both"
        print(f"{name}: {verdict} ({counts}; {messages}; {seconds:.1f} s)")
        if not result.equal:
            differing += 1
            for line in result.problems[: args.show]:
                print(f"  {line}")
            for diff in result.verdicts[: args.show]:
                print(f"  verdict: {diff.describe()[:600]}")
            for rule in result.rules_only_reference[: args.show]:
                print(f"  schematron only in reference: {rule[:400]}")
            for rule in result.rules_only_compiled[: args.show]:
                print(f"  schematron only in compiled: {rule[:400]}")
            hidden = len(result.differences()) - min(len(result.problems), args.show)
            hidden -= sum(
                min(len(x), args.show)
                for x in (result.verdicts, result.rules_only_reference, result.rules_only_compiled)
            )
            if hidden > 0:
                print(f"  ... and {hidden} more")
    print(f"{len(chosen) - differing} of {len(chosen)} Exemplars jing-equal to the reference; files in {work_root}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
