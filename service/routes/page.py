"""The web page at ``/``: a person pastes an article and sees what the score means.

The page is plain HTML, CSS and JavaScript shipped in ``service/static`` (no build step). It
talks to the public ``POST /v1/score`` like any extension does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse
from markdown_it import MarkdownIt

STATIC = Path(__file__).resolve().parent.parent / "static"
CRITERIA = Path(__file__).resolve().parents[2] / "docs" / "criteria.md"

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


@router.get("/criteria")
async def read_criteria() -> HTMLResponse:
    """What the service calls sensational (docs/criteria.md), as a page."""
    return HTMLResponse(_criteria_page(), headers=SECURITY_HEADERS)


@cache
def _criteria_page() -> str:
    if not CRITERIA.is_file():
        raise HTTPException(404, "docs/criteria.md is not installed beside the service")
    # The file is the project's own: markup in it is trusted, but raw HTML stays off anyway.
    body = (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .render(CRITERIA.read_text("utf-8"))
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>What the service calls sensational</title>"
        '<link rel="stylesheet" href="/static/style.css"></head>'
        f'<body><main class="criteria">{body}</main></body></html>'
    )
