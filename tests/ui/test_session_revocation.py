"""A console session ends at logout or key revocation, in every replica; readers only."""

from core import keys
from core.audit_seal import Seal
from core.db import connect
from tests.conftest import make_settings
from ui.console.session import Logins, SessionSigner


def replica(settings) -> SessionSigner:
    """Return a session signer over its own connection to the app database, as a replica has."""
    sessions = connect(settings.database_url, seal=Seal.of(settings))
    return SessionSigner(b"s" * 32, hours=1, logins=Logins(lambda: sessions))


def key_of(settings, name: str, role: str):
    with connect(settings.database_url, seal=Seal.of(settings)).begin() as session:
        return keys.authenticate(session, keys.create(session, name=name, role=role,
                                                      actor="tests"))


def test_revoking_a_key_ends_its_console_session(settings):
    principal = key_of(settings, "alice", "approver")
    signer = replica(settings)
    cookie = signer.issue(principal)
    assert signer.read(cookie) == principal
    with connect(settings.database_url, seal=Seal.of(settings)).begin() as session:
        keys.revoke(session, name="alice", actor="tests")
    assert signer.read(cookie) is None
    assert signer.read(cookie + "x") is None  # a tampered cookie is no session either


def test_logging_out_on_one_replica_ends_the_session_on_another(tmp_path, postgres_url):
    settings = make_settings(tmp_path / "medic", database_url=postgres_url)
    principal = key_of(settings, "bob", "viewer")
    first, second = replica(settings), replica(settings)
    cookie, other = first.issue(principal), first.issue(principal)
    assert second.read(cookie) == principal  # one login, seen by both replicas
    second.end(cookie)
    assert first.read(cookie) is None and second.read(cookie) is None
    assert first.read(other) == principal  # the same person's other browser stays in


def test_a_cookie_signed_without_a_stored_login_is_refused(settings):
    principal = key_of(settings, "carol", "admin")
    stateless = SessionSigner(b"s" * 32, hours=1)  # today's cookie: name and role only
    assert replica(settings).read(stateless.issue(principal)) is None


def test_a_session_whose_role_cannot_read_shows_no_page():
    import pytest

    from core.errors import Forbidden
    from core.roles import Principal
    from ui.console.app import Console
    from ui.console.session import COOKIE

    signer = SessionSigner(b"s" * 32, hours=1)
    console = Console(medic=lambda: None, signer=signer)

    class Browser:  # what Gradio hands a callback: the request's cookies
        def __init__(self, role: str) -> None:
            self.cookies = {COOKIE: signer.issue(Principal("bob", role))}

    assert console.who(Browser("viewer")).role == "viewer"
    with pytest.raises(Forbidden, match="needs viewer, operator, approver, admin"):
        console.who(Browser("predictor"))
