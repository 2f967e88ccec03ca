"""Prometheus metrics: requests and latency by endpoint, score distribution, live model.

One process: the app's own registry is exposed. Several uvicorn workers: ``python -m service``
sets ``PROMETHEUS_MULTIPROC_DIR`` before the workers start, every worker writes its samples
there and ``/metrics`` (answered by any worker) sums them, as prometheus_client's
multiprocess mode does.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_SCORE_BUCKETS = tuple(i / 10 for i in range(1, 11))


class Metrics:
    """The metrics of one app; each app has its own registry so tests can build many apps."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "sensational_http_requests",
            "HTTP requests answered, by endpoint (route template), method and status.",
            ["endpoint", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "sensational_http_request_duration_seconds",
            "Time from the request's arrival to the end of the answer, by endpoint.",
            ["endpoint", "method"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.scores = Histogram(
            "sensational_score",
            "Overall scores returned (single and batch items).",
            buckets=_SCORE_BUCKETS,
            registry=self.registry,
        )
        self.answer_cache = Counter(
            "sensational_answer_cache",
            "Scoring answers by outcome: hit (served from the model's cache) or miss (scored).",
            ["outcome"],
            registry=self.registry,
        )
        self.model_info = Gauge(
            "sensational_model_info",
            "1 for the model a worker serves, 0 for models it served before.",
            ["name", "version", "sha256"],
            multiprocess_mode="livemax",
            registry=self.registry,
        )
        self.reloads = Counter(
            "sensational_model_reloads",
            "Model reloads, by outcome (ok or refused).",
            ["outcome"],
            registry=self.registry,
        )
        self._model_labels: tuple[str, str, str] | None = None

    def set_model(self, name: str, version: str, sha256: str) -> None:
        if self._model_labels is not None:
            self.model_info.labels(*self._model_labels).set(0)
        self._model_labels = (name, version, sha256)
        self.model_info.labels(*self._model_labels).set(1)

    def render(self) -> tuple[bytes, str]:
        if os.environ.get(MULTIPROC_ENV):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
