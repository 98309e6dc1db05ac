"""Is a compiled schema jing-equal to a reference?  Same jing verdicts on generated documents (from both
grammars), on their one-fault mutants and on corpus samples; and the same embedded Schematron, rule by rule.

Used by ``tests/odd/test_jing_equal.py`` and by ``benchmarks/odd_jing_diff.py`` (the report for whoever
drives the compiler).
"""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from support import jing, mutate, rnggen, rnggrammar

SCH = "http://purl.oclc.org/dsdl/schematron"
SHARED_ODD = Path(__file__).resolve().parents[3] / "shared" / "odd"


@dataclass
class Sample:
    path: Path
    origin: str  # "generated from reference", "mutant (missing-child) of ...", "corpus"


@dataclass
class VerdictDiff:
    sample: Sample
    reference: list[str]  # jing's errors with the reference schema ([] = valid)
    compiled: list[str]

    def describe(self) -> str:
        ref = "valid" if not self.reference else "invalid: " + "; ".join(self.reference[:2])
        mine = "valid" if not self.compiled else "invalid: " + "; ".join(self.compiled[:2])
        return f"{self.sample.path.name} ({self.sample.origin}): reference {ref} | compiled {mine}"


@dataclass
class Comparison:
    name: str
    samples: Counter[str] = field(default_factory=Counter)
    verdicts: list[VerdictDiff] = field(default_factory=list)
    rules_only_reference: list[str] = field(default_factory=list)
    rules_only_compiled: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # a grammar that cannot be read, generated from, judged
    same_messages: int = 0  # invalid in both with the same first error (line, column, message)
    invalid_both: int = 0

    @property
    def equal(self) -> bool:
        return not (self.verdicts or self.rules_only_reference or self.rules_only_compiled or self.problems)

    def differences(self) -> list[str]:
        out = list(self.problems)
        out += [f"verdict: {d.describe()}" for d in self.verdicts]
        out += [f"schematron only in reference: {r}" for r in self.rules_only_reference]
        out += [f"schematron only in compiled: {r}" for r in self.rules_only_compiled]
        return out


# ---- samples -------------------------------------------------------------------------------------------
@dataclass
class Budget:
    """How much to generate per grammar: the test keeps it small, the diagnostic report can raise it."""

    max_docs: int = 30
    max_elements: int = 150
    mutants_per_kind: int = 3
    seeds: int = 1


def generated_samples(schema: Path, folder: Path, side: str, seed: int, budget: Budget) -> list[Sample]:
    """Documents covering every element of ``schema`` (in one or more rounds of coverage) and, for each
    fault kind, mutants of a few of them, written to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    grammar = rnggrammar.load(schema)
    samples = []
    for round_ in range(budget.seeds):
        gen = rnggen.Generator(grammar, seed=seed + round_, max_elements=budget.max_elements)
        mutator = mutate.Mutator(gen.analysis)
        rnd = random.Random(seed + round_)
        docs = gen.cover(max_docs=budget.max_docs)
        for n, doc in enumerate(docs):
            path = folder / f"{side}{round_}-{n:03}.xml"
            path.write_bytes(doc.tostring())
            samples.append(Sample(path, f"generated from {side}"))
        for kind in mutate.KINDS:
            for n in rnd.sample(range(len(docs)), len(docs)):
                if sum(s.origin.startswith(f"mutant ({kind})") for s in samples) >= budget.mutants_per_kind * (
                    round_ + 1
                ):
                    break
                for mutant in mutator.mutants(docs[n], rnd, per_kind=1, kinds=(kind,)):
                    mpath = folder / f"{side}{round_}-{n:03}-{kind}.xml"
                    mpath.write_bytes(mutant.tostring())
                    where = f"{mutant.detail} at {mutant.where}"
                    samples.append(Sample(mpath, f"mutant ({kind}) of {side}{round_}-{n:03}.xml: {where}"))
    return samples


def corpus_samples(corpus: Path, per_folder: int = 2) -> list[Sample]:
    """The smallest ``per_folder`` TEI files of each corpus folder (deterministic, cheap to judge)."""
    folders: dict[Path, list[Path]] = {}
    for f in corpus.rglob("*.xml"):
        folders.setdefault(f.parent, []).append(f)
    picked = []
    for folder in sorted(folders):
        for f in sorted(folders[folder], key=lambda p: (p.stat().st_size, p.name))[:per_folder]:
            picked.append(Sample(f, "corpus"))
    return picked


# ---- Schematron ----------------------------------------------------------------------------------------
def _message(check: etree._Element) -> str:
    parts = [check.text or ""]
    for child in check:
        if isinstance(child.tag, str):
            local = etree.QName(child).localname
            select = child.get("select") or child.get("path") or ""
            parts.append(f"{{{local}{':' + select if select else ''}}}" + (child.text or ""))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def schematron_rules(schema: Path) -> Counter[str]:
    """Each embedded rule as one string: its context, then each assert/report (test, role, message)."""
    rules: Counter[str] = Counter()
    root = etree.parse(str(schema)).getroot()
    for rule in root.iter(f"{{{SCH}}}rule"):
        checks = []
        for check in rule:
            if isinstance(check.tag, str) and etree.QName(check).localname in ("assert", "report"):
                test = " ".join((check.get("test") or "").split())
                role = check.get("role") or ""
                checks.append(
                    f"{etree.QName(check).localname}[{test}]{'(' + role + ')' if role else ''}: {_message(check)}"
                )
        context = " ".join((rule.get("context") or "").split())
        rules[f"context {context}: " + " | ".join(checks)] += 1
    return rules


# ---- the comparison ------------------------------------------------------------------------------------
def compare(
    name: str,
    reference: Path,
    compiled: Path,
    work: Path,
    seed: int = 1,
    extra: list[Sample] | tuple[Sample, ...] = (),
    budget: Budget | None = None,
) -> Comparison:
    result = Comparison(name)
    samples = list(extra)
    for side, schema in (("reference", reference), ("compiled", compiled)):
        try:
            samples += generated_samples(schema, work / side, side, seed, budget or Budget())
        except (rnggrammar.GrammarError, rnggen.datatypes.Unsatisfiable, etree.XMLSyntaxError, RecursionError) as exc:
            result.problems.append(f"cannot generate from the {side} grammar: {exc}")
    result.samples = Counter(s.origin.split(" (")[0].split(" of ")[0] for s in samples)
    files = [s.path for s in samples]
    with ThreadPoolExecutor(2) as pool:
        jobs = {
            side: pool.submit(jing.run, schema, files)
            for side, schema in (("reference", reference), ("compiled", compiled))
        }
        errors = {}
        for side, job in jobs.items():
            try:
                errors[side] = job.result()
            except RuntimeError as exc:
                result.problems.append(f"jing cannot use the {side} schema: {str(exc)[:500]}")
    if len(errors) == 2:
        for s in samples:
            ref, mine = errors["reference"][s.path], errors["compiled"][s.path]
            if bool(ref) != bool(mine):
                result.verdicts.append(VerdictDiff(s, ref, mine))
            elif ref:
                result.invalid_both += 1
                result.same_messages += ref[0] == mine[0]
    ref_rules, mine_rules = schematron_rules(reference), schematron_rules(compiled)
    result.rules_only_reference = sorted((ref_rules - mine_rules).elements())
    result.rules_only_compiled = sorted((mine_rules - ref_rules).elements())
    return result


def exemplars() -> list[tuple[str, Path, Path]]:
    """(name, ODD, reference RelaxNG) for each Exemplar in ../shared/odd."""
    found = []
    for odd in sorted((SHARED_ODD / "exemplars").glob("*.odd")):
        ref = SHARED_ODD / "reference" / f"{odd.stem}.rng"
        if ref.exists():
            found.append((odd.stem, odd, ref))
    return found
