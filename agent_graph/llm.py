"""Talk to an LLM (OpenAI-compatible or Ollama) through one small interface.

Every failure — unreachable, timeout, HTTP error, malformed output, output that does not
validate after one retry — surfaces as `LLMError`, so callers fall back to the rules.
"""

import json
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from core.errors import LLMError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToolCall:
    """One tool the model asked for, with its raw arguments."""

    name: str
    args: dict[str, Any]


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
    """Describe a tool in the OpenAI function-calling format (Ollama reads it too)."""
    return {"type": "function",
            "function": {"name": name, "description": description, "parameters": parameters}}


class OpenAIChat:
    """An OpenAI-compatible chat endpoint through langchain-openai's ChatOpenAI."""

    name = "openai"

    def __init__(self, *, base_url: str, model: str, api_key: str, timeout: float) -> None:
        from langchain_openai import ChatOpenAI

        self._model = ChatOpenAI(base_url=base_url or None, model=model,
                                 api_key=api_key or "unused", timeout=timeout, max_retries=0,
                                 temperature=0, use_responses_api=False)

    def structured(self, system: str, user: str, schema: type[BaseModel]) -> BaseModel:
        tool = openai_tool(_schema_name(schema), schema.__doc__ or "", schema.model_json_schema())
        messages = [("system", system), ("human", user)]
        for attempt in (1, 2):
            calls = self._invoke(messages, [tool], tool_choice=_schema_name(schema))[1]
            try:
                if not calls:
                    raise LLMError("the model did not call " + _schema_name(schema))
                return schema.model_validate(calls[0].args)
            except (ValidationError, LLMError) as error:
                log.warning("LLM answer did not validate (attempt %d): %s", attempt,
                            str(error).splitlines()[0])
                messages.append(("human", f"That answer was invalid: {str(error)[:300]}. "
                                          f"Call {_schema_name(schema)} again with valid "
                                          "arguments."))
        raise LLMError("the model's answer did not validate after one retry")

    def tool_calls(self, system: str, user: str, tools: list[dict]) -> list[ToolCall]:
        return self._invoke([("system", system), ("human", user)], tools)[1]

    def chat(self, messages: list[dict], tools: list[dict]) -> tuple[str, list[ToolCall]]:
        converted = [(m["role"].replace("user", "human").replace("assistant", "ai"),
                      m["content"]) for m in messages]
        return self._invoke(converted, tools)

    def _invoke(self, messages, tools, tool_choice=None) -> tuple[str, list[ToolCall]]:
        import httpx
        import openai

        bound = self._model.bind_tools(tools, tool_choice=tool_choice) if tools else self._model
        try:
            reply = bound.invoke(messages)
        except (openai.APIError, httpx.HTTPError) as error:
            raise LLMError(f"LLM request failed: {type(error).__name__}: {error}"[:300]) from error
        if getattr(reply, "invalid_tool_calls", None):
            bad = reply.invalid_tool_calls[0]
            raise LLMError(f"malformed tool call {bad.get('name')!r}: {bad.get('error')}"[:300])
        calls = [ToolCall(c["name"], dict(c["args"] or {})) for c in reply.tool_calls]
        return str(reply.content or ""), calls


class OllamaChat:
    """A model served by Ollama, through the official client."""

    name = "ollama"

    def __init__(self, *, base_url: str, model: str, timeout: float) -> None:
        from ollama import Client

        self._client = Client(host=base_url or None, timeout=timeout)
        self._model = model

    def structured(self, system: str, user: str, schema: type[BaseModel]) -> BaseModel:
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        for attempt in (1, 2):
            content = self._call(messages, format=schema.model_json_schema()).message.content
            try:
                return schema.model_validate_json(content or "")
            except ValidationError as error:
                log.warning("LLM answer did not validate (attempt %d): %s", attempt,
                            str(error).splitlines()[0])
                messages += [{"role": "assistant", "content": content or ""},
                             {"role": "user", "content": f"Invalid: {str(error)[:300]}. "
                              "Answer again with JSON matching the schema."}]
        raise LLMError("the model's answer did not validate after one retry")

    def tool_calls(self, system: str, user: str, tools: list[dict]) -> list[ToolCall]:
        return self.chat([{"role": "system", "content": system},
                          {"role": "user", "content": user}], tools)[1]

    def chat(self, messages: list[dict], tools: list[dict]) -> tuple[str, list[ToolCall]]:
        message = self._call(messages, tools=tools).message
        calls = []
        for call in message.tool_calls or []:
            args = call.function.arguments
            if isinstance(args, str):
                try:
                    args = json.loads(args)
                except json.JSONDecodeError as error:
                    raise LLMError(f"malformed tool call {call.function.name!r}") from error
            calls.append(ToolCall(call.function.name, dict(args or {})))
        return message.content or "", calls

    def _call(self, messages, **options):
        import httpx
        from ollama import RequestError, ResponseError

        try:
            return self._client.chat(model=self._model, messages=messages, **options)
        except (ResponseError, RequestError, httpx.HTTPError, ValidationError,
                ConnectionError) as error:
            raise LLMError(f"LLM request failed: {type(error).__name__}: {error}"[:300]) from error


def make_llm(settings) -> LLM | None:
    """Build the configured client, or None when `MEDIC_LLM_PROVIDER=none`."""
    if settings.llm_provider == "openai":
        return OpenAIChat(base_url=settings.llm_base_url, model=settings.llm_model,
                          api_key=settings.llm_api_key.get_secret_value(),
                          timeout=settings.llm_timeout)
    if settings.llm_provider == "ollama":
        return OllamaChat(base_url=settings.llm_base_url, model=settings.llm_model,
                          timeout=settings.llm_timeout)
    return None


def health(settings) -> dict:
    """Say which provider is configured and whether it answers."""
    import httpx

    if settings.llm_provider == "none":
        return {"provider": "none", "ok": True, "detail": "rules decide (no LLM configured)"}
    base = settings.llm_base_url.rstrip("/")
    if settings.llm_provider == "openai":
        url = f"{base or 'https://api.openai.com/v1'}/models"
        headers = {"Authorization": f"Bearer {settings.llm_api_key.get_secret_value()}"}
    else:
        url, headers = f"{base or 'http://127.0.0.1:11434'}/api/tags", {}
    try:
        response = httpx.get(url, headers=headers, timeout=min(settings.llm_timeout, 5.0))
        ok = response.status_code == 200
        detail = f"HTTP {response.status_code}"
    except httpx.HTTPError as error:
        ok, detail = False, f"{type(error).__name__}: {error}"[:200]
    return {"provider": settings.llm_provider, "model": settings.llm_model, "ok": ok,
            "detail": detail}


def _schema_name(schema: type[BaseModel]) -> str:
    return {"SeverityAssessment": "report_severity"}.get(schema.__name__, schema.__name__)
