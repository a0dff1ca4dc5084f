"""A § by the letter of kommunallagen: närvaro and jäv per §, quorum per §,
yrkanden and propositionsordning, omröstning with utslagsröst and lottning,
reservation, omedelbar justering, the secretary's signature and rättelse."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from board import pdf, procedure, rules, sentences, services
from board.models import (
    AttendanceKind,
    Ballot,
    Choice,
    DecisionType,
    DocumentKind,
    Motion,
    MotionKind,
    PartialPresence,
    Posting,
    PresenceKind,
    Reservation,
    SignerRole,
    Vote,
)
from finsam.models import Federation
from tests import factories

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MEETING_DAY = dt.date(2026, 3, 12)


@pytest.fixture
def seats(chair):
    """Five ledamöter (the first the ordförande) and an ersättare for each."""
    return factories.board(chair=chair, seats=5)


@pytest.fixture
def minutes(secretary, seats):
    return factories.minutes(actor=secretary, date=MEETING_DAY)


@pytest.fixture
def decision(minutes, secretary):
    """A beslutsärende in the protocol: its own § before "Sammanträdet avslutas"."""
    from board.models import Paragraph

    return services.paragraph_add(
        actor=secretary,
        minutes=minutes,
        paragraph=Paragraph(title="Ansökan om förlängning", decision_type=DecisionType.OTHER),
    )


def people(minutes):
    """The protocol's ledamöter and ersättare, in the order they were seated."""
    rows = list(minutes.attendance.order_by("order", "id"))
    return (
        [a for a in rows if a.kind == AttendanceKind.VOTING],
        [a for a in rows if a.kind == AttendanceKind.DEPUTY],
    )


def handled(paragraph):
    return procedure.by_paragraph(paragraph.minutes)[paragraph.pk]


def two_proposals(secretary, paragraph, maker, supporter=None):
    proposal = services.motion_add(
        actor=secretary,
        paragraph=paragraph,
        motion=Motion(
            kind=MotionKind.PROPOSAL, source="förbundschefens förslag", text="att bevilja"
        ),
    )
    motion = services.motion_add(
        actor=secretary,
        paragraph=paragraph,
        motion=Motion(kind=MotionKind.MOTION, made_by=maker, supported_by=supporter, text="avslag"),
    )
    proposition = services.proposition_add(
        actor=secretary, paragraph=paragraph, first=proposal, second=motion, found=proposal
    )
    return proposal, motion, proposition


# --- Närvaro, jäv and quorum per § -------------------------------------------------------


def test_a_ledamot_with_jav_leaves_the_paragraph_and_an_ersattare_serves_in_her_place(
    secretary, minutes, decision
):
    ledamoter, deputies = people(minutes)
    services.presence_add(
        actor=secretary,
        attendance=ledamoter[2],
        kind=PresenceKind.RECUSAL,
        first=decision,
        stand_in=deputies[2],
    )

    in_decision = handled(decision)
    assert ledamoter[2] not in in_decision.serving
    assert deputies[2] in in_decision.serving
    assert in_decision.quorum.deciding == 5
    other = minutes.paragraphs.exclude(pk=decision.pk).first()
    assert ledamoter[2] in handled(other).serving and deputies[2] not in handled(other).serving
    assert sentences.presence_sentences(in_decision) == [
        f"{ledamoter[2].name} anmäler jäv och deltar inte i handläggningen av ärendet.",
        f"{deputies[2].name} tjänstgör i stället för {ledamoter[2].name}.",
    ]


def test_a_paragraph_without_quorum_is_refused_and_nothing_is_written(secretary, minutes, decision):
    ledamoter, _deputies = people(minutes)
    for absent in ledamoter[3:]:
        services.attendance_delete(actor=secretary, attendance=absent)
    assert handled(decision).quorum.reached  # three of five

    with pytest.raises(ValidationError, match="inte beslutför: 2 av 5 ledamöter"):
        services.presence_add(
            actor=secretary, attendance=ledamoter[1], kind=PresenceKind.RECUSAL, first=decision
        )

    assert not PartialPresence.objects.exists()


def test_a_ledamot_present_only_for_some_paragraphs_is_printed_with_them(secretary, minutes):
    ledamoter, _deputies = people(minutes)
    paragraphs = list(minutes.paragraphs.order_by("number"))
    services.presence_add(
        actor=secretary,
        attendance=ledamoter[4],
        kind=PresenceKind.ONLY,
        first=paragraphs[2],
        last=paragraphs[-1],
    )

    context = pdf.minutes_context(minutes)
    numbers = [p.number for p in paragraphs[2:]]
    assert context["partly"][ledamoter[4].pk] == pdf.number_range(numbers)
    assert ledamoter[4] not in handled(paragraphs[0]).serving
    arriving = next(p for p in context["paragraphs"] if p.pk == paragraphs[2].pk)
    assert f"{ledamoter[4].name} ansluter till sammanträdet" in arriving.presence_lines[0]


def test_an_ersattare_can_only_serve_for_a_ledamot_who_does_not_take_part(
    secretary, minutes, decision
):
    ledamoter, deputies = people(minutes)

    with pytest.raises(ValidationError, match="tjänstgör själv"):
        services.presence_add(
            actor=secretary,
            attendance=deputies[0],
            kind=PresenceKind.SERVES,
            first=decision,
            replaces=ledamoter[0],
        )


# --- Yrkanden, propositionsordning, omröstning ---------------------------------------------


def test_the_protocol_prints_yrkanden_and_the_propositionsordning_in_the_usual_phrasing(
    secretary, minutes, decision
):
    ledamoter, _ = people(minutes)
    two_proposals(secretary, decision, ledamoter[1], supporter=ledamoter[2])

    shown = next(p for p in pdf.minutes_context(minutes)["paragraphs"] if p.pk == decision.pk)

    assert shown.motion_lines == [
        "Förbundschefens förslag: att bevilja.",
        f"{ledamoter[1].name} yrkar avslag, med instämmande av {ledamoter[2].name}.",
    ]
    assert shown.handled.steps[0].lines == [
        "Ordföranden ställer proposition på förbundschefens förslag mot "
        f"{ledamoter[1].name}s yrkande och finner att styrelsen beslutar enligt "
        "förbundschefens förslag."
    ]


def test_an_ersattare_who_does_not_serve_cannot_make_a_yrkande(secretary, minutes, decision):
    _ledamoter, deputies = people(minutes)

    with pytest.raises(ValidationError, match="ersättare och tjänstgör inte"):
        services.motion_add(
            actor=secretary,
            paragraph=decision,
            motion=Motion(kind=MotionKind.MOTION, made_by=deputies[0], text="avslag"),
        )
    assert not Motion.objects.exists()


def test_a_tie_is_decided_by_the_ordforandes_utslagsrost(secretary, minutes, decision):
    ledamoter, _ = people(minutes)
    services.attendance_delete(actor=secretary, attendance=ledamoter[4])  # four present
    proposal, motion, proposition = two_proposals(secretary, decision, ledamoter[1])
    chair = ledamoter[0]

    services.vote_record(
        actor=secretary,
        proposition=proposition,
        ballots={
            chair.pk: Choice.NO,
            ledamoter[1].pk: Choice.NO,
            ledamoter[2].pk: Choice.YES,
            ledamoter[3].pk: Choice.YES,
        },
    )

    step = handled(decision).steps[0]
    assert (step.outcome.yes, step.outcome.no, step.outcome.tie) == (2, 2, True)
    assert step.decided == motion  # the ordförande voted nej
    assert "utslagsröst" in sentences.result_sentence(step)


def test_a_tied_election_is_settled_by_lot_which_the_secretary_records(
    secretary, minutes, decision
):
    ledamoter, _ = people(minutes)
    services.attendance_delete(actor=secretary, attendance=ledamoter[4])
    decision.decision_type = DecisionType.ELECTION
    services.paragraph_update(actor=secretary, paragraph=decision)
    proposal, motion, proposition = two_proposals(secretary, decision, ledamoter[1])
    ballots = {
        ledamoter[0].pk: Choice.YES,
        ledamoter[1].pk: Choice.NO,
        ledamoter[2].pk: Choice.YES,
        ledamoter[3].pk: Choice.NO,
    }

    with pytest.raises(ValidationError, match="lotten föll på"):
        services.vote_record(actor=secretary, proposition=proposition, ballots=ballots)
    assert not Vote.objects.exists()

    services.vote_record(
        actor=secretary, proposition=proposition, ballots=ballots, lot_winner=motion
    )
    step = handled(decision).steps[0]
    assert step.decided == motion and "Lotten avgör" in sentences.result_sentence(step)


def test_jav_removes_a_vote_and_the_stand_in_votes_instead(secretary, minutes, decision):
    ledamoter, deputies = people(minutes)
    services.presence_add(
        actor=secretary,
        attendance=ledamoter[2],
        kind=PresenceKind.RECUSAL,
        first=decision,
        stand_in=deputies[2],
    )
    _proposal, _motion, proposition = two_proposals(secretary, decision, ledamoter[1])
    with_jav = {a.pk: Choice.YES for a in ledamoter}

    with pytest.raises(ValidationError) as refused:
        services.vote_record(actor=secretary, proposition=proposition, ballots=with_jav)
    text = " ".join(refused.value.messages)
    assert f"{ledamoter[2].name} har jäv i § {decision.number}" in text
    assert f"Det saknas för: {deputies[2].name}" in text
    assert not Ballot.objects.exists()

    serving = {a.pk: Choice.YES for a in handled(decision).serving}
    services.vote_record(actor=secretary, proposition=proposition, ballots=serving)
    assert Ballot.objects.count() == 5
    assert not Ballot.objects.filter(attendance=ledamoter[2]).exists()


def test_a_closed_votes_counts_must_add_up_to_those_serving(secretary, minutes, decision):
    ledamoter, _ = people(minutes)
    _proposal, _motion, proposition = two_proposals(secretary, decision, ledamoter[1])

    with pytest.raises(ValidationError, match=r"Rösterna \(4\) stämmer inte .* \(5\)"):
        services.vote_record(actor=secretary, proposition=proposition, counts=(2, 1, 1))

    services.vote_record(actor=secretary, proposition=proposition, counts=(3, 1, 1))
    step = handled(decision).steps[0]
    assert step.ballots == [] and (step.outcome.yes, step.outcome.no) == (3, 1)


# --- Reservation ----------------------------------------------------------------------


@pytest.fixture
def voted(secretary, minutes, decision):
    """A vote where the förslag won 3–1, ledamot 4 abstaining and ersättare 1 not serving."""
    ledamoter, deputies = people(minutes)
    _proposal, _motion, proposition = two_proposals(secretary, decision, ledamoter[1])
    services.vote_record(
        actor=secretary,
        proposition=proposition,
        ballots={
            ledamoter[0].pk: Choice.YES,
            ledamoter[1].pk: Choice.NO,
            ledamoter[2].pk: Choice.YES,
            ledamoter[3].pk: Choice.YES,
            ledamoter[4].pk: Choice.ABSTAIN,
        },
    )
    return ledamoter, deputies


@pytest.mark.parametrize(
    ("who", "why"),
    [
        (lambda led, dep: led[0], "röstade för beslutet"),
        (lambda led, dep: led[4], "avstod från att rösta"),
        (lambda led, dep: dep[0], "ersättare och tjänstgör inte"),
    ],
)
def test_only_someone_who_took_part_and_voted_against_may_reserve(
    secretary, decision, voted, who, why
):
    with pytest.raises(ValidationError, match=why):
        services.reservation_add(actor=secretary, paragraph=decision, attendance=who(*voted))
    assert not Reservation.objects.exists()


def test_a_written_reservation_of_one_who_voted_against_is_a_bilaga(
    secretary, minutes, decision, voted
):
    ledamoter, _ = voted
    services.reservation_add(
        actor=secretary,
        paragraph=decision,
        attendance=ledamoter[1],
        written="Jag reserverar mig till förmån för mitt yrkande.",
    )

    context = pdf.minutes_context(minutes)
    shown = next(p for p in context["paragraphs"] if p.pk == decision.pk)
    assert shown.reservation_lines[0][0] == (
        f"{ledamoter[1].name} reserverar sig mot beslutet skriftligt, bilaga 1."
    )
    assert [r.attendance for _p, r in context["written_reservations"]] == [ledamoter[1]]


def test_a_ledamot_who_had_left_cannot_reserve(secretary, minutes, decision):
    ledamoter, _ = people(minutes)
    first = minutes.paragraphs.order_by("number").first()
    services.presence_add(
        actor=secretary, attendance=ledamoter[4], kind=PresenceKind.ONLY, first=first
    )
    decision.decision_text = "Styrelsen beslutar att bevilja."
    services.paragraph_update(actor=secretary, paragraph=decision)

    with pytest.raises(ValidationError, match="inte närvarande"):
        services.reservation_add(actor=secretary, paragraph=decision, attendance=ledamoter[4])


# --- Omedelbar justering -------------------------------------------------------------


def _at(day: dt.date, hour=15):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM), tick=True)


def _sign_paragraph(user, paragraph, step=0):
    device = user.totpdevice_set.get()
    return services.paragraph_sign(
        actor=user,
        paragraph=paragraph,
        password=factories.PASSWORD,
        token=factories.totp_code(device, offset_steps=step),
    )


def test_a_paragraph_justerad_omedelbart_gets_its_own_anslag_before_the_protocol(
    secretary, minutes, decision, chair, seats, django_capture_on_commit_callbacks
):
    verifier = seats[1].user
    services.signers_set(actor=secretary, minutes=minutes, chair=chair, verifiers=[verifier])
    decision.immediate = True
    decision.decision_text = "Styrelsen beslutar att förlänga insatsen."
    services.paragraph_update(actor=secretary, paragraph=decision)

    with _at(MEETING_DAY):
        _sign_paragraph(chair, decision)
        _sign_paragraph(verifier, decision)
    decision.refresh_from_db()
    assert decision.justerat_at is not None
    own = Posting.objects.get(paragraph=decision)
    assert own.posted_on == MEETING_DAY
    assert own.appeal_last_day == rules.appeal_last_day(MEETING_DAY)
    assert decision.documents.get(kind=DocumentKind.EXTRACT).content[:4] == b"%PDF"

    # The § is locked: no service, and not the database either, changes it.
    decision.decision_text = "Ändrat"
    with pytest.raises(ValidationError, match="justerad"):
        services.paragraph_update(actor=secretary, paragraph=decision)
    with pytest.raises(DatabaseError, match="justerad"), transaction.atomic():
        type(decision).objects.filter(pk=decision.pk).update(title="Ändrat")
    with pytest.raises(ValidationError, match="justerad omedelbart"):
        services.attendance_delete(actor=secretary, attendance=minutes.attendance.first())

    later = MEETING_DAY + dt.timedelta(days=8)
    with _at(later):
        factories.ready_for_justering(secretary, minutes, chair, verifier)
        factories.sign(chair, minutes)
        factories.sign(verifier, minutes)
    protocol = Posting.objects.get(minutes=minutes)
    assert protocol.posted_on == later
    assert protocol.appeal_last_day != own.appeal_last_day
    assert f"{decision.number}" not in protocol.paragraphs.replace("–", " ").split()


# --- The secretary signs, where the förbund wants it ---------------------------------------


def test_where_the_forbund_wants_it_the_secretary_signs_first(secretary, minutes, chair, seats):
    Federation.objects.update(secretary_signs=True)
    services.signers_set(actor=secretary, minutes=minutes, chair=chair, verifiers=[seats[1].user])

    roles = [s.role for s, _sig, _valid in pdf.minutes_context(minutes)["signing"]]
    assert roles == [SignerRole.SECRETARY, SignerRole.CHAIR, SignerRole.VERIFIER]
