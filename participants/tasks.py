"""Jobs of Deltagare: the daily gallring."""

from __future__ import annotations

from django.conf import settings
from procrastinate.contrib.django import app

from finsam.lib.jobs import in_worker


@app.periodic(cron=settings.FINSAM_SCHEDULE["gallring"])
@app.task(name="participants.gallring", queue="periodic", queueing_lock="participants.gallring")
@in_worker
def gallring(timestamp: int) -> None:
    """Participations closed longer ago than the retention period are reduced
    to sex and years (the same as ``manage.py gallra``)."""
    from participants import services

    services.participations_reduce_expired()
