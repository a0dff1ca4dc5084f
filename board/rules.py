"""Date rules of justering and anslag, from law; the numbers are settings.

Lag (1930:173) om beräkning av lagstadgad tid: a deadline that falls on a
Saturday, a Sunday, another public holiday, midsommarafton, julafton or
nyårsafton moves to the next weekday. The holidays come from the maintained
``holidays`` library: its Swedish "public" category plus the "de_facto" one
(the three eves the law names).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings


@lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[dt.date]:
    calendar = holidays.Sweden(years=year, categories=("public", "de_facto"), include_sundays=False)
    return frozenset(calendar)


def is_weekday(day: dt.date) -> bool:
    """A day on which a deadline may end: not a weekend, holiday or one of the eves."""
    return day.weekday() < 5 and day not in _days_off(day.year)


def next_weekday(day: dt.date) -> dt.date:
    while not is_weekday(day):
        day += dt.timedelta(days=1)
    return day


def appeal_last_day(posted_on: dt.date) -> dt.date:
    """The last day to appeal: three weeks from the day the anslag was posted
    (KL 13:5), moved past weekends and holidays."""
    return next_weekday(posted_on + dt.timedelta(weeks=settings.BOARD_APPEAL_WEEKS))


def posting_taken_down_on(posted_on: dt.date) -> dt.date:
    """The anslag stays up until the appeal period has ended: it comes down
    the day after the last day to appeal."""
    return appeal_last_day(posted_on) + dt.timedelta(days=1)


def justering_deadline(meeting_date: dt.date) -> dt.date:
    """Justering within 14 days of the meeting (the förbund's practice)."""
    return meeting_date + dt.timedelta(days=settings.BOARD_JUSTERING_DAYS)
