"""When things happen in the demo förbund's history.

The demo writes a few years of work through the public services, and each
step happens at its own moment: ``at(day)`` travels the clock there
(time-machine), so a service records the time it always records,
``timezone.now()``, and no domain code takes a date for the demo's sake.
The database's own clock is not moved, so the audit log says truthfully
when the demo was loaded.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import time_machine
from django.utils import timezone


def meeting_dates(today: dt.date) -> list[dt.date]:
    """About a year of board meetings, justerade by now, oldest first. The
    applications decided on these days are decided in their protocol's §."""
    y = today.year
    candidates = [
        dt.date(y - 1, 12, 3),
        dt.date(y, 2, 13),
        dt.date(y, 4, 16),
        dt.date(y, 6, 4),
        dt.date(y, 9, 17),
    ]
    first, last = today - dt.timedelta(days=365), today - dt.timedelta(days=25)
    return [d for d in candidates if first < d < last]


def moment(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@contextlib.contextmanager
def at(when: dt.date | dt.datetime):
    """Run the block at ``when`` (a day means 10:00 that day); a moment in
    the future is not travelled to."""
    if not isinstance(when, dt.datetime):
        when = moment(when)
    if when >= timezone.now():
        yield
        return
    with time_machine.travel(when, tick=True):
        yield
