"""Show Medic's generated secrets, and keep `medic up` from exposing them unchanged."""

import ipaddress
import json
from typing import Annotated

import typer
from rich.table import Table

from cli.common import JsonFlag, console, errors, fail, settings

secrets_app = typer.Typer(help="Read the secrets Medic generated in its home.",
                          no_args_is_help=True)

SHOWN_AT_START = ("webhook_secret", "alertmanager_token")
# Not the console's session secret: nothing outside Medic needs it, and whoever reads it
# can sign a session cookie for any name and role, admin included. The audit key only when
# asked for: whoever holds it can rewrite the audit log and its anchor unseen.
SHOWN = ("webhook_secret", "alertmanager_token", "audit_key")
AUDIT_KEY_WARNING = ("warning: whoever holds MEDIC_AUDIT_KEY can rewrite the audit log and "
                     "its anchor unseen; keep it away from whoever can write the database")
IncludeAuditKey = Annotated[bool, typer.Option(
    "--include-audit-key", help="Also print MEDIC_AUDIT_KEY (whoever holds it can rewrite "
    "the audit log).")]


@secrets_app.command("show")
def secrets_show(as_json: JsonFlag = False, include_audit_key: IncludeAuditKey = False):
    """Print the secrets in use that Medic generated (those set in the environment are not)."""
    config = settings()
    rows = {name: getattr(config, name).get_secret_value()
            if name in config.generated_secrets else None
            for name in SHOWN if include_audit_key or name != "audit_key"}
    if include_audit_key and rows["audit_key"] is not None:
        errors.print(AUDIT_KEY_WARNING, soft_wrap=True)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"secrets in {config.home / 'secrets.json'}")
    for column in ("setting", "value"):
        table.add_column(column)
    for name, value in rows.items():
        table.add_row(f"MEDIC_{name.upper()}", value or "set in the environment (not shown)")
    if not include_audit_key:
        table.add_row("MEDIC_AUDIT_KEY", "not shown (--include-audit-key)")
    console.print(table)


def refuse_public_exposure(config, host: str) -> None:
    """Exit with a one-line error when generated secrets would face more than loopback."""
    exposed = sorted(set(SHOWN_AT_START) & config.generated_secrets)
    if not exposed or _loopback(host) or config.allow_public_with_generated_secrets:
        return
    fail(f"refusing to listen on {host} with generated secrets "
         f"({', '.join('MEDIC_' + n.upper() for n in exposed)}): set your own, or set "
         "MEDIC_ALLOW_PUBLIC_WITH_GENERATED_SECRETS=true")


def show_first_start(config) -> None:
    """Print the generated webhook secret and token once, the first time Medic starts."""
    from core.secrets import first_showing

    generated = [n for n in SHOWN_AT_START if n in config.generated_secrets]
    if not generated or not first_showing(config.home):
        return
    for name in generated:
        console.print(f"first start: generated MEDIC_{name.upper()} (shown once): "
                      f"{getattr(config, name).get_secret_value()}", soft_wrap=True)
    console.print("read them again with `medic secrets show`")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
