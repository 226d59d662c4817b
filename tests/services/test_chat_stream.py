"""The console's streamed chat: the same answer as the API's, in pieces, for readers only."""

import pytest

from core.errors import Forbidden
from services import chat
from tests.conftest import drift_alert, principal_of


def test_the_answer_streams_in_sentences_that_join_into_the_apis_answer(agent):
    agent.submit(drift_alert())
    [pending] = agent.pending()
    viewer = principal_of(agent.sessions, name="vic", role="viewer")
    question = f"What happened with incident {pending['incident_id']}?"
    pieces = list(chat.stream(agent.medic, question, principal=viewer))
    whole = chat.ask(agent.medic, question).answer
    assert "".join(pieces) == whole and len(pieces) > 1
    assert pieces[0].startswith(f"Incident {pending['incident_id']} (drift")
    assert [a["id"] for a in agent.pending()] == [pending["id"]]  # asking approved nothing


def test_a_key_without_read_cannot_chat(agent):
    predictor = principal_of(agent.sessions, name="pia", role="predictor")
    with pytest.raises(Forbidden, match="needs viewer"):
        next(chat.stream(agent.medic, "which model is in production?", principal=predictor))
