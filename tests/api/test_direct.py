"""`/v1/predict` served past FastAPI's routing answers exactly as the routed endpoint would."""

import json

from fastapi.testclient import TestClient

from api.app import create_app
from api.direct import Direct
from tests.api.conftest import PATIENT, api_settings, role_keys

SAME_EVERY_TIME = ("request_id",)  # a new one per answer


def _answers(client: TestClient, keys: dict, path: str = "/v1/predict") -> list[tuple]:
    predictor, viewer = {"X-API-Key": keys["predictor"]}, {"X-API-Key": keys["viewer"]}
    requests = [
        ("post", {"json": PATIENT, "headers": predictor}),
        ("post", {"json": {**PATIENT, "ca": None}, "headers": {
            "Authorization": f"Bearer {keys['predictor']}"}}),
        ("post", {"json": PATIENT}),
        ("post", {"json": PATIENT, "headers": {"X-API-Key": "mdk_wrong"}}),
        ("post", {"json": PATIENT, "headers": viewer}),
        ("post", {"json": {**PATIENT, "age": -1, "cp": 9, "extra": 1}, "headers": predictor}),
        ("post", {"content": b'{"age": NaN}', "headers": predictor}),
        ("post", {"content": b"not json", "headers": predictor}),
        ("post", {"content": b"x" * 5000, "headers": predictor}),
        ("get", {"headers": predictor}),
    ]
    answers = []
    for method, arguments in requests:
        reply = getattr(client, method)(path, **arguments)
        body = reply.json() if reply.headers.get("content-type") == "application/json" \
            else reply.text
        if isinstance(body, dict):
            body = {k: v for k, v in body.items() if k not in SAME_EVERY_TIME}
        headers = {k: v for k, v in reply.headers.items() if k not in ("date",)}
        answers.append((reply.status_code, json.dumps(body, sort_keys=True), headers))
    return answers


def test_each_answer_is_the_one_fastapis_routing_gives(trained):
    settings = api_settings(trained[0].home, max_body_bytes=4096)
    keys = role_keys(settings)
    direct, routed = create_app(settings), create_app(settings)
    routed.user_middleware = [m for m in routed.user_middleware if m.cls is not Direct]
    assert len(routed.user_middleware) == len(direct.user_middleware) - 1
    with TestClient(direct) as fast, TestClient(routed) as slow:
        served, reference = _answers(fast, keys), _answers(slow, keys)
        requests = fast.get("/metrics", headers={"X-API-Key": keys["viewer"]}).text
    assert [status for status, _, _ in served] == [200, 200, 401, 401, 403, 422, 422, 422,
                                                   413, 405]
    assert served == reference
    assert 'route="/v1/predict",status="422"} 3.0' in requests  # labelled by its route


def test_a_models_own_predict_path_answers_as_its_routed_template(trained):
    settings = api_settings(trained[0].home, max_body_bytes=4096)
    keys = role_keys(settings)
    direct, routed = create_app(settings), create_app(settings)
    routed.user_middleware = [m for m in routed.user_middleware if m.cls is not Direct]
    path = "/v1/models/heart-disease/predict"
    with TestClient(direct) as fast, TestClient(routed) as slow:
        served, reference = _answers(fast, keys, path), _answers(slow, keys, path)
        requests = fast.get("/metrics", headers={"X-API-Key": keys["viewer"]}).text
    assert [status for status, _, _ in served] == [200, 200, 401, 401, 403, 422, 422, 422,
                                                   413, 405]
    assert served == reference
    assert 'route="/v1/models/{name}/predict",status="200"} 2.0' in requests


def _alert_answers(client: TestClient, app_name: str) -> list[tuple]:
    from api.security import sign
    from tests.api.conftest import SECRET, TOKEN

    def signed(payload, secret=SECRET) -> dict:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return {"content": body, "headers": {**sign(secret, body),
                                              "content-type": "application/json"}}

    alert = {"name": f"drift-{app_name}", "type": "drift", "values": {"drift_share": 0.6}}
    am = {"version": "4", "status": "firing", "alerts": [
        {"status": "firing", "labels": {"alertname": f"am-{app_name}", "type": "drift"},
         "annotations": {"drift_share": "0.6"}, "startsAt": "2026-11-26T10:00:00Z"}]}
    first = signed(alert)  # sent twice: signing again would stamp a new second, now and then
    requests = [
        ("post", "/v1/alerts", first),
        ("post", "/v1/alerts", first),  # the same signature again: a replay
        ("post", "/v1/alerts", {"json": alert}),
        ("post", "/v1/alerts", signed(alert, secret="x" * 32)),
        ("post", "/v1/alerts", signed({"name": ""})),
        ("post", "/v1/alerts", signed(b"{not json")),
        ("post", "/v1/alerts/alertmanager", {"json": am,
                                             "headers": {"Authorization": f"Bearer {TOKEN}"}}),
        ("post", "/v1/alerts/alertmanager", {"json": am}),
        ("get", "/v1/alerts", {}),
    ]
    answers = []
    for method, path, arguments in requests:
        reply = getattr(client, method)(path, **arguments)
        body = reply.json()
        if reply.status_code == 202:  # incident ids and fingerprints differ between apps
            body = [sorted(incident) + [incident["new"]] for incident in body["incidents"]]
        headers = {k: v for k, v in reply.headers.items() if k not in ("date", "content-length")}
        answers.append((reply.status_code, json.dumps(body, sort_keys=True), headers))
    return answers


def test_the_alert_webhooks_answer_as_fastapis_routing_would(trained):
    settings = api_settings(trained[0].home)
    direct, routed = create_app(settings), create_app(settings)
    routed.user_middleware = [m for m in routed.user_middleware if m.cls is not Direct]
    with TestClient(direct) as fast, TestClient(routed) as slow:
        served, reference = _alert_answers(fast, "direct"), _alert_answers(slow, "routed")
    assert [status for status, _, _ in served] == [202, 401, 401, 401, 422, 422, 202, 401, 405]
    assert served == reference
