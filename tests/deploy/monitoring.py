"""Prometheus and Alertmanager with deploy/'s configs, started on loopback for a test."""

from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from core.settings import PROJECT_ROOT
from tests.deploy.conftest import need
from tests.processes import Processes, free_port, local, wait_for

DEPLOY = PROJECT_ROOT / "deploy"


@dataclass(frozen=True)
class Monitoring:
    """Where the test's Prometheus and Alertmanager answer."""

    prometheus: str
    alertmanager: str

    def query(self, expression: str) -> list[dict]:
        """Return an instant query's results; none while Prometheus cannot answer."""
        try:
            reply = local.get(self.prometheus + "/api/v1/query",
                              params={"query": expression}, timeout=2)
        except httpx.HTTPError:
            return []
        return reply.json().get("data", {}).get("result", []) if reply.is_success else []

    def scraped(self, targets: int = 1) -> bool:
        """Say whether Prometheus scrapes `targets` Medic replicas successfully."""
        up = self.query('up{job="medic"}')
        return sum(r["value"][1] == "1" for r in up) >= targets


def prometheus_config(folder: Path, *, api_ports: list[int], am_port: int, key_file: Path,
                      alerts: tuple[str, ...]) -> Path:
    """The shipped config and the named rules, pointed at loopback, evaluated every second."""
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
    config["alerting"]["alertmanagers"][0]["static_configs"] = [
        {"targets": [f"127.0.0.1:{am_port}"]}]
    [job] = config["scrape_configs"]
    del job["dns_sd_configs"]
    job["static_configs"] = [{"targets": [f"127.0.0.1:{port}" for port in api_ports]}]
    job["authorization"]["credentials_file"] = str(key_file)
    shipped = yaml.safe_load((DEPLOY / "prometheus" / "rules.yml").read_text())
    rules = [{**rule, "for": "0s"} for group in shipped["groups"] for rule in group["rules"]
             if rule["alert"] in alerts]
    (folder / "rules.yml").write_text(yaml.safe_dump({"groups": [{"name": "medic",
                                                                   "rules": rules}]}))
    path = folder / "prometheus.yml"
    path.write_text(yaml.safe_dump(config))
    return path


def alertmanager_config(folder: Path, *, api_port: int, token_file: Path) -> Path:
    """The shipped route, aimed at one API replica, grouping within a second."""
    config = yaml.safe_load((DEPLOY / "alertmanager" / "alertmanager.yml").read_text())
    config["route"].update(group_wait="1s", group_interval="1s")
    [hook] = config["receivers"][0]["webhook_configs"]
    assert hook["url"].endswith("/v1/alerts/alertmanager")
    hook["url"] = f"http://127.0.0.1:{api_port}/v1/alerts/alertmanager"
    hook["http_config"]["authorization"]["credentials_file"] = str(token_file)
    path = folder / "alertmanager.yml"
    path.write_text(yaml.safe_dump(config))
    return path


def start_monitoring(processes: Processes, *, api_ports: list[int], viewer_key: str,
                     alertmanager_token: str, alerts: tuple[str, ...] = ()) -> Monitoring:
    """Start Alertmanager (sending to the first replica) and Prometheus (scraping them all)."""
    prometheus = need("prometheus", "prometheus")
    alertmanager = need("prometheus-alertmanager", "prometheus-alertmanager")
    folder = processes.folder
    key_file, token_file = folder / "viewer_key", folder / "am_token"
    key_file.write_text(viewer_key)
    token_file.write_text(alertmanager_token)
    am_port, prom_port = free_port(), free_port()
    processes.start("alertmanager", [
        alertmanager, "--config.file",
        str(alertmanager_config(folder, api_port=api_ports[0], token_file=token_file)),
        "--storage.path", str(folder / "am-data"),
        "--web.listen-address", f"127.0.0.1:{am_port}", "--cluster.listen-address="])
    processes.start("prometheus", [
        prometheus, "--config.file", str(prometheus_config(
            folder, api_ports=api_ports, am_port=am_port, key_file=key_file, alerts=alerts)),
        "--storage.tsdb.path", str(folder / "prom-data"),
        "--web.listen-address", f"127.0.0.1:{prom_port}", "--rules.alert.resend-delay", "1s"])
    return Monitoring(f"http://127.0.0.1:{prom_port}", f"http://127.0.0.1:{am_port}")


def wait_until_scraped(monitoring: Monitoring, processes: Processes, targets: int) -> None:
    wait_for(lambda: monitoring.scraped(targets), timeout=60, logs=processes.logs,
             what=f"Prometheus to scrape {targets} Medic replica(s) with the viewer key")
