"""The deployment files: Kubernetes manifests (schema-checked offline) and the HAProxy configuration.

scripts/k8s-lint.sh validates deploy/kubernetes/ against the Kubernetes API's
schemas; the rest is what a schema cannot say: every Deployment is limited
and probed, secrets come only from the Secret (whose template holds
placeholders only), names and ports agree between the files, and the HAProxy
configuration is accepted by HAProxy itself (`haproxy -c`).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from tests.support.haproxy import HAPROXY_CFG, current_user_env, haproxy_binary

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "kubernetes"
SECRET_TEMPLATE = K8S / "secret.template.yaml"
PLACEHOLDER = "CHANGE_ME"


def documents(path: Path) -> List[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def manifests() -> List[dict]:
    return [doc for path in sorted(K8S.glob("*.yaml")) if path.name != "kustomization.yaml"
            for doc in documents(path)]


def of_kind(kind: str) -> List[dict]:
    return [doc for doc in manifests() if doc["kind"] == kind]


def by_name(kind: str) -> Dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in of_kind(kind)}


def pod_spec(deployment: dict) -> dict:
    return deployment["spec"]["template"]["spec"]


def all_containers(deployment: dict) -> List[dict]:
    spec = pod_spec(deployment)
    return spec.get("initContainers", []) + spec["containers"]


def secret_template() -> dict:
    (secret,) = documents(SECRET_TEMPLATE)
    return secret


def test_the_manifests_are_valid_kubernetes_objects():
    result = subprocess.run(["bash", str(ROOT / "scripts" / "k8s-lint.sh")], capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_component_has_its_deployment():
    deployments = by_name("Deployment")
    assert set(deployments) == {"shopbot-rasa", "shopbot-actions", "shopbot-recommender", "shopbot-console",
                                "shopbot-alerts", "shopbot-orders-demo"}
    assert deployments["shopbot-rasa"]["spec"]["replicas"] == 2
    assert deployments["shopbot-actions"]["spec"]["replicas"] == 2
    # the recommenders share their catalog through Redis: their disk is a cache, not a volume to keep
    recommender = deployments["shopbot-recommender"]["spec"]
    assert recommender["replicas"] == 2
    assert [volume.get("emptyDir") is not None for volume in recommender["template"]["spec"]["volumes"]] == [True]


def test_every_container_has_requests_and_limits():
    for deployment in of_kind("Deployment"):
        for container in all_containers(deployment):
            resources = container.get("resources", {})
            where = f"{deployment['metadata']['name']}/{container['name']}"
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources.get(kind, {})), f"{where} lacks {kind}"


def test_every_deployment_has_a_readiness_probe():
    for deployment in of_kind("Deployment"):
        for container in pod_spec(deployment)["containers"]:
            assert "readinessProbe" in container, f"{deployment['metadata']['name']}/{container['name']}"
            assert "livenessProbe" in container, f"{deployment['metadata']['name']}/{container['name']}"


def test_rasa_is_ready_when_it_answers_on_slash_and_its_service_is_sticky():
    rasa = by_name("Deployment")["shopbot-rasa"]
    (container,) = pod_spec(rasa)["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/"
    service = by_name("Service")["shopbot-rasa"]
    assert service["spec"]["sessionAffinity"] == "ClientIP"  # socket.io long-polling


def test_memory_sizes_follow_the_benchmarks():
    """docs/benchmarks.md: the whole bot 2256 MB resident, the recommender 523 MB."""
    def mebibytes(quantity: str) -> float:
        number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)(Mi|Gi)", quantity).groups()
        return float(number) * (1024 if unit == "Gi" else 1)

    deployments = by_name("Deployment")
    rasa = pod_spec(deployments["shopbot-rasa"])["containers"][0]["resources"]
    assert mebibytes(rasa["requests"]["memory"]) >= 1400 and mebibytes(rasa["limits"]["memory"]) >= 2048
    recommender = pod_spec(deployments["shopbot-recommender"])["containers"][0]["resources"]
    assert mebibytes(recommender["limits"]["memory"]) >= 600


def test_secrets_come_only_from_the_secret_and_its_template_holds_placeholders():
    secret = secret_template()
    assert secret["kind"] == "Secret" and secret["metadata"]["name"] == "shopbot-secrets"
    values = secret["stringData"]
    assert {"REDIS_URL", "REDIS_SENTINELS", "REDIS_SENTINEL_SERVICE", "CUSTOMER_TOKEN_SECRET", "PRIVACY_KEY",
            "ACTION_SERVER_TOKEN", "RECOMMENDER_TOKEN", "ORDER_SYSTEM_URL", "ORDER_SYSTEM_TOKEN",
            "CONSOLE_AGENTS", "RASA_AUTH_TOKEN"} <= set(values)
    for name, value in values.items():
        assert value == "" or value.startswith(PLACEHOLDER), f"{name} in the Secret template is a real value"
    # The template is never applied by `kubectl apply -k`.
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    assert SECRET_TEMPLATE.name not in kustomization["resources"]
    assert all((K8S / resource).is_file() for resource in kustomization["resources"])

    secret_names = set(values)
    looks_secret = re.compile(r"TOKEN|SECRET|PASSWORD|PRIVACY_KEY|AES_KEY|REDIS_URL|CONSOLE_AGENTS")
    for configmap in of_kind("ConfigMap"):
        leaked = {key for key in configmap.get("data", {}) if key in secret_names or looks_secret.search(key)}
        assert not leaked, f"secret settings in ConfigMap {configmap['metadata']['name']}: {leaked}"
    for deployment in of_kind("Deployment"):
        for container in all_containers(deployment):
            for variable in container.get("env", []):
                if variable["name"] in secret_names or looks_secret.search(variable["name"]):
                    assert "value" not in variable, f"{variable['name']} hard-coded in {deployment['metadata']['name']}"
            for source in container.get("envFrom", []):
                if "secretRef" in source:
                    assert source["secretRef"]["name"] == "shopbot-secrets"
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in by_name("ConfigMap")


def test_no_placeholder_reaches_a_running_bot_process():
    """Every Deployment that reads the Secret first runs the check that refuses CHANGE_ME values."""
    for deployment in of_kind("Deployment"):
        if deployment["metadata"]["name"] == "shopbot-orders-demo":
            continue
        init = {container["name"]: container for container in pod_spec(deployment).get("initContainers", [])}
        assert "check-secrets" in init, deployment["metadata"]["name"]
        script = init["check-secrets"]["command"][-1]
        leftover = subprocess.run(["sh", "-c", script], env={"PATH": os.environ["PATH"], "A": "CHANGE_ME x"},
                                  capture_output=True, text=True)
        assert leftover.returncode != 0 and "A" in leftover.stdout
        clean = subprocess.run(["sh", "-c", script], env={"PATH": os.environ["PATH"], "A": "s3cret"},
                               capture_output=True, text=True)
        assert clean.returncode == 0, clean.stdout + clean.stderr


def test_services_select_pods_and_name_their_ports():
    deployments = of_kind("Deployment")
    for service in of_kind("Service"):
        selector = service["spec"]["selector"]
        matching = [d for d in deployments
                    if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert len(matching) == 1, service["metadata"]["name"]
        ports = {port["name"] for container in pod_spec(matching[0])["containers"]
                 for port in container.get("ports", [])}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports, service["metadata"]["name"]
    for deployment in deployments:
        assert deployment["spec"]["selector"]["matchLabels"].items() <= \
            deployment["spec"]["template"]["metadata"]["labels"].items()


def test_the_configured_urls_name_existing_services_and_ports():
    services = {name: {port["port"] for port in service["spec"]["ports"]}
                for name, service in by_name("Service").items()}
    data = by_name("ConfigMap")["shopbot-config"]["data"]
    for key in ("ACTION_SERVER_URL", "RECOMMENDER_URL"):
        host, port = re.match(r"http://([\w-]+):(\d+)", data[key]).groups()
        assert int(port) in services.get(host, set()), key


def test_the_commands_run_modules_of_this_repository():
    for deployment in of_kind("Deployment"):
        for container in pod_spec(deployment)["containers"]:
            command = container["command"]
            if command[:2] == ["python", "-m"]:
                assert importlib.util.find_spec(command[2]) is not None, command
    args = pod_spec(by_name("Deployment")["shopbot-rasa"])["containers"][0]["args"]
    for name in ("endpoints.yml", "credentials.yml"):
        assert name in args and (ROOT / name).is_file()


def test_the_dockerfile_uses_the_projects_python_and_uv():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.10-slim", dockerfile, re.M)
    env_sh = (ROOT / "scripts" / "env.sh").read_text(encoding="utf-8")
    uv_version = re.search(r'^uv_version="([^"]+)"', env_sh, re.M).group(1)
    assert f"ARG UV_VERSION={uv_version}" in dockerfile
    assert "--frozen" in dockerfile  # exactly uv.lock


# ------------------------------------------------------------------- HAProxy

HAPROXY_TEST_ENV = {
    "RASA_1": "127.0.0.1:5005", "RASA_2": "127.0.0.1:5006",
    "ACTIONS_1": "127.0.0.1:5055", "ACTIONS_2": "127.0.0.1:5065",
    **current_user_env(),
}


def test_every_rasa_server_line_has_its_sticky_use_server_line():
    """A shop adding a rasa server must add both lines with the same id, or its socket.io sessions break."""
    text = HAPROXY_CFG.read_text(encoding="utf-8")
    servers = dict(re.findall(r'^\s*server (rasa\d+) "\$\{RASA_\d+\}" id (\d+) check', text, re.M))
    uses = dict(re.findall(r"^\s*use-server (rasa\d+) if has_sid .* -m int eq (\d+) \}", text, re.M))
    assert servers and servers == uses
    assert len(set(servers.values())) == len(servers)


def test_haproxy_accepts_the_configuration():
    binary, reason = haproxy_binary()
    if binary is None:
        pytest.skip(f"haproxy unavailable: {reason}")
    result = subprocess.run([binary, "-c", "-f", str(HAPROXY_CFG)], env={**os.environ, **HAPROXY_TEST_ENV},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[WARNING]" not in result.stdout + result.stderr, result.stdout + result.stderr


def test_haproxy_refuses_to_start_without_the_server_addresses():
    binary, reason = haproxy_binary()
    if binary is None:
        pytest.skip(f"haproxy unavailable: {reason}")
    env = {key: value for key, value in os.environ.items() if key not in HAPROXY_TEST_ENV}
    result = subprocess.run([binary, "-c", "-f", str(HAPROXY_CFG)], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
