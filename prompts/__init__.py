"""Prompt templates as files, rendered with an explicit context."""

import json
from functools import cache
from pathlib import Path

PROMPT_DIR = Path(__file__).resolve().parent


@cache
def _environment(folder: Path | None = None):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    search = [Path(folder), PROMPT_DIR] if folder else [PROMPT_DIR]
    return Environment(loader=FileSystemLoader(search), undefined=StrictUndefined,
                       autoescape=False, keep_trailing_newline=True)


def render(name: str, *, folder: Path | None = None, **context) -> str:
    """Render `<name>.md` from `folder` (if it has it) or `prompts/`, with exactly the context."""
    return _environment(folder).get_template(f"{name}.md").render(**context)


def as_data(value) -> str:
    """Serialise untrusted content as JSON that cannot close its delimiter."""
    text = json.dumps(value, indent=2, sort_keys=True, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e")
