"""The API's intake process: bodies stored as they would be in-process, errors kept, and a
child that dies or hangs answers 503 and is replaced — never a caller left waiting."""

import asyncio
import json
import logging
import os
import signal
import time

import pytest
from sqlalchemy import func, select

from core.errors import AlertError, SignatureError, TooLarge, Unavailable
from core.tables import AlertRecord, Incident
from services.alerts import store_body
from services.context import open_medic
from services.processes.intake import IntakeProcess
from tests.conftest import make_settings
from tests.processes import PATIENCE

START_SECONDS = 120  # a fresh interpreter imports SQLAlchemy and Medic; slow under load


def _body(*names: str) -> bytes:
    return json.dumps([{"name": name, "type": "drift", "values": {"drift_share": 0.6}}
                       for name in names]).encode()


def _store(intake: IntakeProcess, body: bytes, *, signature: str | None = None):
    return asyncio.run(intake.store(body, format="medic", signature=signature))


def _counts(settings) -> tuple[int, int]:
    with open_medic(settings) as medic, medic.sessions() as session:
        return (session.scalar(select(func.count()).select_from(Incident)),
                session.scalar(select(func.count()).select_from(AlertRecord)))


@pytest.fixture
def intake(settings):
    made = IntakeProcess(settings, timeout=START_SECONDS)
    yield made
    made.close(grace=5)


def test_a_body_is_stored_by_the_child_as_it_would_be_in_process(intake, settings,
                                                                   tmp_path):
    body = _body("drift-a", "drift-b", "drift-a")
    stored = _store(intake, body)
    child = intake.pid
    assert child is not None and child != os.getpid()
    assert _store(intake, _body("drift-b")) and intake.pid == child  # one child, kept

    here = make_settings(tmp_path / "here")
    with open_medic(here) as medic:
        expected = store_body(medic, body, format="medic")
    assert stored == expected  # the same incidents, new or joined, in the same order
    assert [s.created for s in stored] == [True, True, False]
    assert _counts(settings) == (2, 4)


def test_the_callers_errors_come_back_with_their_kind_and_message(intake, settings):
    with open_medic(settings) as medic:
        with pytest.raises(AlertError) as in_process:
            store_body(medic, b'{"name": ""}', format="medic")
    with pytest.raises(AlertError) as through_child:
        _store(intake, b'{"name": ""}')
    assert str(through_child.value) == str(in_process.value)

    with pytest.raises(TooLarge, match="MEDIC_MAX_ALERTS_PER_PAYLOAD"):
        _store(intake, _body(*(f"a{i}" for i in range(settings.max_alerts_per_payload + 1))))
    _store(intake, _body("signed"), signature="f" * 64)
    with pytest.raises(SignatureError, match="replay"):
        _store(intake, _body("signed"), signature="f" * 64)
    assert _counts(settings) == (1, 1)  # only the first signed payload


def test_a_child_killed_while_it_holds_a_payload_answers_503_and_is_replaced(intake,
                                                                              settings):
    _store(intake, _body("before"))
    first = intake.pid

    async def killed_while_waiting() -> None:
        os.kill(first, signal.SIGSTOP)  # it holds the payload, unread
        waiting = asyncio.create_task(intake.store(_body("lost"), format="medic",
                                                   signature=None))
        await asyncio.sleep(0.3)
        assert not waiting.done()
        os.kill(first, signal.SIGKILL)
        with pytest.raises(Unavailable, match="send it again"):
            await waiting

    asyncio.run(killed_while_waiting())  # answered, not left waiting (pytest-timeout bounds it)
    _store(intake, _body("after"))  # a new child stores the next payload
    assert intake.pid not in (None, first)
    assert _counts(settings) == (2, 2)  # "lost" was never stored: its sender was told so


def test_a_hung_child_is_killed_after_the_timeout_and_its_callers_answered_503(
        intake, settings, caplog):
    caplog.set_level(logging.ERROR, logger="services.processes.intake")
    _store(intake, _body("before"))
    hung = intake.pid
    os.kill(hung, signal.SIGSTOP)
    intake.timeout = 1.0
    with pytest.raises(Unavailable):
        _store(intake, _body("stuck"))
    assert "did not answer in 1 s" in caplog.text

    intake.timeout = START_SECONDS
    _store(intake, _body("after"))
    assert intake.pid not in (None, hung)
    deadline = time.monotonic() + 60 * PATIENCE
    while time.monotonic() < deadline and os.path.exists(f"/proc/{hung}"):
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{hung}")  # killed and reaped
    assert _counts(settings) == (2, 2)


def test_closing_lets_the_child_finish_and_leaves_no_process(intake):
    _store(intake, _body("one"))
    child = intake.pid
    intake.close()
    assert intake.pid is None and not os.path.exists(f"/proc/{child}")


def test_a_hung_child_never_blocks_the_event_loop(intake, settings):
    _store(intake, _body("before"))
    os.kill(intake.pid, signal.SIGSTOP)
    intake.timeout = 2.0
    big = _body(*(f"alert-{i}-" + "x" * 200 for i in range(300)))  # more than a pipe holds

    async def meanwhile() -> tuple[list, int]:
        ticks, done = 0, asyncio.Event()

        async def tick() -> None:
            nonlocal ticks
            while not done.is_set():
                await asyncio.sleep(0.05)
                ticks += 1

        ticker = asyncio.create_task(tick())
        stores = [asyncio.create_task(intake.store(big, format="medic", signature=None))
                  for _ in range(5)]
        await asyncio.wait(stores, return_when=asyncio.FIRST_COMPLETED)
        ticked = ticks  # while the first store waited on the hung child (2 s by the loop)
        answers = await asyncio.gather(*stores, return_exceptions=True)
        done.set()
        await ticker
        return answers, ticked

    answers, ticked = asyncio.run(meanwhile())
    assert all(isinstance(answer, Unavailable) for answer in answers)
    # the loop went on serving meanwhile: ~40 ticks of 0.05 s in the 2 s wait on a quiet
    # machine; a store blocking the loop would leave none (counted, not timed: any load passes)
    assert ticked >= 5
    intake.timeout = START_SECONDS
    assert len(_store(intake, _body("after"))) == 1  # the next child takes payloads again
