"""Monitors over HTTP: VA patients through /v1/predict fire drift, the report downloads, gauges."""

import math

from ml import data
from services.monitors import run as monitors
from tests.conftest import DATA, HEART


def patients(site: str, rows: int) -> list[dict]:
    """A site's first patients as the API takes them (missing: None; a 0 blood pressure too)."""
    frame = data.features(data.load_site(DATA, site, HEART), HEART).head(rows)
    return [{k: (None if _missing(k, v) else v) for k, v in r.items()}
            for r in frame.to_dict("records")]


def _missing(column: str, value) -> bool:
    return (isinstance(value, float) and math.isnan(value)) or (column == "trestbps"
                                                                and value == 0)


def test_va_traffic_fires_drift_links_its_report_and_exports_gauges(api):
    reply = api.post("/v1/predict/batch", json={"patients": patients("va", 150)},
                     headers=api.as_role("predictor"))
    assert reply.status_code == 200, reply.text
    api.root.predictions.flush_now()
    medic = api.root.medic
    for _ in range(2):
        monitors.run_checks(medic)

    listed = api.get("/v1/incidents", headers=api.as_role("viewer")).json()
    drift = [i for i in listed if i["title"].startswith("MonitorDataDrift")]
    assert len(drift) == 1
    incident = api.get(f"/v1/incidents/{drift[0]['id']}", headers=api.as_role("viewer")).json()
    assert incident["alert"]["source"] == "monitor"
    link = incident["alert"]["annotations"]["report"]
    downloaded = api.get(link, headers=api.as_role("viewer"))
    assert downloaded.status_code == 200 and "<html" in downloaded.text[:2000].lower()
    assert downloaded.headers["content-disposition"].startswith("attachment")
    assert api.get(link).status_code == 401
    assert api.get(link, headers=api.as_role("predictor")).status_code == 403
    for hostile in ("..%2Fmedic.db", "data_drift-20261127T000000.html", "medic.db"):
        assert api.get(f"{monitors.REPORTS_ROUTE}/{hostile}",
                       headers=api.as_role("viewer")).status_code in (404, 422)

    scraped = api.get("/metrics", headers=api.as_role("viewer")).text
    share = incident["alert"]["values"]["drift_share"]
    heart = 'model="heart-disease"'
    assert (f'medic_monitor_value{{kind="data_drift",{heart},monitor="data_drift",'
            f'value_name="drift_share"}} {share}') in scraped
    assert f'medic_monitor_state{{{heart},monitor="data_drift",state="critical"}} 1.0' in scraped \
        or f'medic_monitor_state{{{heart},monitor="data_drift",state="warning"}} 1.0' in scraped
    assert f'medic_monitor_rows{{{heart},monitor="data_drift"}} 150.0' in scraped
    assert f'medic_monitor_feature_drifted{{feature="thal",{heart},monitor="data_drift"}}' \
        in scraped
    assert f'medic_monitor_last_run_timestamp_seconds{{{heart},monitor="performance"}}' \
        in scraped

    grouped = api.get("/v1/monitors", headers=api.as_role("viewer")).json()
    assert [g["model"] for g in grouped] == ["heart-disease"] and grouped[0]["default"]
    drift_now = {m["name"]: m for m in grouped[0]["monitors"]}["data_drift"]
    assert drift_now["firing"] and drift_now["incident"] == drift[0]["id"]
    one = api.get("/v1/monitors?model=bike-demand", headers=api.as_role("viewer"))
    assert one.status_code == 200 and one.json() == [
        {"model": "bike-demand", "default": False, "monitors": []}]  # known, not checked yet
    unknown = api.get("/v1/monitors?model=nope", headers=api.as_role("viewer"))
    assert unknown.status_code == 404
    assert "known: bike-demand, heart-disease" in unknown.text
    assert api.get("/v1/monitors", headers=api.as_role("predictor")).status_code == 403

    history = api.get("/v1/monitors/history?hours=6", headers=api.as_role("viewer"))
    assert history.status_code == 200, history.text
    drift_now = history.json()["drift"]
    assert drift_now["checks"] >= 2 and "thal" in drift_now["features"]  # the tick's too
    assert history.json()["traffic"]["total"] == 150
    assert api.get("/v1/monitors/history", headers=api.as_role("predictor")).status_code == 403
    assert api.get("/v1/monitors/history?hours=721",
                   headers=api.as_role("viewer")).status_code == 422


def test_a_link_in_the_reports_folder_is_not_followed(api, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    folder = monitors.reports_dir(api.root.medic)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data_drift-20261127T011500.html").symlink_to(secret)
    (folder / "data_drift-20261127T011600.html").hardlink_to(secret)
    for name in ("data_drift-20261127T011500.html", "data_drift-20261127T011600.html"):
        reply = api.get(f"{monitors.REPORTS_ROUTE}/{name}", headers=api.as_role("viewer"))
        assert reply.status_code == 404 and "TOP-SECRET" not in reply.text
    (folder / "data_drift-20261127T011700.html").write_text("<html>kept</html>")
    kept = api.get(f"{monitors.REPORTS_ROUTE}/data_drift-20261127T011700.html",
                   headers=api.as_role("viewer"))
    assert kept.status_code == 200 and "kept" in kept.text
