"""Two API replicas on one PostgreSQL database agree on a model's rollout (production profile)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from core.tables import AuditEntry, ModelArtifact
from tests.api.conftest import api_settings, role_keys
from tests.processes import wait_for

ROLLOUT = "/v1/models/heart-disease/rollout"


def copy_artifacts(source_url: str, target_url: str) -> None:
    """Copy the registered versions' records from the trained home into the new database."""
    from core.db import connect

    with connect(source_url)() as source:
        rows = [{c.name: getattr(r, c.name) for c in ModelArtifact.__table__.columns}
                for r in source.scalars(select(ModelArtifact))]
    with connect(target_url).begin() as target:
        target.add_all(ModelArtifact(**row) for row in rows)


@pytest.mark.postgres
@pytest.mark.slow
def test_two_api_replicas_on_one_postgres_database_agree_on_the_stage(trained, postgres_url):
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings = api_settings(trained[0].home, database_url=postgres_url, run_worker=False,
                            ingest_process=False)
    made = role_keys(settings)
    copy_artifacts(trained[0].database_url, postgres_url)
    approver, viewer = {"X-API-Key": made["approver"]}, {"X-API-Key": made["viewer"]}
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        started = one.post(ROLLOUT, json={"action": "shadow", "version": "1"}, headers=approver)
        assert started.status_code == 200, started.text
        assert two.get(ROLLOUT, headers=viewer).json()["stage"] == "shadow"
        two.post(ROLLOUT, json={"action": "canary", "share": 0.3}, headers=approver)
        serving = one.app.state.root.shadow
        seen = wait_for(lambda: (r := serving.rollout("heart-disease")) and r.stage == "canary"
                        and r, timeout=5, what="the first replica to see the canary")
        assert seen.share == 0.3
        revision = seen.revision
        with ThreadPoolExecutor(2) as pool:  # both abort what they read: one change is made
            answers = list(pool.map(
                lambda api: api.post(ROLLOUT, json={"action": "abort",
                                                    "expected_revision": revision},
                                     headers=approver).status_code, (one, two)))
        # the later one either lost the race (409) or found it aborted already (idempotent)
        assert sorted(answers) in ([200, 409], [200, 200])
        assert {api.get(ROLLOUT, headers=viewer).json()["stage"] for api in (one, two)} == \
            {"aborted"}
        with one.app.state.root.sessions() as session:
            aborted = session.scalars(select(AuditEntry.id).where(
                AuditEntry.event == "rollout_aborted")).all()
        assert len(aborted) == 1
