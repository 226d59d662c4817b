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
    """
    from agent_graph.chat.reply import answer

    if medic.agent is None and medic.settings.llm_provider == "none":
        return answer(question, tools=_reader(medic))
    agent = medic.ensure_agent()
    return answer(question, tools=agent.context.tools, llm=agent.context.llm)


def _reader(medic: Medic) -> "ToolContext":
    """Return the tool context the read tools need, over this process's database and registry."""
    from core.notify import Notifier
    from tools import ToolContext

    return ToolContext.build(medic.settings, sessions=medic.sessions, registry=medic.registry,
                             notifier=Notifier.from_settings(medic.sessions, medic.settings,
                                                             clock=medic.clock),
                             clock=medic.clock)


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
