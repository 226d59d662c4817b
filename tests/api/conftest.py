"""An app over a private copy of the trained registry, with one key per role."""

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_settings

SECRET, TOKEN = "webhook-3f9c1a7e5b2d80461c9e7a5f", "token-8d2e6b1f4a9c7035e1b8d6a2f4"
PATIENT = {"age": 63, "sex": 1, "cp": 1, "trestbps": 145, "chol": 233, "fbs": 1,
           "restecg": 2, "thalach": 150, "exang": 0, "oldpeak": 2.3, "slope": 3, "ca": 0,
           "thal": 6}


def api_settings(home, **overrides):
    """The API's tests store alerts as `medic up` does: in the intake child."""
    overrides.setdefault("ingest_process", True)
    return make_settings(home, webhook_secret=SECRET, alertmanager_token=TOKEN,
                         reload_seconds=0.2, worker_poll_seconds=0.5, **overrides)


def role_keys(settings) -> dict[str, str]:
    from core import keys
    from core.audit_seal import Seal
    from core.db import init_db, make_engine, sessions

    engine = make_engine(settings.database_url)
    init_db(engine)
    with sessions(engine, seal=Seal.of(settings)).begin() as session:
        made = {role: keys.create(session, name=f"{role}-user", role=role, actor="tests")
                for role in keys.ROLES}
    engine.dispose()
    return made


@pytest.fixture
def api(request, trained):
    """The app, storing alerts in the intake child where its module sends webhooks.

    A module that sends none sets no `INTAKE_CHILD`: its tests skip starting a second
    interpreter each (about 0.7 s of CPU a test).
    """
    from api.app import create_app

    settings = api_settings(trained[0].home,
                            ingest_process=getattr(request.module, "INTAKE_CHILD", False))
    made = role_keys(settings)
    app = create_app(settings)
    with TestClient(app) as client:
        client.keys = made
        client.root = app.state.root
        client.as_role = lambda role: {"X-API-Key": made[role]}
        yield client
