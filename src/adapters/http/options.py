"""Options every HTTP data source takes: where the service is, the token, timeouts, retries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from adapters.redact import mask_text
from domain import InvalidInput
from domain.validation import parse


class HttpOptions(BaseModel):
    """``[data_source.<name>]`` of an HTTP source, e.g. ``url = "http://127.0.0.1:8000/api"``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str
    token: SecretStr | None = None
    timeout: Annotated[float, Field(gt=0, le=300)] = 10.0
    connect_timeout: Annotated[float, Field(gt=0, le=60)] = 3.0
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    """How many times an idempotent read is retried after a transient failure."""
    backoff: Annotated[float, Field(ge=0, le=10)] = 0.05
    """Seconds before the first retry; doubled for each next one."""
    max_connections: Annotated[int, Field(ge=1, le=1000)] = 32

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or value.endswith("://"):
            raise ValueError(f"{mask_text(value)!r} is not an http:// or https:// URL")
        return value.rstrip("/")


def parse_http_options(options: Mapping[str, Any]) -> HttpOptions:
    """Validate options; InvalidInput's message starts with the bad key (``url: ...``)."""
    if "url" not in options:
        raise InvalidInput("url: required (the service's base URL)", field="url")
    return parse(HttpOptions, options)
