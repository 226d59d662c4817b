"""The incident report over HTTP: any reader gets the PDF; others and bad ids do not."""

import shutil
import subprocess

import pytest

from tests.api.test_alerts_approvals import F1_DROP, signed

INTAKE_CHILD = True  # the `api` fixture stores alerts in the intake child, as `medic up` does


def test_a_viewer_downloads_the_incident_report(api):
    signed(api, F1_DROP)
    assert api.root.worker.idle()
    [pending] = api.get("/v1/approvals", headers=api.as_role("viewer")).json()
    api.post(f"/v1/approvals/{pending['id']}/approve", json={"comment": "roll it back"},
             headers=api.as_role("approver"))
    assert api.root.worker.idle()

    url = f"/v1/reports/incidents/{pending['incident_id']}.pdf"
    reply = api.get(url, headers=api.as_role("viewer"))
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/pdf"
    assert reply.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (poppler-utils)")
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=reply.content,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "ModelF1Drop" in text and "approver-user" in text and "rollback" in text
    assert "roll it back" in text
    for key in api.keys.values():
        assert key not in text

    assert api.get(url).status_code == 401
    assert api.get(url, headers=api.as_role("predictor")).status_code == 403
    assert api.get("/v1/reports/incidents/999.pdf",
                   headers=api.as_role("viewer")).json() == {"detail": "no incident 999"}
    assert api.get("/v1/reports/incidents/x.pdf", headers=api.as_role("viewer")).status_code \
        == 422


def test_a_viewer_downloads_the_health_report(api):
    signed(api, F1_DROP)
    assert api.root.worker.idle()
    reply = api.get("/v1/reports/health.pdf?since=7d", headers=api.as_role("viewer"))
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/pdf"
    assert reply.content.startswith(b"%PDF") and b"%%EOF" in reply.content[-1024:]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (poppler-utils)")
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=reply.content,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "ModelF1Drop" in text  # the incident opened this week

    url = "/v1/reports/health.pdf"
    assert api.get(url).status_code == 401
    assert api.get(url, headers=api.as_role("predictor")).status_code == 403
    for bad in ("a week", "0d", "7y"):
        refused = api.get(url, params={"since": bad}, headers=api.as_role("viewer"))
        assert refused.status_code == 422 and "since" in refused.text, refused.text
