"""A message's link opens the incident's console page where `medic up` serves, after a login."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from tests.processes import PATIENCE, local
from tests.ui.test_console import raise_alert

HOOK_SECRET = "s" * 32


class Receiver(BaseHTTPRequestHandler):
    """Stand in for a webhook receiver: keep each posted message."""

    received: list[dict] = []

    def do_POST(self):  # noqa: N802 (the stdlib's name)
        self.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_args):
        pass


@pytest.fixture(scope="module")
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    Receiver.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def console_env(receiver) -> dict[str, str]:
    """No MEDIC_PUBLIC_URL: links must follow `medic up --port`."""
    return {"MEDIC_NOTIFY_WEBHOOK_URL": f"http://127.0.0.1:{receiver.server_address[1]}/hook",
            "MEDIC_NOTIFY_WEBHOOK_SECRET": HOOK_SECRET}


def delivered(incident_id: int, kind: str) -> dict:
    deadline = time.monotonic() + 60 * PATIENCE
    while time.monotonic() < deadline:
        for message in Receiver.received:
            if message["incident_id"] == incident_id and message["kind"] == kind:
                return message
        time.sleep(0.3)
    raise AssertionError(f"no {kind} message for incident {incident_id} reached the receiver")


def test_the_link_in_a_message_logs_in_then_opens_the_incident(console_server, browser):
    url, keys, _settings = console_server
    pending = raise_alert(url, keys["viewer"])
    incident = pending["incident_id"]
    message = delivered(incident, "approval")
    assert message["link"] == f"{url}/ui/?incident={incident}"  # the port medic up serves on

    context = browser.new_context()
    page = context.new_page()
    page.goto(message["link"])
    assert page.url == f"{url}/ui/login?next={quote(f'/ui/?incident={incident}', safe='')}"
    page.fill("#key", keys["viewer"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/ui/?incident={incident}")
    story = page.locator("#incident-story")
    story.get_by_text(f"Incident {incident}:").wait_for(timeout=30_000)
    assert "ModelF1Drop" in story.inner_text()
    # the story alone, at the top: no list of incidents above it (shown in the same answer)
    assert page.locator("#incident-list").inner_text().strip() == ""
    context.close()


@pytest.mark.parametrize("wanted", ["https://evil.example/", "//evil.example/ui/",
                                    "/ui/\\evil", "/v1/keys", "/ui/?next=<script>"])
def test_a_login_goes_on_only_to_a_console_page(console_server, wanted):
    url, keys, _settings = console_server
    form = local.get(url + "/ui/login", params={"next": wanted})
    assert "evil" not in form.text and "<script>" not in form.text
    answer = local.post(url + "/ui/login", data={"key": keys["viewer"], "next": wanted},
                        headers={"Origin": url})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/ui/"
