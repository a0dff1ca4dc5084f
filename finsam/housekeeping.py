"""The system's own housekeeping: the nightly clean-up, and running a failed
job of the task queue again (Administration → Bakgrundsjobb)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib.services import service
from finsam.models import AuditAction
from finsam.services import log_event

MAIL_KEPT_DAYS = 90


@service(None, context="Nattlig städning")
def clean_up(*, actor=None) -> dict[str, int]:
    """What has served its time goes: expired sessions, failed logins past
    their cool-off (and login logs older than 90 days), expired uploads,
    ordered files older than a day, mail older than 90 days that was sent, and
    subscriptions to the anslagstavla never confirmed within a week."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt

    from board.services.subscriptions import clear_unconfirmed
    from finsam.models import Mail, MailStatus, PendingUpload
    from reports.models import Rendering
    from reports.rendering import KEPT_FOR

    now = timezone.now()
    counts = {
        "sessioner": Session.objects.filter(expire_date__lt=now).delete()[0],
        "inloggningsförsök": AccessAttempt.objects.filter(
            attempt_time__lt=now - settings.AXES_COOLOFF_TIME
        ).delete()[0],
        "inloggningsloggar": AxesProxyHandler.reset_logs(age_days=90),
        "uppladdningar": PendingUpload.objects.filter(expires_at__lte=now).delete()[0],
        "e-post": Mail.objects.filter(
            status=MailStatus.SENT, sent_at__lt=now - dt.timedelta(days=MAIL_KEPT_DAYS)
        ).delete()[0],
        "filer": Rendering.objects.filter(created_at__lt=now - KEPT_FOR).delete()[0],
        "obekräftade prenumerationer": clear_unconfirmed(now=now),
    }
    return counts


# --- The task queue -------------------------------------------------------------


@service(lambda actor: actor.has_perm("finsam.manage_users"))
def job_retry(*, actor, job_id: int) -> None:
    """Run a failed job once more. A failed e-mail waits again in the outbox,
    with its tries counted from the start."""
    from procrastinate.contrib.django import app
    from procrastinate.contrib.django.models import ProcrastinateJob

    from finsam.models import Mail, MailStatus

    job = ProcrastinateJob.objects.filter(pk=job_id, status="failed").first()
    if job is None:
        raise ValidationError(_("Jobbet finns inte, eller har inte misslyckats."))
    if job.task_name == "finsam.send_mail":
        waiting = Mail.objects.filter(pk=job.args.get("mail_id"), status=MailStatus.FAILED)
        for mail in waiting:
            if Mail.objects.filter(
                topic=mail.topic, to=mail.to, status=MailStatus.WAITING
            ).exists():
                raise ValidationError(_("Samma e-post väntar redan på att skickas."))
            mail.status, mail.attempts, mail.error = MailStatus.WAITING, 0, ""
            mail.save(update_fields=["status", "attempts", "error"])
    log_event(actor=actor, action=AuditAction.EVENT, message=f"Jobb {job_id} körs igen.")
    app.job_manager.retry_job_by_id(job_id, retry_at=timezone.now())
