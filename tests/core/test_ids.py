"""New ids grow with time (a bulk write appends them at one end of the unique index) and
stay unique: many in one millisecond, a clock set back, a forked child (issue 18)."""

from __future__ import annotations

import os
import string
from collections.abc import Iterator

import pytest

from annotator.core import ids


@pytest.fixture(autouse=True)
def _forgotten() -> Iterator[None]:
    """Each test starts and ends with no millisecond remembered (a frozen clock's would
    outlive the test)."""
    ids._forget()
    yield
    ids._forget()


def _frozen(monkeypatch: pytest.MonkeyPatch, ns: int) -> None:
    monkeypatch.setattr(ids.time, "time_ns", lambda: ns)


def test_ids_made_one_after_another_only_grow() -> None:
    made = [ids.new_id("s") for _ in range(200)] + ids.new_ids("s", 5000) + [ids.new_id("s")]
    assert made == sorted(made) and len(set(made)) == len(made)
    assert {len(i) for i in made} == {29}
    assert all(set(i[1:]) <= set(string.hexdigits.lower()) and i[0] == "s" for i in made)


def test_a_batch_is_in_increasing_order() -> None:
    batch = ids.new_ids("ent", 20000)
    assert batch == sorted(batch) and len(set(batch)) == len(batch) and all(i.startswith("ent") for i in batch)


def test_many_ids_in_one_millisecond_stay_unique_and_ordered(monkeypatch: pytest.MonkeyPatch) -> None:
    _frozen(monkeypatch, 1_800_000_000_000_000_000)
    made = ids.new_ids("s", 3) + [ids.new_id("s") for _ in range(1000)] + ids.new_ids("s", 10000)
    assert made == sorted(made) and len(set(made)) == len(made)
    assert {i[1:13] for i in made} == {f"{1_800_000_000_000:012x}"}  # one millisecond, counted on


def test_a_clock_set_back_keeps_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    _frozen(monkeypatch, 1_900_000_000_000_000_000)
    before = ids.new_ids("r", 10)
    _frozen(monkeypatch, 1_800_000_000_000_000_000)
    after = ids.new_ids("r", 10) + [ids.new_id("r")]
    assert before + after == sorted(before + after) and len(set(before + after)) == 21


def test_the_millisecond_leads(monkeypatch: pytest.MonkeyPatch) -> None:
    _frozen(monkeypatch, 1_800_000_000_000_000_000)
    early = ids.new_ids("s", 100)
    _frozen(monkeypatch, 1_800_000_000_001_000_000)  # one millisecond later
    late = ids.new_id("s")
    assert max(early) < late and late[1:13] == f"{1_800_000_000_001:012x}"


def test_a_forked_child_draws_its_own_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parent and child in the same millisecond: the child must not count on from the
    parent's last id (both would make the same ones)."""
    _frozen(monkeypatch, 1_800_000_000_000_000_000)
    ids.new_ids("s", 10)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its ids to the pipe, then out without pytest's teardown
        try:
            os.write(write, " ".join(ids.new_ids("s", 1000)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        child = pipe.read().split()
    os.waitpid(pid, 0)
    parent = ids.new_ids("s", 1000)
    assert len(child) == 1000 and not set(child) & set(parent)
