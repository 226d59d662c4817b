"""A real `medic up` on 127.0.0.1 and a real headless Chromium driven by Playwright."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from core.settings import PROJECT_ROOT
from tests.api.conftest import SECRET, TOKEN, api_settings, role_keys
from tests.processes import free_port, local

SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "console"
CHROMIUM = os.environ.get("MEDIC_TEST_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """Return a headless Chromium; skip (fail under CI) when it or Playwright is missing."""
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is not installed (pip install playwright)"
    if missing is None and not shutil.which(CHROMIUM):
        missing = f"no Chromium at {CHROMIUM} (Debian package chromium)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing + "; CI installs it")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def console_env() -> dict[str, str]:
    """Return extra environment for the module's `medic up` (a module may override it)."""
    return {}


@pytest.fixture(scope="module")
def console_home(trained_home) -> Path:
    """Return the home the module's `medic up` starts from (a copy); a module may override it."""
    return trained_home[0]


@pytest.fixture(scope="module")
def console_server(console_home, tmp_path_factory, console_env):
    """Start `medic up` (API, worker and console) once per module; yield its URL and keys."""
    home = tmp_path_factory.mktemp("console") / "medic"
    shutil.copytree(console_home, home)
    settings = api_settings(home)
    made = role_keys(settings)
    port = free_port()
    env = {**os.environ, "MEDIC_HOME": str(settings.home), "MEDIC_WEBHOOK_SECRET": SECRET,
           "MEDIC_ALERTMANAGER_TOKEN": TOKEN, "MEDIC_WORKER_POLL_SECONDS": "0.5",
           "GRADIO_ANALYTICS_ENABLED": "False", "MEDIC_TRAIN_IN_BACKGROUND": "false",
           **console_env}
    log = open(settings.home / "server.log", "wb")  # noqa: SIM115  (closed below)
    process = subprocess.Popen([sys.executable, "-m", "cli", "up", "--port", str(port)],
                               cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300  # a loaded machine imports slowly
    while time.monotonic() < deadline and process.poll() is None:
        if console_open(url):
            break
        time.sleep(0.3)
    else:
        process.kill()
        log.close()
        pytest.fail("server did not start: " + (settings.home / "server.log").read_text()[-2000:])
    yield url, made, settings
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def console_open(url: str) -> bool:
    """Say whether the API is ready and Gradio answers at /ui (it opens after `/ready`)."""
    try:
        return (local.get(url + "/ready", timeout=1).status_code == 200
                and local.get(url + "/ui/config", timeout=1).status_code != 503)
    except httpx.HTTPError:
        return False


def shoot(page, name: str) -> None:
    """Keep a full-page screenshot as a test artifact."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
