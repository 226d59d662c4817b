"""Findings of the hostile review, one regression test per item (items 6, 7, 14)."""

import json

from sqlalchemy import func, select

from api.security import sign
from core.tables import AuditEntry, Incident
from tests.api.conftest import SECRET, TOKEN

BEARER = {"Authorization": f"Bearer {TOKEN}"}


def _signed(api, body: bytes):
    return api.post("/v1/alerts", content=body,
                    headers={**sign(SECRET, body), "content-type": "application/json"})


def _alertmanager(**item):
    alert = {"status": "firing", "labels": {"alertname": "FeatureDrift"},
             "startsAt": "2026-11-26T10:00:00Z", **item}
    return {"version": "4", "status": "firing", "alerts": [alert]}


def test_item6_inputs_that_gave_a_500_are_refused_with_a_422(api):
    deep = b"[" * 10_000 + b"]" * 10_000
    for reply in (_signed(api, deep),
                  api.post("/v1/alerts/alertmanager", content=deep, headers=BEARER)):
        assert reply.status_code == 422 and "nested too deeply" in reply.json()["detail"]

    not_a_date = api.post("/v1/alerts/alertmanager", json=_alertmanager(startsAt="yesterday"),
                          headers=BEARER)
    assert not_a_date.status_code == 422
    assert "startsAt is not an RFC 3339 time" in not_a_date.json()["detail"]
    window = api.post("/v1/alerts/alertmanager", headers=BEARER,
                      json=_alertmanager(annotations={"window_minutes": "sixty"}))
    assert window.status_code == 422 and "window_minutes" in window.json()["detail"]

    for value in ('"NaN"', '"nan"', '"Infinity"', '"-inf"', "1e999"):  # 1e999 parses as inf
        body = b'{"name": "ModelF1Drop", "type": "performance", "values": {"f1": ' + \
            value.encode() + b"}}"
        reply = _signed(api, body)
        assert reply.status_code == 422, value  # NaN used to score 0.8 and plan a retrain
        assert "values.f1" in reply.json()["detail"]
    long_print = json.dumps({"name": "FeatureDrift", "fingerprint": "f" * 129}).encode()
    assert _signed(api, long_print).status_code == 422
    exact = json.dumps({"name": "FeatureDrift", "fingerprint": "f" * 128}).encode()
    assert _signed(api, exact).status_code == 202

    with api.services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 1
        for entry in session.scalars(select(AuditEntry)):
            json.loads(json.dumps(entry.data, allow_nan=False))  # strict JSON only

    chat = api.post("/v1/chat", json={"question": f"what happened with incident {2**63}?"},
                    headers=api.as_role("viewer"))
    assert chat.status_code == 200 and chat.json()["answer"] == f"no incident {2**63}."
