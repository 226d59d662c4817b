"""A console session ends as soon as the key behind it is revoked; only readers get one."""

from core import keys
from core.audit_seal import Seal
from core.db import connect
from ui.console.session import SessionSigner


def test_revoking_a_key_ends_its_console_session(settings):
    sessions = connect(settings.database_url, seal=Seal.of(settings))
    with sessions.begin() as session:
        key = keys.create(session, name="alice", role="approver", actor="tests")
        principal = keys.authenticate(session, key)

    def still_held(who) -> bool:
        with sessions() as session:
            return keys.holds(session, name=who.name, role=who.role)

    signer = SessionSigner(b"s" * 32, hours=1, still_held=still_held)
    cookie = signer.issue(principal)
    assert signer.read(cookie) == principal
    with sessions.begin() as session:
        keys.revoke(session, name="alice", actor="tests")
    assert signer.read(cookie) is None
    assert signer.read(cookie + "x") is None  # a tampered cookie is no session either


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
