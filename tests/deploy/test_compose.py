"""docker-compose.yml: valid for Debian's docker-compose, every secret named in .env.example."""

import re
import subprocess

import yaml

from core.settings import PROJECT_ROOT
from tests.deploy.conftest import need

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"


def compose(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([need("docker-compose", "docker-compose"), "-f", str(COMPOSE),
                           *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=60)


def test_compose_file_is_valid():
    checked = compose("config", "-q")
    assert checked.returncode == 0, checked.stderr


def test_every_variable_is_named_in_env_example_and_none_is_filled():
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE.read_text()))
    lines = [line for line in ENV_EXAMPLE.read_text().splitlines()
             if line and not line.startswith("#")]
    named = dict(line.split("=", 1) for line in lines)
    assert used - set(named) == set()
    assert {name for name, value in named.items() if value} == set()
    assert {"POSTGRES_PASSWORD", "MEDIC_WEBHOOK_SECRET", "MEDIC_ALERTMANAGER_TOKEN",
            "MEDIC_SLACK_WEBHOOK_URL", "MEDIC_SMTP_PASSWORD",
            "MEDIC_NOTIFY_WEBHOOK_SECRET"} <= set(named)


def test_services_replicas_read_only_and_healthchecks():
    rendered = compose("--env-file", str(ENV_EXAMPLE), "config")
    assert rendered.returncode == 0, rendered.stderr
    services = yaml.safe_load(rendered.stdout)["services"]
    assert set(services) == {"postgres", "mlflow", "api", "worker", "prometheus",
                             "alertmanager", "ollama"}
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert services["worker"]["command"] == ["medic", "worker"]
    assert services["api"]["command"][:3] == ["medic", "up", "--no-worker"]
    assert services["ollama"]["profiles"] == ["llm"]
    for name in ("mlflow", "api", "worker", "prometheus", "alertmanager"):
        assert services[name]["read_only"] is True, name
    for name, service in services.items():
        assert name == "ollama" or "healthcheck" in service, name
    server = services["mlflow"]["command"]
    assert "postgresql+psycopg://" in server and "--serve-artifacts" in server
    assert services["mlflow"]["environment"]["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] == "false"
    environment = services["api"]["environment"]
    assert environment["MEDIC_MLFLOW_TRACKING_URI"] == "http://mlflow:5000"
    assert environment["MEDIC_PROFILE"] == "production"


def test_image_runs_as_a_non_root_user():
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert dockerfile.count("\nFROM ") + dockerfile.startswith("FROM ") >= 2
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and not users[-1].startswith(("root", "0"))
