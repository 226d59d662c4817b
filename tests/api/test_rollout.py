"""A challenger on live traffic through the HTTP API: shadow, canary, promote, abort, roles."""

import pytest
from sqlalchemy import select

from core.tables import AuditEntry, ModelArtifact, Notification, ShadowPrediction
from ml.serving.shadow import bucket
from tests.api.conftest import PATIENT
from tests.conftest import DATA, HEART
from tests.processes import wait_for

ROLLOUT = "/v1/models/heart-disease/rollout"


def cleveland(rows: int) -> tuple[list[dict], list[int]]:
    """Return the first Cleveland rows as requests (missing values as null) and their labels."""
    from ml.data import load_site

    frame = load_site(DATA, "cleveland", HEART).head(rows)
    patients = [{name: (None if value != value else
                        (int(value) if name in HEART.categorical else float(value)))
                 for name, value in row.items() if name in HEART.feature_names}
                for row in frame.to_dict("records")]
    return patients, [int(v) for v in frame[HEART.label]]


def add_version(api, version: str, change) -> None:
    """Register a copy of the champion's stored scorer, changed, as `version` (no MLflow)."""
    sessions, name = api.root.sessions, api.root.registry.name
    with sessions.begin() as session:
        champion = session.get(ModelArtifact, (name, "2"))
        scorer = dict(champion.scorer)
        change(scorer)
        session.add(ModelArtifact(model=name, version=version, uri=champion.uri,
                                  scorer=scorer))  # the stored scorer is what serves


def inverted(scorer: dict) -> None:
    """Negate every weight: the model's worst possible twin."""
    scorer["intercept"] = -scorer["intercept"]
    scorer["num_weights"] = [-w for w in scorer["num_weights"]]
    scorer["cat_weights"] = [[-w for w in ws] for ws in scorer["cat_weights"]]


def broken(scorer: dict) -> None:
    """Read a column no row has: the scorer raises IndexError on every call."""
    scorer["numeric_columns"] = [99]


def act(api, role: str, **body):
    return api.post(ROLLOUT, json=body, headers=api.as_role(role))


def written(api) -> None:
    """Wait until the prediction log and the shadow scores are in the database."""
    api.root.predictions.flush_now()
    api.root.shadow.drain()


def shadow_rows(api, request_ids) -> dict[str, tuple[str, float]]:
    with api.root.sessions() as session:
        return {rid: (version, score) for rid, version, score in session.execute(
            select(ShadowPrediction.request_id, ShadowPrediction.version,
                   ShadowPrediction.score).where(ShadowPrediction.request_id.in_(request_ids)))}


def test_shadow_leaves_answers_identical_and_logs_both_scores(api):
    predictor = api.as_role("predictor")
    patients, _ = cleveland(20)
    before = [api.post("/v1/predict", json=p, headers=predictor).json() for p in patients]
    add_version(api, "3", inverted)
    started = act(api, "approver", action="shadow", version="3", reason="try it")
    assert started.status_code == 200, started.text
    assert started.json()["stage"] == "shadow" and started.json()["champion"] == "2"
    after = [api.post("/v1/predict", json=p, headers=predictor).json() for p in patients]
    assert [(a["probability"], a["label"], a["version"]) for a in after] == \
        [(b["probability"], b["label"], b["version"]) for b in before]
    written(api)
    logged = shadow_rows(api, [a["request_id"] for a in after])
    assert set(logged) == {a["request_id"] for a in after}  # every answer, by its request id
    for answer in after:  # the inverted twin's score: 1 - the champion's
        version, score = logged[answer["request_id"]]
        assert version == "3" and score == pytest.approx(1 - answer["probability"], abs=1e-9)
    batch = api.post("/v1/predict/batch", json={"patients": patients[:3]},
                     headers=predictor).json()
    written(api)
    assert len(shadow_rows(api, [f"{batch['request_id']}-{i}" for i in range(3)])) == 3
    view = api.get(ROLLOUT, headers=api.as_role("viewer")).json()
    assert view["evidence"]["paired"] == 23 and view["evidence"]["rows"] == 0
    assert view["evidence"]["agreement"] < 0.5  # an inverted twin disagrees on most rows
    assert view["decision"]["decision"] == "undecided"
    assert view["serving"]["shadow_scored"] == 23
    metrics = api.get("/metrics", headers=api.as_role("viewer")).text
    assert 'medic_rollout_stage{model="heart-disease"} 1.0' in metrics
    assert 'medic_canary_share{model="heart-disease"} 0.0' in metrics


def test_a_worse_challenger_is_decided_abort_on_labelled_live_rows(api):
    predictor = api.as_role("predictor")
    add_version(api, "3", inverted)
    assert act(api, "admin", action="shadow", version="3").status_code == 200
    patients, labels = cleveland(60)
    for patient, label in zip(patients, labels, strict=True):
        answer = api.post("/v1/predict", json=patient, headers=predictor).json()
        api.post("/v1/feedback", json={"request_id": answer["request_id"], "label": label},
                 headers=predictor)
    written(api)
    view = api.get(ROLLOUT, headers=api.as_role("viewer")).json()
    evidence = view["evidence"]
    assert evidence["rows"] == 60 and evidence["metric"] == "f1"
    assert evidence["champion_score"]["value"] > evidence["challenger_score"]["value"]
    assert evidence["improvement"]["high"] < 0
    assert {s["group"] for s in evidence["segments"]} >= {"female", "male", "age 60+"}
    assert view["decision"]["decision"] == "abort"
    assert view["stage"] == "shadow"  # deciding is the agent's: nothing moved by itself


def test_a_canary_whose_challenger_raises_is_aborted_and_its_callers_get_the_champion(api):
    add_version(api, "3", broken)
    assert act(api, "approver", action="shadow", version="3").status_code == 200
    on = act(api, "approver", action="canary", share=1.0)
    assert on.status_code == 200 and on.json()["stage"] == "canary"
    predictor = api.as_role("predictor")
    first = api.post("/v1/predict", json=PATIENT, headers=predictor)  # its shadow row loads it
    wait_for(lambda: api.root.shadow.loaded("heart-disease", "3"), timeout=10,
             what="the challenger to load off the request path")
    answers = [first] + [api.post("/v1/predict", json=PATIENT, headers=predictor)
                         for _ in range(20)]
    assert {a.status_code for a in answers} == {200}  # never an error
    assert {a.json()["version"] for a in answers} == {"2"}  # the champion answered each
    written(api)
    most = HEART.rollout.canary_max_errors
    view = wait_for(lambda: (v := api.get(ROLLOUT, headers=api.as_role("viewer")).json())
                    ["stage"] == "aborted" and v, timeout=10, what="the automatic abort")
    assert view["share"] == 0 and view["actor"] == "medic"
    assert view["reason"].startswith("automatic abort")
    # the canary took at most `most` callers, each answered by the champion; then none (the
    # first caller's row, scored by the challenger in shadow, may raise there first: abort)
    assert 1 <= view["serving"]["canary_errors"] <= most
    with api.root.sessions() as session:
        events = session.scalars(select(AuditEntry.event).where(
            AuditEntry.event.like("rollout_%"))).all()
        subjects = session.scalars(select(Notification.subject)).all()
    assert events == ["rollout_shadow", "rollout_canary", "rollout_aborted"]
    assert any("aborted" in s for s in subjects)
    scraped = api.get("/metrics", headers=api.as_role("viewer")).text
    assert 'medic_rollout_stage{model="heart-disease"} 4.0' in scraped


def test_a_canary_answers_its_share_of_callers_sticky_per_key(api):
    add_version(api, "3", inverted)
    act(api, "admin", action="shadow", version="3")
    act(api, "admin", action="canary", share=0.5)
    routed = bucket("heart-disease", "predictor-user") < 0.5
    predictor = api.as_role("predictor")
    api.post("/v1/predict", json=PATIENT, headers=predictor)  # the challenger loads meanwhile
    written(api)
    answers = {api.post("/v1/predict", json=PATIENT, headers=predictor).json()["version"]
               for _ in range(5)}
    assert answers == ({"3"} if routed else {"2"})
    view = api.get(ROLLOUT, headers=api.as_role("viewer")).json()
    assert view["stage"] == "canary" and view["share"] == 0.5


def test_promotion_moves_the_champion_through_the_registry(api):
    act(api, "approver", action="shadow", version="1")
    promoted = act(api, "approver", action="promote", reason="better on live rows")
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["stage"] == "promoted"
    assert api.root.registry.recorded_champion() == "1"
    again = act(api, "approver", action="promote")  # idempotent: nothing moves twice
    assert again.status_code == 200 and again.json()["revision"] == promoted.json()["revision"]
    served = wait_for(lambda: api.post("/v1/predict", json=PATIENT,
                                       headers=api.as_role("predictor")).json()["version"]
                      == "1", timeout=10, what="the promoted version to be served")
    assert served


def test_only_approvers_and_admins_change_a_rollout(api):
    add_version(api, "3", inverted)
    for role in ("viewer", "predictor", "operator"):
        assert act(api, role, action="shadow", version="3").status_code == 403
    assert api.get(ROLLOUT, headers=api.as_role("viewer")).json()["stage"] == "none"
    assert api.get(ROLLOUT, headers=api.as_role("predictor")).status_code == 403
    assert act(api, "approver", action="shadow", version="9").status_code == 404
    assert act(api, "approver", action="canary", share=0.1).status_code == 404  # none live
    assert act(api, "approver", action="shadow", version="3").status_code == 200
    stale = act(api, "approver", action="abort", expected_revision=7)
    assert stale.status_code == 409  # compare-and-set: the caller read an older rollout
