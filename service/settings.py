"""Service settings, read from the environment (prefix ``SENSATION_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SENSATION_", env_file=".env", extra="ignore")

    model_path: Path = Field(
        Path("models/default"), description="Folder holding model.joblib and model-card.json."
    )
    max_headline_chars: int = Field(1_000, description="Longest headline accepted, in characters.")
    max_body_chars: int = Field(
        200_000, description="Longest body accepted, in characters (about 30,000 words)."
    )
    max_batch_items: int = Field(256, description="Most items in one batch request.")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS.")
    log_level: str = Field("INFO", description="Logging level.")


@lru_cache
def get_settings() -> Settings:
    return Settings()
