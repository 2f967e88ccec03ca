"""``python -m service``: serve with uvicorn as the settings say (host, port, workers).

The model is verified before uvicorn starts: a model that cannot be loaded stops the process
with exit status 2 and a log line saying why, with one worker or several.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile

import uvicorn

from sensational.errors import ModelLoadError
from service.feedback import FeedbackService
from service.logs import configure_logging
from service.metrics import MULTIPROC_ENV
from service.model_holder import ModelHolder
from service.routes.admin import SUPERVISOR_ENV
from service.settings import Settings, get_settings

log = logging.getLogger("service")


def main() -> int:
    settings = get_settings()
    configure_logging(settings.log_level)
    try:
        # Workers would each fail (and be restarted, failing again); check once, up front.
        ModelHolder().load(settings.model_path)
    except ModelLoadError as exc:
        log.critical("cannot start: %s", exc)
        return 2
    # Migrate the report store once, before workers start (each would try); a store that is
    # down is logged and does not stop scoring.
    FeedbackService(
        settings.feedback_url, settings.feedback_text, settings.feedback_rate_limit
    ).prepare()
    own_metrics_dir = None
    if settings.workers > 1:
        # Must be set before any worker imports prometheus_client: see service/metrics.py.
        if not os.environ.get(MULTIPROC_ENV):
            own_metrics_dir = tempfile.mkdtemp(prefix="sensational-metrics-")
            os.environ[MULTIPROC_ENV] = own_metrics_dir
        os.environ[SUPERVISOR_ENV] = str(os.getpid())
    try:
        _serve(settings)
    finally:
        if own_metrics_dir is not None:
            shutil.rmtree(own_metrics_dir, ignore_errors=True)
    return 0


def _serve(settings: Settings) -> None:
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        timeout_worker_healthcheck=settings.worker_start_timeout,
        log_config=None,  # the JSON-lines handler of service.logs
        access_log=False,  # RequestContextMiddleware writes one line per request instead
        lifespan="on",  # a lifespan failure (model refused) must stop the server
    )


if __name__ == "__main__":
    sys.exit(main())
