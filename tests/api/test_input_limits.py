"""Hostile review of the running service (issue 22): inputs that gave a 500, a 401 or a 400.

Over real HTTP on 127.0.0.1: items 2 (numbers in alerts), 9 (key requests), 10 (bearer
parsing), 14 (deep JSON, unknown fields) and NUL characters on PostgreSQL and SQLite.
"""

import json

import httpx
import pytest

from api.security import sign
from tests.api.conftest import SECRET, TOKEN, api_settings, role_keys
from tests.api.test_hardening import live

BEARER = {"Authorization": f"Bearer {TOKEN}"}
HUGE = "1" * 400  # a JSON number past a float's range


@pytest.fixture
def served(trained, request):
    """A live server (`medic up`'s uvicorn) with one key per role; storing as asked."""
    overrides = getattr(request, "param", {})
    settings = api_settings(trained[0].home, rate_limit_per_minute=0,
                            webhook_failures_per_minute=1000, **overrides)
    made = role_keys(settings)
    with live(settings) as port, httpx.Client(base_url=f"http://127.0.0.1:{port}",
                                              timeout=30) as client:
        client.keys = made
        yield client


def _signed(client, body: bytes) -> httpx.Response:
    return client.post("/v1/alerts", content=body,
                       headers={**sign(SECRET, body), "content-type": "application/json"})


def _alertmanager(client, *, labels=None, annotations=None, raw: str | None = None, **extra):
    alert = {"status": "firing", "labels": {"alertname": "FeatureDrift", **(labels or {})},
             "annotations": annotations or {}, "startsAt": "2026-11-26T10:00:00Z"}
    body = json.dumps({"version": "4", "status": "firing", "alerts": [alert], **extra})
    if raw is not None:  # a number JSON can carry but json.dumps would not write
        body = body.replace('"RAW"', raw)
    return client.post("/v1/alerts/alertmanager", content=body,
                       headers={**BEARER, "content-type": "application/json"})


def _local_port(response: httpx.Response) -> int:
    """Return the client's own port: the same port means the same keep-alive connection."""
    return response.extensions["network_stream"].get_extra_info("client_addr")[1]


@pytest.mark.parametrize("served", [{"ingest_process": True}, {"ingest_process": False}],
                         ids=["intake-child", "in-process"], indirect=True)
def test_item2_numbers_from_outside_are_finite_and_bounded_or_a_422(served):
    first = served.get("/health")
    refused = [  # each was a 500 (OverflowError, ValueError), and the connection closed
        (_alertmanager(served, annotations={"drift_share": "RAW"}, raw=HUGE),
         "annotations.drift_share"),
        (_alertmanager(served, annotations={"f1": "RAW"}, raw=HUGE), "annotations.f1"),
        (_alertmanager(served, labels={"value": "RAW"}, raw=HUGE), "labels.value"),
        (_alertmanager(served, annotations={"drift_share": "1e999"}),
         "annotations.drift_share"),
        (_alertmanager(served, annotations={"window_minutes": "²"}),
         "annotations.window_minutes"),
        (_alertmanager(served, annotations={"window_minutes": "5" * 5000}),
         "annotations.window_minutes"),
        (_alertmanager(served, annotations={"window_minutes": "RAW"}, raw=HUGE),
         "annotations.window_minutes"),
        (_signed(served, b'{"name": "ModelF1Drop", "values": {"f1": ' + HUGE.encode() + b"}}"),
         "values.f1"),
        (_signed(served, b'{"name": "FeatureDrift", "evidence": {"window_minutes": '
                 + HUGE.encode() + b"}}"), "evidence.window_minutes"),
    ]
    for reply, field in refused:
        assert reply.status_code == 422, (field, reply.text)
        assert f"{field}: " in reply.json()["detail"], reply.text
        after = served.get("/health")  # the next request on the same keep-alive connection
        assert after.status_code == 200 and _local_port(after) == _local_port(first)
    stored = _alertmanager(served, annotations={"drift_share": "0.4", "window_minutes": "60"})
    assert stored.status_code == 202, stored.text


def test_item9_a_key_with_an_unknown_role_or_a_blank_name_is_a_422(served):
    admin = {"X-API-Key": served.keys["admin"]}
    for body, field in (({"name": "ci", "role": "root"}, "role"),
                        ({"name": "   ", "role": "viewer"}, "name"),
                        ({"name": "", "role": "viewer"}, "name")):
        reply = served.post("/v1/keys", json=body, headers=admin)
        assert reply.status_code == 422, reply.text  # was 401, as if the admin key were bad
        assert [e["field"] for e in reply.json()["errors"]] == [field]
    made = served.post("/v1/keys", json={"name": " ci ", "role": "viewer"}, headers=admin)
    assert made.status_code == 201 and made.json()["name"] == "ci"


def test_item10_bearer_scheme_is_required_and_case_insensitive(served):
    viewer = served.keys["viewer"]
    for header, status in ((f"Bearer {viewer}", 200), (f"bearer {viewer}", 200),
                           (f"BEARER  {viewer}", 200), (viewer, 401),
                           (f"Basic {viewer}", 401), ("Bearer", 401)):
        reply = served.get("/v1/incidents", headers={"Authorization": header})
        assert reply.status_code == status, header
    for header, status in ((f"bearer {TOKEN}", 202), (TOKEN, 401), (f"Token {TOKEN}", 401)):
        body = {"version": "4", "alerts": [{"labels": {"alertname": "FeatureDrift"}}]}
        reply = served.post("/v1/alerts/alertmanager", json=body,
                            headers={"Authorization": header})
        assert reply.status_code == status, header


def test_item14_deep_json_is_a_422_naming_the_body_and_unknown_alert_fields_are_refused(
        served):
    viewer = {"X-API-Key": served.keys["viewer"], "content-type": "application/json"}
    operator = {"X-API-Key": served.keys["operator"], "content-type": "application/json"}
    deep = b"[" * 10_000 + b"]" * 10_000
    nested = json.dumps({"question": json.loads("[" * 40 + "]" * 40)}).encode()
    for path, body, headers in (("/v1/chat", deep, viewer), ("/v1/chat", nested, viewer),
                                ("/v1/silences", deep, operator)):
        reply = served.post(path, content=body, headers=headers)
        assert reply.status_code == 422, (path, reply.text)  # was a bare 400 naming nothing
        assert reply.json()["detail"] == "body: nested too deeply (deeper than 32 levels)"
    for reply in (_signed(served, deep), served.post("/v1/alerts/alertmanager", content=deep,
                                                     headers=BEARER)):
        assert reply.status_code == 422 and reply.json()["detail"].startswith("body: nested")

    for body, field in (({"name": "FeatureDrift", "severity": "critical"}, "severity"),
                        ([{"name": "FeatureDrift", "evidence": {"window": 60}}],
                         "0.evidence.window")):
        reply = _signed(served, json.dumps(body).encode())
        assert reply.status_code == 422, reply.text  # was 202: the field was dropped unread
        assert reply.json()["detail"] == f"{field}: Extra inputs are not permitted"
    silence = served.post("/v1/silences", headers=operator, json={
        "matchers": {"alertname": "FeatureDrift"}, "duration": "1h", "note": "typo"})
    assert silence.status_code == 422 and silence.json()["errors"][0]["field"] == "note"

    # Alertmanager v4 as Alertmanager sends it: fields Medic does not read are fine
    sent = _alertmanager(served, annotations={"summary": "drift"}, receiver="medic",
                         groupKey='{}:{alertname="FeatureDrift"}', truncatedAlerts=0,
                         groupLabels={"alertname": "FeatureDrift"}, commonAnnotations={},
                         externalURL="http://alertmanager:9093")
    assert sent.status_code == 202, sent.text


def _nul_answers(client) -> list[tuple[int, str]]:
    """Send a NUL character in every text field that reaches the database."""
    keys = client.keys
    admin, operator = {"X-API-Key": keys["admin"]}, {"X-API-Key": keys["operator"]}
    answers = [
        _signed(client, json.dumps({"name": "Feature\x00Drift"}).encode()),
        _signed(client, json.dumps({"name": "FeatureDrift",
                                    "labels": {"team": "m\x00l"}}).encode()),
        _signed(client, json.dumps([{"name": "FeatureDrift",
                                     "annotations": {"summary": "\x00"}}]).encode()),
        _alertmanager(client, labels={"team": "m\x00l"}),
        _alertmanager(client, annotations={"summary": "a\x00b"}),
        client.post("/v1/feedback", json={"request_id": "r\x00", "label": 1},
                    headers={"X-API-Key": keys["predictor"]}),
        client.post("/v1/keys", json={"name": "c\x00i", "role": "viewer"}, headers=admin),
        client.post("/v1/keys/c%00i/revoke", headers=admin),
        client.post("/v1/silences", headers=operator, json={
            "matchers": {"alertname": "FeatureDrift"}, "duration": "1h", "comment": "\x00"}),
        client.post("/v1/silences", headers=operator, json={
            "matchers": {"alert\x00name": "FeatureDrift"}, "duration": "1h"}),
        client.post("/v1/approvals/1/approve", json={"comment": "ok\x00"},
                    headers={"X-API-Key": keys["approver"]}),
        client.post("/v1/chat", json={"question": "which model\x00?"},
                    headers={"X-API-Key": keys["viewer"]}),
        client.get("/v1/incidents", params={"state": "open\x00"},
                   headers={"X-API-Key": keys["viewer"]}),
    ]
    return [(reply.status_code, reply.json()["detail"] if "detail" in reply.json() and
             isinstance(reply.json()["detail"], str) else reply.text) for reply in answers]


NUL = "text may not hold the NUL character (\\u0000)"
NUL_EXPECTED = [(422, f"{field}: {NUL}") for field in (
    "name", "labels.team", "0.annotations.summary", "alerts.0.labels.team",
    "alerts.0.annotations.summary", "request_id", "name", "name", "comment", "matchers",
    "comment", "question", "state")]


@pytest.mark.postgres
def test_nul_characters_are_a_422_on_postgresql(trained, postgres_url):
    settings = api_settings(trained[0].home, database_url=postgres_url, run_worker=False,
                            rate_limit_per_minute=0)
    made = role_keys(settings)
    with live(settings) as port, httpx.Client(base_url=f"http://127.0.0.1:{port}",
                                              timeout=30) as client:
        client.keys = made
        assert _nul_answers(client) == NUL_EXPECTED  # PostgreSQL's text refuses NUL: 500s


def test_nul_characters_are_a_422_on_sqlite_too(served):
    assert _nul_answers(served) == NUL_EXPECTED  # SQLite stored them
