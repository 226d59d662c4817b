"""API keys: create (admins, or anyone for the very first key), list, revoke."""

from core import keys
from core.errors import AuthError
from core.roles import Principal, require
from services.context import Medic
from services.views import CreatedKey, KeyView


def create(medic: Medic, *, name: str, role: str, principal: Principal | None) -> CreatedKey:
    """Create a key and return it once; without a principal only while no key exists."""
    with medic.sessions.begin() as session:
        if principal is None:
            if keys.count(session):
                raise AuthError("creating a key needs an admin key (--key or MEDIC_API_KEY)")
            actor = "medic (first key)"
        else:
            actor = require(principal, "manage_keys").name
        key = keys.create(session, name=name, role=role, actor=actor)
    return CreatedKey(name=name.strip(), role=role, prefix=key[:12], revoked=False, key=key)


def listing(medic: Medic, *, principal: Principal) -> list[KeyView]:
    """Return every key's name, role and prefix (never the key)."""
    require(principal, "manage_keys")
    with medic.sessions() as session:
        return [KeyView(**row) for row in keys.listing(session)]


def revoke(medic: Medic, *, name: str, principal: Principal) -> KeyView:
    """Revoke a key by name; every process refuses it within a second."""
    require(principal, "manage_keys")
    with medic.sessions.begin() as session:
        return KeyView(**keys.revoke(session, name=name, actor=principal.name))


def link_slack(medic: Medic, *, name: str, slack_user: str, principal: Principal) -> KeyView:
    """Link a key holder to their Slack user id (admin): their button clicks decide as them."""
    require(principal, "manage_keys")
    with medic.sessions.begin() as session:
        return KeyView(**keys.link_slack(session, name=name, slack_user=slack_user.strip(),
                                         actor=principal.name))


def link_email(medic: Medic, *, name: str, email: str, principal: Principal) -> KeyView:
    """Link a key holder to their address (admin): approval links sent there decide as them."""
    require(principal, "manage_keys")
    with medic.sessions.begin() as session:
        return KeyView(**keys.link_email(session, name=name, email=email, actor=principal.name))


def authenticate(medic: Medic, key: str | None) -> Principal:
    """Return who holds a key (for the CLI and the console)."""
    with medic.sessions() as session:
        return keys.authenticate(session, key)
