"""Demo data for the board: a year of meetings, each called, held, sent for
justering and justerat by its signers (password and one-time code, on the
days it happened), with continuous § numbers; the applications of the day
decided in their §; one protocol awaiting justering and one upcoming
meeting with its kallelse sent. All names come from ``demo.people``.
"""

from __future__ import annotations

import datetime as dt

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from board import services
from board.models import (
    BoardMembership,
    BoardRole,
    DecisionType,
    Meeting,
    MinutesStatus,
    Paragraph,
)
from demo import board_procedure
from demo.people import BOARD, DEMO_PASSWORD
from demo.timeline import at, meeting_dates, moment
from finsam.models import Member, User
from projects.models import Decision

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
# How a § says what the board decides on an application.
VERBS = {
    Decision.GRANT: "bevilja",
    Decision.GRANT_PARTLY: "delvis bevilja",
    Decision.REJECT: "avslå",
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


def seed(today: dt.date, decided_by_board: dict[dt.date, list]) -> None:
    """``decided_by_board``: per meeting day, the applications its protocol
    decides, (application, decision, granted, note)."""
    if BoardMembership.objects.exists():
        return
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
    dates = meeting_dates(today)
    if dates:
        board_procedure.seed_decisions_before(dates[-1])

    for n, date in enumerate(dates):
        minutes = _held(
            secretary,
            date,
            chair,
            verifiers[n % len(verifiers)],
            decided_by_board.get(date, []),
            # The latest: a vote with jäv and a reservation, a § justerad at the
            # meeting, and the anmälan of delegationsbeslut.
            procedure_too=date == dates[-1],
        )
        with at(date + dt.timedelta(days=1)):
            services.minutes_send_for_justering(actor=secretary, minutes=minutes)
        signed = moment(date + dt.timedelta(days=3 + n % 3))
        for k, signer in enumerate(minutes.signers.select_related("user")):
            _sign(signer.user, minutes, signed + dt.timedelta(minutes=20 * k))
        minutes.refresh_from_db()
        assert minutes.status == MinutesStatus.JUSTERAT

    # Held last week: out for justering, the ordförande signed yesterday.
    held = today - dt.timedelta(days=6)
    while held.weekday() >= 5:  # a weekday
        held -= dt.timedelta(days=1)
    waiting = _held(secretary, held, chair, verifiers[0], [])
    with at(moment(held, 13, 30)):
        urgent = board_procedure.immediate_paragraph(
            secretary,
            waiting,
            "Yttrande över länets strategi för unga vuxna",
            "Länsstyrelsen vill ha förbundets yttrande före den sista i månaden, innan "
            "protokollet hinner justeras.",
            "Styrelsen beslutar att avge yttrande enligt förbundschefens förslag och att "
            "justera paragrafen omedelbart.",
        )
    board_procedure.sign_paragraph(urgent, moment(held, 14))
    with at(held + dt.timedelta(days=1)):
        services.minutes_send_for_justering(actor=secretary, minutes=waiting)
    _sign(chair, waiting, moment(today - dt.timedelta(days=1)))

    # Upcoming, on a Thursday two or three weeks ahead, with every application
    # that is redo för beslut on the dagordning.
    coming = today + dt.timedelta(days=14)
    coming += dt.timedelta(days=(3 - coming.weekday()) % 7)
    upcoming = services.meeting_create(
        actor=secretary,
        meeting=Meeting(
            date=coming,
            starts_at=dt.time(9, 0),
            ends_at=dt.time(11, 30),
            place=PLACE,
            remote=True,
            remote_link="https://mote.sjoland-finsam.example/styrelsen",
        ),
    )
    services.meeting_send_notice(actor=secretary, meeting=upcoming)
    board_procedure.seed_unreported(today)


def _held(secretary, date, chair, verifier, decisions, *, procedure_too=False):
    """A meeting called three weeks before ``date`` and held that day."""
    with at(date - dt.timedelta(days=21)):
        meeting = services.meeting_create(
            actor=secretary,
            meeting=Meeting(
                date=date, starts_at=dt.time(9, 0), ends_at=dt.time(11, 30), place=PLACE
            ),
        )
        # The dagordning takes every application redo för beslut and every
        # approved report; those not decided that day belong to a later meeting.
        deciding = {application.pk for application, *_rest in decisions}
        later = meeting.agenda.filter(application__isnull=False).exclude(
            application__in=deciding
        ) | meeting.agenda.filter(report__approved_at__date__gte=date)
        for item in later:
            services.agenda_item_delete(actor=secretary, item=item)
        services.meeting_send_notice(actor=secretary, meeting=meeting)
    by_application = {application.pk: rest for application, *rest in decisions}
    with at(moment(date, 13)):
        minutes = services.minutes_create(actor=secretary, meeting=meeting)
        services.signers_set(actor=secretary, minutes=minutes, chair=chair, verifiers=[verifier])
        for paragraph in minutes.paragraphs.select_related("application__project"):
            if paragraph.application_id:
                _decide(secretary, paragraph, *by_application[paragraph.application_id])
            else:
                _standard(secretary, paragraph, verifier)
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
        if procedure_too:
            board_procedure.vote_paragraph(secretary, minutes)
            urgent = board_procedure.immediate_paragraph(
                secretary,
                minutes,
                "Hyresavtal för kansliets lokaler",
                "Hyresvärden behöver besked före månadens slut för att avtalet ska gälla "
                "från årsskiftet.",
                "Styrelsen beslutar att förlänga hyresavtalet för kansliets lokaler med tre år "
                "och att justera paragrafen omedelbart.",
            )
            services.delegations_report(actor=secretary, minutes=minutes)
    if procedure_too:
        board_procedure.sign_paragraph(urgent, moment(date, 14))
    return minutes


def _standard(secretary, paragraph, verifier):
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


def _decide(secretary, paragraph, decision, granted, note):
    """The § decides its application, through the projects service."""
    application = paragraph.application
    paragraph.presenter = "Förbundssamordnaren Tobias Lindmark"
    paragraph.discussion = application.preparation_statement
    paragraph.decision_type = DecisionType(decision)
    paragraph.decision_text = (
        f"Styrelsen beslutar att {VERBS[decision]} ansökan ({application.project.reference}). "
        f"{note}"
    ).strip()
    services.paragraph_update(actor=secretary, paragraph=paragraph, granted=granted)


def _sign(user, minutes, when: dt.datetime) -> None:
    """Sign as the signer does: password and the one-time code of that moment."""
    device = TOTPDevice.objects.get(user=user, name="Demo")
    with at(when):
        token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        services.minutes_sign(
            actor=user, minutes=minutes, password=DEMO_PASSWORD, token=f"{token:06d}"
        )
