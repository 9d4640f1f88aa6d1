"""What every revision's new tables share, per engine."""

from __future__ import annotations

from typing import Any

from alembic import op


def table_options() -> dict[str, Any]:
    """MariaDB/MySQL: utf8mb4 with a binary, no-pad collation, so text compares as in Python."""
    dialect = op.get_bind().dialect
    if dialect.name != "mysql":
        return {}
    collation = "utf8mb4_nopad_bin" if getattr(dialect, "is_mariadb", False) else "utf8mb4_0900_bin"
    return {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": collation}
