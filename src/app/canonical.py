"""Canonical JSON: sorted keys, ISO dates, decimals as strings; equal data, equal bytes."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python


def canonical_json(value: Any) -> str:
    """Serialise models, pages and plain data so that two data sources compare byte for byte."""
    plain = to_jsonable_python(value, by_alias=False, fallback=_fallback)
    return json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ": "), indent=1)


def _fallback(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot serialise {type(value).__name__} as canonical JSON")
