"""Fixtures of the browser tests: the real app on a loopback port and headless Chromium.

The browser is Debian's ``chromium`` driven through ``chromedriver`` (``scripts/ensure-chromium.sh``
installs both). Without them every browser test is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from service.app import create_app
from service.settings import Settings

CHROMIUM = Path(os.environ.get("SENSATION_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("SENSATION_CHROMEDRIVER", "/usr/bin/chromedriver"))

# Small enough that the too-long test pastes little, large enough for every example article.
MAX_BODY_CHARS = 5_000

# Flags that let Chromium run headless in a container and keep it off the network.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
    "--force-device-scale-factor=1",
)


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(
    demo_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The app served by uvicorn on 127.0.0.1, in a thread, stopped at the end of the session.

    It serves the demonstration model, or the bundle in ``$SENSATION_BROWSER_MODEL`` (the README
    screenshot is taken with ``models/default``), and stores reports in a store of its own.
    """
    model = Path(os.environ.get("SENSATION_BROWSER_MODEL") or demo_model_dir)
    store = tmp_path_factory.mktemp("page-feedback") / "feedback.sqlite3"
    settings = Settings(
        model_path=model, max_body_chars=MAX_BODY_CHARS, feedback_url=f"sqlite:///{store}"
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="page-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            pytest.fail("the app did not start on 127.0.0.1 (see the log above)")
        time.sleep(0.05)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", settings=settings)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium for the session, with a fresh profile."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.is_file():
            pytest.skip(
                f"browser tests need {path} (Debian package {package}); "
                "run scripts/ensure-chromium.sh as root to install it"
            )
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    # Both paths are given, so Selenium Manager has nothing to look up; offline makes sure.
    os.environ.setdefault("SE_OFFLINE", "true")
    profile = tempfile.mkdtemp(prefix="sensation-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    # Script errors and CSP violations land in the browser log, which the tests read.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
