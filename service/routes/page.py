"""The web page at ``/``: a person pastes an article and sees what the score means."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def read_page() -> FileResponse:
    return FileResponse(STATIC / "index.html")
