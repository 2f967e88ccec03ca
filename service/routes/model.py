"""The model card of the live model."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from service.deps import ModelDep
from service.schemas import ErrorResponse

router = APIRouter(prefix="/v1", tags=["model"])


@router.get(
    "/model",
    responses={503: {"model": ErrorResponse, "description": "No model is loaded yet."}},
)
def read_model_info(model: ModelDep) -> dict[str, Any]:
    """The model card: name, version, data checksums, parameters, held-out metrics."""
    return model.card
