"""Provider states the graphql consumer's interactions ask for."""

from __future__ import annotations
