"""Replay recorded OpenAI- and Ollama-format responses with respx, chosen by graph step."""

import json
from pathlib import Path

import httpx
import respx

RESPONSES = Path(__file__).parent / "responses"
# What llama-cpp-python 0.3's server answers to `response_format` {"type": "json_schema"}:
# its request validation error, as HTTP 500.
LLAMA_CPP_PYTHON_REFUSAL = {"error": {
    "message": "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', "
               "'response_format', 'type'), 'msg': \"Input should be 'text' or "
               "'json_object'\", 'input': 'json_schema'}",
    "type": "internal_server_error", "param": None, "code": None}}
BASE = {"openai": "http://llm.test/v1", "ollama": "http://ollama.test:11434"}


def step_of(body: dict) -> str:
    """Tell which graph step a request comes from by the tools it offers or names in its schema.

    Free tool calls offer `tools`; a structured call names them as enums in its JSON schema
    (OpenAI `response_format`, Ollama `format`).
    """
    names = {t["function"]["name"] for t in body.get("tools") or []}
    schema = json.dumps([body.get("response_format"), body.get("format")])
    if "retrain" in names or '"retrain"' in schema:
        return "plan"
    if "drift_report" in names or '"drift_report"' in schema:  # chat offers no evidence tools
        return "investigate"
    if "report_severity" in names or body.get("format"):
        return "assess"
    return "chat"


class Replay:
    """Serve, per step, a queue of recorded files, HTTP statuses or `timeout`."""

    def __init__(self, provider: str, script: dict[str, list], evidence: str = "", *,
                 llama_cpp_python: bool = False) -> None:
        self.provider, self.script, self.evidence = provider, script, evidence
        self.calls: list[tuple[str, dict]] = []
        self.llama_cpp_python = llama_cpp_python  # refuse `json_schema` as its server does
        self.refused: list[dict] = []

    def __enter__(self) -> "Replay":
        self.router = respx.mock(assert_all_called=False)
        self.router.__enter__()
        path = "/chat/completions" if self.provider == "openai" else "/api/chat"
        self.router.post(BASE[self.provider] + path).mock(side_effect=self._answer)
        return self

    def __exit__(self, *exc) -> None:
        self.router.__exit__(*exc)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if self.llama_cpp_python and (body.get("response_format") or {}).get("type") not in (
                None, "text", "json_object"):
            self.refused.append(body)
            return httpx.Response(500, json=LLAMA_CPP_PYTHON_REFUSAL)
        step = step_of(body)
        self.calls.append((step, body))
        queue = self.script.get(step) or ["investigate_none.json"]
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if item == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if isinstance(item, int):
            return httpx.Response(item, json={"error": {"message": "internal error"}})
        text = (RESPONSES / self.provider / item).read_text().replace("__EVIDENCE__",
                                                                     self.evidence)
        return httpx.Response(200, json=json.loads(text))

    def steps(self) -> list[str]:
        """Return the steps that called the model, in order."""
        return [step for step, _ in self.calls]


def completion(content: str, tokens: int = 5) -> dict:
    """Return an OpenAI-format chat completion with `content` and its completion token count."""
    return {"id": "chatcmpl-check", "object": "chat.completion", "created": 1764150000,
            "model": "m", "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                                       "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 12, "completion_tokens": tokens,
                      "total_tokens": 12 + tokens}}


def check_answer(body: dict, tokens: int = 5) -> dict:
    """Answer `medic llm-check`'s two calls: the tiny completion and the structured one."""
    return completion('{"status": "ok"}' if body.get("response_format") else "OK", tokens)
