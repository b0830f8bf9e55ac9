"""Updates: one person's in order, different people at the same time, never more than allowed."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Chat, Message, Update, User

from bot.update_processor import PersonOrderedUpdateProcessor, person_key

_ids = iter(range(1, 10_000))


def _update(user_id: int) -> Update:
    user = User(user_id, "An", is_bot=False)
    chat = Chat(user_id, "private")
    message = Message(next(_ids), None, chat, from_user=user, text="hỏi")  # type: ignore[arg-type]
    return Update(next(_ids), message=message)


async def _feed(
    processor: PersonOrderedUpdateProcessor, updates: list[Update], work: object
) -> None:
    """Start each update as PTB does: a task per update, in the order received."""
    tasks = [
        asyncio.create_task(processor.process_update(update, work(update)))  # type: ignore[operator]
        for update in updates
    ]
    await asyncio.gather(*tasks)


async def test_one_persons_updates_run_in_order_even_when_the_first_is_slow() -> None:
    processor = PersonOrderedUpdateProcessor(max_running=8)
    done: list[tuple[int, int]] = []
    updates = [_update(7) for _ in range(5)]

    async def work(update: Update) -> None:
        # The first message is the slowest (e.g. it waits for the NLU): still handled first.
        await asyncio.sleep(0.05 if update is updates[0] else 0.001)
        assert update.effective_user is not None
        done.append((update.effective_user.id, update.update_id))

    await _feed(processor, updates, work)
    assert [update_id for _, update_id in done] == [u.update_id for u in updates]
    assert processor.people_in_progress == 0  # no lock left behind per person


async def test_different_people_are_served_at_the_same_time() -> None:
    processor = PersonOrderedUpdateProcessor(max_running=8)
    running = 0
    most = 0

    async def work(update: Update) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.05)
        running -= 1

    started = asyncio.get_running_loop().time()
    await _feed(processor, [_update(person) for person in range(1, 9)], work)
    elapsed = asyncio.get_running_loop().time() - started

    assert most == 8
    assert elapsed < 0.3  # one after another it would take 8 x 0.05 s = 0.4 s


async def test_concurrency_is_bounded_and_a_chatty_person_takes_one_slot() -> None:
    processor = PersonOrderedUpdateProcessor(max_running=2, max_pending=64)
    running = 0
    most = 0
    finished: dict[int, float] = {}
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def work(update: Update) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.02)
        running -= 1
        assert update.effective_user is not None
        finished[update.effective_user.id] = loop.time() - started

    chatty = [_update(1) for _ in range(20)]  # 20 x 0.02 s = 0.4 s of one person's work
    await _feed(processor, [*chatty, _update(2), _update(3)], work)

    assert most == 2
    assert finished[2] < 0.1 and finished[3] < 0.1  # not behind the chatty person's queue


def test_the_key_is_the_chat() -> None:
    assert person_key(_update(5)) == ("chat", 5)
    assert person_key(object()) is None


def test_bad_bounds_are_refused() -> None:
    with pytest.raises(ValueError):
        PersonOrderedUpdateProcessor(max_running=0)
    with pytest.raises(ValueError):
        PersonOrderedUpdateProcessor(max_running=8, max_pending=4)
