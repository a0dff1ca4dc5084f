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

from finsam.lib.jobs import enqueue_each
from finsam.models import Mail, MailStatus


def site_url(path: str) -> str:
    """The address a mail links to: the one place links in mail are made
    (``SITE_URL``; ``make run`` sets it to the address it serves)."""
    return f"{settings.SITE_URL}{path}"


def site_parts() -> dict[str, str]:
    """``SITE_URL`` as the protocol and domain Django's password mails build
    their link from, so that they link where every other mail does."""
    from urllib.parse import urlsplit

    parts = urlsplit(settings.SITE_URL)
    return {"protocol": parts.scheme, "domain": parts.netloc}


class TemporaryMailError(Exception):
    """The mail server could not take the mail now: the job tries again."""


class MailFailed(Exception):
    """The mail could not be sent, for good: its job ends as failed too."""


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Recipient:
    """One mail of a batch: to whom, and its own text."""

    to: str
    user: object
    body: str


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
    """Queue one mail (see queue_each)."""
    mails = queue_each(
        topic=topic,
        subject=subject,
        recipients=[Recipient(to, user, body)],
        attachments=attachments,
        secret=secret,
    )
    return mails[0] if mails else None


def queue_each(
    *,
    topic: str,
    subject: str,
    recipients: list[Recipient],
    attachments: tuple[Attachment, ...] = (),
    secret: bool = False,
) -> list[Mail]:
    """Queue one mail per recipient on one topic, in a few queries however
    many they are. A recipient with no address gets none; the same mail that
    still waits for its first try (a double click, a second kallelse at once,
    an address twice in the list) is not queued twice."""
    recipients = [r for r in recipients if r.to]
    waiting = {
        m.to: m
        for m in Mail.objects.filter(
            topic=topic, to__in=[r.to for r in recipients], status=MailStatus.WAITING
        )
    }
    encoded = [
        {"name": a.name, "mimetype": a.mimetype, "content": base64.b64encode(a.content).decode()}
        for a in attachments
    ]
    new = {}
    for r in recipients:
        if r.to not in waiting and r.to not in new:
            new[r.to] = Mail(
                topic=topic,
                to=r.to,
                user=r.user,
                subject=subject,
                body=r.body,
                secret=secret,
                attachments=encoded,
            )
    Mail.objects.bulk_create(new.values())
    from finsam.tasks import send_mail

    enqueue_each(send_mail, [{"mail_id": m.pk} for m in new.values()])
    return list({r.to: waiting.get(r.to) or new[r.to] for r in recipients}.values())


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
