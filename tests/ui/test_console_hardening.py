"""The console against hostile input: markup in alerts, replayed cookies, foreign forms, uploads."""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.api.conftest import SECRET
from tests.processes import free_port, local
from tests.ui.conftest import shoot
from tests.ui.test_console import log_in, raise_alert

FOREIGN = "http://evil.example"


@pytest.fixture(scope="module")
def console_env(tmp_path_factory) -> dict[str, str]:
    """Keep Gradio's upload folder where the tests can look into it."""
    return {"GRADIO_TEMP_DIR": str(tmp_path_factory.mktemp("gradio-uploads"))}


@contextlib.contextmanager
def attacker():
    """Listen on loopback as an attacker's server would; yield its URL and the paths asked."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802  (http.server's name)
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def send_hostile_alert(url: str, viewer_key: str, evil: str) -> dict:
    """Send an alert whose name, summary and labels carry markup; return its pending approval."""
    alert = {"name": f"F1Drop <img src={evil}/pwned-name><a href={evil}/click-name>Click to "
                     "approve</a>",
             "type": "performance", "values": {"f1": 0.5},
             "labels": {"team": f"<img src={evil}/pwned-label>",
                        "runbook": f"<a href={evil}/click-label>approve</a>"},
             "annotations": {"summary": f"<img src={evil}/pwned-summary> [Click here]"
                                        f"({evil}/click-md) {evil}/bare",
                             "description": f"<a href={evil}/click-description>go</a>"}}
    return raise_alert(url, viewer_key, alert)


def assert_inert(page, evil: str, asked: list[str]) -> None:
    """No element points at the attacker, and the attacker heard nothing."""
    assert page.locator(f'img[src^="{evil}"]').count() == 0
    assert page.locator(f'a[href^="{evil}"]').count() == 0
    assert page.locator("a", has_text="Click to approve").count() == 0
    assert asked == []


def test_alert_markup_shows_as_text_on_every_page_and_in_chat(console_server, browser):
    url, keys, _settings = console_server
    with attacker() as (evil, asked):
        pending = send_hostile_alert(url, keys["viewer"], evil)
        incident = pending["incident_id"]
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        log_in(page, url, keys["viewer"])
        page.get_by_text(f"<img src={evil}/pwned-name>").first.wait_for()  # Overview
        assert_inert(page, evil, asked)

        page.get_by_role("tab", name="Approvals").click()
        page.locator("#approval-cards").get_by_text(f"<a href={evil}/click-name>").wait_for()
        assert_inert(page, evil, asked)

        page.get_by_role("tab", name="Incidents").click()
        page.locator("#incident-list").get_by_text(f"<img src={evil}/pwned-name>").wait_for()
        page.get_by_label("Incident #").fill(str(incident))
        page.get_by_role("button", name="Show").click()
        page.locator("#incident-story").get_by_text("Click to approve</a>").wait_for()
        assert_inert(page, evil, asked)

        for tab, shown in (("Monitoring", "#monitoring-plots"), ("Audit", "#audit-entries")):
            page.get_by_role("tab", name=tab).click()
            page.locator(f"{shown} table, {shown} .mc-note").first.wait_for()
            assert_inert(page, evil, asked)

        page.get_by_role("tab", name="Chat").click()
        question = page.locator("#chat-question textarea")
        question.fill(f"What happened with incident {incident}?")
        question.press("Enter")
        answers = page.locator("#chat-answers")
        answers.get_by_text(f"Incident {incident} (performance").wait_for()
        text = answers.inner_text()
        assert f"<img src={evil}/pwned-name><a href={evil}/click-name>Click to approve</a>" \
            in text
        page.wait_for_timeout(1000)  # give an <img>, had one been drawn, time to be fetched
        shoot(page, "chat-hostile-alert")
        assert_inert(page, evil, asked)
        context.close()


def test_a_copied_cookie_is_refused_after_logout(console_server, browser):
    url, keys, _settings = console_server
    context = browser.new_context()
    page = context.new_page()
    log_in(page, url, keys["viewer"])
    [cookie] = [c["value"] for c in context.cookies() if c["name"] == "medic_console"]
    copied = {"medic_console": cookie}
    report = url + "/ui/reports/incidents/1.pdf"
    assert local.get(url + "/ui/", cookies=copied).status_code == 200  # the session works

    page.locator("#logout").click()
    page.wait_for_url("**/ui/login")
    context.close()

    replayed = local.get(url + "/ui/", cookies=copied)
    assert replayed.status_code == 303 and replayed.headers["location"].endswith("/ui/login")
    assert local.get(report, cookies=copied).status_code == 401


def login(url: str, key: str, **headers) -> httpx.Response:
    return local.post(url + "/ui/login", data={"key": key}, headers=headers, timeout=30,
                      follow_redirects=False)


def test_a_form_posted_from_another_site_starts_or_ends_no_session(console_server):
    url, keys, _settings = console_server
    for headers in ({"Origin": FOREIGN}, {"Referer": FOREIGN + "/page"},
                    {"Origin": "null"}, {"Origin": url, "Sec-Fetch-Site": "cross-site"}):
        refused = login(url, keys["viewer"], **headers)
        assert refused.status_code == 403, headers
        assert "another site" in refused.text and "medic_console" not in refused.cookies

    for headers in ({"Origin": url}, {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
                    {"Referer": url + "/ui/login"}, {}):
        accepted = login(url, keys["viewer"], **headers)
        assert accepted.status_code == 303, (headers, accepted.text)
        assert "medic_console" in accepted.cookies

    cookie = {"medic_console": accepted.cookies["medic_console"]}
    forced = local.post(url + "/ui/logout", cookies=cookie, headers={"Origin": FOREIGN})
    assert forced.status_code == 403 and "set-cookie" not in forced.headers
    assert local.get(url + "/ui/", cookies=cookie).status_code == 200  # still logged in
    assert local.post(url + "/ui/logout", cookies=cookie,
                      headers={"Origin": url}).status_code == 303
    assert local.get(url + "/ui/", cookies=cookie).status_code == 303


def test_a_viewer_cannot_upload_files_through_the_console(console_server, console_env):
    url, keys, _settings = console_server
    folder = console_env["GRADIO_TEMP_DIR"]
    signed_in = login(url, keys["viewer"])
    cookie = {"medic_console": signed_in.cookies["medic_console"]}
    marker = f"upload-{time.monotonic_ns()}"
    for path in ("/ui/gradio_api/upload", "/ui/gradio_api/upload/", "/ui//gradio_api/upload",
                 "/ui/gradio_api/./upload", "/ui/gradio_api/process_recording"):
        sent = local.post(url + path, cookies=cookie, timeout=30,
                          files={"files": (f"{marker}.txt", marker.encode() * 1000)})
        assert sent.status_code in (403, 404), (path, sent.status_code, sent.text)
    from pathlib import Path

    stored = [p for p in Path(folder).rglob("*") if p.is_file()
              and (marker in p.name or marker.encode() in p.read_bytes())]
    assert stored == []


def test_the_cookie_is_secure_on_plain_http_when_asked(trained_home, tmp_path):
    import shutil

    from tests.api.conftest import api_settings, role_keys
    from tests.processes import start_medic, stop

    home = tmp_path / "medic"
    shutil.copytree(trained_home[0], home)
    made = role_keys(api_settings(home))
    process, url = start_medic(home, env={"MEDIC_COOKIE_SECURE": "true", "MEDIC_UI": "true",
                                          "MEDIC_WEBHOOK_SECRET": SECRET,
                                          "GRADIO_ANALYTICS_ENABLED": "False"})
    try:
        accepted = login(url, made["viewer"], Origin=url)
        assert accepted.status_code == 303
        [cookie] = [v for k, v in accepted.headers.multi_items() if k == "set-cookie"]
        assert cookie.startswith("medic_console=")
        assert "secure" in [part.strip().lower() for part in cookie.split(";")]
    finally:
        stop(process)
