"""The förbund's own jobs: sending mail, and the nightly clean-up."""

from __future__ import annotations

from django.conf import settings
from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate.contrib.django import app

from finsam import mail
from finsam.lib.jobs import in_worker


class MailRetry(BaseRetryStrategy):
    """A mail the server could not take now is tried again after 5, 25, 125 …
    seconds (FINSAM_MAIL_BACKOFF_SECONDS), FINSAM_MAIL_ATTEMPTS times in all;
    ``finsam.mail.deliver`` fails it on the last try."""

    def get_retry_decision(self, *, exception, job):
        if not isinstance(exception, mail.TemporaryMailError):
            return None
        if job.attempts + 1 >= settings.FINSAM_MAIL_ATTEMPTS:
            return None
        return RetryDecision(
            retry_in={"seconds": settings.FINSAM_MAIL_BACKOFF_SECONDS ** (job.attempts + 1)}
        )


@app.task(name="finsam.send_mail", queue="mail", retry=MailRetry())
@in_worker
def send_mail(mail_id: int) -> None:
    mail.deliver(mail_id)


@app.periodic(cron=settings.FINSAM_SCHEDULE["clean_up"])
@app.task(name="finsam.clean_up", queue="periodic", queueing_lock="finsam.clean_up")
@in_worker
def clean_up(timestamp: int) -> None:
    """Expired sessions, login attempts past their cool-off and expired
    import uploads go; finished jobs older than a month too."""
    from finsam import housekeeping

    housekeeping.clean_up()


@app.periodic(cron=settings.FINSAM_SCHEDULE["clean_up"], periodic_id="old_jobs")
@app.task(name="finsam.remove_old_jobs", queue="periodic", pass_context=True)
async def remove_old_jobs(context, timestamp: int) -> None:
    """Jobs that succeeded more than a month ago; failed ones stay to be seen."""
    await context.app.job_manager.delete_old_jobs(nb_hours=24 * 30)


@app.periodic(cron=settings.FINSAM_SCHEDULE["stalled"], periodic_id="stalled")
@app.task(name="finsam.retry_stalled_jobs", queue="periodic", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int) -> None:
    """A job whose worker stopped sending heartbeats (the machine died, the
    worker was killed) is given to another worker."""
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.FINSAM_WORKER_STALLED_SECONDS
    )
    for job in stalled:
        await manager.retry_job(job)
