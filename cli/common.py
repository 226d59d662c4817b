"""Pieces every CLI module shares: consoles, the --json flag, settings, one-line errors."""

from typing import Annotated

import typer
from rich.console import Console

console = Console()
errors = Console(stderr=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def settings():
    """Build the settings for a command, turning configuration errors into a message."""
    from core.errors import ConfigError
    from core.settings import Settings

    try:
        return Settings()
    except ConfigError as error:
        fail(error)


def fail(error: object, code: int = 2) -> None:
    """Print a one-line error and exit."""
    errors.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)
