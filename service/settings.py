"""Service settings, read from the environment (prefix ``SENSATION_``).

Every limit names itself in the error a client gets when it is exceeded, so a client developer can
find the setting to change. The defaults are explained in the README's "API" section.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from limits import parse_many
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from feedback.records import TextPolicy
from feedback.store import DEFAULT_URL as DEFAULT_FEEDBACK_URL

# scheme://host[:port], e.g. chrome-extension://<32 letters>, moz-extension://<uuid>, https://x.org
_ORIGIN = re.compile(r"^[a-z][a-z0-9+.-]*://[A-Za-z0-9.-]+(?::\d{1,5})?$")
MIN_TOKEN_CHARS = 16
# Origins of this kind belong to an installed extension only; a web page cannot take one.
EXTENSION_ORIGIN_PATTERNS = (
    "moz-extension://*",
    "chrome-extension://*",
    "safari-web-extension://*",
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SENSATION_", env_file=".env", extra="ignore")

    model_path: Path = Field(
        Path("models/default"),
        description="Folder holding model.joblib and model-card.json; a reload re-reads it.",
    )
    max_headline_chars: int = Field(
        1_000, ge=1, description="Longest headline accepted, in characters."
    )
    max_body_chars: int = Field(
        200_000, ge=1, description="Longest body accepted, in characters (about 30,000 words)."
    )
    max_html_chars: int = Field(
        2_000_000,
        ge=1,
        description="Longest article HTML accepted, in characters (a page with inline scripts).",
    )
    max_request_bytes: int = Field(
        4 * 1024 * 1024,
        ge=1024,
        description="Largest request body, in bytes; checked before the body is read.",
    )
    max_batch_items: int = Field(64, ge=1, description="Most items in one batch request.")
    max_batch_bytes: int = Field(
        24 * 1024 * 1024,
        ge=1024,
        description=(
            "Largest batch request body, in bytes (64 article pages of average size, with"
            " room to spare); checked like max_request_bytes."
        ),
    )
    drain_bytes: int = Field(
        32 * 1024 * 1024,
        ge=0,
        description=(
            "Most bytes of a refused upload read and thrown away before the 413 is sent, so"
            " that clients which send their whole body first can read the error."
        ),
    )
    drain_seconds: float = Field(
        5.0, ge=0, description="Longest time spent discarding a refused upload."
    )
    answer_cache_mb: int = Field(
        64,
        ge=0,
        description=(
            "Megabytes per worker for answers to articles already scored by the live model"
            " (texts and JSON); popular articles are scored once. 0 turns the cache off."
        ),
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Origins allowed by CORS, comma-separated or a JSON list, e.g."
            " chrome-extension://<id>,moz-extension://<uuid>. Empty: no CORS headers at all."
        ),
    )
    cors_origin_patterns: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Extension schemes whose every origin CORS allows: moz-extension://*,"
            " chrome-extension://* or safari-web-extension://*. Firefox gives each install its"
            " own moz-extension:// origin, so a list cannot name them ahead."
        ),
    )
    admin_token: SecretStr | None = Field(
        None,
        description=(
            f"Bearer token of the admin routes (at least {MIN_TOKEN_CHARS} characters)."
            " Unset: the admin routes answer 403."
        ),
    )
    host: str = Field(
        "127.0.0.1",
        validation_alias=AliasChoices("SENSATION_HOST", "HOST"),
        description="Address `python -m service` binds to.",
    )
    port: int = Field(
        8000,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("SENSATION_PORT", "PORT"),
        description="Port `python -m service` binds to.",
    )
    workers: int = Field(
        1, ge=1, le=32, description="uvicorn worker processes of `python -m service`."
    )
    worker_start_timeout: int = Field(
        60,
        ge=1,
        le=600,
        description=(
            "Seconds a new worker may take to be ready when workers are replaced (a reload with"
            " several workers). A worker imports the stack and loads and self-tests the model:"
            " on a busy machine that takes longer than uvicorn's default of 5 s, and a late"
            " worker would leave the old one serving the old model."
        ),
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Logging level of the JSON-lines log."
    )
    feedback_url: str = Field(
        DEFAULT_FEEDBACK_URL,
        description=(
            "Where readers' reports are stored: a SQLite file (sqlite:///data/feedback.sqlite3,"
            " relative to the working folder, created when missing) or a PostgreSQL database"
            " (postgresql://user:password@host:5432/name)."
        ),
    )
    feedback_text: TextPolicy = Field(
        "sentence",
        description=(
            "How much of the article a report keeps: sentence (the sentence around the span;"
            " the headline for a score report), none (only the span's words) or article"
            " (headline and body). Every report keeps the article's SHA-256."
        ),
    )
    feedback_rate_limit: str = Field(
        "30/minute;300/hour",
        description=(
            "Reports accepted per client address, in every window listed (e.g. 30/minute;"
            "300/hour); more answer 429 with Retry-After. Counted per worker process."
        ),
    )

    @field_validator("cors_origins", "cors_origin_patterns", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if value.startswith("["):
                import json

                return json.loads(value)
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin == "*" or not _ORIGIN.match(origin):
                raise ValueError(
                    f"CORS origin {origin!r} is not scheme://host[:port];"
                    " list each extension origin, '*' is not accepted"
                )
        return value

    @field_validator("cors_origin_patterns")
    @classmethod
    def _check_patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            if pattern not in EXTENSION_ORIGIN_PATTERNS:
                raise ValueError(
                    f"CORS origin pattern {pattern!r} is not one of"
                    f" {', '.join(EXTENSION_ORIGIN_PATTERNS)}: only extension origins, which no"
                    " web page can take, may be allowed by pattern"
                )
        return value

    def cors_origin_regex(self) -> str | None:
        """One regular expression for ``cors_origin_patterns``, or None when there are none."""
        if not self.cors_origin_patterns:
            return None
        schemes = "|".join(re.escape(p.removesuffix("://*")) for p in self.cors_origin_patterns)
        # One host part of letters, digits and dashes: an extension id or a UUID.
        return rf"^(?:{schemes})://[A-Za-z0-9-]+$"

    @field_validator("feedback_rate_limit")
    @classmethod
    def _check_rate_limit(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(
                f"feedback rate limit {value!r} is not like 30/minute;300/hour: {exc}"
            ) from None
        return value

    @field_validator("admin_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("admin_token")
    @classmethod
    def _check_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_TOKEN_CHARS:
            raise ValueError(f"the admin token needs at least {MIN_TOKEN_CHARS} characters")
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
