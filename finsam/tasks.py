"""The förbund's own jobs: sending mail, and the nightly clean-up."""

from __future__ import annotations

from django.conf import settings
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from finsam import mail

MAIL_RETRY = RetryStrategy(
    max_attempts=settings.FINSAM_MAIL_ATTEMPTS,
    exponential_wait=settings.FINSAM_MAIL_BACKOFF_SECONDS,
    retry_exceptions=[mail.TemporaryMailError],
)


@app.task(name="finsam.send_mail", queue="mail", retry=MAIL_RETRY)
def send_mail(mail_id: int) -> None:
    mail.deliver(mail_id)


@app.periodic(cron=settings.FINSAM_SCHEDULE["clean_up"])
@app.task(name="finsam.clean_up", queue="periodic", queueing_lock="finsam.clean_up")
def clean_up(timestamp: int) -> None:
    """Expired sessions, login attempts past their cool-off and expired
    import uploads go; finished jobs older than a month too."""
    from finsam import services

    services.clean_up()


@app.periodic(cron=settings.FINSAM_SCHEDULE["clean_up"], periodic_id="old_jobs")
@app.task(name="finsam.remove_old_jobs", queue="periodic", pass_context=True)
async def remove_old_jobs(context, timestamp: int) -> None:
    """Jobs that succeeded more than a month ago; failed ones stay to be seen."""
    await context.app.job_manager.delete_old_jobs(nb_hours=24 * 30)


@app.periodic(cron="*/5 * * * *", periodic_id="stalled")
@app.task(name="finsam.retry_stalled_jobs", queue="periodic", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int) -> None:
    """A job whose worker stopped sending heartbeats (the machine died, the
    worker was killed) is given to another worker."""
    manager = context.app.job_manager
    for job in await manager.get_stalled_jobs():
        await manager.retry_job(job)
