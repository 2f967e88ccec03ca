"""The deployment examples (Kubernetes, Compose) and what they rely on: a stateless service.

No Docker engine or cluster runs here, so the manifests are parsed and checked against the
Dockerfile, the settings, the app's routes and the measured memory of a worker; the service's
statelessness (N workers, N replicas behind any balancer, a read-only model folder) is tested
with real processes on loopback.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import httpx
import pytest
import yaml

from benchmarks.memory import children, fresh_process_rss
from datasets.corpora import REPO_ROOT
from service.settings import Settings
from tests.load.run import serve

DEPLOY = REPO_ROOT / "deploy"
K8S = DEPLOY / "kubernetes" / "sensational.yaml"
COMPOSE = DEPLOY / "compose" / "compose.yaml"
NGINX = DEPLOY / "compose" / "nginx.conf"
DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text()
README = (REPO_ROOT / "README.md").read_text()
DEFAULT_MODEL = REPO_ROOT / "models" / "default"


def _mebibytes(quantity: str) -> float:
    """A Kubernetes or Compose memory quantity in MB (10^6 bytes)."""
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 1e3, "M": 1e6, "G": 1e9, "": 1}
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]i?)?", str(quantity)).groups()
    return float(number) * units[unit or ""] / 1e6


def _docker_health_cmd() -> list[str]:
    line = next(ln for ln in DOCKERFILE.splitlines() if ln.startswith("HEALTHCHECK"))
    return yaml.safe_load(line.split(" CMD ", 1)[1])


def _exposed_port() -> int:
    return int(re.search(r"^EXPOSE (\d+)$", DOCKERFILE, re.MULTILINE).group(1))


def _check_settings_env(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Every variable is a real setting and its value is valid."""
    fields = {f"SENSATION_{name.upper()}" for name in Settings.model_fields}
    unknown = set(env) - fields
    assert not unknown, f"not settings: {unknown}"
    for key, value in env.items():
        monkeypatch.setenv(key, str(value))
    return Settings()


@pytest.fixture(scope="module")
def manifests() -> dict[str, dict]:
    docs = [d for d in yaml.safe_load_all(K8S.read_text()) if d]
    return {d["kind"]: d for d in docs}


@pytest.fixture(scope="module")
def worker_rss_mb(tmp_path_factory: pytest.TempPathFactory) -> float:
    """Resident memory of a process that loaded the default model (else the demo model) and
    scored an article: what one worker holds."""
    model = DEFAULT_MODEL if (DEFAULT_MODEL / "model.joblib").is_file() else None
    if model is None:
        from training.train import train

        model = tmp_path_factory.mktemp("model")
        train(output=model, corpora=None)
    return fresh_process_rss(model)["rss_mb"]


def test_kubernetes_deployment_probes_the_apps_health_routes(manifests, client):
    (container,) = manifests["Deployment"]["spec"]["template"]["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        path = container[probe]["httpGet"]["path"]
        assert client.get(path).status_code == 200, path
        assert container[probe]["httpGet"]["port"] == container["ports"][0]["name"]
    assert container["ports"][0]["containerPort"] == _exposed_port()


def test_kubernetes_env_are_valid_settings_and_sizes_fit_the_measured_memory(
    manifests, worker_rss_mb, monkeypatch
):
    pod = manifests["Deployment"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    env = {e["name"]: e["value"] for e in container["env"]}
    settings = _check_settings_env(env, monkeypatch)
    resources = container["resources"]
    request = _mebibytes(resources["requests"]["memory"])
    limit = _mebibytes(resources["limits"]["memory"])
    # Each worker holds its own model; a reload holds two for a moment.
    assert request >= 1.2 * settings.workers * worker_rss_mb
    assert limit >= 1.5 * settings.workers * worker_rss_mb
    assert float(resources["requests"]["cpu"]) >= settings.workers  # scoring uses a core
    # The image's user, and nothing written outside the /tmp volume.
    uid = re.search(r"useradd .*--uid (\d+)", DOCKERFILE).group(1)
    assert pod["securityContext"]["runAsUser"] == int(uid)
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert [m["mountPath"] for m in container["volumeMounts"]] == ["/tmp"]


def test_kubernetes_service_and_autoscaler_point_at_the_deployment(manifests):
    deployment, service, hpa = (
        manifests["Deployment"],
        manifests["Service"],
        manifests["HorizontalPodAutoscaler"],
    )
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"] == labels
    assert service["spec"]["selector"] == labels
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert 0 < metric["resource"]["target"]["averageUtilization"] <= 100
    assert 2 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_compose_builds_the_dockerfile_and_checks_health_as_it_does(worker_rss_mb, monkeypatch):
    compose = yaml.safe_load(COMPOSE.read_text())
    api = compose["services"]["api"]
    context = (COMPOSE.parent / api["build"]["context"]).resolve()
    assert context == REPO_ROOT.resolve()
    assert (context / api["build"]["dockerfile"]).is_file()
    # The Dockerfile mounts a build context named `corpora` for training.
    (name,) = api["build"]["additional_contexts"]
    assert f"from={name}," in DOCKERFILE
    assert api["healthcheck"]["test"] == ["CMD", *_docker_health_cmd()]
    assert api["expose"] == [str(_exposed_port())]
    settings = _check_settings_env(api["environment"], monkeypatch)
    reserved = _mebibytes(api["deploy"]["resources"]["reservations"]["memory"])
    assert reserved >= 1.2 * settings.workers * worker_rss_mb
    assert api["read_only"] is True and api["tmpfs"] == ["/tmp"]
    lb = compose["services"]["lb"]
    assert lb["depends_on"]["api"]["condition"] == "service_healthy"
    mounted = lb["volumes"][0].split(":")[0]
    assert (COMPOSE.parent / mounted).resolve() == NGINX.resolve()
    nginx = NGINX.read_text()
    assert f"server api:{_exposed_port()} resolve;" in nginx
    assert "proxy_pass http://sensational;" in nginx


def test_the_readme_gives_the_commands_the_files_document():
    for path in (K8S, COMPOSE):
        (command,) = re.findall(r"^#\s+((?:kubectl|docker compose) .+)$", path.read_text(), re.M)
        assert command in README, command
        for ref in re.findall(r"-f (\S+)", command):
            assert (REPO_ROOT / ref).is_file(), ref
    assert "docs/scaling.md" in README


def _files_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


ARTICLES = [
    {"headline": "Shocking storm leaves town in chaos", "body": "Officials said roads closed."},
    {"headline": "Council approves budget", "body": "The vote was 7 to 2, a spokesperson said."},
    {"headline": "You won't believe what happened next"},
]


def test_replicas_and_workers_answer_alike(model_copy):
    """Two replicas (one with two workers) serve one model folder: any of them gives the same
    bytes for the same request, so any balancer may route anywhere."""
    before = _files_digest(model_copy)
    _check_replicas(model_copy)
    assert _files_digest(model_copy) == before  # serving leaves the model folder untouched


def _check_replicas(model: Path) -> None:
    with serve(model) as one, serve(model, workers=2) as two:
        assert len(children(two.process.pid)) >= 2  # the supervisor's worker processes
        replicas = [one.base_url, two.base_url]
        shas = {httpx.get(f"{url}/readyz").json()["sha256"] for url in replicas}
        assert len(shas) == 1
        for article in ARTICLES:
            answers = set()
            for i in range(6):  # round robin over replicas, a new connection each time
                url = replicas[i % 2]
                r = httpx.post(f"{url}/v1/score", json=article, headers={"Connection": "close"})
                assert r.status_code == 200
                answers.add(r.content)
            assert len(answers) == 1, article
