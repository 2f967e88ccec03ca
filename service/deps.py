"""Dependencies the routes declare: the settings, the live model, the admin guard."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.model_holder import LoadedModel, ModelHolder
from service.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="The value of SENSATION_ADMIN_TOKEN.")


# Async although nothing here awaits: FastAPI runs plain `def` dependencies in its thread pool,
# a hop per request that costs more than the function itself.
async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_model(request: Request) -> LoadedModel:
    holder: ModelHolder = request.app.state.models
    loaded = holder.current
    if loaded is None:
        raise HTTPException(status_code=503, detail="no model is loaded yet")
    return loaded


async def require_admin(
    settings: Annotated[Settings, Depends(get_app_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Let the request through only with ``Authorization: Bearer <SENSATION_ADMIN_TOKEN>``."""
    if settings.admin_token is None:
        raise HTTPException(403, "admin routes are disabled: set SENSATION_ADMIN_TOKEN to enable")
    if credentials is None:
        raise HTTPException(
            401,
            "admin routes need an 'Authorization: Bearer <token>' header",
            headers={"WWW-Authenticate": "Bearer"},
        )
    expected = settings.admin_token.get_secret_value().encode()
    # Constant time: the comparison must not reveal how much of a guess was right.
    if not hmac.compare_digest(credentials.credentials.encode(), expected):
        raise HTTPException(403, "the admin token is wrong")


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ModelDep = Annotated[LoadedModel, Depends(get_model)]
AdminDep = Depends(require_admin)
