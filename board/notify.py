"""E-mail for the board: kallelse with an .ics invitation, justering links,
reminders and correction requests. Each is queued in the outbox
(``finsam.mail``) inside the service's transaction, one mail per recipient,
and sent by the task queue once it commits."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from board import rules
from board.models import MeetingStatus
from finsam import mail
from finsam.mail import site_url
from finsam.models import Federation, Mail


def meeting_ics(meeting) -> bytes:
    """An iCalendar invitation (RFC 5545) for the meeting, in Stockholm time."""
    zone = ZoneInfo(settings.TIME_ZONE)
    federation = Federation.objects.first()
    start = dt.datetime.combine(meeting.date, meeting.starts_at, tzinfo=zone)
    end = (
        dt.datetime.combine(meeting.date, meeting.ends_at, tzinfo=zone)
        if meeting.ends_at
        else start + dt.timedelta(hours=3)
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Finsam//Styrelsen//SV")
    calendar.add("version", "2.0")
    cancelled = meeting.status == MeetingStatus.CANCELLED
    # A cancellation is the same event (its UID) in a later version.
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = icalendar.Event()
    event.add("sequence", 1 if cancelled else 0)
    if cancelled:
        event.add("status", "CANCELLED")
    event.add("uid", f"sammantrade-{meeting.pk}@{mail.site_parts()['domain'].split(':')[0]}")
    event.add("dtstamp", dt.datetime.now(tz=dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add(
        "summary", f"Styrelsemöte, {federation.name if federation else 'samordningsförbundet'}"
    )
    event.add("location", meeting.place)
    description = f"Kallelse och handlingar: {site_url(meeting.get_absolute_url())}"
    if meeting.remote_link:
        description += f"\nDistansdeltagande: {meeting.remote_link}"
    event.add("description", description)
    calendar.add_component(event)
    # The times say TZID=Europe/Stockholm; a client that does not know the
    # zone by name reads its rules (summer time) from the VTIMEZONE.
    # The rules of the meeting's year are enough (and keep the file small).
    year = meeting.date.year
    calendar.add_missing_timezones(
        first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 1, 12, 31)
    )
    return calendar.to_ical()


def _send(topic: str, subject: str, template: str, context: dict, user, attachments=()) -> None:
    _send_each(topic, subject, template, [(user, context)], attachments)


def _send_each(topic: str, subject: str, template: str, each, attachments=()) -> None:
    """One mail per (user, context) of ``each``, from ``template``."""
    federation = Federation.objects.first()
    mail.queue_each(
        topic=topic,
        subject=subject,
        recipients=[
            mail.Recipient(
                user.email,
                user,
                render_to_string(template, {"federation": federation, **context}),
            )
            for user, context in each
        ],
        attachments=tuple(attachments),
    )


def notice_topic(meeting) -> str:
    """What the kallelse's mails are filed under (the meeting page shows them)."""
    return f"kallelse:{meeting.pk}"


def send_notice(meeting, recipients) -> None:
    ics = mail.Attachment("sammantrade.ics", meeting_ics(meeting), "text/calendar; method=PUBLISH")
    shared = {
        "meeting": meeting,
        "agenda": list(meeting.agenda.all()),
        "url": site_url(meeting.get_absolute_url()),
    }
    _send_each(
        notice_topic(meeting),
        f"Kallelse till styrelsemöte {meeting.date.isoformat()}",
        "board/email/notice.txt",
        [(user, {**shared, "user": user}) for user in recipients],
        [ics],
    )


def send_cancellation(meeting, reason: str) -> None:
    """To everyone the kallelse went to: the meeting is cancelled, and why,
    with the calendar's cancellation of the invitation."""
    ics = mail.Attachment("sammantrade.ics", meeting_ics(meeting), "text/calendar; method=CANCEL")
    called = {m.to: m.user for m in Mail.objects.filter(topic=notice_topic(meeting))}
    federation = Federation.objects.first()
    mail.queue_each(
        topic=f"installt:{meeting.pk}",
        subject=f"Inställt: styrelsemötet {meeting.date.isoformat()}",
        recipients=[
            mail.Recipient(
                to,
                user,
                render_to_string(
                    "board/email/cancelled.txt",
                    {"federation": federation, "meeting": meeting, "reason": reason, "user": user},
                ),
            )
            for to, user in called.items()
        ],
        attachments=(ics,),
    )


def send_for_justering(minutes, signers) -> None:
    url = site_url(reverse("board:justering", args=[minutes.pk]))
    deadline = rules.justering_deadline(minutes.meeting.date)
    _send_each(
        f"justering:{minutes.pk}",
        f"Protokoll att justera: styrelsemötet {minutes.meeting.date.isoformat()}",
        "board/email/justering.txt",
        [
            (signer.user, {"minutes": minutes, "signer": signer, "url": url, "deadline": deadline})
            for signer in signers
        ],
    )


def send_reminder(minutes, signer, deadline) -> None:
    _send(
        f"paminnelse:{minutes.pk}",
        f"Påminnelse: justera protokollet senast {deadline.isoformat()}",
        "board/email/reminder.txt",
        {
            "minutes": minutes,
            "signer": signer,
            "deadline": deadline,
            "url": site_url(reverse("board:justering", args=[minutes.pk])),
        },
        signer.user,
    )


def send_correction_request(minutes) -> None:
    _send(
        f"rattelse:{minutes.pk}",
        f"Rättelse begärd i protokollet {minutes.meeting.date.isoformat()}",
        "board/email/correction.txt",
        {"minutes": minutes, "url": site_url(minutes.get_absolute_url())},
        minutes.secretary,
    )


# --- The public's subscription to new anslag -----------------------------------------


def _subscriber_mail(subscription, topic: str, subject: str, template: str, context: dict):
    federation = Federation.objects.first()
    mail.queue(
        topic=topic,
        to=subscription.email,
        subject=subject,
        body=render_to_string(
            template,
            {
                "federation": federation,
                "unsubscribe_url": site_url(
                    reverse("public:unsubscribe", args=[subscription.token])
                ),
                **context,
            },
        ),
        # The body holds the subscriber's own links: erased once it is sent.
        secret=True,
    )


def send_subscription_confirm(subscription) -> None:
    _subscriber_mail(
        subscription,
        "prenumeration",
        "Bekräfta att du vill få e-post om nya anslag",
        "board/email/subscription_confirm.txt",
        {
            "confirm_url": site_url(
                reverse("public:subscription_confirm", args=[subscription.token])
            )
        },
    )


def send_already_subscribed(subscription) -> None:
    _subscriber_mail(
        subscription,
        "prenumeration",
        "Du får redan e-post om nya anslag",
        "board/email/subscription_already.txt",
        {},
    )


def send_posting_to_subscribers(posting) -> None:
    """One mail per confirmed subscriber, each with their own unsubscribe link."""
    from board.models import Subscription

    federation = Federation.objects.first()
    url = site_url(posting.get_absolute_url())
    subject = f"Nytt anslag: {posting.what}, {posting.meeting_date.isoformat()}"
    recipients = [
        mail.Recipient(
            s.email,
            None,
            render_to_string(
                "board/email/posting.txt",
                {
                    "federation": federation,
                    "posting": posting,
                    "url": url,
                    "unsubscribe_url": site_url(reverse("public:unsubscribe", args=[s.token])),
                },
            ),
        )
        for s in Subscription.objects.filter(confirmed_at__isnull=False).order_by("pk")
    ]
    if recipients:
        mail.queue_each(
            topic=f"anslag:{posting.pk}", subject=subject, recipients=recipients, secret=True
        )
