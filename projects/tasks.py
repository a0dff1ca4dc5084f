"""Jobs of Insatser: the daily reminders about reports that are due."""

from __future__ import annotations

from django.conf import settings
from procrastinate.contrib.django import app

from finsam.lib.jobs import in_worker


@app.periodic(cron=settings.FINSAM_SCHEDULE["report_reminders"])
@app.task(
    name="projects.report_reminders", queue="periodic", queueing_lock="projects.report_reminders"
)
@in_worker
def report_reminders(timestamp: int) -> None:
    """Reminders about report obligations (the same as ``manage.py paminn_rapporter``)."""
    from projects.services.obligations import obligation_remind

    obligation_remind()
