"""graphql-core's execution context, asking once per type whether a value can be awaited.

graphql-core asks that of every resolved value, and strawberry's check answers quickly only
for builtins: for anything else it calls ``hasattr(value, "__await__")``. Our resolvers return
the domain's pydantic entities, whose failed attribute lookups go through pydantic's Python
``__getattr__`` and an exception: ~13% of a query of 100 productions with their movies (see
docs/performance.md). ``await`` looks ``__await__`` up on the type, never the instance, so the
answer is the type's and can be remembered.
"""

from __future__ import annotations

from inspect import CO_ITERABLE_COROUTINE
from types import GeneratorType
from typing import Any

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

_MAX_TYPES = 1024
"""Types remembered at most; past that (types made at run time), answers are not kept."""

_awaitable: dict[type, bool] = {}


def is_awaitable(value: Any) -> bool:
    """Whether ``await value`` works: graphql-core's answer, remembered per type."""
    kind = type(value)
    known = _awaitable.get(kind)
    if known is not None:
        return known
    if kind is GeneratorType:  # a generator-based coroutine is one by its code's flags
        return bool(value.gi_code.co_flags & CO_ITERABLE_COROUTINE)
    known = hasattr(kind, "__await__")
    if len(_awaitable) < _MAX_TYPES:
        _awaitable[kind] = known
    return known


class StudioExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with the per-type awaitable check."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = is_awaitable  # type: ignore[assignment]
