"""The RelaxNG time box: work runs on one long-lived thread (not one per
document), work that outlasts the box is abandoned and counted as a
fallback, and an exception in the work reaches the caller."""

from __future__ import annotations

import threading

import pytest

from conftest import CASES
from teikit.validation import rngcache
from teikit.validation.relaxng import RelaxNG


@pytest.fixture
def compiled():
    return RelaxNG(CASES / "safety" / "tiny.rng").compiled


def test_one_thread_serves_every_document(compiled) -> None:
    assert compiled.boxed(lambda: 1, 10) == 1
    before = threading.active_count()
    threads = {compiled.boxed(threading.get_ident, 10) for _ in range(50)}
    assert len(threads) == 1 and threading.active_count() == before
    assert threads != {threading.get_ident()}  # the work ran on the box's thread, not the caller's


def test_work_past_the_box_is_abandoned(compiled, monkeypatch) -> None:
    monkeypatch.setattr(rngcache, "_TIME_BOX", 0.05)
    release = threading.Event()
    assert compiled.boxed(lambda: release.wait(5), 0) is None
    assert compiled.fallbacks == 1
    monkeypatch.setattr(rngcache, "_TIME_BOX", 20)
    assert compiled.boxed(lambda: "next", 0) == "next"  # a new thread: the busy one is left behind
    release.set()


def test_an_exception_reaches_the_caller(compiled) -> None:
    def fail() -> None:
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        compiled.boxed(fail, 10)
    assert compiled.boxed(lambda: 2, 10) == 2
