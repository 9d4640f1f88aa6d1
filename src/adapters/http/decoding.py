"""Reading response bodies: anything not of the expected shape is a DataSourceError saying what."""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from domain import DataSourceError

T = TypeVar("T")


def decode(response: httpx.Response, shape: TypeAdapter[T], what: str) -> T:
    """Validate the JSON body of ``response`` as ``shape``; ``what`` names it in errors."""
    try:
        return shape.validate_json(response.content)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise DataSourceError(
            f"unexpected {what} from {response.request.method} {response.request.url.path} "
            f"(status {response.status_code}): {where}: {first['msg']}",
            reason="bad_response",
        ) from None
