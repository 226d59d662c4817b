"""Pieces every CLI module shares: consoles, flags, settings, the caller's key, one-line errors."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console

console = Console()
errors = Console(stderr=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
KeyOption = Annotated[str | None, typer.Option(
    "--key", envvar="MEDIC_API_KEY", show_envvar=True,
    help="Your API key: the CLI acts as its holder, with its role.")]


def settings():
    """Build the settings for a command, turning configuration errors into a message."""
    from pydantic import ValidationError

    from core.errors import ConfigError
    from core.settings import Settings

    try:
        return Settings()
    except ConfigError as error:
        fail(error)
    except ValidationError as error:  # a MEDIC_* variable (or .env line) that is not valid
        fail("; ".join(f"MEDIC_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                       for e in error.errors()))


@contextmanager
def medic() -> Iterator:
    """Open what the service functions act on, for one command."""
    from core.errors import MedicError
    from services.context import open_medic

    try:
        with open_medic(settings()) as opened:
            yield opened
    except MedicError as error:
        fail(error)


def principal(opened, key: str | None):
    """Return who holds the key given with --key or MEDIC_API_KEY."""
    from services.keys import authenticate

    if not key:
        fail("this needs your API key: pass --key or set MEDIC_API_KEY")
    return authenticate(opened, key)


def dump(rows) -> None:
    """Print a service result (a model or a list of them) as JSON."""
    from pydantic import BaseModel

    if isinstance(rows, BaseModel):
        typer.echo(rows.model_dump_json(indent=2))
    else:
        typer.echo("[" + ",\n".join(r.model_dump_json(indent=2) for r in rows) + "]")


def listing(rows, *, title: str, columns: dict[str, Callable[[Any], object]],
            as_json: bool) -> None:
    """Print a service's list as JSON (`--json`) or as a table.

    One column per header, its cell the getter applied to the row (None shows empty).
    """
    if as_json:
        return dump(rows)
    from rich.table import Table

    table = Table(title=title)
    for header in columns:
        table.add_column(header)
    for row in rows:
        table.add_row(*("" if (cell := get(row)) is None else str(cell)
                        for get in columns.values()))
    console.print(table)


def fail(error: object, code: int = 2) -> None:
    """Print a one-line error and exit."""
    errors.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)
