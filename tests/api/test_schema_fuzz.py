"""Schemathesis against the OpenAPI schema: generated requests never get a 500."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.api.conftest import api_settings, role_keys


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory, trained_home):
    import shutil

    from fastapi.testclient import TestClient

    from api.app import create_app

    home = tmp_path_factory.mktemp("fuzz") / "medic"
    shutil.copytree(trained_home[0], home)
    config = api_settings(home, rate_limit_per_minute=0)
    made = role_keys(config)
    app = create_app(config)
    with TestClient(app):  # runs the lifespan: services stay up for the module
        app.state.fuzz_key = made["admin"]
        yield app


def test_no_generated_request_gets_a_500(fuzzed_app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    headers = {"X-API-Key": fuzzed_app.state.fuzz_key}
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def never_500(case):
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.path, response.text[:300])

        never_500()
        checked.append(f"{operation.method.upper()} {operation.path}")
    assert "POST /v1/predict" in checked and "POST /v1/alerts" in checked and len(checked) >= 15
