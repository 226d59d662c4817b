"""Answer status questions with the read-only tools: by the LLM when configured, else by intent.

Chat can read; it can never approve or act: the only tools it can reach are the agent's
read tools that need no evidence file and chat's own read tools (`tools/chat_tools.py`),
offered to the LLM by their own schemas.
"""

import logging

from agent_graph.chat.answer import ChatAnswer
from agent_graph.chat.intents import classify
from agent_graph.llm.client import LLMError, ToolCall, openai_tool
from prompts import as_data, render
from tools import TOOLS, Tool, ToolContext, ToolResult
from tools.chat_tools import CHAT_ONLY

log = logging.getLogger(__name__)

CHAT_TOOLS: dict[str, Tool] = {**{name: tool for name, tool in TOOLS.items()
                                  if tool.risk == "read" and not tool.wants_evidence},
                               **CHAT_ONLY}


def lookup(tools: ToolContext, name: str, args: dict | None = None) -> ToolResult:
    """Run one chat tool; an unknown or acting tool gets an error result, never a run."""
    if name not in CHAT_TOOLS:
        return ToolResult(status="error", message=f"{name} is not available: chat can only read")
    return CHAT_TOOLS[name](tools, args or {})


def schemas() -> list[dict]:
    """Return the chat tools in the OpenAI function-calling format, from their own schemas."""
    return [openai_tool(s["name"], s["description"], s["parameters"])
            for s in (tool.schema() for tool in CHAT_TOOLS.values())]


def answer(question: str, *, tools: ToolContext, llm=None) -> ChatAnswer:
    """Answer with the LLM and the read-only tools, or by intent matching without an LLM.

    A request to act is answered by the rules even with an LLM: chat says it does not act
    and how to do it, whatever a model would make of the request.
    """
    question = question.strip()[:2000]
    if llm is not None and classify(question).name != "act":
        try:
            return _with_llm(question, tools, llm)
        except LLMError as error:
            log.warning("chat LLM failed, answering by intent: %s", error)
            return by_intent(question, tools).model_copy(update={
                "note": f"the LLM gave no usable answer ({str(error)[:200]}); "
                        "answered by intent matching"})
    return by_intent(question, tools)


def _with_llm(question: str, tools: ToolContext, llm) -> ChatAnswer:
    from agent_graph.chat.echo import is_non_answer

    offered = schemas()
    messages = [{"role": "system", "content": render("system", model=tools.registry.name)},
                {"role": "user", "content": render("chat", question=as_data(question))}]
    used = []
    for _round in range(3):
        text, calls = llm.chat(messages, offered)
        if not calls:
            if is_non_answer(text, [m["content"] for m in messages[:2]]):
                raise LLMError("it only repeated the prompt")
            return ChatAnswer(answer=text, intent="+".join(used) or "none", decided_by="llm")
        messages.append({"role": "assistant", "content": text, "tool_calls": calls})
        for call in calls:
            messages.append({"role": "tool", "tool_call_id": call.id, "name": call.name,
                             "content": f"<untrusted-data>{as_data(_run(call, tools))}"
                                        "</untrusted-data>"})
            used.append(call.name)
    raise LLMError("the model kept calling tools without answering")


def _run(call: ToolCall, tools: ToolContext) -> dict:
    result = lookup(tools, call.name, call.args)
    if result.status == "error":
        return {"error": result.message[:200]}
    return result.model_dump()


def by_intent(question: str, tools: ToolContext) -> ChatAnswer:
    """Answer from the database by what the question asks; a request to act is refused."""
    from agent_graph.chat.phrases import phrase

    intent = classify(question)
    text, data = phrase(intent, lambda name, args=None: lookup(tools, name, args))
    return ChatAnswer(answer=text, intent=intent.name, decided_by="rules", data=data)
