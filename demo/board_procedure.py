"""Demo data for a § by the letter of kommunallagen: the delegationsordning
and its decisions, and, in the latest justerat protocol, a § with jäv, a
yrkande against the förslag, a named vote and a written reservation, a §
justerad omedelbart and the anmälan of delegationsbeslut. Two anslag are up
today: a § of the protocol now out for justering, justerad at its meeting,
and a delegationsbeslut that is not reported. All names from ``demo.people``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from board import procedure, services
from board.models import (
    Choice,
    DecisionType,
    DelegationDecision,
    DelegationRule,
    Motion,
    MotionKind,
    Paragraph,
    PresenceKind,
)
from demo.people import DEMO_PASSWORD
from demo.timeline import at, moment
from finsam.models import User

RULES = [
    # code, matter, delegate, limit, reported
    ("1.1", "Bevilja medel till förstudier och mindre insatser", "Förbundschef", 100_000, True),
    (
        "1.2",
        "Attestera rekvisitioner och utbetalningar enligt beslutad budget",
        "Förbundschef",
        None,
        True,
    ),
    (
        "2.1",
        "Besluta i ärenden så brådskande att styrelsens avgörande inte kan avvaktas "
        "(KL 6 kap. 39 §)",
        "Ordförande",
        None,
        True,
    ),
    (
        "3.1",
        "Avge yttranden över remisser där förbundet inte tar ställning i sak",
        "Förbundschef",
        None,
        False,
    ),
]


def seed_rules() -> dict[str, DelegationRule]:
    rules = {}
    for code, matter, delegate, limit, reported in RULES:
        rules[code], _new = DelegationRule.objects.get_or_create(
            code=code,
            defaults={
                "matter": matter,
                "delegate": delegate,
                "limit": Decimal(limit) if limit else None,
                "reported": reported,
            },
        )
    return rules


def _decide(rule, day, who, matter, amount=None):
    secretary = User.objects.get(username="samordnare")
    with at(moment(day, 11)):
        return services.delegation_decision_record(
            actor=secretary,
            decision=DelegationDecision(
                rule=rule,
                decided_on=day,
                decided_by=who,
                matter=matter,
                amount=Decimal(amount) if amount else None,
            ),
        )


def seed_decisions_before(meeting_day: dt.date) -> None:
    """Decisions taken under delegation since the meeting before, to be
    reported at ``meeting_day``."""
    rules = seed_rules()
    chief = User.objects.get(username="kansli")
    _decide(
        rules["1.1"],
        meeting_day - dt.timedelta(days=40),
        chief,
        "Medel till förstudie om stöd till unga vuxna med aktivitetsersättning i Sjövalla.",
        80_000,
    )
    _decide(
        rules["1.2"],
        meeting_day - dt.timedelta(days=20),
        chief,
        "Rekvisitionerna för andra tertialen från förbundets insatser attesterade.",
    )


def seed_unreported(today: dt.date) -> None:
    """A decision that is not reported to the board: its anslag is up now."""
    rules = seed_rules()
    _decide(
        rules["3.1"],
        today - dt.timedelta(days=2),
        User.objects.get(username="kansli"),
        "Yttrande över regionens remiss om en gemensam strategi för psykisk hälsa: "
        "förbundet har inga synpunkter.",
    )


def vote_paragraph(secretary, minutes) -> Paragraph:
    """A § the board votes on: one ledamot has jäv and her ersättare serves,
    a yrkande stands against the förslag, the vote is named and the loser
    reserves in writing."""
    paragraph = services.paragraph_add(
        actor=secretary,
        minutes=minutes,
        paragraph=Paragraph(
            title="Gemensam utvecklingsdag för medlemmarnas personal",
            presenter="Förbundschefen Elin Bergqvist",
            discussion=(
                "Förbundschefen föreslår en gemensam utvecklingsdag i samverkan för "
                "medlemmarnas personal och redovisar kostnaden. Region Sjöland är medarrangör."
            ),
            decision_type=DecisionType.OTHER,
            decision_text=(
                "Styrelsen beslutar att avsätta 60 000 kr till en gemensam utvecklingsdag "
                "för medlemmarnas personal."
            ),
        ),
    )
    people = {a.user.username: a for a in minutes.attendance.select_related("user") if a.user}
    services.presence_add(
        actor=secretary,
        attendance=people["ledamot-region"],
        kind=PresenceKind.RECUSAL,
        first=paragraph,
        stand_in=people["ersattare-region"],
    )
    proposal = services.motion_add(
        actor=secretary,
        paragraph=paragraph,
        motion=Motion(
            kind=MotionKind.PROPOSAL,
            source="förbundschefens förslag",
            text="att avsätta 60 000 kr till en gemensam utvecklingsdag",
        ),
    )
    motion = services.motion_add(
        actor=secretary,
        paragraph=paragraph,
        motion=Motion(
            kind=MotionKind.MOTION,
            made_by=people["ledamot-sjovalla"],
            supported_by=people["ledamot-fk"],
            text="att avsätta 30 000 kr till utvecklingsdagen",
        ),
    )
    proposition = services.proposition_add(
        actor=secretary, paragraph=paragraph, first=proposal, second=motion, found=proposal
    )
    against = {"ledamot-sjovalla", "ledamot-fk"}
    handled = procedure.by_paragraph(minutes)[paragraph.pk]
    services.vote_record(
        actor=secretary,
        proposition=proposition,
        ballots={
            a.pk: Choice.NO if a.user.username in against else Choice.YES for a in handled.serving
        },
    )
    services.reservation_add(
        actor=secretary,
        paragraph=paragraph,
        attendance=people["ledamot-sjovalla"],
        written=(
            "Jag reserverar mig mot beslutet till förmån för mitt yrkande. En utvecklingsdag "
            "kan genomföras väl inom halva beloppet, och resten behövs i insatserna."
        ),
    )
    return paragraph


def immediate_paragraph(secretary, minutes, title: str, discussion: str, decision: str):
    """A § the board justerar at the meeting, before the rest of the protocol."""
    return services.paragraph_add(
        actor=secretary,
        minutes=minutes,
        paragraph=Paragraph(
            title=title,
            discussion=discussion,
            decision_type=DecisionType.OTHER,
            decision_text=decision,
            immediate=True,
        ),
    )


def sign_paragraph(paragraph, when: dt.datetime) -> None:
    """Its signers sign the § at the meeting, a few minutes apart."""
    for k, signer in enumerate(procedure.ordered_signers(paragraph.minutes)):
        device = TOTPDevice.objects.get(user=signer.user, name="Demo")
        with at(when + dt.timedelta(minutes=5 * k)):
            token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
            services.paragraph_sign(
                actor=signer.user,
                paragraph=paragraph,
                password=DEMO_PASSWORD,
                token=f"{token.token():06d}",
            )
