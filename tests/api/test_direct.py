"""`/v1/predict` served past FastAPI's routing answers exactly as the routed endpoint would."""

import json

from fastapi.testclient import TestClient

from api.app import create_app
from api.direct import Direct
from tests.api.conftest import PATIENT, api_settings, role_keys

SAME_EVERY_TIME = ("request_id",)  # a new one per answer


def _answers(client: TestClient, keys: dict) -> list[tuple]:
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
        reply = getattr(client, method)("/v1/predict", **arguments)
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
