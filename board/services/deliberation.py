"""Writes for what happens in a §: närvaro and jäv per §, förslag and
yrkanden, propositionsordning, omröstning and reservation.

Each write locks the protocol, checks the § is still open, and is checked
against ``board.procedure`` after it is made: a § left without quorum, a vote
by someone who does not serve, a reservation by someone who was for the
decision is refused, and the transaction leaves nothing behind.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from board import access, procedure
from board.models import (
    DECIDING_KINDS,
    PARAGRAPH_LOCKED_MESSAGE,
    Attendance,
    AttendanceKind,
    Ballot,
    Choice,
    Motion,
    MotionKind,
    Paragraph,
    PartialPresence,
    PresenceKind,
    Proposition,
    Reservation,
    TieBreak,
    Vote,
)
from board.services.protocol import _editable
from finsam.lib.services import service


def _open(paragraph: Paragraph) -> Paragraph:
    """The §, if the secretary may still write in it (the protocol locked for this transaction)."""
    _editable(paragraph.minutes)
    paragraph = Paragraph.objects.select_related("minutes__meeting").get(pk=paragraph.pk)
    if paragraph.justerat_at is not None:
        raise ValidationError(PARAGRAPH_LOCKED_MESSAGE)
    return paragraph


def _handled(paragraph: Paragraph) -> procedure.InParagraph:
    return procedure.by_paragraph(paragraph.minutes)[paragraph.pk]


def _require_quorum(paragraph: Paragraph) -> procedure.InParagraph:
    handled = _handled(paragraph)
    problem = procedure.quorum_problem(handled)
    if problem:
        raise ValidationError(problem)
    return handled


def why_not_serving(handled: procedure.InParagraph, attendance: Attendance) -> str:
    """Why someone may not take part in the decision of a § (empty if they may)."""
    number = handled.paragraph.number
    if attendance.pk in handled.serving_ids:
        return ""
    if any(a.pk == attendance.pk for a in handled.recused):
        return _("%(name)s har jäv i § %(number)s.") % {"name": attendance.name, "number": number}
    if not any(a.pk == attendance.pk for a in handled.present):
        return _("%(name)s är inte närvarande i § %(number)s.") % {
            "name": attendance.name,
            "number": number,
        }
    return _("%(name)s är ersättare och tjänstgör inte i § %(number)s.") % {
        "name": attendance.name,
        "number": number,
    }


# --- Närvaro per § ------------------------------------------------------------


@service(access.manages_meetings)
def presence_add(
    *,
    actor,
    attendance: Attendance,
    kind: str,
    first: Paragraph,
    last: Paragraph | None = None,
    replaces: Attendance | None = None,
    stand_in: Attendance | None = None,
) -> PartialPresence:
    """Record that ``attendance`` is present only in, has jäv in, or (an
    ersättare) serves for ``replaces`` in §§ ``first``–``last``. With a jäv,
    ``stand_in`` is the ersättare who serves in the ledamot's place."""
    minutes = _editable(attendance.minutes)
    last = last or first
    if first.minutes_id != minutes.pk or last.minutes_id != minutes.pk:
        raise ValidationError({"first": _("Välj paragrafer i det här protokollet.")})
    if first.number > last.number:
        raise ValidationError(
            {"last": _("Till och med-paragrafen kan inte komma före den första.")}
        )
    if minutes.paragraphs.filter(
        number__gte=first.number, number__lte=last.number, justerat_at__isnull=False
    ).exists():
        raise ValidationError(PARAGRAPH_LOCKED_MESSAGE)
    if attendance.kind == AttendanceKind.OTHER:
        raise ValidationError(
            {"attendance": _("Närvaro per paragraf gäller styrelsens ledamöter och ersättare.")}
        )
    if kind == PresenceKind.SERVES:
        _check_serves(attendance, replaces, first, last)
    row = PartialPresence(
        attendance=attendance,
        kind=kind,
        first=first,
        last=last,
        replaces=replaces if kind == PresenceKind.SERVES else None,
    )
    row.full_clean()
    row.save()
    if kind == PresenceKind.RECUSAL and stand_in is not None:
        _check_serves(stand_in, attendance, first, last)
        PartialPresence.objects.create(
            attendance=stand_in,
            kind=PresenceKind.SERVES,
            first=first,
            last=last,
            replaces=attendance,
        )
    handled = procedure.by_paragraph(minutes)
    problems = []
    for in_p in handled.values():
        if first.number <= in_p.paragraph.number <= last.number:
            problems += [procedure.quorum_problem(in_p)]
            seats = [r.pk for _a, r in in_p.stands_in_pairs()]
            if len(seats) != len(set(seats)):
                problems.append(
                    _("Två ersättare kan inte tjänstgöra för samma ledamot i § %(n)s.")
                    % {"n": in_p.paragraph.number}
                )
    problems = [p for p in problems if p]
    if problems:
        raise ValidationError(problems)
    return row


def _check_serves(deputy: Attendance, replaces: Attendance | None, first, last) -> None:
    if deputy.kind != AttendanceKind.DEPUTY:
        raise ValidationError(
            {
                "attendance": _(
                    "Bara en ersättare som inte redan tjänstgör kan gå in i någons ställe."
                )
            }
        )
    if replaces is None or replaces.kind not in DECIDING_KINDS:
        raise ValidationError({"replaces": _("Välj den ledamot som ersättaren tjänstgör för.")})
    handled = procedure.by_paragraph(deputy.minutes)
    for in_p in handled.values():
        if first.number <= in_p.paragraph.number <= last.number and replaces.pk in in_p.serving_ids:
            raise ValidationError(
                {
                    "replaces": _(
                        "%(name)s tjänstgör själv i § %(n)s. En ersättare går bara in för en "
                        "ledamot som inte deltar (frånvaro eller jäv)."
                    )
                    % {"name": replaces.name, "n": in_p.paragraph.number}
                }
            )


@service(access.manages_meetings)
def presence_delete(*, actor, row: PartialPresence) -> None:
    minutes = _editable(row.attendance.minutes)
    if minutes.paragraphs.filter(justerat_at__isnull=False).exists():
        raise ValidationError(PARAGRAPH_LOCKED_MESSAGE)
    # The ersättare who stood in for a jävig ledamot goes with the jäv.
    if row.kind == PresenceKind.RECUSAL:
        PartialPresence.objects.filter(
            kind=PresenceKind.SERVES, replaces=row.attendance, first=row.first, last=row.last
        ).delete()
    first, last = row.first.number, row.last.number
    row.delete()
    problems = [
        procedure.quorum_problem(h)
        for h in procedure.by_paragraph(minutes).values()
        if first <= h.paragraph.number <= last and not h.quorum.reached
    ]
    if problems:
        raise ValidationError(problems)


# --- Förslag och yrkanden --------------------------------------------------------


@service(access.manages_meetings)
def motion_add(*, actor, paragraph: Paragraph, motion: Motion) -> Motion:
    paragraph = _open(paragraph)
    handled = _handled(paragraph)
    motion.paragraph = paragraph
    if motion.kind == MotionKind.PROPOSAL:
        motion.made_by = motion.supported_by = None
    else:
        motion.source = ""
        # Yrkanderätt is the tjänstgörande's: an ersättare who does not serve may speak only.
        for who, field in ((motion.made_by, "made_by"), (motion.supported_by, "supported_by")):
            if who is None:
                continue
            if who.minutes_id != paragraph.minutes_id:
                raise ValidationError({field: _("Välj en ledamot i det här protokollet.")})
            problem = why_not_serving(handled, who)
            if problem:
                raise ValidationError({field: problem})
    motion.order = (max((m.order for m in handled.motions), default=0)) + 1
    motion.full_clean()
    motion.save()
    return motion


@service(access.manages_meetings)
def motion_delete(*, actor, motion: Motion) -> None:
    _open(motion.paragraph)
    if Proposition.objects.filter(Q(first=motion) | Q(second=motion) | Q(found=motion)).exists():
        raise ValidationError(
            _("Förslaget ingår i propositionsordningen. Ta bort propositionen först.")
        )
    motion.delete()


# --- Propositionsordning ------------------------------------------------------------


@service(access.manages_meetings)
def proposition_add(
    *, actor, paragraph: Paragraph, first: Motion, second: Motion | None, found: Motion
) -> Proposition:
    paragraph = _open(paragraph)
    handled = _require_quorum(paragraph)
    for motion in (first, second, found):
        if motion is not None and motion.paragraph_id != paragraph.pk:
            raise ValidationError(_("Välj förslag och yrkanden i den här paragrafen."))
    if found not in (first, second):
        raise ValidationError(
            {
                "found": _(
                    "Ordföranden finner bifall till ett av de förslag som ställs mot varandra."
                )
            }
        )
    proposition = Proposition(
        paragraph=paragraph,
        first=first,
        second=second,
        found=found,
        order=max((s.proposition.order for s in handled.steps), default=0) + 1,
    )
    proposition.full_clean()
    proposition.save()
    return proposition


@service(access.manages_meetings)
def proposition_delete(*, actor, proposition: Proposition) -> None:
    _open(proposition.paragraph)
    proposition.delete()


# --- Omröstning -------------------------------------------------------------------


@service(access.manages_meetings)
def vote_record(
    *,
    actor,
    proposition: Proposition,
    ballots: dict[int, str] | None = None,
    counts: tuple[int, int, int] | None = None,
    tie_break: str = "",
    lot_winner: Motion | None = None,
) -> Vote:
    """Record an omröstning on ``proposition``: open with each tjänstgörande
    ledamot's Ja/Nej/Avstår in ``ballots`` (attendance id → choice), or
    closed with only ``counts`` (ja, nej, avstår). Replaces an earlier record."""
    paragraph = _open(proposition.paragraph)
    handled = _require_quorum(paragraph)
    proposition = Proposition.objects.select_related("first", "second").get(pk=proposition.pk)
    if proposition.second_id is None:
        raise ValidationError(
            _(
                "En omröstning ställer två förslag mot varandra. Lägg till det andra "
                "förslaget först."
            )
        )
    closed = counts is not None
    tie_break = TieBreak.LOT if closed else (tie_break or procedure.default_tie_break(paragraph))
    serving = {a.pk: a for a in handled.serving}
    if closed:
        if any(n < 0 for n in counts) or sum(counts) != len(serving):
            raise ValidationError(
                _(
                    "Rösterna (%(given)s) stämmer inte med antalet tjänstgörande i § %(n)s "
                    "(%(serving)s)."
                )
                % {"given": sum(counts), "n": paragraph.number, "serving": len(serving)}
            )
    else:
        ballots = dict(ballots or {})
        by_id = {a.pk: a for a in paragraph.minutes.attendance.all()}
        problems = [
            why_not_serving(handled, by_id[pk]) if pk in by_id else _("Okänd ledamot.")
            for pk in ballots
            if pk not in serving
        ]
        missing = [a.name for pk, a in serving.items() if ballots.get(pk) not in Choice.values]
        if missing:
            problems.append(
                _("Ange hur varje tjänstgörande ledamot röstade. Det saknas för: %(names)s.")
                % {"names": ", ".join(missing)}
            )
        if problems:
            raise ValidationError([_("Omröstningen kan inte sparas.")] + problems)
    Vote.objects.filter(proposition=proposition).delete()
    vote = Vote.objects.create(
        proposition=proposition,
        closed=closed,
        yes=counts[0] if closed else None,
        no=counts[1] if closed else None,
        abstain=counts[2] if closed else None,
        tie_break=tie_break,
        lot_winner=lot_winner,
    )
    rows = (
        []
        if closed
        else [Ballot(vote=vote, attendance_id=pk, choice=c) for pk, c in ballots.items()]
    )
    Ballot.objects.bulk_create(rows)
    result = procedure.outcome(vote, rows, handled.presiding)
    if result.tie and tie_break == TieBreak.LOT:
        if lot_winner not in (proposition.first, proposition.second):
            raise ValidationError(
                {"lot_winner": _("Röstetalen är lika: ange vilket förslag lotten föll på.")}
            )
    elif result.tie and result.winner is None:
        raise ValidationError(
            _(
                "Röstetalen är lika och ordföranden har inte röstat ja eller nej: utslagsrösten "
                "avgör bara när ordföranden själv röstar."
            )
        )
    elif lot_winner is not None:
        vote.lot_winner = None
        vote.save(update_fields=["lot_winner"])
    return vote


@service(access.manages_meetings)
def vote_delete(*, actor, vote: Vote) -> None:
    _open(vote.proposition.paragraph)
    vote.delete()


# --- Reservation ------------------------------------------------------------------


@service(access.manages_meetings)
def reservation_add(
    *, actor, paragraph: Paragraph, attendance: Attendance, written: str = ""
) -> Reservation:
    """A ledamot who took part in the decision and was against it reserves."""
    paragraph = _open(paragraph)
    handled = _handled(paragraph)
    if attendance.minutes_id != paragraph.minutes_id:
        raise ValidationError({"attendance": _("Välj en ledamot i det här protokollet.")})
    problem = why_not_serving(handled, attendance)
    if problem:
        raise ValidationError(
            {"attendance": problem + " " + _("Bara den som deltog i beslutet kan reservera sig.")}
        )
    if not handled.steps and not paragraph.decision_text:
        raise ValidationError(
            _("§ %(n)s har inget beslut att reservera sig mot.") % {"n": paragraph.number}
        )
    ballot = handled.ballot_of(attendance)
    decided = handled.decided
    if ballot is not None and decided is not None:
        last = handled.steps[-1].proposition
        against = Choice.NO if decided == last.first else Choice.YES
        if ballot.choice == Choice.ABSTAIN:
            raise ValidationError(
                {
                    "attendance": _(
                        "%(name)s avstod från att rösta och deltog därmed inte i beslutet."
                    )
                    % {"name": attendance.name}
                }
            )
        if ballot.choice != against:
            raise ValidationError(
                {
                    "attendance": _(
                        "%(name)s röstade för beslutet och kan inte reservera sig mot det."
                    )
                    % {"name": attendance.name}
                }
            )
    reservation = Reservation(paragraph=paragraph, attendance=attendance, written=written.strip())
    reservation.full_clean()
    reservation.save()
    return reservation


@service(access.manages_meetings)
def reservation_delete(*, actor, reservation: Reservation) -> None:
    _open(reservation.paragraph)
    reservation.delete()
