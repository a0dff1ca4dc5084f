"""Periods of months as people and ekonomisystem write them, model-free:
the last day of a month, and "2026-04", "2026-04–2026-07", "2026-K2",
"2026 Q2", "2026-T2", "2026-H1" read as (first day, last day)."""

from __future__ import annotations

import datetime as dt
import re


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


PERIOD = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", re.ASCII)
YEARS = range(1990, 2101)
SPAN = re.compile(
    r"(\d{4})-(\d{1,2})\s*(?:–|—|--|-|\.\.|till)\s*(\d{4})-(\d{1,2})", re.ASCII | re.I
)
PART = re.compile(r"(\d{4})\s*[- ]?\s*([KQTH])\s*([1-4])", re.ASCII | re.I)
# Kvartal (K or Q), tertial (T) and halvår (H): their first month and length.
PARTS = {"K": 3, "Q": 3, "T": 4, "H": 6}


def _month(year: int, month: int) -> dt.date | None:
    if year not in YEARS or not 1 <= month <= 12:
        return None
    return dt.date(year, month, 1)


def parse_period(value) -> tuple[dt.date, dt.date] | None:
    """The months an utfall covers, as the ekonomisystem writes them: a
    month (2026-04, or a date in it), from–to months (2026-04–2026-07), a
    kvartal (2026-K2, 2026 Q2), a tertial (2026-T2) or a halvår (2026-H1)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1), month_end(value)
    text = str(value or "").strip()
    if match := SPAN.fullmatch(text):
        start, end = _month(int(match[1]), int(match[2])), _month(int(match[3]), int(match[4]))
        if start is None or end is None or end < start:
            return None
        return start, month_end(end)
    if match := PART.fullmatch(text):
        length, n = PARTS[match[2].upper()], int(match[3])
        if n > 12 // length:
            return None
        start = _month(int(match[1]), (n - 1) * length + 1)
        if start is None:
            return None
        return start, month_end(dt.date(start.year, start.month + length - 1, 1))
    match = PERIOD.fullmatch(text)
    if not match or int(match[1]) not in YEARS:
        return None
    try:
        # A day, when written, must exist: 2026-02-30 is a typing error.
        day = dt.date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        return None
    return day.replace(day=1), month_end(day)
