"""The web page at ``/``: a person pastes an article and sees what the score means.

The page is plain HTML, CSS and JavaScript shipped in ``service/static`` (no build step). It
talks to the public ``POST /v1/score`` like any extension does.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parent.parent / "static"

# Only these files are served: a fixed list keeps paths like ``../`` out by construction.
ASSETS = frozenset({"app.js", "style.css", "examples.json"})

# The page loads nothing but its own files, so a strict policy costs nothing and blunts any
# injection that slipped past the DOM-only rendering.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

router = APIRouter(include_in_schema=False)


@router.get("/")
async def read_page() -> FileResponse:
    """The page."""
    return FileResponse(STATIC / "index.html", headers=SECURITY_HEADERS)


@router.get("/static/{name}")
async def read_asset(name: str) -> FileResponse:
    """A script, style sheet or the example articles of the page."""
    if name not in ASSETS:
        raise HTTPException(404, f"no static file named {name!r}")
    return FileResponse(STATIC / name, headers={"X-Content-Type-Options": "nosniff"})
