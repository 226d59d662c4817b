"""Findings of the hostile review, one regression test per item (items 6, 7, 14)."""

import json
import socket
from contextlib import contextmanager

import httpx
import uvicorn
from sqlalchemy import func, select

from api.security import sign
from core.tables import AuditEntry, Incident
from tests.api.conftest import SECRET, TOKEN, api_settings, role_keys
from tests.processes import free_port, in_thread

INTAKE_CHILD = True  # the `api` fixture stores alerts in the intake child, as `medic up` does

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

    with api.root.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 1
        for entry in session.scalars(select(AuditEntry)):
            json.loads(json.dumps(entry.data, allow_nan=False))  # strict JSON only

    chat = api.post("/v1/chat", json={"question": f"what happened with incident {2**63}?"},
                    headers=api.as_role("viewer"))
    assert chat.status_code == 200  # was a 500 (OverflowError in the database driver)
    assert "incident" in chat.json()["answer"] and "2147483647" in chat.json()["answer"]


@contextmanager
def live(settings):
    """Serve the app with `medic up`'s uvicorn configuration on 127.0.0.1, in a thread."""
    from api.app import create_app
    from api.serve import server_config

    port = free_port()
    server = uvicorn.Server(server_config(create_app(settings), settings, host="127.0.0.1",
                                          port=port))
    with in_thread(server):
        yield port


def _rotating(port: int) -> list[int]:
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        return [client.get("/v1/incidents", headers={"X-API-Key": "mdk_wrong",
                                                     "X-Forwarded-For": f"203.0.113.{n}"}
                           ).status_code for n in range(40)]


def test_item7_forwarded_for_is_believed_only_from_trusted_proxies(trained):
    settings = api_settings(trained[0].home, rate_limit_per_minute=20)
    role_keys(settings)
    with live(settings) as port:
        codes = _rotating(port)
    assert codes[:20] == [401] * 20 and codes[-15:] == [429] * 15  # was 40 x 401
    with live(settings.model_copy(update={"trusted_proxies": "127.0.0.1"})) as port:
        assert _rotating(port) == [401] * 40  # a configured proxy's header is believed


def test_item7_failed_webhook_signatures_and_tokens_are_rate_limited(api):
    body = json.dumps({"name": "ModelF1Drop", "values": {"f1": 0.5}}).encode()
    wrong = {**sign("x" * 32, body), "content-type": "application/json"}
    codes = [api.post("/v1/alerts", content=body, headers=wrong).status_code
             for _ in range(6)]
    codes += [api.post("/v1/alerts/alertmanager", json=_alertmanager(),
                       headers={"Authorization": "Bearer guess"}).status_code
              for _ in range(6)]
    assert codes == [401] * 10 + [429] * 2
    refused = _signed(api, body)  # even a good signature waits while the address is blocked
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    with api.root.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 0


def _raw_post(port: int, path: str, size: int, *, chunked: bool, headers: str = "") -> bytes:
    """Send a body the way a plain client does (all of it), then read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        head = f"POST {path} HTTP/1.1\r\nHost: medic\r\nContent-Type: application/json\r\n"
        if chunked:
            connection.sendall(f"{head}{headers}Transfer-Encoding: chunked\r\n\r\n".encode())
            piece = b"[" * 65536
            for _ in range(size // len(piece)):
                connection.sendall(b"10000\r\n" + piece + b"\r\n")
            connection.sendall(b"0\r\n\r\n")
        else:
            connection.sendall(f"{head}{headers}Content-Length: {size}\r\n\r\n".encode()
                               + b"[" * size)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def test_item14_oversized_body_gets_a_413_the_client_can_read(trained):
    settings = api_settings(trained[0].home, max_body_bytes=64 * 1024)
    made = role_keys(settings)
    with live(settings) as port:
        for path, role in (("/v1/chat", "viewer"), ("/v1/alerts", None),
                           ("/v1/predict", "predictor")):
            for chunked in (True, False):  # a chat body chunked was a 400, not a 413
                answer = _raw_post(port, path, 4 * 1024 * 1024, chunked=chunked,
                                   headers=f"X-API-Key: {made[role]}\r\n" if role else "")
                status = answer.partition(b"\r\n")[0]
                assert status == b"HTTP/1.1 413 Request Entity Too Large", (path, chunked,
                                                                           answer[:200])
                assert answer.endswith(b'{"detail":"request body over 65536 bytes"}')
