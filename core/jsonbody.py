"""Read JSON from outside strictly: no NaN or Infinity, bounded nesting, no NUL character."""

import json
from typing import Any

from core.errors import InvalidInput

MAX_DEPTH = 32  # Medic's and Alertmanager's payloads nest 4 levels; request models 3
DEEP = f"body: nested too deeply (deeper than {MAX_DEPTH} levels)"


def loads(body: bytes | str) -> Any:
    """Parse a request body; raise InvalidInput naming where the problem is."""
    try:
        value = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError as error:
        raise InvalidInput(DEEP) from error
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as error:
        raise InvalidInput(f"body: not valid JSON ({error})") from error
    check(value, body)
    return value


def check(value: Any, body: bytes | str | None = None) -> None:
    r"""Refuse nesting deeper than MAX_DEPTH and text holding NUL (PostgreSQL cannot store it).

    Given the body `value` was parsed from, skip what it cannot hold: JSON text in UTF-8
    holds a NUL only as the escape `\u0000`, and no more levels than it has brackets.
    """
    if body is None:
        texts, deep = True, True
    elif isinstance(body, str):
        texts = "\\u0000" in body
        deep = body.count("[") + body.count("{") > MAX_DEPTH
    else:
        texts = b"\\u0000" in body or json.detect_encoding(body) != "utf-8"
        deep = body.count(b"[") + body.count(b"{") > MAX_DEPTH
    if texts:
        _texts(value)
    if deep:
        _depth(value)


def _depth(value: Any) -> None:
    level, depth = [value] if isinstance(value, dict | list) else [], 1
    while level:  # one level of containers at a time
        if depth > MAX_DEPTH:
            raise InvalidInput(DEEP)
        inner = []
        for item in level:
            for child in item.values() if type(item) is dict else item:
                if type(child) is dict or type(child) is list:
                    inner.append(child)
        level, depth = inner, depth + 1


def _texts(value: Any) -> None:
    if isinstance(value, str):
        _text(value, ())
    stack: list[tuple[Any, tuple]] = [(value, ())]
    while stack:
        item, where = stack.pop()
        pairs = item.items() if isinstance(item, dict) else enumerate(item) \
            if isinstance(item, list) else ()
        for key, child in pairs:
            if isinstance(key, str):
                _text(key, where)
            if isinstance(child, str):
                _text(child, (*where, key))
            elif isinstance(child, dict | list):
                stack.append((child, (*where, key)))


def field(where: tuple) -> str:
    """Name a place in a body as the 422s do: `labels.team`, `0.name`, or `body`."""
    return ".".join(str(part).replace("\x00", "\\u0000") for part in where) or "body"


def _text(text: str, where: tuple) -> None:
    if "\x00" in text:
        raise InvalidInput(f"{field(where)}: text may not hold the NUL character (\\u0000)")


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")
