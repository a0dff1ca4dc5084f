"""Jobs of the board: the daily reminders to justera."""

from __future__ import annotations

from django.conf import settings
from procrastinate.contrib.django import app

from finsam.lib.jobs import in_worker


@app.periodic(cron=settings.FINSAM_SCHEDULE["justering_reminders"])
@app.task(
    name="board.justering_reminders", queue="periodic", queueing_lock="board.justering_reminders"
)
@in_worker
def justering_reminders(timestamp: int) -> None:
    """Signers who have not signed are reminded from a few days before the
    last day (the same as ``manage.py paminn_justering``)."""
    from board import services

    services.justering_remind()
