"""Answer status questions (read-only: chat can never approve or act)."""

import re
from collections.abc import Iterator

from core.roles import Principal, require
from services.context import Medic
from services.views import ChatReply

SENTENCE_END = re.compile(r"(?<=[.;!?])(?=\s)")


def ask(medic: Medic, question: str) -> ChatReply:
    """Answer with the read-only tools, by the LLM when configured, else by intent."""
    from agent_graph.chat import answer

    agent = medic.ensure_agent()
    reply = answer(question, tools=agent.context.tools, llm=agent.context.llm)
    return ChatReply(**reply.model_dump())


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
