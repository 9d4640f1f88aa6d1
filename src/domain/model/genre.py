"""Genres a movie can belong to."""

from __future__ import annotations

from enum import StrEnum


class Genre(StrEnum):
    """A movie genre; values are the lowercase names used on every wire format."""

    DRAMA = "drama"
    COMEDY = "comedy"
    DOCUMENTARY = "documentary"
    THRILLER = "thriller"
    ANIMATION = "animation"
    ACTION = "action"
    ROMANCE = "romance"
    HORROR = "horror"
    FAMILY = "family"
    SCIFI = "scifi"

    @classmethod
    def _missing_(cls, value: object) -> Genre | None:
        # Case-insensitive, like a currency code (Money): "Drama" and "DRAMA" are drama.
        if isinstance(value, str):
            return cls._value2member_map_.get(value.strip().lower())  # type: ignore[return-value]
        return None
