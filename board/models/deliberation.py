"""What happens in a § as kommunallagen spells it out (KL 5 kap. 65–69 §§):
who took part in it, the förslag and yrkanden, the ordförande's
propositionsordning, each omröstning and every reservation.

Everything here belongs to a § and is locked with it: by the protocol's
justering or by the §'s own omedelbar justering.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from board.models.locks import locked_child_trigger, locked_paragraph_child_trigger
from board.models.protocol import Attendance, Paragraph
from finsam.audit import AuditTrigger
from finsam.lib.validators import no_personnummer_in_public_text

# --- Närvaro per § -------------------------------------------------------------


class PresenceKind(models.TextChoices):
    ONLY = "narvarande", _("Närvarande bara i")
    RECUSAL = "jav", _("Jäv i")
    SERVES = "tjanstgor", _("Tjänstgör i")


class PartialPresence(models.Model):
    """A person's presence that differs from the whole meeting's in a run of
    §§: present only there (came late, left early), jäv there (leaves the
    room for that ärende), or an ersättare who serves there for a ledamot."""

    attendance = models.ForeignKey(
        Attendance, on_delete=models.CASCADE, related_name="partial", verbose_name=_("person")
    )
    kind = models.CharField(_("gäller"), max_length=20, choices=PresenceKind.choices)
    first = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="+", verbose_name=_("från §")
    )
    last = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="+", verbose_name=_("till och med §")
    )
    replaces = models.ForeignKey(
        Attendance,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tjänstgör för"),
    )

    class Meta:
        verbose_name = _("närvaro per paragraf")
        verbose_name_plural = _("närvaro per paragraf")
        ordering = ["attendance__order", "attendance_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="tjanstgor", replaces__isnull=False)
                | (~Q(kind="tjanstgor") & Q(replaces__isnull=True)),
                name="partialpresence_serves_for_someone",
                violation_error_message=_("Ange vilken ledamot ersättaren tjänstgör för."),
            ),
            models.CheckConstraint(
                condition=~Q(replaces=F("attendance")),
                name="partialpresence_not_for_oneself",
            ),
        ]
        triggers = [
            AuditTrigger(),
            locked_child_trigger(
                "SELECT a.minutes_id FROM board_attendance a WHERE a.id = rec.attendance_id",
                with_paragraphs=True,
            ),
        ]

    def __str__(self):
        return f"{self.attendance.name}: {self.get_kind_display().lower()}"


# --- Förslag, yrkanden, propositionsordning -----------------------------------------


class MotionKind(models.TextChoices):
    PROPOSAL = "forslag", _("Förslag till beslut")
    MOTION = "yrkande", _("Yrkande")


class Motion(models.Model):
    """A förslag till beslut (from the ärende's handling) or a yrkande made
    at the meeting, with who made it and who supported it."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="motions", verbose_name=_("paragraf")
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    kind = models.CharField(_("typ"), max_length=20, choices=MotionKind.choices)
    source = models.CharField(
        _("vems förslag"),
        max_length=200,
        blank=True,
        help_text=_("För ett förslag till beslut: till exempel ”förbundschefens förslag”."),
        validators=[no_personnummer_in_public_text],
    )
    made_by = models.ForeignKey(
        Attendance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("yrkande av"),
    )
    supported_by = models.ForeignKey(
        Attendance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("med instämmande av"),
    )
    text = models.TextField(_("innebörd"), validators=[no_personnummer_in_public_text])

    class Meta:
        verbose_name = _("förslag eller yrkande")
        verbose_name_plural = _("förslag och yrkanden")
        ordering = ["paragraph", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="forslag") | Q(made_by__isnull=False),
                name="motion_made_by_someone",
                violation_error_message=_("Ange vem som yrkar."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="forslag") | ~Q(source=""),
                name="motion_proposal_has_source",
                violation_error_message=_("Ange vems förslaget är."),
            ),
            models.CheckConstraint(
                condition=Q(supported_by__isnull=True) | ~Q(supported_by=F("made_by")),
                name="motion_not_supported_by_its_maker",
                violation_error_message=_("Den som yrkar kan inte själv instämma."),
            ),
        ]
        triggers = [AuditTrigger(), locked_paragraph_child_trigger("rec.paragraph_id")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """How the protocol names it: "förbundschefens förslag", "Eva Ek:s yrkande"."""
        if self.kind == MotionKind.PROPOSAL:
            return self.source
        return _("%(name)s yrkande") % {"name": genitive(self.made_by.name)}


def genitive(name: str) -> str:
    """Swedish genitive: "Eva Ek" → "Eva Eks", "Lars Nils" → "Lars Nils"."""
    return name if name[-1:].lower() in "sxz" else f"{name}s"


class Proposition(models.Model):
    """One step of the propositionsordning: the ordförande puts one förslag
    against another (or a single one to bifall) and finds what the board
    decides. A vote, if asked for, settles the step instead."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="propositions", verbose_name=_("paragraf")
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    first = models.ForeignKey(
        Motion, on_delete=models.CASCADE, related_name="+", verbose_name=_("proposition på")
    )
    second = models.ForeignKey(
        Motion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mot"),
    )
    found = models.ForeignKey(
        Motion,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ordföranden finner bifall till"),
    )

    class Meta:
        verbose_name = _("proposition")
        verbose_name_plural = _("propositionsordning")
        ordering = ["paragraph", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(second__isnull=True) | ~Q(second=F("first")),
                name="proposition_two_different_motions",
                violation_error_message=_("Välj två olika förslag."),
            ),
            models.CheckConstraint(
                condition=Q(found=F("first")) | Q(found=F("second")),
                name="proposition_finds_one_of_its_motions",
                violation_error_message=_("Ordföranden finner bifall till ett av förslagen."),
            ),
        ]
        triggers = [AuditTrigger(), locked_paragraph_child_trigger("rec.paragraph_id")]

    def __str__(self):
        return f"§ {self.paragraph.number}: {self.first} / {self.second or '–'}"


# --- Omröstning -----------------------------------------------------------------


class Choice(models.TextChoices):
    YES = "ja", _("Ja")
    NO = "nej", _("Nej")
    ABSTAIN = "avstar", _("Avstår")


class TieBreak(models.TextChoices):
    CASTING = "utslagsrost", _("Ordförandens utslagsröst")
    LOT = "lottning", _("Lottning")


class Vote(models.Model):
    """An omröstning on one proposition: Ja for its first förslag, Nej for
    the second. Open votes name each tjänstgörande ledamot's vote (Ballot);
    a closed (sluten) vote records only the counts."""

    proposition = models.OneToOneField(
        Proposition, on_delete=models.CASCADE, related_name="vote", verbose_name=_("proposition")
    )
    closed = models.BooleanField(_("sluten omröstning"), default=False)
    yes = models.PositiveSmallIntegerField(_("ja-röster"), null=True, blank=True)
    no = models.PositiveSmallIntegerField(_("nej-röster"), null=True, blank=True)
    abstain = models.PositiveSmallIntegerField(_("avstår"), null=True, blank=True)
    tie_break = models.CharField(
        _("vid lika röstetal"), max_length=20, choices=TieBreak.choices, default=TieBreak.CASTING
    )
    lot_winner = models.ForeignKey(
        Motion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lotten föll på"),
    )

    class Meta:
        verbose_name = _("omröstning")
        verbose_name_plural = _("omröstningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed=False, yes__isnull=True, no__isnull=True, abstain__isnull=True)
                | Q(closed=True, yes__isnull=False, no__isnull=False, abstain__isnull=False),
                name="vote_counts_only_when_closed",
            ),
        ]
        triggers = [
            AuditTrigger(),
            locked_paragraph_child_trigger(
                "SELECT p.paragraph_id FROM board_proposition p WHERE p.id = rec.proposition_id"
            ),
        ]

    def __str__(self):
        return f"{self.proposition}: {_('omröstning')}"


class Ballot(models.Model):
    """How one tjänstgörande ledamot voted in an open omröstning."""

    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("omröstning")
    )
    attendance = models.ForeignKey(
        Attendance, on_delete=models.PROTECT, related_name="+", verbose_name=_("ledamot")
    )
    choice = models.CharField(_("röst"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("röst")
        verbose_name_plural = _("röster")
        ordering = ["vote", "attendance__order", "attendance_id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "attendance"], name="ballot_once_per_vote"),
        ]
        triggers = [
            AuditTrigger(),
            locked_paragraph_child_trigger(
                "SELECT p.paragraph_id FROM board_proposition p "
                "JOIN board_vote v ON v.proposition_id = p.id WHERE v.id = rec.vote_id"
            ),
        ]

    def __str__(self):
        return f"{self.attendance.name}: {self.get_choice_display()}"


class Reservation(models.Model):
    """A ledamot who took part in the decision and was against it reserves
    against it (KL 4 kap. 27 §), with an optional written reservation handed
    in before justering and printed as a bilaga."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="reservations", verbose_name=_("paragraf")
    )
    attendance = models.ForeignKey(
        Attendance, on_delete=models.PROTECT, related_name="+", verbose_name=_("ledamot")
    )
    written = models.TextField(
        _("skriftlig reservation"),
        blank=True,
        help_text=_("Lämnas in före justeringen och bifogas protokollet."),
        validators=[no_personnummer_in_public_text],
    )

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservationer")
        ordering = ["paragraph", "attendance__order", "attendance_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "attendance"], name="reservation_once_per_paragraph"
            ),
        ]
        triggers = [AuditTrigger(), locked_paragraph_child_trigger("rec.paragraph_id")]

    def __str__(self):
        return f"§ {self.paragraph.number}: {self.attendance.name}"
