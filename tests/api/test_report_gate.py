"""PDF reports over real HTTP: renderers capped, the excess waits or gets 429, closed ones kept."""

import re
import threading

import httpx

from services.reports.gate import gate_for
from tests.api.conftest import SECRET, api_settings, role_keys
from tests.api.test_alerts_approvals import F1_DROP
from tests.api.test_hardening import live
from tests.processes import wait_for

PARALLEL = 6


def scraped(client, name: str) -> float:
    text = client.get("/metrics").text
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(found[1]) if found else 0.0


def test_report_renderers_are_capped_and_a_closed_incidents_report_is_kept(trained):
    from api.security import sign

    settings = api_settings(trained[0].home, report_renderers=1, report_queue=1,
                            ingest_process=False)
    made = role_keys(settings)
    viewer = {"X-API-Key": made["viewer"]}
    with live(settings) as port, httpx.Client(base_url=f"http://127.0.0.1:{port}",
                                              headers=viewer, timeout=120) as client:
        body = httpx.Request("POST", "/", json=F1_DROP).content
        sent = client.post("/v1/alerts", content=body,
                           headers={**sign(SECRET, body), "content-type": "application/json"})
        incident = sent.json()["incidents"][0]["incident_id"]
        [pending] = wait_for(lambda: client.get("/v1/approvals").json(), timeout=120,
                             what="the approval")
        url = f"/v1/reports/incidents/{incident}.pdf"
        busy_before = scraped(client, 'medic_report_pdfs_total{outcome="busy"}')

        start, replies = threading.Barrier(PARALLEL), []

        def fetch():
            start.wait()
            replies.append(client.get(url))

        threads = [threading.Thread(target=fetch) for _ in range(PARALLEL)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ok = [r for r in replies if r.status_code == 200]
        refused = [r for r in replies if r.status_code == 429]
        assert len(ok) + len(refused) == PARALLEL, [r.status_code for r in replies]
        assert ok and refused
        for reply in ok:
            assert reply.content.startswith(b"%PDF") and b"%%EOF" in reply.content[-1024:]
        for reply in refused:
            assert int(reply.headers["Retry-After"]) >= 1
            assert "renderers are busy" in reply.json()["detail"]
        assert scraped(client, "medic_report_renderers_peak") == 1  # never two at once
        assert scraped(client, 'medic_report_pdfs_total{outcome="busy"}') - busy_before \
            == len(refused)

        client.post(f"/v1/approvals/{pending['id']}/reject", json={"comment": "not now"},
                    headers={"X-API-Key": made["approver"]})
        wait_for(lambda: client.get(f"/v1/incidents/{incident}").json()["state"] == "rejected",
                 timeout=120, what="the incident to close")
        rendered = scraped(client, 'medic_report_pdfs_total{outcome="rendered"}')
        cached = scraped(client, 'medic_report_pdfs_total{outcome="cached"}')
        first, second = client.get(url), client.get(url)
        assert first.status_code == second.status_code == 200
        assert first.content == second.content and first.content.startswith(b"%PDF")
        assert scraped(client, 'medic_report_pdfs_total{outcome="rendered"}') == rendered + 1
        assert scraped(client, 'medic_report_pdfs_total{outcome="cached"}') == cached + 1
    assert [p.name.startswith(f"incident-{incident}-")
            for p in (settings.home / "cache" / "reports").glob("*.pdf")] == [True]
    assert gate_for(settings).running == 0
