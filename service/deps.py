"""Dependencies the routes declare: the settings and the live model."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from service.model_holder import LoadedModel, ModelHolder
from service.settings import Settings


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_model(request: Request) -> LoadedModel:
    holder: ModelHolder = request.app.state.models
    loaded = holder.current
    if loaded is None:
        raise HTTPException(status_code=503, detail="no model is loaded yet")
    return loaded


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ModelDep = Annotated[LoadedModel, Depends(get_model)]
