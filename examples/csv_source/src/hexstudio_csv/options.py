"""The options of ``[data_source.csv]``, validated before any file is touched."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from domain import InvalidInput
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator


class CsvOptions(BaseModel):
    """Options of the CSV data source (``HEXSTUDIO_DATA_SOURCE__CSV__<KEY>`` in the environment)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    directory: Path
    """The folder holding the CSV files; it must exist (an empty folder is an empty store)."""

    read_only: bool = False
    """Open the files for reading only, e.g. a published snapshot; writes are refused."""

    @field_validator("directory", mode="before")
    @classmethod
    def _not_empty(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError("must name a folder")
        return value


def parse_options(options: Mapping[str, Any]) -> CsvOptions:
    """Validate the options; InvalidInput("<key>: ...", field=<key>) names the first bad one."""
    try:
        return CsvOptions.model_validate(dict(options))
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        key = ".".join(str(part) for part in error["loc"]) or "csv"
        if error["type"] == "missing":
            message = "required: the folder that holds the CSV files"
        elif error["type"] == "extra_forbidden":
            choices = ", ".join(CsvOptions.model_fields)
            message = f"unknown option (choices: {choices}) (got {error.get('input')!r})"
        else:
            reason = error["msg"].removeprefix("Value error, ")
            message = f"{reason} (got {error.get('input')!r})"
        raise InvalidInput(f"{key}: {message}", field=key) from None
