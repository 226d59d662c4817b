"""Answer status questions from read-only lookups: by the LLM when configured, else by intent.

Chat can read; it can never approve or act: the only functions it can reach are below.
"""

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import select

from agent_graph.llm import LLMError, ToolCall, openai_tool
from core import audit, incidents
from core.tables import Approval, Incident
from prompts import as_data, render

log = logging.getLogger(__name__)


class ChatAnswer(BaseModel):
    """An answer, what it was looked up from, and who phrased it."""

    answer: str
    intent: str
    decided_by: str
    data: dict | list | None = None
    note: str = ""


class Lookups:
    """The read-only facts chat may use."""

    def __init__(self, sessions, registry) -> None:
        self.sessions, self.registry = sessions, registry

    def registry_status(self) -> dict:
        """Return champion, previous and challenger with metrics."""
        found = {}
        for alias in ("champion", "previous", "challenger"):
            version = self.registry.alias(alias)
            found[alias] = self.registry.version(version).model_dump(mode="json") if version \
                else None
        return found

    def pending_approvals(self) -> list[dict]:
        """Return approvals waiting for a person."""
        with self.sessions() as session:
            rows = session.scalars(select(Approval).where(Approval.status == "pending"))
            return [incidents.approval_view(a) for a in rows]

    def incident(self, incident_id: int) -> dict:
        """Return one incident's summary, plan and outcome."""
        with self.sessions() as session:
            found = incidents.detail(session, int(incident_id))
        return {k: found[k] for k in ("id", "state", "title", "type", "severity_score",
                                      "severity_level", "decided_by", "plan", "outcome")}

    def recent_incidents(self, hours: int = 24) -> list[dict]:
        """Return incidents seen in the last hours."""
        since = datetime.now(UTC) - timedelta(hours=int(hours))
        with self.sessions() as session:
            rows = session.scalars(select(Incident).where(Incident.last_seen >= since)
                                   .order_by(Incident.id.desc()).limit(50))
            return [incidents.summary(i) for i in rows]

    def version_history(self, version: str) -> list[dict]:
        """Return the alias changes that involve a version."""
        return [h.model_dump(mode="json") for h in self.registry.history()
                if str(version) in (h.version, h.replaced)]

    def audit_tail(self, limit: int = 20) -> list[dict]:
        """Return the newest audit entries."""
        with self.sessions() as session:
            return audit.entries(session, limit=int(limit))

    def table(self) -> dict[str, Callable]:
        """Return the lookups by name (the only tools chat can call)."""
        return {"registry_status": self.registry_status,
                "pending_approvals": self.pending_approvals, "incident": self.incident,
                "recent_incidents": self.recent_incidents,
                "version_history": self.version_history, "audit_tail": self.audit_tail}


SCHEMAS = [
    openai_tool("registry_status", "Which model versions are champion, previous, challenger.",
                {"type": "object", "properties": {}}),
    openai_tool("pending_approvals", "Approvals waiting for a person.",
                {"type": "object", "properties": {}}),
    openai_tool("incident", "One incident by id.", {"type": "object", "properties": {
        "incident_id": {"type": "integer"}}, "required": ["incident_id"]}),
    openai_tool("recent_incidents", "Incidents of the last hours (drift, performance, errors).",
                {"type": "object", "properties": {"hours": {"type": "integer"}}}),
    openai_tool("version_history", "Alias changes involving a model version, with reasons.",
                {"type": "object", "properties": {"version": {"type": "string"}},
                 "required": ["version"]}),
    openai_tool("audit_tail", "The newest audit log entries.",
                {"type": "object", "properties": {"limit": {"type": "integer"}}}),
]


def answer(question: str, *, lookups: Lookups, llm=None) -> ChatAnswer:
    """Answer with the LLM and read-only lookups, or by intent matching without one."""
    question = question.strip()[:2000]
    if llm is not None:
        try:
            return _with_llm(question, lookups, llm)
        except LLMError as error:
            log.warning("chat LLM failed, answering by intent: %s", error)
            return by_intent(question, lookups).model_copy(update={
                "note": f"the LLM gave no usable answer ({str(error)[:200]}); "
                        "answered by intent matching"})
    return by_intent(question, lookups)


def _with_llm(question: str, lookups: Lookups, llm) -> ChatAnswer:
    from agent_graph.chat_echo import is_non_answer

    table = lookups.table()
    messages = [{"role": "system", "content": render("system", model=lookups.registry.name)},
                {"role": "user", "content": render("chat", question=as_data(question))}]
    used = []
    for _round in range(3):
        text, calls = llm.chat(messages, SCHEMAS)
        if not calls:
            if is_non_answer(text, [m["content"] for m in messages[:2]]):
                raise LLMError("it only repeated the prompt")
            return ChatAnswer(answer=text, intent="+".join(used) or "none", decided_by="llm")
        messages.append({"role": "assistant", "content": text, "tool_calls": calls})
        for call in calls:
            messages.append({"role": "tool", "tool_call_id": call.id, "name": call.name,
                             "content": f"<untrusted-data>{as_data(_run(call, table))}"
                                        "</untrusted-data>"})
            used.append(call.name)
    raise LLMError("the model kept calling tools without answering")


def _run(call: ToolCall, table: dict) -> object:
    if call.name not in table:
        return {"error": f"{call.name} is not available: chat can only read"}
    try:
        return table[call.name](**call.args)
    except (TypeError, ValueError, LookupError) as error:
        return {"error": str(error)[:200]}


INTENTS = [
    ("pending_approvals", re.compile(r"\b(pending|waiting|approv)", re.I)),
    ("version_history", re.compile(r"\b(why|when)\b.*\bversion\s*(\d+)", re.I)),
    ("incident", re.compile(r"\bincident\s*#?(\d+)", re.I)),
    ("drift", re.compile(r"\bdrift", re.I)),
    ("registry_status", re.compile(r"\b(production|champion|model|version|serving)", re.I)),
    ("recent_incidents", re.compile(r"\b(incident|alert|happen|today|status)", re.I)),
]


def by_intent(question: str, lookups: Lookups) -> ChatAnswer:
    """Match the question to one lookup and phrase its result."""
    for intent, pattern in INTENTS:
        match = pattern.search(question)
        if match:
            return _phrase(intent, match, lookups)
    return ChatAnswer(answer="I can answer: which model is in production, pending approvals, "
                      "why a version was rolled back, how drift is today, and what happened "
                      "with an incident.", intent="help", decided_by="rules")


def _phrase(intent: str, match, lookups: Lookups) -> ChatAnswer:
    from agent_graph.chat_phrases import phrase

    text, data = phrase(intent, match, lookups)
    return ChatAnswer(answer=text, intent=intent, decided_by="rules", data=data)
