"""Gapless numbers per year from a counter table (diarienummer, § numbers).

The counter row is incremented in one statement and stays locked until the
caller's transaction ends, so concurrent callers queue up; a rolled-back
caller gives its number back, so there are neither gaps nor duplicates.
The model needs a ``year`` primary key and a ``last_number`` column.
"""

from __future__ import annotations

from django.db import connection


def next_number(model, year: int) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "  # noqa: S608 - a model's table
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        (number,) = cursor.fetchone()
    return number


def give_back(model, year: int, number: int) -> bool:
    """Step the counter back if ``number`` is the last one given out; False otherwise."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number - 1 "  # noqa: S608 - a model's table
            "WHERE year = %s AND last_number = %s",
            [year, number],
        )
        return cursor.rowcount == 1
