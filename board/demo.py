"""Demo data for the board: a year of meetings with justerade protocols and
continuous § numbers, one protocol awaiting justering and one upcoming
meeting with its kallelse sent. All names come from ``finsam.demo``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from board import content, services
from board.models import (
    BoardMembership,
    BoardRole,
    DecisionType,
    Meeting,
    MinutesStatus,
    Paragraph,
    Signature,
)
from board.services import justering
from finsam.audit import set_actor
from finsam.demo import BOARD
from finsam.models import Member, User
from projects.models import Application, ApplicationStatus

PLACE = "Förbundets kansli, Hamngatan 4, Strandvik"
DEPUTY = BoardRole.DEPUTY
ROLES = {"Ordförande": BoardRole.CHAIR, "Vice ordförande": BoardRole.VICE_CHAIR}

STANDARD_TEXTS = {
    "Sammanträdet öppnas": ("Ordföranden hälsar välkommen och öppnar sammanträdet.", ""),
    "Föregående protokoll": ("", "Protokollet läggs till handlingarna."),
    "Rapporter": (
        "Förbundschefen rapporterar från nätverket för samordningsförbund i länet och "
        "från frukostmötet om samverkan kring unga med aktivitetsersättning.",
        "Informationen läggs till handlingarna.",
    ),
    "Informationsärenden": (
        "Kansliet informerar om Uppföljning Finsam och om rapporteringen till medlemmarna.",
        "Informationen läggs till handlingarna.",
    ),
    "Ekonomisk rapport": (
        "Förbundschefen redovisar utfallet hittills i år mot budget. Förbrukningen följer "
        "budgeten; det egna kapitalet ligger inom det rekommenderade intervallet.",
        "Rapporten läggs till handlingarna.",
    ),
    "Övrigt": ("Inga övriga frågor.", ""),
    "Sammanträdet avslutas": ("Ordföranden tackar för ett gott arbete och avslutar mötet.", ""),
}
DECISION_TYPES = {
    ApplicationStatus.GRANTED: DecisionType.GRANT,
    ApplicationStatus.PARTLY_GRANTED: DecisionType.GRANT_PARTLY,
    ApplicationStatus.REJECTED: DecisionType.REJECT,
}
EXTRA = {
    # month-day of a meeting → extra §§ (title, discussion, decision type, decision, secret)
    (4, 16): [
        (
            "Val av dataskyddsombud",
            "Förbundet behöver ett dataskyddsombud enligt dataskyddsförordningen.",
            DecisionType.ELECTION,
            "Styrelsen beslutar att utse förbundschefen Elin Bergqvist till dataskyddsombud.",
            False,
        ),
    ],
    (9, 17): [
        (
            "Personalärende",
            "Förbundschefen informerar om en personalfråga på kansliet.",
            DecisionType.FILE,
            "Informationen läggs till handlingarna.",
            True,
        ),
        (
            "Verksamhetsplan och budget för nästa år",
            "Förslaget till verksamhetsplan och budget har beretts med medlemmarnas "
            "tjänstepersoner.",
            DecisionType.OTHER,
            "Styrelsen beslutar att föreslå medlemmarna att fastställa verksamhetsplanen och "
            "budgeten, och att överlämna förslaget till medlemmarnas beslutande församlingar.",
            False,
        ),
    ],
}


def _meeting_dates(today: dt.date) -> list[dt.date]:
    """About a year of meetings that are justerade by now, oldest first."""
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


def seed() -> None:
    if BoardMembership.objects.exists():
        return
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        _seed()


@transaction.atomic
def _seed() -> None:
    today = timezone.localdate()
    secretary = User.objects.get(username="samordnare")
    members = {m.name: m for m in Member.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    for username, _name, title, member_name in BOARD:
        services.membership_save(
            actor=secretary,
            membership=BoardMembership(
                user=users[username],
                member=members[member_name],
                role=ROLES.get(title, DEPUTY if title == "Ersättare" else BoardRole.MEMBER),
                term_start=dt.date(today.year - 3, 1, 1),
                term_end=dt.date(today.year + 1, 12, 31),
                deputy_order=1 if title == "Ersättare" else None,
            ),
        )
    chair = users["ledamot"]
    verifiers = [users[u] for u in ("ledamot-bjorkhamn", "ledamot-sjovalla", "ledamot-region")]

    for n, date in enumerate(_meeting_dates(today)):
        minutes = _held(secretary, date, chair, verifiers[n % len(verifiers)])
        services.minutes_send_for_justering(actor=secretary, minutes=minutes)
        _sign_on(minutes, date + dt.timedelta(days=3 + n % 3))

    # Held last week: out for justering, the ordförande has signed.
    waiting = _held(secretary, today - dt.timedelta(days=6), chair, verifiers[0])
    services.minutes_send_for_justering(actor=secretary, minutes=waiting)
    signer = waiting.signers.get(user=chair)
    Signature.objects.create(
        minutes=waiting,
        signer=signer,
        signed_at=timezone.now() - dt.timedelta(days=1),
        content_hash=content.content_hash(waiting),
    )

    # Upcoming, with every application that is redo för beslut on the dagordning.
    upcoming = services.meeting_create(
        actor=secretary,
        meeting=Meeting(
            date=today + dt.timedelta(days=17),
            starts_at=dt.time(9, 0),
            ends_at=dt.time(11, 30),
            place=PLACE,
            remote=True,
            remote_link="https://mote.sjoland-finsam.example/styrelsen",
        ),
    )
    services.meeting_send_notice(actor=secretary, meeting=upcoming)


def _held(secretary, date, chair, verifier):
    meeting = services.meeting_create(
        actor=secretary,
        meeting=Meeting(date=date, starts_at=dt.time(9, 0), ends_at=dt.time(11, 30), place=PLACE),
    )
    # The applications now redo för beslut, and the reports approved since,
    # belong to a coming meeting.
    later = meeting.agenda.filter(application__isnull=False) | meeting.agenda.filter(
        report__approved_at__date__gte=date
    )
    for item in later:
        services.agenda_item_delete(actor=secretary, item=item)
    minutes = services.minutes_create(actor=secretary, meeting=meeting)
    services.signers_set(actor=secretary, minutes=minutes, chair=chair, verifiers=[verifier])
    for paragraph in minutes.paragraphs.all():
        discussion, decision = STANDARD_TEXTS.get(paragraph.title, ("", ""))
        if paragraph.title == "Val av justerare och justeringsdag":
            decision = f"{verifier.full_name} utses att justera. Justering sker digitalt."
        elif paragraph.title == "Fastställande av dagordning":
            decision = "Dagordningen fastställs."
        elif paragraph.report_id:
            discussion = "Processledaren föredrar rapporten. Styrelsen diskuterar resultaten."
            decision = services.REPORT_DECISION_TEXT
        paragraph.discussion = discussion or paragraph.discussion
        paragraph.decision_text = decision or paragraph.decision_text
        paragraph.decision_type = DecisionType.FILE if decision else ""
        services.paragraph_update(actor=secretary, paragraph=paragraph)
    for title, discussion, kind, decision, secret in EXTRA.get((date.month, date.day), []):
        services.paragraph_add(
            actor=secretary,
            minutes=minutes,
            paragraph=Paragraph(
                title=title,
                discussion=discussion,
                decision_type=kind,
                decision_text=decision,
                confidential=secret,
            ),
        )
    _decided_that_day(secretary, minutes)
    return minutes


def _decided_that_day(secretary, minutes):
    """The projects demo decided its applications before the board existed;
    give each decision taken on this meeting's day its § in the protocol."""
    date = minutes.meeting.date
    decided = Application.objects.filter(decided_on=date).select_related("project")
    for application in decided.order_by("id"):
        kind = DECISION_TYPES[application.status]
        verb = {
            DecisionType.GRANT: "bevilja",
            DecisionType.GRANT_PARTLY: "delvis bevilja",
            DecisionType.REJECT: "avslå",
        }[kind]
        paragraph = services.paragraph_add(
            actor=secretary,
            minutes=minutes,
            paragraph=Paragraph(
                title=f"{application.project.name}: {application.get_kind_display().lower()}",
                presenter="Förbundssamordnaren Tobias Lindmark",
                discussion=application.preparation_statement,
                decision_type=kind,
                decision_text=(
                    f"Styrelsen beslutar att {verb} ansökan ({application.project.reference}). "
                    f"{application.decision_note}"
                ).strip(),
            ),
        )
        with transaction.atomic():
            set_actor(secretary, "seed_demo")
            Paragraph.objects.filter(pk=paragraph.pk).update(application=application)
            Application.objects.filter(pk=application.pk).update(
                decision_paragraph=paragraph, decision_reference=paragraph.reference
            )


def _sign_on(minutes, day: dt.date) -> None:
    """Justering as it happened: both signers on ``day``, the anslag posted then."""
    minutes.refresh_from_db()
    current = content.content_hash(minutes)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    for n, signer in enumerate(minutes.signers.all()):
        Signature.objects.create(
            minutes=minutes,
            signer=signer,
            signed_at=at + dt.timedelta(minutes=20 * n),
            content_hash=current,
        )
    justering._justera(signer.user, minutes, current, now=at + dt.timedelta(hours=1))
    assert minutes.status == MinutesStatus.JUSTERAT
