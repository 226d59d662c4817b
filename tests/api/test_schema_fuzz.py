"""Schemathesis against the OpenAPI schema: generated requests never get a 500.

Every operation, valid and invalid data, with an admin key; the webhooks signed or with
their bearer token, as their documented headers say, so bodies reach the parser and the
intake child. By hand: `FUZZ_EXAMPLES` (default 12 per operation and mode) runs more, and
`FUZZ_DATABASE_URL` (an empty PostgreSQL database) fuzzes the production profile.
"""

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from api.security import sign
from tests.api.conftest import SECRET, TOKEN, api_settings, role_keys

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory, trained_home):
    import shutil

    from fastapi.testclient import TestClient

    from api.app import create_app

    home = tmp_path_factory.mktemp("fuzz") / "medic"
    shutil.copytree(trained_home[0], home)
    database = {"database_url": os.environ["FUZZ_DATABASE_URL"]} \
        if os.environ.get("FUZZ_DATABASE_URL") else {}
    config = api_settings(home, rate_limit_per_minute=0, webhook_failures_per_minute=10**6,
                          run_worker=False, **database)  # stored incidents wait: no agent
    made = role_keys(config)
    app = create_app(config)
    with TestClient(app):  # runs the lifespan: services stay up for the module
        app.state.root.worker  # noqa: B018 - waits until the agent is open: CPython
        # 3.11's AST constructor may fail when two threads build ASTs at once (gh-106905)
        app.state.fuzz_key = made["admin"]
        yield app


def _send(case, admin_key: str):
    """Call with credentials the operation accepts: a signature, a bearer token or a key."""
    path = case.operation.path
    if path == "/v1/alerts":
        try:
            raw = json.dumps(case.body).encode()
        except (TypeError, ValueError):  # a body JSON cannot carry: sent as generated
            return case.call()
        return case.call(headers={**sign(SECRET, raw), "Content-Type": "application/json"},
                         data=raw)
    if path == "/v1/alerts/alertmanager":
        return case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    return case.call(headers={"X-API-Key": admin_key})


@pytest.mark.slow
def test_no_generated_request_gets_a_500(fuzzed_app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    key = fuzzed_app.state.fuzz_key
    checked, answered = [], set()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def never_500(case):
                response = _send(case, key)
                answered.add((case.operation.path, response.status_code))
                assert response.status_code < 500, (case.method, case.path,
                                                    response.text[:300])

            try:
                never_500()
            except Unsatisfiable:  # nothing to make invalid: no parameters, no body
                assert mode == GenerationMode.NEGATIVE, operation.path
        checked.append(f"{operation.method.upper()} {operation.path}")
    documented = {f"{method.upper()} {path}" for path, methods in
                  fuzzed_app.openapi()["paths"].items() for method in methods}
    assert set(checked) == documented and len(checked) >= 27
    for webhook in ("/v1/alerts", "/v1/alerts/alertmanager"):  # past the credentials
        assert (webhook, 202) in answered and (webhook, 422) in answered
