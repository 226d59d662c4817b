"""Talk to an LLM (OpenAI-compatible or Ollama) through one small interface.

Every failure — unreachable, timeout, HTTP error, malformed output, output that does not
validate after one retry — surfaces as `LLMError`, so callers fall back to the rules.
Conversations are lists of dicts with roles `system`, `user`, `assistant` (optionally with
`tool_calls`) and `tool` (with `tool_call_id` and `name`), so tool use alternates turns the
way strict chat templates require.
"""

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from agent_graph.llm_schema import decoder_schema, fit_lengths
from core.errors import LLMError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToolCall:
    """One tool the model asked for, with its raw arguments."""

    name: str
    args: dict[str, Any]
    id: str = field(default="", compare=False)


class LLM(Protocol):
    """What the agent needs from a model."""

    name: str

    def structured(self, system: str, user: str, schema: type[BaseModel]) -> BaseModel:
        """Return the model's answer validated against `schema` (one retry)."""

    def tool_calls(self, system: str, user: str, tools: list[dict]) -> list[ToolCall]:
        """Return the tool calls the model makes (possibly none)."""

    def chat(self, messages: list[dict], tools: list[dict]) -> tuple[str, list[ToolCall]]:
        """Continue a conversation; return the text and any tool calls."""


def openai_tool(name: str, description: str, parameters: dict) -> dict:
    """Describe a tool in the OpenAI function-calling format, simple enough for any decoder."""
    return {"type": "function", "function": {"name": name, "description": description,
                                             "parameters": decoder_schema(parameters)}}


def openai_options(settings) -> dict:
    """Return the one OpenAI client setup that the agent and `medic llm-check` share.

    Local servers need no key, but an empty bearer token is an illegal header: send a
    placeholder instead.
    """
    return {"base_url": settings.llm_base_url or None,
            "api_key": settings.llm_api_key.get_secret_value() or "no-key",
            "timeout": settings.llm_timeout, "max_retries": 0}


def _retry_prompt(user: str, error: Exception, ask: str) -> str:
    """Repeat the question with the error: one user turn, so roles keep alternating."""
    return f"{user}\n\nYour previous answer was invalid: {str(error)[:300]}. {ask}"


class OpenAIChat:
    """An OpenAI-compatible chat endpoint through langchain-openai's ChatOpenAI."""

    name = "openai"

    def __init__(self, *, model: str, max_tokens: int, **options) -> None:
        from langchain_openai import ChatOpenAI

        # `max_tokens` is what every OpenAI-compatible server reads (llama.cpp, vLLM,
        # Ollama's /v1); ChatOpenAI's own field would send `max_completion_tokens`.
        self._model = ChatOpenAI(model=model, temperature=0, use_responses_api=False,
                                 extra_body={"max_tokens": max_tokens}, **options)

    def structured(self, system: str, user: str, schema: type[BaseModel]) -> BaseModel:
        name = _schema_name(schema)
        tool = openai_tool(name, schema.__doc__ or "", schema.model_json_schema())
        prompt = user
        for attempt in (1, 2):
            messages = [{"role": "system", "content": system}, {"role": "user", "content": prompt}]
            calls = self.chat(messages, [tool], tool_choice=name)[1]
            try:
                if not calls:
                    raise LLMError("the model did not call " + name)
                return schema.model_validate(fit_lengths(calls[0].args, schema))
            except (ValidationError, LLMError) as error:
                log.warning("LLM answer did not validate (attempt %d): %s", attempt,
                            str(error).splitlines()[0])
                prompt = _retry_prompt(user, error, f"Call {name} again with valid arguments.")
        raise LLMError("the model's answer did not validate after one retry")

    def tool_calls(self, system: str, user: str, tools: list[dict]) -> list[ToolCall]:
        return self.chat([{"role": "system", "content": system},
                          {"role": "user", "content": user}], tools)[1]

    def chat(self, messages: list[dict], tools: list[dict],
             tool_choice: str | None = None) -> tuple[str, list[ToolCall]]:
        import httpx
        import openai

        model = self._model.bind_tools(tools, tool_choice=tool_choice) if tools else self._model
        try:
            reply = model.invoke(_langchain_messages(messages))
        except (openai.APIError, httpx.HTTPError) as error:
            raise LLMError(f"LLM request failed: {type(error).__name__}: {error}"[:300]) from error
        if getattr(reply, "invalid_tool_calls", None):
            bad = reply.invalid_tool_calls[0]
            raise LLMError(f"malformed tool call {bad.get('name')!r}: {bad.get('error')}"[:300])
        calls = [ToolCall(c["name"], dict(c["args"] or {}), c.get("id") or f"call_{i}")
                 for i, c in enumerate(reply.tool_calls)]
        return str(reply.content or ""), calls


def _langchain_messages(messages: list[dict]) -> list:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

    converted = []
    for m in messages:
        if m["role"] == "system":
            converted.append(SystemMessage(m["content"]))
        elif m["role"] == "user":
            converted.append(HumanMessage(m["content"]))
        elif m["role"] == "assistant":
            converted.append(AIMessage(m.get("content") or "", tool_calls=[
                {"name": c.name, "args": c.args, "id": c.id} for c in m.get("tool_calls", [])]))
        else:
            converted.append(ToolMessage(m["content"], tool_call_id=m["tool_call_id"],
                                         name=m.get("name")))
    return converted


class OllamaChat:
    """A model served by Ollama, through the official client."""

    name = "ollama"

    def __init__(self, *, base_url: str, model: str, timeout: float, max_tokens: int) -> None:
        from ollama import Client

        self._client = Client(host=base_url or None, timeout=timeout)
        self._model, self._options = model, {"num_predict": max_tokens, "temperature": 0}

    def structured(self, system: str, user: str, schema: type[BaseModel]) -> BaseModel:
        prompt = user
        for attempt in (1, 2):
            messages = [{"role": "system", "content": system}, {"role": "user", "content": prompt}]
            content = self._call(messages, format=decoder_schema(schema.model_json_schema())
                                 ).message.content
            try:
                return schema.model_validate(fit_lengths(json.loads(content or ""), schema))
            except (ValidationError, json.JSONDecodeError) as error:
                log.warning("LLM answer did not validate (attempt %d): %s", attempt,
                            str(error).splitlines()[0])
                prompt = _retry_prompt(user, error, "Answer again with JSON matching the schema.")
        raise LLMError("the model's answer did not validate after one retry")

    def tool_calls(self, system: str, user: str, tools: list[dict]) -> list[ToolCall]:
        return self.chat([{"role": "system", "content": system},
                          {"role": "user", "content": user}], tools)[1]

    def chat(self, messages: list[dict], tools: list[dict]) -> tuple[str, list[ToolCall]]:
        message = self._call([_ollama_message(m) for m in messages], tools=tools).message
        calls = []
        for i, call in enumerate(message.tool_calls or []):
            args = call.function.arguments
            if isinstance(args, str):
                try:
                    args = json.loads(args)
                except json.JSONDecodeError as error:
                    raise LLMError(f"malformed tool call {call.function.name!r}") from error
            calls.append(ToolCall(call.function.name, dict(args or {}), f"call_{i}"))
        return message.content or "", calls

    def _call(self, messages, **options):
        import httpx
        from ollama import RequestError, ResponseError

        try:
            return self._client.chat(model=self._model, messages=messages,
                                     options=self._options, **options)
        except (ResponseError, RequestError, httpx.HTTPError, ValidationError,
                ConnectionError) as error:
            raise LLMError(f"LLM request failed: {type(error).__name__}: {error}"[:300]) from error


def _ollama_message(message: dict) -> dict:
    if message["role"] == "assistant":
        return {"role": "assistant", "content": message.get("content") or "",
                "tool_calls": [{"function": {"name": c.name, "arguments": c.args}}
                               for c in message.get("tool_calls", [])]}
    if message["role"] == "tool":
        return {"role": "tool", "content": message["content"], "tool_name": message.get("name")}
    return {"role": message["role"], "content": message["content"]}


def make_llm(settings) -> LLM | None:
    """Build the configured client, or None when `MEDIC_LLM_PROVIDER=none`."""
    if settings.llm_provider == "openai":
        return OpenAIChat(model=settings.llm_model, max_tokens=settings.llm_max_tokens,
                          **openai_options(settings))
    if settings.llm_provider == "ollama":
        return OllamaChat(base_url=settings.llm_base_url, model=settings.llm_model,
                          timeout=settings.llm_timeout, max_tokens=settings.llm_max_tokens)
    return None


def health(settings) -> dict:
    """Say which provider is configured and whether it answers."""
    if settings.llm_provider == "none":
        return {"provider": "none", "ok": True, "detail": "rules decide (no LLM configured)"}
    check = _openai_answers if settings.llm_provider == "openai" else _ollama_answers
    ok, detail = check(settings)
    return {"provider": settings.llm_provider, "model": settings.llm_model, "ok": ok,
            "detail": detail}


def _openai_answers(settings) -> tuple[bool, str]:
    import httpx
    import openai

    options = {**openai_options(settings), "timeout": min(settings.llm_timeout, 5.0)}
    try:
        openai.OpenAI(**options).models.list()
    except openai.APIStatusError as error:
        return False, f"HTTP {error.status_code}"
    except (openai.APIError, httpx.HTTPError) as error:
        return False, f"{type(error).__name__}: {error}"[:200]
    return True, "HTTP 200"


def _ollama_answers(settings) -> tuple[bool, str]:
    import httpx

    url = f"{settings.llm_base_url.rstrip('/') or 'http://127.0.0.1:11434'}/api/tags"
    try:
        response = httpx.get(url, timeout=min(settings.llm_timeout, 5.0))
    except httpx.HTTPError as error:
        return False, f"{type(error).__name__}: {error}"[:200]
    return response.status_code == 200, f"HTTP {response.status_code}"


def _schema_name(schema: type[BaseModel]) -> str:
    return {"SeverityAssessment": "report_severity"}.get(schema.__name__, schema.__name__)
