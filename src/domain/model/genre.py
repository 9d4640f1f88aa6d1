"""Genres a movie can belong to."""

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
