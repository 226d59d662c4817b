"""Ask for tool calls as one schema-constrained JSON answer, for runtimes without free tool calls.

Small local runtimes (llama-cpp-python, small Ollama models) answer tool offers with text, but
a JSON schema turned into a grammar binds them: each item of `calls` names one offered tool
(an enum of one) and carries that tool's own argument schema. The decoder never shows the
schema to the model, so the prompt lists the tools too.
"""

from typing import Any

ANSWER = ('Answer with JSON only: {"calls": [{"tool": "<name>", "args": {...}}, ...]} — the '
          'tools to call, in order; {"calls": []} if none should be called.')


def choice_schema(tools: list[dict]) -> dict:
    """Return the JSON schema of a list of calls to the offered tools (OpenAI tool format)."""
    items = [{"type": "object", "description": f.get("description", ""),
              "properties": {"tool": {"type": "string", "enum": [f["name"]]},
                             "args": f["parameters"]},
              "required": ["tool", "args"]}
             for f in (t["function"] for t in tools)]
    return {"type": "object", "properties": {"calls": {"type": "array",
                                                       "items": {"anyOf": items}}},
            "required": ["calls"]}


def choice_prompt(user: str, tools: list[dict]) -> str:
    """Return the question with the tools it may name and the answer's form."""
    lines = [f"- {f['name']}: {f.get('description', '')} Arguments: {_arguments(f['parameters'])}."
             for f in (t["function"] for t in tools)]
    return f"{user}\n\nTools you may call:\n" + "\n".join(lines) + "\n\n" + ANSWER


def calls_of(answer: Any) -> list[tuple[str, dict]]:
    """Return (tool, arguments) pairs from a parsed answer; raise ValueError if it has no calls."""
    if not isinstance(answer, dict) or not isinstance(answer.get("calls"), list):
        raise ValueError('the answer is not {"calls": [...]}')
    found = []
    for item in answer["calls"]:
        if not isinstance(item, dict) or not isinstance(item.get("tool"), str) or \
                not isinstance(item.get("args", {}), dict):
            raise ValueError('each call must be {"tool": "<name>", "args": {...}}')
        found.append((item["tool"], dict(item.get("args") or {})))
    return found


def _arguments(parameters: dict) -> str:
    props = parameters.get("properties", {})
    if not props:
        return "none"
    required = set(parameters.get("required", []))
    return ", ".join(f"{name} ({_type(prop)}{'' if name in required else ', optional'})"
                     for name, prop in props.items())


def _type(prop: dict) -> str:
    if "type" in prop:
        return prop["type"]
    return " or ".join(p.get("type", "any") for p in prop.get("anyOf", [])) or "any"
