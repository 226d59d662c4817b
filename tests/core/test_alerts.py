import pytest

from core.alert_sources.alertmanager import from_alertmanager
from core.alerts import AlertError, AlertType, from_medic, parse


def alertmanager(*alerts, status="firing"):
    return {"version": "4", "groupKey": "{}:{}", "status": status, "receiver": "medic",
            "groupLabels": {}, "commonLabels": {"team": "ml"}, "commonAnnotations": {},
            "externalURL": "http://alertmanager:9093", "alerts": list(alerts)}


def am_alert(name, status="firing", **annotations):
    return {"status": status, "labels": {"alertname": name, "severity": "warning"},
            "annotations": annotations, "startsAt": "2026-11-26T10:00:00.000Z",
            "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://prom",
            "fingerprint": f"fp-{name}"}


def test_each_alertmanager_alert_stands_on_its_own():
    alerts = from_alertmanager(alertmanager(
        am_alert("FeatureDriftHigh", drift_share="0.62", data_path="/data/today.csv"),
        am_alert("ModelF1Low", f1="0.58"),
        am_alert("Serving5xxRate", error_rate="0.12")))
    assert [a.type for a in alerts] == [AlertType.DRIFT, AlertType.PERFORMANCE,
                                        AlertType.SYSTEM_ERROR]
    assert alerts[0].values == {"drift_share": 0.62}
    assert alerts[0].evidence.data_path == "/data/today.csv"
    assert alerts[0].labels["team"] == "ml" and alerts[0].fingerprint == "fp-FeatureDriftHigh"
    assert alerts[0].starts_at.year == 2026 and alerts[0].ends_at is None


def test_medic_json_gets_a_stable_fingerprint():
    one = from_medic({"name": "FeatureDrift", "labels": {"feature": "age"}})[0]
    two = from_medic({"name": "FeatureDrift", "labels": {"feature": "age"},
                      "values": {"drift_share": 0.9}})[0]
    other = from_medic({"name": "FeatureDrift", "labels": {"feature": "chol"}})[0]
    assert one.fingerprint == two.fingerprint != other.fingerprint
    assert one.type == AlertType.DRIFT


def test_explicit_type_label_wins_and_unknown_stays_unknown():
    assert parse({"name": "Something", "labels": {"alert_type": "performance"}})[0].type == \
        AlertType.PERFORMANCE
    assert parse({"name": "Something odd"})[0].type == AlertType.UNKNOWN


@pytest.mark.parametrize(("payload", "words"), [
    ({"version": "4", "alerts": []}, "holds no alerts"),
    ({"version": "3", "alerts": [{}]}, "version 4"),
    ([], "no alert"),
    ({"name": ""}, "name"),
    ({"name": "x", "values": {"f1": "high"}}, "values.f1"),
    ({"name": "x", "labels": {f"k{i}": "v" for i in range(100)}}, "too many"),
])
def test_bad_payloads_get_a_clear_error(payload, words):
    with pytest.raises(AlertError, match=words):
        parse(payload)


def test_non_numeric_annotation_values_are_ignored():
    [alert] = from_alertmanager(alertmanager(am_alert("ModelF1Low", f1="n/a", value="NaN")))
    assert alert.values == {}
