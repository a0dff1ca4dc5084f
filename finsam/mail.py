"""The outbox: every e-mail the system sends is a ``Mail`` row, one per
recipient, delivered by a job of the task queue with retries and back-off.

``queue`` is called inside the service's transaction: the mails exist if and
only if what they are about happened, and their jobs start when it commits.
``deliver`` sends one mail at most once: it locks the row, and a mail that
is not waiting is left alone.
"""

from __future__ import annotations

import base64
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib.jobs import enqueue
from finsam.models import Mail, MailStatus


class TemporaryMailError(Exception):
    """The mail server could not take the mail now: the job tries again."""


class MailFailed(Exception):
    """The mail could not be sent, for good: its job ends as failed too."""


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mimetype: str


def queue(
    *,
    topic: str,
    to: str,
    subject: str,
    body: str,
    user=None,
    attachments: tuple[Attachment, ...] = (),
    secret: bool = False,
) -> Mail | None:
    """Queue one mail. The same mail that still waits for its first try (a
    double click, a second kallelse at once) is not queued twice."""
    if not to:
        return None
    waiting = Mail.objects.filter(topic=topic, to=to, status=MailStatus.WAITING).first()
    if waiting is not None:
        return waiting
    mail = Mail.objects.create(
        topic=topic,
        to=to,
        user=user,
        subject=subject,
        body=body,
        secret=secret,
        attachments=[
            {
                "name": a.name,
                "mimetype": a.mimetype,
                "content": base64.b64encode(a.content).decode(),
            }
            for a in attachments
        ],
    )
    from finsam.tasks import send_mail

    enqueue(send_mail, mail_id=mail.pk)
    return mail


def resend(mail: Mail) -> Mail | None:
    """A failed mail, queued again (the kansli's "Skicka igen")."""
    return queue(
        topic=mail.topic,
        to=mail.to,
        user=mail.user,
        subject=mail.subject,
        body=mail.body,
        secret=mail.secret,
        attachments=tuple(
            Attachment(a["name"], base64.b64decode(a["content"]), a["mimetype"])
            for a in mail.attachments
        ),
    )


def _message(mail: Mail) -> EmailMessage:
    message = EmailMessage(subject=mail.subject, body=mail.body, to=[mail.to])
    for a in mail.attachments:
        message.attach(a["name"], base64.b64decode(a["content"]), a["mimetype"])
    return message


def deliver(mail_id: int) -> None:
    """Send the mail if it still waits. A refused address fails at once; a
    server that does not answer is tried again (``TemporaryMailError``) until
    the last of FINSAM_MAIL_ATTEMPTS tries, after which the mail is failed
    with the reason in Swedish."""
    retry = False
    with transaction.atomic():
        mail = Mail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != MailStatus.WAITING:
            return
        mail.attempts += 1
        try:
            _message(mail).send()
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _message in refused.recipients.values()]
            if all(400 <= code < 500 for code in codes):  # "try again later"
                retry = mail.attempts < settings.FINSAM_MAIL_ATTEMPTS
            if not retry:
                mail.status = MailStatus.FAILED
            mail.error = _("E-postservern tog inte emot adressen (%(code)s).") % {
                "code": ", ".join(map(str, codes))
            }
        except (smtplib.SMTPException, OSError) as problem:
            mail.error = _("E-postservern svarade inte (%(problem)s).") % {
                "problem": str(problem)[:200]
            }
            if mail.attempts >= settings.FINSAM_MAIL_ATTEMPTS:
                mail.status = MailStatus.FAILED
            else:
                retry = True
        else:
            mail.status = MailStatus.SENT
            mail.sent_at = timezone.now()
            mail.error = ""
            if mail.secret:
                mail.body = _(
                    "(Texten har tagits bort efter att den skickades: den innehöll en länk.)"
                )
        mail.save()
    if retry:
        raise TemporaryMailError(mail.error)
    if mail.status == MailStatus.FAILED:
        raise MailFailed(mail.error)
