"""Prompt templates as files, rendered with an explicit context."""

import json
from functools import cache
from pathlib import Path

PROMPT_DIR = Path(__file__).resolve().parent


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(PROMPT_DIR), undefined=StrictUndefined,
                       autoescape=False, keep_trailing_newline=True)


def render(name: str, **context) -> str:
    """Render `prompts/<name>.md` with exactly the context given."""
    return _environment().get_template(f"{name}.md").render(**context)


def as_data(value) -> str:
    """Serialise untrusted content as JSON that cannot close its delimiter."""
    text = json.dumps(value, indent=2, sort_keys=True, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")
