"""Talk to an LLM (OpenAI-compatible or Ollama) through one small interface.

Every failure — unreachable, timeout, HTTP error, malformed output or output that does not
validate after one retry — surfaces as `LLMError`, so callers fall back to the rules. Tool
calls are asked for as free tool calls (`tools`) or as one schema-constrained JSON answer
(`structured`, for runtimes that only answer tool offers with text): `MEDIC_LLM_PLANNING`.
Conversations are lists of dicts with roles `system`, `user`, `assistant` (optionally with
`tool_calls`) and `tool` (with `tool_call_id` and `name`), so tool use alternates turns the
way strict chat templates require.
"""

import json
import logging
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from agent_graph.llm.choice import calls_of, choice_prompt, choice_schema
from agent_graph.llm.schema import decoder_schema, fit_lengths
from core.errors import LLMError

log = logging.getLogger(__name__)


class MalformedAnswer(LLMError):
    """The model answered, but not in a form that parses: worth asking once more."""


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


def _twice(user: str, ask: str, attempt):
    """Call `attempt(prompt)`; on an answer that does not parse or validate, ask once more.

    A failed request (unreachable, timeout, HTTP error) is not retried: it raises at once.
    """
    prompt = user
    for number in (1, 2):
        try:
            return attempt(prompt)
        except (ValueError, MalformedAnswer) as error:  # ValidationError, JSONDecodeError too
            first = (str(error).splitlines() or [type(error).__name__])[0]
            log.warning("LLM answer did not validate (attempt %d): %s", number, first)
            prompt = _retry_prompt(user, error, ask)
    raise LLMError(f"the model's answer did not validate after one retry ({first})"[:300])


def _turns(system: str, user: str) -> list[dict]:
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _choose(ask_json, system: str, user: str, tools: list[dict]) -> list[ToolCall]:
    """Ask for tool calls as one JSON answer bound by the tools' schemas (one retry)."""
    schema = decoder_schema(choice_schema(tools))

    def attempt(prompt: str) -> list[ToolCall]:
        text = ask_json(_turns(system, prompt), schema)
        return [ToolCall(name, args, f"call_{i}")
                for i, (name, args) in enumerate(calls_of(json.loads(text or "")))]

    return _twice(choice_prompt(user, tools), "Answer again with JSON matching the schema.",
                  attempt)


def planning_mode(settings) -> str:
    """Return how tool calls are asked for: the setting, or `auto`'s choice for the provider.

    `auto`: free tool calls on OpenAI's own API, which does them well; one schema-constrained
    JSON answer on Ollama and other OpenAI-compatible servers (llama.cpp, vLLM, LM Studio),
    whose small models often answer tool offers with text.
    """
    if settings.llm_planning != "auto":
        return settings.llm_planning
    hosted = settings.llm_provider == "openai" and (
        not settings.llm_base_url or "api.openai.com" in settings.llm_base_url)
    return "tools" if hosted else "structured"


def json_formats(schema: dict, name: str) -> list[dict]:
    """Return the `response_format`s that bind an answer to `schema`, the standard one first.

    OpenAI, vLLM, LM Studio, Ollama's /v1 and llama.cpp's own server read `json_schema`.
    llama-cpp-python's server refuses it (HTTP 500 naming `response_format`: it knows only
    `text` and `json_object`) and reads the schema from `{"type": "json_object", "schema":
    ...}` instead.
    """
    return [{"type": "json_schema", "json_schema": {"name": name, "schema": schema}},
            {"type": "json_object", "schema": schema}]


def json_completion(client, schema: dict, name: str, *, start: int = 0, **request):
    """Return a chat completion bound to `schema`, and the index of the form the server took.

    Asks with the forms of `json_formats` from `start` on: a server that refuses one (HTTP
    400 or 422, or any error that names `response_format`) is asked with the next. Every
    failure raises `LLMError`.
    """
    import httpx
    import openai

    formats, refused = json_formats(schema, name), []
    for index in range(start, len(formats)):
        try:
            return client.chat.completions.create(response_format=formats[index],
                                                  **request), index
        except openai.APIStatusError as error:
            if error.status_code not in (400, 422) and "response_format" not in str(error):
                raise LLMError(f"LLM request failed: {type(error).__name__}: {error}"[:300]) \
                    from error
            refused.append(f"{formats[index]['type']}: HTTP {error.status_code}")
            log.info("the LLM server refused response_format %s (HTTP %s)",
                     formats[index]["type"], error.status_code)
        except (openai.OpenAIError, httpx.HTTPError) as error:
            raise LLMError(f"LLM request failed: {type(error).__name__}: {error}"[:300]) from error
    raise LLMError(f"LLM request failed: the server refused every response_format "
                   f"({'; '.join(refused)})")


class OpenAIChat:
    """An OpenAI-compatible chat endpoint through langchain-openai's ChatOpenAI."""

    name = "openai"

    def __init__(self, *, model: str, max_tokens: int, planning: str = "tools",
                 **options) -> None:
        import openai

        # `max_tokens` is what every OpenAI-compatible server reads (llama.cpp, vLLM,
        # Ollama's /v1); ChatOpenAI's own field would send `max_completion_tokens`.
        self._model = _chat_openai()(model=model, temperature=0, use_responses_api=False,
                                     extra_body={"max_tokens": max_tokens}, **options)
        self._client = openai.OpenAI(**options)
        self._name, self._max_tokens, self.planning = model, max_tokens, planning
        self._json_form = 0  # the `json_formats` entry this server accepts

    def structured(self, system: str, user: str, schema: type[BaseModel]) -> BaseModel:
        name = _schema_name(schema)
        tool = openai_tool(name, schema.__doc__ or "", schema.model_json_schema())

        def attempt(prompt: str) -> BaseModel:
            calls = self.chat(_turns(system, prompt), [tool], tool_choice=name)[1]
            if not calls:
                raise MalformedAnswer("the model did not call " + name)
            return schema.model_validate(fit_lengths(calls[0].args, schema))

        return _twice(user, f"Call {name} again with valid arguments.", attempt)

    def tool_calls(self, system: str, user: str, tools: list[dict]) -> list[ToolCall]:
        if self.planning == "structured":
            return _choose(self._json, system, user, tools)
        return _twice(user, "Call the tools again with valid JSON arguments.",
                      lambda prompt: self.chat(_turns(system, prompt), tools)[1])

    def _json(self, messages: list[dict], schema: dict) -> str:
        """Return the text of one answer bound to `schema` by `response_format`.

        Starts from the form this server last accepted (see `json_completion`).
        """
        reply, self._json_form = json_completion(
            self._client, schema, "tool_calls", start=self._json_form, model=self._name,
            messages=messages, temperature=0, max_tokens=self._max_tokens)
        if not reply.choices:
            raise MalformedAnswer("the answer has no choices")
        return reply.choices[0].message.content or ""

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
            raise MalformedAnswer(
                f"malformed tool call {bad.get('name')!r}: {bad.get('error')}"[:300])
        calls = [ToolCall(c["name"], dict(c["args"] or {}), c.get("id") or f"call_{i}")
                 for i, c in enumerate(reply.tool_calls)]
        return str(reply.content or ""), calls


@cache
def _chat_openai() -> type:
    """Return ChatOpenAI sending an assistant tool-call turn's empty content as `""`.

    langchain-openai sends it as null, which llama-cpp-python's server refuses (HTTP 500:
    its assistant message content must be a string); OpenAI and the others take `""`.
    """
    from langchain_openai import ChatOpenAI

    class StringContentChatOpenAI(ChatOpenAI):
        def _get_request_payload(self, input_, *, stop=None, **kwargs) -> dict:
            payload = super()._get_request_payload(input_, stop=stop, **kwargs)
            for message in payload.get("messages", []):
                if message.get("role") == "assistant" and message.get("content") is None:
                    message["content"] = ""
            return payload

    return StringContentChatOpenAI


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

    def __init__(self, *, base_url: str, model: str, timeout: float, max_tokens: int,
                 planning: str = "structured") -> None:
        from ollama import Client

        self._client = Client(host=base_url or None, timeout=timeout)
        self._model, self._options = model, {"num_predict": max_tokens, "temperature": 0}
        self.planning = planning

    def structured(self, system: str, user: str, schema: type[BaseModel]) -> BaseModel:
        shape = decoder_schema(schema.model_json_schema())

        def attempt(prompt: str) -> BaseModel:
            content = self._json(_turns(system, prompt), shape)
            return schema.model_validate(fit_lengths(json.loads(content or ""), schema))

        return _twice(user, "Answer again with JSON matching the schema.", attempt)

    def tool_calls(self, system: str, user: str, tools: list[dict]) -> list[ToolCall]:
        if self.planning == "structured":
            return _choose(self._json, system, user, tools)
        return _twice(user, "Call the tools again with valid JSON arguments.",
                      lambda prompt: self.chat(_turns(system, prompt), tools)[1])

    def _json(self, messages: list[dict], schema: dict) -> str:
        """Return the text of one answer constrained by Ollama's `format` schema."""
        return self._call(messages, format=schema).message.content or ""

    def chat(self, messages: list[dict], tools: list[dict]) -> tuple[str, list[ToolCall]]:
        message = self._call([_ollama_message(m) for m in messages], tools=tools).message
        calls = []
        for i, call in enumerate(message.tool_calls or []):
            args = call.function.arguments
            if isinstance(args, str):
                try:
                    args = json.loads(args)
                except json.JSONDecodeError as error:
                    raise MalformedAnswer(f"malformed tool call {call.function.name!r}") from error
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
                          planning=planning_mode(settings), **openai_options(settings))
    if settings.llm_provider == "ollama":
        return OllamaChat(base_url=settings.llm_base_url, model=settings.llm_model,
                          timeout=settings.llm_timeout, max_tokens=settings.llm_max_tokens,
                          planning=planning_mode(settings))
    return None


def _schema_name(schema: type[BaseModel]) -> str:
    return {"SeverityAssessment": "report_severity"}.get(schema.__name__, schema.__name__)
