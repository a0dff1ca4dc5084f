"""What the protocol says of how a § was handled: the sentences of its
yrkanden, propositioner, omröstningar, reservationer and närvaro."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from board.procedure import InParagraph, Step

from django.utils.translation import gettext as _

from board.models import (
    Motion,
    MotionKind,
    Reservation,
    TieBreak,
)

# --- What the protocol says --------------------------------------------------------


def motion_sentence(motion: Motion) -> str:
    if motion.kind == MotionKind.PROPOSAL:
        sentence = _("%(source)s: %(text)s") % {
            "source": capfirst(motion.source),
            "text": motion.text,
        }
        return sentence.rstrip(".") + "."
    sentence = _("%(name)s yrkar %(text)s") % {"name": motion.made_by.name, "text": motion.text}
    if motion.supported_by_id:
        sentence += _(", med instämmande av %(name)s") % {"name": motion.supported_by.name}
    return sentence.rstrip(".") + "."


def step_sentences(step: Step) -> list[str]:
    proposition = step.proposition
    first, second = proposition.first, proposition.second
    if second is None:
        lines = [
            _("Ordföranden ställer proposition på %(first)s och finner att styrelsen bifaller det.")
            % {"first": first.label}
        ]
    else:
        lines = [
            _(
                "Ordföranden ställer proposition på %(first)s mot %(second)s och finner att "
                "styrelsen beslutar enligt %(found)s."
            )
            % {"first": first.label, "second": second.label, "found": proposition.found.label}
        ]
    if step.vote is None:
        return lines
    if step.vote.closed:
        lines.append(_("Sluten omröstning begärs och verkställs."))
    else:
        lines.append(
            _(
                "Omröstning begärs. Styrelsen godkänner följande propositionsordning: den som "
                "vill att styrelsen beslutar enligt %(first)s röstar ja; den som vill att "
                "styrelsen beslutar enligt %(second)s röstar nej."
            )
            % {"first": first.label, "second": second.label if second else _("avslag")}
        )
    return lines


def result_sentence(step: Step) -> str:
    o = step.outcome
    counts = _("%(yes)s ja-röster mot %(no)s nej-röster") % {"yes": o.yes, "no": o.no}
    if o.abstain:
        counts += _(" (%(n)s avstår)") % {"n": o.abstain}
    if o.winner is None:
        return _("Röstetalen är lika, %(counts)s, och avgörandet saknas.") % {"counts": counts}
    if not o.tie:
        return _("Med %(counts)s beslutar styrelsen enligt %(winner)s.") % {
            "counts": counts,
            "winner": o.winner.label,
        }
    if o.how == TieBreak.LOT:
        return _(
            "Röstetalen är lika, %(counts)s. Lotten avgör och faller på %(winner)s; "
            "styrelsen beslutar enligt det."
        ) % {"counts": counts, "winner": o.winner.label}
    return _(
        "Röstetalen är lika, %(counts)s. Ordföranden använder sin utslagsröst, och "
        "styrelsen beslutar enligt %(winner)s."
    ) % {"counts": counts, "winner": o.winner.label}


def reservation_sentence(reservation: Reservation, bilaga: int | None) -> str:
    if reservation.written and bilaga:
        return _("%(name)s reserverar sig mot beslutet skriftligt, bilaga %(n)s.") % {
            "name": reservation.attendance.name,
            "n": bilaga,
        }
    return _("%(name)s reserverar sig mot beslutet.") % {"name": reservation.attendance.name}


def presence_sentences(handled: InParagraph) -> list[str]:
    lines = [
        _("%(name)s ansluter till sammanträdet och deltar från och med denna paragraf.")
        % {"name": a.name}
        for a in handled.arrives
    ]
    lines += [
        _("%(name)s anmäler jäv och deltar inte i handläggningen av ärendet.") % {"name": a.name}
        for a in handled.recused
    ]
    lines += [
        _("%(deputy)s tjänstgör i stället för %(member)s.")
        % {"deputy": deputy.name, "member": member.name}
        for deputy, member in handled.stands_in_pairs()
    ]
    lines += [
        _("%(name)s lämnar sammanträdet efter denna paragraf.") % {"name": a.name}
        for a in handled.leaves
    ]
    return lines


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def decision_heading(text: str) -> str:
    """What a §'s decision is printed under. A text in the classic form
    ("att lägga rapporten till handlingarna") reads on from "Styrelsen
    beslutar"; one that is a whole sentence of its own ("Styrelsen beslutar
    att …") gets "Beslut", so the lead is never printed twice."""
    first = (text or "").lstrip().split(None, 1)
    return _("Styrelsen beslutar") if first and first[0].lower() == "att" else _("Beslut")
