"""Read commands ask the `medic up` serving their home, with the same answer as opening it."""

import json
import os
import re
import subprocess
import sys

import pytest

from core.settings import PROJECT_ROOT
from tests.api.conftest import api_settings, role_keys
from tests.processes import local, start_medic, stop

QUESTION = "which model is in production?"


def medic(home, *args, key=None):
    env = {**os.environ, "MEDIC_HOME": str(home), "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("MEDIC_API_KEY", None)
    return subprocess.run([sys.executable, "-m", "cli", *args, *(["--key", key] if key else [])],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)


def served(url: str, route: str, key: str) -> float:
    """How many requests the server answered on `route` (its own Prometheus counter)."""
    pattern = rf'medic_http_requests_total\{{[^}}]*route="{re.escape(route)}"[^}}]*\}} (\S+)'
    metrics = local.get(url + "/metrics", headers={"X-API-Key": key}).text
    return sum(float(n) for n in re.findall(pattern, metrics))


@pytest.mark.slow
def test_read_commands_ask_the_running_server_and_say_the_same_without_it(trained):
    settings = api_settings(trained[0].home, ingest_process=False)
    home, keys = settings.home, role_keys(settings)
    viewer = keys["viewer"]
    process, url = start_medic(home, args=("--no-worker",))
    try:
        announced = json.loads((home / "server.json").read_text())
        assert announced == {"url": url, "pid": process.pid}
        assert oct((home / "server.json").stat().st_mode & 0o777) == "0o600"

        asked = medic(home, "ask", "--json", QUESTION, key=viewer)
        assert asked.returncode == 0, asked.stderr
        direct = local.post(url + "/v1/chat", json={"question": QUESTION}, timeout=60,
                            headers={"X-API-Key": viewer}).json()
        assert json.loads(asked.stdout) == direct and "champion" in direct["answer"]
        assert served(url, "/v1/chat", viewer) == 2  # the command's question, then ours

        listed = medic(home, "models", "list", "--json", key=viewer)
        assert listed.returncode == 0, listed.stderr
        assert served(url, "/v1/models", viewer) == 1
        assert json.loads(listed.stdout) == local.get(
            url + "/v1/models", headers={"X-API-Key": viewer}).json()["models"]

        refused = medic(home, "ask", QUESTION, key="mdk_not_a_key")  # as it would be locally
        assert refused.returncode == 2
        assert refused.stderr.startswith("error:") and "Traceback" not in refused.stderr
    finally:
        stop(process)
    assert not (home / "server.json").exists()  # withdrawn at shutdown

    alone = medic(home, "ask", "--json", QUESTION, key=viewer)
    assert alone.returncode == 0, alone.stderr
    assert json.loads(alone.stdout) == direct
    assert json.loads(medic(home, "ask", "--json", QUESTION).stdout) == direct
