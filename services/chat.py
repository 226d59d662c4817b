"""Answer status questions (read-only: chat can never approve or act)."""

from services.context import Medic
from services.views import ChatReply


def ask(medic: Medic, question: str) -> ChatReply:
    """Answer with the read-only tools, by the LLM when configured, else by intent."""
    from agent_graph.chat import answer

    agent = medic.ensure_agent()
    reply = answer(question, tools=agent.context.tools, llm=agent.context.llm)
    return ChatReply(**reply.model_dump())
