"""Provider states the json_api consumer's interactions ask for."""

from __future__ import annotations
