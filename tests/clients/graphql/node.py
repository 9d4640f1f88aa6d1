"""The npm GraphQL clients of this folder (``tests.clients.node``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.clients import node

HERE = Path(__file__).parent


def run_script(script: str, *args: str, timeout: float = 60.0) -> Any:
    """Run ``node <script> <args>`` from this folder and return the JSON it printed."""
    return node.run_script(HERE, "GraphQL", script, *args, timeout=timeout)
