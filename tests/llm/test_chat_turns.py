"""Chat with a small local model: the shipped template takes tool turns; echoes are not answers."""

import re

import pytest
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from agent_graph.chat.echo import is_non_answer
from prompts import as_data, render
from tests.conftest import PROJECT_ROOT, Driver, make_settings
from tests.llm.replay import BASE, Replay

TEMPLATE = PROJECT_ROOT / "scripts" / "gemma3-chat-template.jinja"
ECHO = ('<untrusted-data>\n"which model is in production?"\n</untrusted-data>… (1) '
        '<untrusted-data> or (2)…')


@pytest.fixture
def chat_agent(trained, clock):
    from agent_graph.runtime.runner import open_agent

    settings = make_settings(trained[0].home, llm_provider="openai", llm_model="gemma",
                             llm_base_url=BASE["openai"])
    with open_agent(settings, clock=clock) as running:
        yield Driver(running, settings)


def render_as_llama_cpp(messages: list[dict]) -> str:
    """Render the template the way llama-cpp-python's Jinja2ChatFormatter does."""
    def raise_exception(message):
        raise TemplateError(message)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    return env.from_string(TEMPLATE.read_text()).render(
        messages=messages, bos_token="<bos>", eos_token="<eos>", add_generation_prompt=True,
        raise_exception=raise_exception)


def turns(text: str) -> list[str]:
    return re.findall(r"<start_of_turn>(\w+)", text)


@pytest.mark.parametrize("first", ["chat_lookup_registry.json", "chat_lookup_two.json"])
def test_the_shipped_template_renders_the_turns_chat_sends_after_a_tool_call(chat_agent,
                                                                             first):
    with Replay("openai", {"chat": [first, "chat_answer.json"]}) as replay:
        reply = chat_agent.ask("which model is in production?")
    assert reply.decided_by == "llm"
    sent = replay.calls[1][1]["messages"]  # exactly what chat sent after the tool call(s)
    assert "tool" in [m["role"] for m in sent]
    # llama-cpp-python's server refuses an assistant turn whose content is not a string
    assert all(isinstance(m["content"], str) for m in sent if m["role"] == "assistant")
    text = render_as_llama_cpp(sent)  # before: "Invalid content type" (null content)
    assert turns(text) == ["user", "model", "user", "model"]  # alternating, then generation
    assert '{"tool": "registry_lookup", "args": {}}' in text
    assert "Result of" in text and '"version": "2"' in text
    assert text.count("<end_of_turn>") == 3


def test_the_template_renders_plain_conversations_as_gemma_does():
    text = render_as_llama_cpp([{"role": "system", "content": "S"},
                                {"role": "user", "content": "Q"},
                                {"role": "assistant", "content": "A"},
                                {"role": "user", "content": "Q2"}])
    assert text == ("<bos><start_of_turn>user\nS\n\nQ<end_of_turn>\n<start_of_turn>model\nA"
                    "<end_of_turn>\n<start_of_turn>user\nQ2<end_of_turn>\n"
                    "<start_of_turn>model\n")
    with pytest.raises(TemplateError, match="alternate"):
        render_as_llama_cpp([{"role": "user", "content": "Q"}, {"role": "user", "content": "Q"}])


def test_an_echoed_question_in_prompt_markup_is_not_an_answer(chat_agent):
    with Replay("openai", {"chat": ["chat_echo_markup.json"]}):
        reply = chat_agent.ask("Which model is in production?")
    assert reply.decided_by == "rules" and reply.intent == "registry_status"
    assert "champion" in reply.answer and "intent matching" in reply.note


PROMPT = render("chat", question=as_data("Which model is in production?"))


@pytest.mark.parametrize("answer", [
    ECHO,
    '"which model is in production?"… (1) or (2)…',
    "<untrusted-data>Version 2</untrusted-data>",
    "<start_of_turn>model\nWhich model is in production?",
    "Which model is in production?",
])
def test_echoes_and_prompt_markup_are_not_answers(answer):
    assert is_non_answer(answer, [PROMPT])


@pytest.mark.parametrize("answer", [
    "Version 2 is the champion.",
    "Which model is in production? Version 2 (logreg) is the champion, held-out F1 0.867.",
    "The champion is version 2; there are (1) no pending approvals and (2) no open incidents.",
])
def test_real_answers_are_answers(answer):
    assert not is_non_answer(answer, [PROMPT])
