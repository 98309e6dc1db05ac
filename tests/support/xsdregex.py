"""XML Schema regular expressions (XSD Part 2, appendix F): parse, match, and generate matching strings.

RelaxNG grammars constrain values with ``<param name="pattern">``; a generator needs strings the pattern
accepts and a mutator needs to know that a spoiled value is rejected.  Python's ``re`` lacks ``\\p{..}``,
``\\i``, ``\\c`` and class subtraction, so the expressions are parsed here into a small tree.  XSD patterns
are implicitly anchored at both ends.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

CharTest = Callable[[str], bool]

# Candidate characters tried when a class is defined by exclusion (``[^...]``, ``\S``, ``.``); the
# generator picks the first few that match, so the values stay readable.
_CANDIDATES = "abcxyzABCXYZ0123456789-._:éßΩд"
_MULTI = {
    "d": lambda c: unicodedata.category(c) == "Nd",
    "s": lambda c: c in " \t\n\r",
    "i": lambda c: c.isalpha() or c in "_:",
    "c": lambda c: c.isalnum() or c in "-._:·",
    "w": lambda c: unicodedata.category(c)[0] not in "PZC",
}
_SINGLE = {"n": "\n", "r": "\r", "t": "\t"}


@dataclass(frozen=True)
class Atom:
    test: CharTest


@dataclass(frozen=True)
class Seq:
    items: tuple[Piece, ...]


@dataclass(frozen=True)
class Alt:
    branches: tuple[Seq, ...]


@dataclass(frozen=True)
class Piece:
    atom: Atom | Alt
    low: int
    high: int | None


class RegexError(ValueError):
    pass


def _category(name: str) -> CharTest:
    if name.startswith("Is"):
        raise RegexError(f"block escapes are not supported: {name}")
    return lambda c: unicodedata.category(c).startswith(name)


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def take(self) -> str:
        c = self.peek()
        if not c:
            raise RegexError(f"unexpected end of pattern {self.s!r}")
        self.i += 1
        return c

    def alt(self) -> Alt:
        branches = [self.seq()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.seq())
        return Alt(tuple(branches))

    def seq(self) -> Seq:
        items = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.piece())
        return Seq(tuple(items))

    def piece(self) -> Piece:
        atom = self.atom()
        low, high = 1, 1
        c = self.peek()
        if c in ("?", "*", "+"):
            self.i += 1
            low, high = {"?": (0, 1), "*": (0, None), "+": (1, None)}[c]
        elif c == "{":
            self.i += 1
            spec = ""
            while self.peek() != "}":
                spec += self.take()
            self.i += 1
            lo, _, hi = spec.partition(",")
            low = int(lo)
            high = low if "," not in spec else (int(hi) if hi else None)
        return Piece(atom, low, high)

    def atom(self) -> Atom | Alt:
        c = self.take()
        if c == "(":
            inner = self.alt()
            if self.take() != ")":
                raise RegexError(f"unbalanced parenthesis in {self.s!r}")
            return inner
        if c == ".":
            return Atom(lambda ch: ch not in "\n\r")
        if c == "[":
            return Atom(self.char_class())
        if c == "\\":
            return Atom(self.escape())
        return Atom(lambda ch, c=c: ch == c)

    def escape(self) -> CharTest:
        c = self.take()
        if c in ("p", "P"):
            if self.take() != "{":
                raise RegexError(f"bad \\{c} in {self.s!r}")
            name = ""
            while self.peek() != "}":
                name += self.take()
            self.i += 1
            test = _category(name)
            return test if c == "p" else (lambda ch: not test(ch))
        if c.lower() in _MULTI:
            test = _MULTI[c.lower()]
            return test if c.islower() else (lambda ch: not test(ch))
        lit = _SINGLE.get(c, c)
        return lambda ch: ch == lit

    def char_class(self) -> CharTest:
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        tests: list[CharTest] = []
        first = True
        while first or self.peek() != "]":
            first = False
            if self.peek() == "-" and self.s[self.i + 1 : self.i + 2] == "[":
                self.i += 2
                sub = self.char_class()
                base = _any_of(tests)
                tests = [lambda ch, b=base, s=sub: b(ch) and not s(ch)]
                continue
            tests.append(self.class_item())
        self.i += 1
        test = _any_of(tests)
        return (lambda ch: not test(ch)) if negated else test

    def class_item(self) -> CharTest:
        c = self.take()
        if c == "\\":
            nxt = self.peek()
            if nxt.lower() in _MULTI or nxt in ("p", "P"):
                return self.escape()
            c = _SINGLE.get(self.take(), nxt)
        if self.peek() == "-" and self.s[self.i + 1 : self.i + 2] not in ("]", "["):
            self.i += 1
            end = self.take()
            if end == "\\":
                end = _SINGLE.get(self.take(), self.s[self.i - 1])
            return lambda ch, lo=c, hi=end: lo <= ch <= hi
        return lambda ch, c=c: ch == c


def _any_of(tests: list[CharTest]) -> CharTest:
    return lambda ch: any(t(ch) for t in tests)


@functools.lru_cache(maxsize=512)
def parse(text: str) -> Alt:
    parser = _Parser(text)
    tree = parser.alt()
    if parser.i != len(text):
        raise RegexError(f"unbalanced parenthesis in {text!r}")
    return tree


def _match_alt(node: Alt, s: str, i: int) -> Iterator[int]:
    for branch in node.branches:
        yield from _match_seq(branch.items, 0, s, i)


def _match_seq(items: tuple[Piece, ...], k: int, s: str, i: int) -> Iterator[int]:
    if k == len(items):
        yield i
        return
    for j in _match_piece(items[k], 0, s, i):
        yield from _match_seq(items, k + 1, s, j)


def _match_piece(piece: Piece, count: int, s: str, i: int) -> Iterator[int]:
    # Greedy: more repetitions first, each repetition must consume something to stop loops.
    if piece.high is None or count < piece.high:
        for j in _match_one(piece.atom, s, i):
            if j > i:
                yield from _match_piece(piece, count + 1, s, j)
    if count >= piece.low:
        yield i


def _match_one(atom: Atom | Alt, s: str, i: int) -> Iterator[int]:
    if isinstance(atom, Alt):
        yield from _match_alt(atom, s, i)
    elif i < len(s) and atom.test(s[i]):
        yield i + 1


def matches(pattern: str | Alt, s: str) -> bool:
    tree = parse(pattern) if isinstance(pattern, str) else pattern
    return any(j == len(s) for j in _match_alt(tree, s, 0))


_FITTING: dict[int, tuple[CharTest, list[str]]] = {}


def _pick_char(test: CharTest, rnd: random.Random) -> str:
    known = _FITTING.get(id(test))
    if known is None or known[0] is not test:
        fitting = [c for c in _CANDIDATES if test(c)][:6]
        if not fitting:
            fitting = [chr(n) for n in range(0x20, 0x3000) if test(chr(n))][:6]
        if not fitting:
            raise RegexError("a character class matches no character")
        known = _FITTING[id(test)] = (test, fitting)
    return rnd.choice(known[1])


def _gen_alt(node: Alt, rnd: random.Random, out: list[str]) -> None:
    for piece in rnd.choice(node.branches).items:
        high = piece.high if piece.high is not None else piece.low + 3
        for _ in range(rnd.randint(piece.low, max(piece.low, min(high, piece.low + 3)))):
            if isinstance(piece.atom, Alt):
                _gen_alt(piece.atom, rnd, out)
            else:
                out.append(_pick_char(piece.atom.test, rnd))


def generate(pattern: str | Alt, rnd: random.Random) -> str:
    """A string the pattern accepts (drawn with ``rnd``)."""
    tree = parse(pattern) if isinstance(pattern, str) else pattern
    out: list[str] = []
    _gen_alt(tree, rnd, out)
    return "".join(out)
