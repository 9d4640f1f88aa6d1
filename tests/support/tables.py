"""The studio's SQL tables as the SQL adapter derives them, for tests that look at rows."""

from __future__ import annotations

from adapters.sql.tables import schema_of
from domain import LOCATIONS, MOVIES, PRODUCTIONS, SHOOT_DAYS, STUDIO

SCHEMA = schema_of(STUDIO)
metadata = SCHEMA.metadata
movies = SCHEMA[MOVIES].table
movie_genres = SCHEMA[MOVIES].collections[0].table
locations = SCHEMA[LOCATIONS].table
productions = SCHEMA[PRODUCTIONS].table
shoot_days = SCHEMA[SHOOT_DAYS].table
