"""Answer status questions (read-only: chat can never approve or act)."""

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from agent_graph.chat.answer import ChatAnswer
from core.roles import Principal, require
from services.context import Medic

if TYPE_CHECKING:
    from tools import ToolContext

SENTENCE_END = re.compile(r"(?<=[.;!?])(?=\s)")


def ask(medic: Medic, question: str) -> ChatAnswer:
    """Answer with the read-only tools, by the LLM when configured, else by intent.

    Without an LLM nothing needs the agent: a process that has not opened it (`medic ask`
    on its own) reads through a tool context of its own, and pays for no graph,
    checkpointer or training code.

    A question that names another model ("is bike-demand ok?", "how is bike doing?") is
    answered about that model: its champion, live metric and monitors.
    """
    from agent_graph.chat.intents import mentioned
    from agent_graph.chat.reply import answer
    from ml import spec as specs

    model = mentioned(question, specs.names(medic.settings.models_dir))
    if model == medic.settings.default_model:
        model = None
    if medic.agent is None and medic.settings.llm_provider == "none":
        return answer(question, tools=_reader(medic, model))
    agent = medic.ensure_agent()
    context = agent.context_of(model, None) if model else agent.context
    return answer(question, tools=context.tools, llm=context.llm)


def _reader(medic: Medic, model: str | None = None) -> "ToolContext":
    """Return the tool context the read tools need for a model (default: the default)."""
    from core.notify import Notifier
    from ml import spec as specs
    from tools import ToolContext

    registry = medic.registry
    if model is not None:
        registry = registry.named(specs.registry_name(medic.settings,
                                                      specs.of(medic.settings, model)))
    return ToolContext.build(medic.settings, sessions=medic.sessions, registry=registry,
                             notifier=Notifier.from_settings(medic.sessions, medic.settings,
                                                             clock=medic.clock),
                             clock=medic.clock, model=model)


def stream(medic: Medic, question: str, *, principal: Principal) -> Iterator[str]:
    """Yield `ask`'s answer sentence by sentence, then its note if it has one.

    The answer is complete before the first piece: the pieces let a console show it as
    it arrives, and no delay is added between them.
    """
    require(principal, "read")
    reply = ask(medic, question)
    yield from SENTENCE_END.split(reply.answer)
    if reply.note:
        yield f"\n\n({reply.note})"
