"""``python -m service.healthcheck``: exit 0 when ``/healthz`` answers on the configured port.

The Dockerfile's HEALTHCHECK runs this, so the probe follows ``SENSATION_PORT``/``PORT``
without a shell and without curl in the image.
"""

from __future__ import annotations

import sys
import urllib.request

from service.settings import Settings


def main() -> int:
    port = Settings().port
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as answer:
            return 0 if answer.status == 200 else 1
    except OSError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)  # noqa: T201 - the probe's only output
        return 1


if __name__ == "__main__":
    sys.exit(main())
