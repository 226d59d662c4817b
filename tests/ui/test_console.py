"""The console as people use it, in a real browser against a real `medic up`."""

import json
import time

from api.security import sign
from tests.api.conftest import SECRET
from tests.processes import PATIENCE, local
from tests.ui.conftest import shoot

F1_DROP = {"name": "ModelF1Drop", "type": "performance", "values": {"f1": 0.5}}


def raise_alert(url: str, viewer_key: str, alert: dict | None = None) -> dict:
    """Send a signed alert (by default an F1 drop with a new fingerprint each time) and wait
    for its pending approval."""
    alert = alert or {**F1_DROP, "name": f"ModelF1Drop-{time.monotonic_ns()}"}
    body = json.dumps(alert).encode()
    sent = local.post(url + "/v1/alerts", content=body, timeout=30,
                      headers={**sign(SECRET, body), "content-type": "application/json"})
    assert sent.status_code == 202, sent.text
    deadline = time.monotonic() + 60 * PATIENCE
    while time.monotonic() < deadline:
        pending = local.get(url + "/v1/approvals", headers={"X-API-Key": viewer_key}).json()
        if pending:
            return pending[0]
        time.sleep(0.3)
    raise AssertionError("no approval was asked for")


def log_in(page, url: str, key: str) -> None:
    page.goto(url + "/ui/")
    assert page.url.endswith("/ui/login")  # no session: the login form, not the console
    page.fill("#key", key)
    page.click("button[type=submit]")
    page.wait_for_selector("#tab-overview, button[role=tab]")
    page.get_by_text("Medic console —").wait_for()


def test_an_approver_approves_and_sees_the_incident_go_on_to_verify(console_server, browser):
    url, keys, _settings = console_server
    pending = raise_alert(url, keys["viewer"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen_urls = []
    page.on("request", lambda request: seen_urls.append(request.url))

    log_in(page, url, keys["approver"])
    page.get_by_text("approver-user (approver)").wait_for()
    page.get_by_role("heading", name="Approvals waiting").wait_for()
    shoot(page, "overview")
    [cookie] = [c for c in context.cookies() if c["name"] == "medic_console"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["expires"] > 0
    assert keys["approver"] not in cookie["value"]

    page.get_by_role("tab", name="Approvals").click()
    card = page.locator("#approval-cards")
    card.get_by_text(f"Approval {pending['id']} · incident {pending['incident_id']}").wait_for()
    assert pending["actions"][0]["tool"] in card.inner_text()
    assert pending["digest"] in card.inner_text()
    shoot(page, "approvals")
    page.locator("#approval-comment textarea").fill("previous version was healthy")
    page.locator("#approve").click()
    page.locator("#decision-status").get_by_text("approved").wait_for()
    # a rollback is measured on live traffic afterwards: the incident now verifies it
    page.locator("#decision-progress .mc-verifying").wait_for(timeout=60_000)
    shoot(page, "approvals-decided")

    page.get_by_role("tab", name="Incidents").click()
    page.locator("#incident-list").get_by_text("ModelF1Drop").first.wait_for()
    page.get_by_label("Incident #").fill(str(pending["incident_id"]))
    page.get_by_role("button", name="Show").click()
    story = page.locator("#incident-story")
    story.get_by_text("approved by approver-user").wait_for()
    assert "previous version was healthy" in story.inner_text()
    report = story.get_by_role("link", name="Download the report (PDF)")
    pdf = context.request.get(url + "/ui/" + report.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    shoot(page, "incidents")

    assert all(key not in u for u in seen_urls for key in keys.values())
    assert keys["approver"] not in page.content()
    page.locator("#logout").click()
    page.wait_for_url("**/ui/login")
    page.goto(url + "/ui/")
    assert page.url.endswith("/ui/login")
    assert context.request.get(url + "/ui/reports/incidents/1.pdf").status == 401
    context.close()


def test_a_viewer_sees_approvals_but_cannot_decide(console_server, browser):
    url, keys, _settings = console_server
    pending = raise_alert(url, keys["viewer"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, url, keys["viewer"])
    page.get_by_role("tab", name="Approvals").click()
    page.locator("#approval-cards").get_by_text(f"Approval {pending['id']}").wait_for()
    assert page.locator("#approve").count() == 0 or not page.locator("#approve").is_visible()
    assert not page.get_by_role("button", name="Reject").is_visible()
    shoot(page, "approvals-viewer")
    page.get_by_role("tab", name="Models").click()
    page.locator("#model-versions").get_by_text("Champion history").wait_for()
    assert "champion" in page.locator("#model-versions").inner_text()
    assert not page.locator("#promote").is_visible()  # admins only
    shoot(page, "models-viewer")
    page.get_by_role("tab", name="Audit").click()
    page.locator("#audit-entries").get_by_text("approval_requested").first.wait_for()
    page.locator("#audit-verify").click()
    page.locator("#audit-verdict").get_by_text("Audit chain intact").wait_for()
    shoot(page, "audit")
    still = local.get(url + "/v1/approvals", headers={"X-API-Key": keys["viewer"]}).json()
    assert [a["id"] for a in still] == [pending["id"]]
    context.close()


def test_a_wrong_key_or_a_forged_cookie_gets_the_login_form(console_server, browser):
    url, _keys, _settings = console_server
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "/ui/login")
    page.fill("#key", "mdk_not_a_real_key")
    page.click("button[type=submit]")
    page.get_by_text("That key is unknown or revoked.").wait_for()
    host = url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "medic_console", "value": "eyJuYW1lIjoiYWRtaW4ifQ.forged",
                          "domain": host, "path": "/"}])
    page.goto(url + "/ui/")
    assert page.url.endswith("/ui/login")
    context.close()


def test_a_predictor_key_cannot_open_the_console(console_server):
    url, keys, _settings = console_server
    refused = local.post(url + "/ui/login", data={"key": keys["predictor"]},
                         follow_redirects=False, timeout=30)
    assert refused.status_code == 403 and "cannot use the console" in refused.text
    assert "medic_console" not in refused.cookies  # no session was started


def test_an_admin_moves_the_champion_only_from_the_one_they_saw(console_server, browser):
    url, keys, _settings = console_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, url, keys["admin"])
    page.get_by_role("tab", name="Models").click()
    page.locator("#promote").wait_for()
    seen = page.get_by_label("Champion now (compare-and-set)")
    champion = seen.input_value()
    assert champion
    seen.fill("999")
    page.locator("#rollback").click()
    page.locator("#model-outcome").get_by_text("Not done").wait_for()
    page.locator("#model-outcome").get_by_text("champion").wait_for()  # names what moved
    seen.fill(champion)
    page.get_by_label("Version to promote").fill("2" if champion == "1" else "1")
    page.get_by_label("Why").fill("checking the console")
    page.locator("#promote").click()
    # the worker's tick (monitors, verify) may hold SQLite's write lock for a while
    page.locator("#model-outcome").get_by_text("Done.").wait_for(timeout=90_000)
    page.locator("#model-versions").get_by_text("checking the console").wait_for()
    shoot(page, "models-admin")
    context.close()


def test_the_models_page_shows_a_challenger_in_shadow_beside_the_champion(console_server,
                                                                          browser):
    url, keys, _settings = console_server
    rollout = url + "/v1/models/heart-disease/rollout"
    champion = local.get(url + "/v1/models/heart-disease",
                         headers={"X-API-Key": keys["viewer"]}).json()["champion"]
    other = "1" if champion == "2" else "2"
    started = local.post(rollout, json={"action": "shadow", "version": other,
                                        "reason": "try it live"},
                         headers={"X-API-Key": keys["approver"]})
    assert started.status_code == 200, started.text
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        log_in(page, url, keys["viewer"])
        page.get_by_role("tab", name="Models").click()
        shown = page.locator("#model-rollout")
        shown.get_by_text(f"version {other} beside champion {champion}").wait_for()
        assert "shadow" in shown.inner_text() and "try it live" in shown.inner_text()
        assert "labelled live rows of" in shown.inner_text()
        shoot(page, "models-rollout")
        context.close()
    finally:
        local.post(rollout, json={"action": "end", "reason": "test over"},
                   headers={"X-API-Key": keys["approver"]})
