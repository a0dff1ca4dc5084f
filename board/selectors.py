"""Reads for the board, internal and public. The same rules that open a page
filter its querysets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from board import access, content, pdf, procedure, rules
from board.models import (
    Correction,
    DelegationDecision,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Paragraph,
    Posting,
    Signature,
    Signer,
)

# Marks around the matched words in a headline; the template escapes the text
# and only then turns these into <mark>, so a protocol's text is never HTML.
MARK_START, MARK_END = "\x02", "\x03"


def minutes_visible_to(user):
    """The kansli sees every protocol; the board sees those sent for justering
    and those justerade. Drafts are the secretary's work."""
    minutes = Minutes.objects.select_related("meeting", "secretary", "posting").annotate(
        board_seats=procedure.seats_on(OuterRef("meeting__date")),
        meeting_ordinal=pdf.ordinal_on(OuterRef("meeting__date")),
    )
    if access.manages_meetings(user):
        return minutes
    if access.uses_board(user):
        return minutes.exclude(status=MinutesStatus.DRAFT)
    return minutes.none()


def minutes_for(user, pk) -> Minutes:
    return minutes_visible_to(user).get(pk=pk)


def meetings_for(user):
    if not access.uses_board(user):
        return Meeting.objects.none()
    meetings = Meeting.objects.select_related("minutes")
    if access.manages_meetings(user):
        return meetings
    # A board member sees a meeting once its kallelse has gone out (not merely
    # once it is held and has a protocol).
    return meetings.filter(notice_sent_at__isnull=False)


def meeting_for(user, pk) -> Meeting:
    return meetings_for(user).get(pk=pk)


def coming_meetings(user, today=None):
    """The meetings ahead that the user may see, not cancelled, soonest first."""
    today = today or timezone.localdate()
    return (
        meetings_for(user)
        .filter(date__gte=today)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("date", "starts_at")
    )


@dataclass
class Waiting:
    """A protocol out for justering: its deadline and who has signed so far."""

    minutes: Minutes
    deadline: dt.date
    signed: int
    signers: int


def _valid_signers():
    """A protocol's signers (the outer query's) whose latest signature of the
    protocol (not of a § justerad omedelbart) is over its content as sent."""
    latest = (
        Signature.objects.filter(
            signer=OuterRef("pk"), minutes=OuterRef("minutes_id"), paragraph__isnull=True
        )
        .order_by("-signed_at", "-pk")
        .values("content_hash")[:1]
    )
    signers = Signer.objects.filter(minutes=OuterRef("pk")).annotate(latest=Subquery(latest))
    return signers.filter(latest=OuterRef("content_hash"))


def _signatures_counted(minutes):
    """Protocols with how many signers they have and how many of them hold a
    valid signature, in one query however many protocols."""

    def counted(signers):
        return Coalesce(
            Subquery(signers.order_by().values("minutes").annotate(n=Count("pk")).values("n")),
            0,
        )

    return minutes.annotate(
        signer_count=counted(Signer.objects.filter(minutes=OuterRef("pk"))),
        signed_count=counted(_valid_signers()),
    )


def _waiting(minutes) -> Waiting:
    if minutes.content_hash:
        signed, signers = minutes.signed_count, minutes.signer_count
    else:  # sent before the content's hash was kept: count as the justering page does
        state = signing_state(minutes)
        signed, signers = sum(1 for _s, _sig, valid in state if valid), len(state)
    return Waiting(
        minutes=minutes,
        deadline=rules.justering_deadline(minutes.meeting.date),
        signed=signed,
        signers=signers,
    )


def _out_for_justering():
    waiting = Minutes.objects.filter(status=MinutesStatus.FOR_JUSTERING).select_related("meeting")
    return _signatures_counted(waiting).order_by("meeting__date")


def out_for_justering() -> list[Waiting]:
    """Every protocol out for justering, oldest meeting first."""
    return [_waiting(m) for m in _out_for_justering()]


def awaiting_my_signature(user) -> list[Waiting]:
    """The protocols out for justering that lack this user's valid signature
    (never signed, or signed before the text was corrected)."""
    if not getattr(user, "pk", None):
        return []
    mine = Signer.objects.filter(minutes=OuterRef("pk"), user=user)
    signed = _valid_signers().filter(user=user)
    result = []
    for minutes in _out_for_justering().filter(Exists(mine)).annotate(signed_by_me=Exists(signed)):
        if not minutes.content_hash:
            state = signing_state(minutes)
            if all(valid for signer, _sig, valid in state if signer.user_id == user.pk):
                continue
        elif minutes.signed_by_me:
            continue
        result.append(_waiting(minutes))
    return result


def immediate_to_sign(user):
    """§§ to be justerade omedelbart whose signer the user is, not yet justerade
    (the protocol itself may still be a draft: they are signed at the meeting)."""
    if not getattr(user, "pk", None):
        return Paragraph.objects.none()
    return (
        Paragraph.objects.filter(
            immediate=True,
            justerat_at__isnull=True,
            minutes__signers__user=user,
        )
        .exclude(minutes__status=MinutesStatus.JUSTERAT)
        .select_related("minutes__meeting")
        .distinct()
        .order_by("number")
    )


def immediate_for_signer(user, pk) -> Paragraph:
    """A § justerad omedelbart, for one of its protocol's signers."""
    return (
        Paragraph.objects.filter(immediate=True, minutes__signers__user=user)
        .select_related("minutes__meeting")
        .distinct()
        .get(pk=pk)
    )


def with_paragraph_range(minutes):
    return minutes.annotate(
        first_number=Min("paragraphs__number"),
        last_number=Max("paragraphs__number"),
        paragraph_count=Count("paragraphs"),
    )


# --- Public ------------------------------------------------------------------


def postings_on_board(today=None):
    """Anslag that are up today: posted, and not yet taken down."""
    today = today or timezone.localdate()
    return (
        Posting.objects.filter(posted_on__lte=today, taken_down_on__gt=today)
        .select_related("minutes__meeting", "paragraph", "delegation")
        .order_by("-posted_on", "-id")
    )


def public_archive(year: int | None = None):
    minutes = Minutes.objects.filter(status=MinutesStatus.JUSTERAT).select_related(
        "meeting", "posting"
    )
    if year:
        minutes = minutes.filter(meeting__date__year=year)
    corrections = (
        Correction.objects.filter(minutes=OuterRef("pk"), justerat_at__isnull=False)
        .values("minutes")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        with_paragraph_range(minutes)
        .annotate(corrections_count=Coalesce(Subquery(corrections), 0))
        .order_by("-meeting__date")
    )


def public_paragraph(pk) -> Paragraph:
    """A § justerad omedelbart: public from its own justering."""
    return Paragraph.objects.select_related("minutes__meeting", "posting").get(
        pk=pk, justerat_at__isnull=False
    )


def archive_years() -> list[int]:
    return sorted(
        {
            d.year
            for d in Minutes.objects.filter(status=MinutesStatus.JUSTERAT).values_list(
                "meeting__date", flat=True
            )
        },
        reverse=True,
    )


def public_minutes(pk) -> Minutes:
    return Minutes.objects.select_related("meeting", "posting").get(
        pk=pk, status=MinutesStatus.JUSTERAT
    )


def justerat_matching(checksum: str) -> Minutes | None:
    """The justerat protocol whose content hash, or one of whose kept PDFs,
    has this SHA-256."""
    return (
        Minutes.objects.filter(status=MinutesStatus.JUSTERAT)
        .filter(Q(content_hash=checksum) | Q(documents__sha256=checksum))
        .select_related("meeting")
        .first()
    )


# --- Search ------------------------------------------------------------------


def search_paragraphs(query: str, *, user=None, limit: int = 50):
    """Full-text search in Swedish over §§ (title, ärendet, beslut): "bevilja"
    finds "beviljade". Public searches (``user`` None) see only justerade
    protocols and never a sekretess §'s text."""
    query = (query or "").strip()
    if not query:
        return Paragraph.objects.none()
    search = SearchQuery(query, config="swedish", search_type="websearch")
    paragraphs = Paragraph.objects.filter(search=search).select_related("minutes__meeting")
    if user is None:
        paragraphs = paragraphs.filter(minutes__status=MinutesStatus.JUSTERAT, confidential=False)
    else:
        paragraphs = paragraphs.filter(minutes__in=minutes_visible_to(user))
    return paragraphs.annotate(
        rank=SearchRank(F("search"), search),
        headline=SearchHeadline(
            "decision_text",
            search,
            config="swedish",
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=30,
            min_words=10,
        ),
    ).order_by("-rank", "-year", "-number")[:limit]


def signing_state(
    minutes: Minutes, current: str = ""
) -> list[tuple[Signer, Signature | None, bool]]:
    """Each signer with their latest signature and whether it is still valid
    (the content has not changed since: ``current`` is its hash, when the
    caller has it)."""
    current = current or minutes.content_hash or content.content_hash(minutes)
    # Signatures of a § justerad omedelbart are that §'s, not the protocol's.
    signatures = Signature.objects.filter(minutes=minutes, paragraph__isnull=True)
    return procedure.signing_rows(minutes, signatures, current)


def delegations_to_report(minutes: Minutes):
    """Delegationsbeslut that wait to be reported, taken up to the meeting's day."""
    return (
        DelegationDecision.objects.filter(
            reported_in__isnull=True,
            rule__reported=True,
            decided_on__lte=minutes.meeting.date,
        )
        .select_related("rule")
        .order_by("decided_on", "number")
    )


def board_users():
    """Users with a seat on the board at some time, for choosing signers."""
    return (
        get_user_model()
        .objects.filter(board_memberships__isnull=False, is_active=True)
        .distinct()
        .order_by("full_name")
    )


def notice_mails(meeting):
    """Each recipient's latest kallelse mail for the meeting: sent, waiting
    or failed (and why)."""
    from board.notify import notice_topic
    from finsam.models import Mail

    return (
        Mail.objects.filter(topic=notice_topic(meeting))
        .select_related("user")
        .order_by("to", "-created_at")
        .distinct("to")
    )
