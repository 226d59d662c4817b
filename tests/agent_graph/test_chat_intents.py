"""The intent matcher, measured on questions written the way people ask them."""

from pathlib import Path

import yaml

from agent_graph.chat.intents import classify

PHRASINGS = Path(__file__).with_name("chat_phrasings.yaml")


def test_questions_as_people_ask_them_are_understood(capsys):
    asked = [(intent, question) for intent, questions in yaml.safe_load(
        PHRASINGS.read_text()).items() for question in questions]
    wrong = [(q, want, classify(q).name) for want, q in asked if classify(q).name != want]
    score = 1 - len(wrong) / len(asked)
    with capsys.disabled():
        print(f"\nchat intents: {len(asked) - len(wrong)}/{len(asked)} right ({score:.0%})"  # noqa: T201
              + "".join(f"\n  {q!r}: wanted {want}, got {got}" for q, want, got in wrong))
    assert len(asked) >= 60 and len({want for want, _q in asked}) >= 10
    assert score >= 0.9, wrong


def test_a_request_to_act_is_never_read_as_a_question():
    acts = yaml.safe_load(PHRASINGS.read_text())["act"]
    assert [q for q in acts if classify(q).name != "act"] == []
    reads = [q for intent, qs in yaml.safe_load(PHRASINGS.read_text()).items()
             if intent != "act" for q in qs]
    assert [q for q in reads if classify(q).name == "act"] == []  # nor a question as an act


def test_the_act_and_its_number_are_kept_for_the_how_to():
    assert (classify("approve approval 1").act, classify("approve approval 1").number) == (
        "approve", 1)
    assert classify("pls roll back to v1").act == "rollback"
    assert classify("why did you retrain?").act == "retrain"  # a read, about a retrain
    assert classify("when did version 2 become champion?").number == 2
