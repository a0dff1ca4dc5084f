"""What happened in each §, derived from what the secretary recorded: who
was present and tjänstgörande there, whether the board was beslutför, the
outcome of each omröstning, and the sentences the protocol prints.

One place for each rule: the services check writes against it, the pages
and the PDF print from it, and the content hash signs it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Func, Subquery
from django.utils.translation import gettext as _

from board.models import (
    DECIDING_KINDS,
    SIGNER_ORDER,
    Attendance,
    AttendanceKind,
    Ballot,
    BoardMembership,
    Choice,
    DecisionType,
    Minutes,
    Motion,
    Paragraph,
    PartialPresence,
    PresenceKind,
    Proposition,
    Reservation,
    SignerRole,
    TieBreak,
    Vote,
)


@dataclass(frozen=True)
class Quorum:
    deciding: int  # ledamöter and tjänstgörande ersättare present
    seats: int  # ledamöter (ordinary seats) on the meeting day

    @property
    def reached(self) -> bool:
        """More than half of the ledamöter present (ersättare in their place count)."""
        return self.seats > 0 and self.deciding * 2 > self.seats

    @property
    def needed(self) -> int:
        return self.seats // 2 + 1


def ordered_signers(minutes: Minutes) -> list:
    """The protocol's signers as they sign and are printed: sekreterare,
    ordförande, justerande."""
    return sorted(minutes.signers.all(), key=lambda s: (SIGNER_ORDER[s.role], s.name, s.pk))


def signing_rows(minutes: Minutes, signatures, current: str) -> list:
    """Each signer of the protocol with their latest of ``signatures`` (a
    protocol's, a §'s or a rättelse's) and whether it still holds: signed
    over ``current``, the content's hash now."""
    latest = {}
    for signature in signatures.order_by("signed_at"):
        latest[signature.signer_id] = signature
    rows = []
    for signer in ordered_signers(minutes):
        mine = latest.get(signer.pk)
        rows.append((signer, mine, mine is not None and mine.content_hash == current))
    return rows


def seats(minutes: Minutes) -> int:
    """The board's voting seats on the meeting's day (annotated by
    ``selectors.minutes_visible_to`` as ``board_seats``, counted otherwise)."""
    if "seats" in minutes.frozen:  # justerat: the seats it was justerat with
        return minutes.frozen["seats"]
    annotated = getattr(minutes, "board_seats", None)
    if annotated is not None:
        return annotated
    return BoardMembership.objects.on(minutes.meeting.date).voting().count()


def seats_on(day) -> Subquery:
    """``seats`` as a subquery, for ``day`` an expression (OuterRef)."""
    return Subquery(
        BoardMembership.objects.on(day)
        .voting()
        .order_by()
        .annotate(n=Func(F("id"), function="COUNT"))
        .values("n")
    )


@dataclass
class Outcome:
    """The result of an omröstning."""

    yes: int
    no: int
    abstain: int
    winner: Motion | None  # None: a tie nobody has broken yet
    tie: bool
    how: str  # "majority", TieBreak.CASTING or TieBreak.LOT


@dataclass
class Step:
    """One proposition of the propositionsordning, with its vote if any."""

    proposition: Proposition
    vote: Vote | None = None
    ballots: list[Ballot] = field(default_factory=list)
    outcome: Outcome | None = None

    @property
    def decided(self) -> Motion | None:
        """What this step decides: the vote's result, or the ordförande's finding."""
        if self.vote is not None:
            return self.outcome.winner if self.outcome else None
        return self.proposition.found


@dataclass
class InParagraph:
    """A § as the board handled it."""

    paragraph: Paragraph
    serving: list[Attendance]  # tjänstgörande: may take part in the decision
    present: list[Attendance]  # the board's people in the room, serving or not
    recused: list[Attendance]
    stands_in: dict[int, Attendance]  # ersättare id → the ledamot they serve for
    arrives: list[Attendance]  # from this § on
    leaves: list[Attendance]  # after this §
    quorum: Quorum
    presiding: Attendance | None
    motions: list[Motion] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    reservations: list[Reservation] = field(default_factory=list)

    def stands_in_pairs(self) -> list[tuple[Attendance, Attendance]]:
        """(ersättare, the ledamot they serve for) in this §."""
        by_id = {a.pk: a for a in self.serving}
        return [(by_id[pk], r) for pk, r in self.stands_in.items() if pk in by_id and r]

    @property
    def serving_ids(self) -> set[int]:
        return {a.pk for a in self.serving}

    @property
    def decided(self) -> Motion | None:
        """The board's decision: the last step of the propositionsordning (the main vote)."""
        return self.steps[-1].decided if self.steps else None

    def ballot_of(self, attendance: Attendance) -> Ballot | None:
        """The attendance's vote in the deciding omröstning, if it was open."""
        if not self.steps or self.steps[-1].vote is None:
            return None
        return next((b for b in self.steps[-1].ballots if b.attendance_id == attendance.pk), None)

    @property
    def has_procedure(self) -> bool:
        return bool(self.motions or self.steps or self.reservations)


def _ranges(rows, kind):
    result = defaultdict(list)
    for row in rows:
        if row.kind == kind:
            result[row.attendance_id].append(row)
    return result


def _covers(rows, number: int) -> bool:
    return any(r.first.number <= number <= r.last.number for r in rows)


def presiding_of(attendance: list[Attendance], chair_user_id: int | None, serving: set[int]):
    """Who presides in a §: the meeting's ordförande, or the vice ordförande
    when the ordförande does not take part (jäv)."""
    chair = next(
        (a for a in attendance if chair_user_id and a.user_id == chair_user_id),
        None,
    ) or next(
        (a for a in attendance if a.role.lower() == str(SignerRole.CHAIR.label).lower()), None
    )
    if chair is not None and chair.pk in serving:
        return chair
    return next((a for a in attendance if "vice" in a.role.lower() and a.pk in serving), None)


def outcome(vote: Vote, ballots: list[Ballot], presiding: Attendance | None) -> Outcome:
    """Simple majority of those who vote; a tie goes to the presiding
    ordförande's utslagsröst, or to the lot where the rules say so."""
    proposition = vote.proposition
    if vote.closed:
        yes, no, abstain = vote.yes, vote.no, vote.abstain
    else:
        choices = [b.choice for b in ballots]
        yes, no = choices.count(Choice.YES), choices.count(Choice.NO)
        abstain = choices.count(Choice.ABSTAIN)
    first, second = proposition.first, proposition.second
    if yes != no:
        return Outcome(yes, no, abstain, first if yes > no else second, False, "majority")
    if vote.tie_break == TieBreak.LOT:
        return Outcome(yes, no, abstain, vote.lot_winner, True, TieBreak.LOT)
    cast = next(
        (b.choice for b in ballots if presiding is not None and b.attendance_id == presiding.pk),
        None,
    )
    winner = {Choice.YES: first, Choice.NO: second}.get(cast)
    return Outcome(yes, no, abstain, winner, True, TieBreak.CASTING)


def default_tie_break(paragraph: Paragraph) -> str:
    """Val are settled by lot; everything else by the ordförande's utslagsröst."""
    return TieBreak.LOT if paragraph.decision_type == DecisionType.ELECTION else TieBreak.CASTING


def _having(paragraphs, flag: str) -> list[int]:
    """The §§ that have rows of a kind, where ``content.paragraphs_of`` has
    flagged them (no query at all when none has); all §§ otherwise."""
    return [p.pk for p in paragraphs if getattr(p, flag, True)]


class Handled(dict):
    """{§ id: InParagraph}, with the protocol's partial presence rows read
    on the way (``partial``), for the pages that list them too."""

    partial: list


def by_paragraph(minutes: Minutes, paragraphs=None) -> Handled:
    """Every § of the protocol as handled, in a fixed number of queries: the
    attendance and signers the minutes carry (``content.read`` prefetches
    them), the partial presence, the seats, and each later layer of the
    procedure (yrkanden, propositioner, omröstningar, röster) only when the
    one before it has rows."""
    paragraphs = list(
        paragraphs if paragraphs is not None else minutes.paragraphs.order_by("number")
    )
    attendance = list(minutes.attendance.all())
    board = [a for a in attendance if a.kind != AttendanceKind.OTHER]
    partial = list(
        PartialPresence.objects.filter(attendance__minutes=minutes).select_related(
            "attendance", "replaces", "first", "last"
        )
    )
    only, recusal = _ranges(partial, PresenceKind.ONLY), _ranges(partial, PresenceKind.RECUSAL)
    serves = _ranges(partial, PresenceKind.SERVES)
    by_id = {a.pk: a for a in attendance}
    chair = next((s.user_id for s in minutes.signers.all() if s.role == SignerRole.CHAIR), None)
    n_seats = seats(minutes)
    ids = [p.pk for p in paragraphs]
    motions = defaultdict(list)
    for m in Motion.objects.filter(
        paragraph_id__in=_having(paragraphs, "has_motions")
    ).select_related("made_by", "supported_by"):
        motions[m.paragraph_id].append(m)
    propositions, votes, ballots = [], {}, defaultdict(list)
    if motions:
        propositions = list(
            Proposition.objects.filter(paragraph_id__in=ids).select_related(
                "first__made_by", "second__made_by", "found__made_by"
            )
        )
    if propositions:
        votes = {
            v.proposition_id: v
            for v in Vote.objects.filter(proposition__in=propositions).select_related(
                "lot_winner__made_by"
            )
        }
    if any(not v.closed for v in votes.values()):
        for b in Ballot.objects.filter(vote__in=votes.values()).select_related("attendance"):
            ballots[b.vote_id].append(b)
    reservations = defaultdict(list)
    for r in Reservation.objects.filter(
        paragraph_id__in=_having(paragraphs, "has_reservations")
    ).select_related("attendance"):
        reservations[r.paragraph_id].append(r)
    numbers = [p.number for p in paragraphs]
    first_n, last_n = (numbers[0], numbers[-1]) if numbers else (0, 0)

    result = Handled()
    result.partial = partial
    for p in paragraphs:
        n = p.number

        def present(a, n=n):
            ranges = only.get(a.pk)
            return (not ranges or _covers(ranges, n)) and not _covers(recusal.get(a.pk, []), n)

        stands_in = {}
        for a in board:
            for row in serves.get(a.pk, []):
                if row.first.number <= n <= row.last.number and present(a):
                    stands_in[a.pk] = by_id.get(row.replaces_id)
        serving = [
            a for a in board if present(a) and (a.kind in DECIDING_KINDS or a.pk in stands_in)
        ]
        serving_ids = {a.pk for a in serving}
        in_p = InParagraph(
            paragraph=p,
            serving=serving,
            present=[a for a in board if present(a)],
            recused=[a for a in board if _covers(recusal.get(a.pk, []), n)],
            stands_in=stands_in,
            arrives=[
                a
                for a in board
                if n != first_n and any(r.first.number == n for r in only.get(a.pk, []))
            ],
            leaves=[
                a
                for a in board
                if n != last_n and any(r.last.number == n for r in only.get(a.pk, []))
            ],
            quorum=Quorum(deciding=len(serving), seats=n_seats),
            presiding=presiding_of(attendance, chair, serving_ids),
            motions=sorted(motions[p.pk], key=lambda m: (m.order, m.pk)),
            reservations=reservations[p.pk],
        )
        for proposition in sorted(
            (x for x in propositions if x.paragraph_id == p.pk), key=lambda x: (x.order, x.pk)
        ):
            step = Step(proposition)
            vote = votes.get(proposition.pk)
            if vote is not None:
                vote.proposition = proposition
                step.vote, step.ballots = vote, ballots[vote.pk]
                step.outcome = outcome(vote, step.ballots, in_p.presiding)
            in_p.steps.append(step)
        result[p.pk] = in_p
    return result


def quorum_problem(handled: InParagraph) -> str:
    q = handled.quorum
    if q.reached:
        return ""
    return _(
        "§ %(number)s är inte beslutför: %(n)s av %(seats)s ledamöter tjänstgör, minst "
        "%(needed)s behövs."
    ) % {"number": handled.paragraph.number, "n": q.deciding, "seats": q.seats, "needed": q.needed}


def quorum(minutes: Minutes) -> Quorum:
    """Quorum at the start of the meeting: those deciding in its first §, or
    (before there are §§) those listed as deciding."""
    handled = by_paragraph(minutes)
    if handled:
        return next(iter(handled.values())).quorum
    return Quorum(
        deciding=minutes.attendance.filter(kind__in=DECIDING_KINDS).count(),
        seats=seats(minutes),
    )
