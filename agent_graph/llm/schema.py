r"""Keep tool schemas simple for constrained decoders; enforce lengths after the model answers.

Grammar compilers (llama.cpp's among them) expand `maxLength: 2000` into thousands of
grammar rules and can crash; the schema the model sees carries no string length bounds,
and over-long strings are truncated to the declared bound before validation. Patterns keep
to what every converter reads (`[0-9]`, not `\d`).
"""

from typing import Any

from pydantic import BaseModel

DROPPED = ("maxLength", "minLength")


def decoder_schema(schema: Any) -> Any:
    r"""Return a copy of a JSON schema without string length bounds, its patterns spelled out.

    llama-cpp-python turns `\d` of a pattern into a literal `d` in a grammar llama.cpp cannot
    parse (its server then crashes); `[0-9]` means the same to every decoder.
    """
    if isinstance(schema, dict):
        return {k: v.replace("\\d", "[0-9]") if k == "pattern" and isinstance(v, str)
                else decoder_schema(v) for k, v in schema.items() if k not in DROPPED}
    if isinstance(schema, list):
        return [decoder_schema(v) for v in schema]
    return schema


def fit_lengths(args: Any, model: type[BaseModel]) -> Any:
    """Truncate top-level string arguments to the model's declared `maxLength`."""
    if not isinstance(args, dict):
        return args
    properties = model.model_json_schema().get("properties", {})
    fitted = dict(args)
    for name, value in args.items():
        bound = _max_length(properties.get(name, {}))
        if isinstance(value, str) and bound is not None and len(value) > bound:
            fitted[name] = value[:bound]
    return fitted


def _max_length(prop: dict) -> int | None:
    if "maxLength" in prop:
        return prop["maxLength"]
    bounds = [p["maxLength"] for p in prop.get("anyOf", []) if "maxLength" in p]
    return min(bounds) if bounds else None
