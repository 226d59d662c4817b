"""Check the configured LLM for `medic llm-check`: it answers, and how fast it really generates.

Listing models says a server is up, not that a call finishes in time: the check also makes
one tiny completion and one schema-constrained call, times them, and warns when
`MEDIC_LLM_MAX_TOKENS` at the measured speed would outlast `MEDIC_LLM_TIMEOUT`.
"""

import json
import time

from agent_graph.llm.client import json_completion, openai_options

STATUS = {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}},
          "required": ["status"]}
TINY_TOKENS = 8


def health(settings) -> dict:
    """Say which provider is configured and whether it answers."""
    if settings.llm_provider == "none":
        return {"provider": "none", "ok": True, "detail": "rules decide (no LLM configured)"}
    check = _openai_answers if settings.llm_provider == "openai" else _ollama_answers
    ok, detail = check(settings)
    return {"provider": settings.llm_provider, "model": settings.llm_model, "ok": ok,
            "detail": detail}


def probe(settings) -> dict:
    """Return `health`, plus one timed completion and one timed structured call, and warnings."""
    result = health(settings)
    if settings.llm_provider == "none" or not result["ok"]:
        return result
    calls = [_timed(name, settings) for name in ("completion", "structured")]
    failed = [c for c in calls if not c["ok"]]
    result.update(calls=calls, warnings=_warnings(calls, settings), ok=not failed)
    if failed:
        result["detail"] += f"; the {failed[0]['name']} call failed: {failed[0]['error']}"
    return result


def _timed(name: str, settings) -> dict:
    ask = _openai_call if settings.llm_provider == "openai" else _ollama_call
    started = time.perf_counter()
    try:
        tokens = ask(settings, structured=name == "structured")
    except Exception as error:  # a check reports every failure, it never raises
        return {"name": name, "ok": False, "error": f"{type(error).__name__}: {error}"[:200]}
    seconds = time.perf_counter() - started
    return {"name": name, "ok": True, "seconds": round(seconds, 3), "tokens": tokens,
            "tokens_per_second": round(tokens / seconds, 3) if tokens and seconds else None}


def _warnings(calls: list[dict], settings) -> list[str]:
    """Warn when the most tokens a call may generate would take longer than the timeout."""
    measured = [c for c in calls if c["ok"] and c["tokens"]]
    if not measured:
        return []
    slowest = max(c["seconds"] / c["tokens"] for c in measured)  # prompt reading included
    needed = settings.llm_max_tokens * slowest
    if needed <= settings.llm_timeout:
        return []
    return [f"MEDIC_LLM_MAX_TOKENS {settings.llm_max_tokens} × {slowest:.2f} s per token = "
            f"{needed:.0f} s, more than MEDIC_LLM_TIMEOUT {settings.llm_timeout:g} s: a long "
            "answer times out (and keeps a local server busy); lower the one or raise the other"]


def _openai_call(settings, *, structured: bool) -> int:
    import openai

    client = openai.OpenAI(**openai_options(settings))
    request = {"model": settings.llm_model, "temperature": 0,
               "messages": [_question(structured)]}
    if structured:  # bound the way the agent's structured calls are, fallback form included
        reply, _form = json_completion(client, STATUS, "status",
                                       max_tokens=settings.llm_max_tokens, **request)
        _check_status(reply.choices[0].message.content)
    else:
        reply = client.chat.completions.create(max_tokens=TINY_TOKENS, **request)
    return reply.usage.completion_tokens if reply.usage else 0


def _ollama_call(settings, *, structured: bool) -> int:
    from ollama import Client

    client = Client(host=settings.llm_base_url or None, timeout=settings.llm_timeout)
    reply = client.chat(model=settings.llm_model, messages=[_question(structured)],
                        format=STATUS if structured else None,
                        options={"temperature": 0, "num_predict": settings.llm_max_tokens
                                 if structured else TINY_TOKENS})
    if structured:
        _check_status(reply.message.content)
    return reply.eval_count or 0


def _question(structured: bool) -> dict:
    text = 'Answer with the JSON {"status": "ok"}.' if structured else "Say OK."
    return {"role": "user", "content": text}


def _check_status(content: str | None) -> None:
    if json.loads(content or "") != {"status": "ok"}:
        raise ValueError('the answer is not {"status": "ok"}')


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
