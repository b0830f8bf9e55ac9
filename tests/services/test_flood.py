"""The flood gate: a burst gets `limit` answers and one notice; memory stays bounded."""

from __future__ import annotations

import pytest

from bot.services.flood import FloodGate, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_thirty_messages_in_two_seconds_get_five_answers_and_one_notice() -> None:
    clock = Clock()
    gate = FloodGate(limit=5, window=4.0, clock=clock)
    verdicts = []
    for n in range(30):
        clock.now = n * 2.0 / 30
        verdicts.append(gate.check(42))
    assert verdicts.count(Verdict.ANSWER) == 5
    assert verdicts.count(Verdict.NOTIFY) == 1
    assert verdicts[5] == Verdict.NOTIFY
    assert set(verdicts[6:]) == {Verdict.IGNORE}


def test_after_a_pause_the_person_is_answered_again() -> None:
    clock = Clock()
    gate = FloodGate(limit=2, window=3.0, clock=clock)
    assert [gate.check(1) for _ in range(4)] == [
        Verdict.ANSWER,
        Verdict.ANSWER,
        Verdict.NOTIFY,
        Verdict.IGNORE,
    ]
    clock.now = 3.5
    assert gate.check(1) == Verdict.ANSWER
    assert gate.check(1) == Verdict.ANSWER
    assert gate.check(1) == Verdict.NOTIFY


def test_a_steady_pace_is_never_limited_and_people_are_counted_apart() -> None:
    clock = Clock()
    gate = FloodGate(limit=3, window=3.0, clock=clock)
    for n in range(20):
        clock.now = n * 1.1  # a person typing one message a second or so
        assert gate.check(1) == Verdict.ANSWER
        assert gate.check(2) == Verdict.ANSWER


def test_memory_is_bounded_by_the_number_of_people() -> None:
    gate = FloodGate(limit=2, window=1.0, max_people=100, clock=Clock())
    for person in range(1_000):
        gate.check(person)
    assert len(gate) == 100


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        FloodGate(limit=0)
