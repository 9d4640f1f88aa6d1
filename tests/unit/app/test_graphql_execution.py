"""The per-type awaitable check agrees with graphql-core's on every kind of value."""

from __future__ import annotations

import asyncio
import types
from collections.abc import Generator
from typing import Any

import pytest
from graphql.pyutils import is_awaitable as graphql_core_is_awaitable

from app.service.graphql.execution import is_awaitable
from domain import Movie


async def _coroutine_function() -> int:
    return 1


@types.coroutine
def _generator_coroutine() -> Generator[None, None, int]:
    yield None
    return 1


def _generator() -> Generator[int, None, None]:
    yield 1


class _Awaitable:
    def __await__(self) -> Generator[None, None, int]:
        yield None
        return 1


def _values() -> list[Any]:
    loop = asyncio.new_event_loop()
    try:
        future = loop.create_future()
    finally:
        loop.close()
    return [
        None,
        1,
        "text",
        [1],
        Movie(title="Entity"),
        _generator(),
        _generator_coroutine(),
        _coroutine_function(),
        future,
        _Awaitable(),
        object(),
    ]


@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited")
def test_happy_path_answers_as_graphql_core_does_for_every_kind_of_value() -> None:
    values = _values()
    try:
        for _ in range(2):  # the second pass answers from what the first remembered
            for value in values:
                assert is_awaitable(value) == graphql_core_is_awaitable(value), value
    finally:
        for value in values:
            if hasattr(value, "close"):
                value.close()
