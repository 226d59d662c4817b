"""Deciding from email: a real `medic up` mails each recipient their own Approve and Reject
links (a real SMTP server receives them); a link opened in Chromium shows the plan and
decides only when its page's button is pressed, once, as the recipient's key holder."""

import json
import os
import re
import subprocess
import sys

import pytest

from core.settings import PROJECT_ROOT
from tests.api.test_alerts_approvals import F1_DROP
from tests.core.test_notify_email import Inbox, smtp_server
from tests.processes import free_port, local, wait_for
from tests.ui.conftest import shoot

PEOPLE = ("alice@example.org", "bob@example.org", "carol@example.org")


@pytest.fixture(scope="module")
def inbox():
    port, kept = free_port(), Inbox()
    server = smtp_server(kept, port)
    kept.port = port
    yield kept
    server.stop()


@pytest.fixture(scope="module")
def console_env(inbox) -> dict[str, str]:
    return {"MEDIC_SMTP_HOST": "127.0.0.1", "MEDIC_SMTP_PORT": str(inbox.port),
            "MEDIC_SMTP_STARTTLS": "false", "MEDIC_EMAIL_FROM": "medic@example.org",
            "MEDIC_EMAIL_TO": ",".join(PEOPLE), "MEDIC_NOTIFY_RETRY_SECONDS": "1"}


def links_of(mail) -> dict[str, str]:
    text = mail.get_body(("plain",)).get_content()
    return dict(re.findall(r"^(Approve|Reject): (\S+)", text, re.M))


def test_an_emailed_link_decides_once_after_its_page_is_confirmed(console_server, inbox,
                                                                   browser):
    from api.security import sign
    from tests.api.conftest import SECRET

    url, made, settings = console_server
    for name, address in (("approver-user", "Alice@example.org"),
                          ("viewer-user", "bob@example.org")):
        linked = subprocess.run(
            [sys.executable, "-m", "cli", "keys", "link-email", name, address, "--key",
             made["admin"], "--json"], cwd=PROJECT_ROOT, capture_output=True, text=True,
            env={**os.environ, "MEDIC_HOME": str(settings.home), "MEDIC_WEBHOOK_SECRET": SECRET})
        assert linked.returncode == 0, linked.stderr
        assert json.loads(linked.stdout)["email"] == address.lower()
    body = json.dumps(F1_DROP).encode()
    local.post(url + "/v1/alerts", content=body, timeout=30,
               headers={**sign(SECRET, body), "content-type": "application/json"})
    viewer = {"X-API-Key": made["viewer"]}
    [pending] = wait_for(lambda: local.get(url + "/v1/approvals", headers=viewer).json(),
                         timeout=120, what="the approval")

    def mails():
        found = {tuple(to): m for to, m in inbox.mails if "approval" in m["Subject"]}
        return found if len(found) == len(PEOPLE) else None

    mailed = wait_for(mails, timeout=120, what="one approval email per recipient")
    alice, bob, carol = (links_of(mailed[(person,)]) for person in PEOPLE)
    assert set(alice) == {"Approve", "Reject"}
    assert alice["Approve"] != bob["Approve"]
    assert alice["Approve"].startswith(url + "/v1/integrations/email/")

    page = browser.new_page()
    for link, why in ((bob["Approve"], "has role 'viewer'"),
                      (carol["Approve"], "is not linked to a Medic key holder"),
                      (alice["Approve"][:-4] + "AAAA", "not one Medic sent")):
        shown = page.goto(link)
        assert shown.status in (401, 403)
        assert why in page.inner_text("p.refused")
    shown = page.goto(alice["Approve"])  # a GET only shows: mail scanners follow links
    assert shown.status == 200
    text = page.inner_text("body")
    assert f"Approve approval {pending['id']}?" in text and pending["digest"] in text
    assert "You are approver-user (approver)" in text
    assert "changes what is served: needs an approver" in text  # the plan, as sentences
    assert local.get(url + "/v1/approvals", headers=viewer).json()[0]["status"] == "pending"
    shoot(page, "email-link-confirm")
    page.click("button")
    page.wait_for_selector("h1")
    assert f"Approval {pending['id']} approved" in page.inner_text("h1")
    assert "by approver-user" in page.inner_text("body")
    shoot(page, "email-link-decided")

    again = local.post(alice["Approve"], timeout=30)
    opposite = local.post(alice["Reject"], timeout=30)
    assert again.status_code == opposite.status_code == 409
    assert "already approved by approver-user" in opposite.text
    incident = f"{url}/v1/incidents/{pending['incident_id']}"
    wait_for(lambda: local.get(incident, headers=viewer).json()["state"] not in
             ("open", "awaiting_approval", "remediating"), timeout=120,
             what="the approved plan to run")
    audit = local.get(url + "/v1/audit", headers=viewer).json()
    [decided] = [e for e in audit["entries"] if e["event"] == "approval_approved"]
    assert decided["actor"] == "approver-user" and decided["data"]["channel"] == "email"
    assert audit["verified"]["ok"], audit["verified"]
    page.close()
