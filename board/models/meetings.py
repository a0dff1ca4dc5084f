"""The board's seats, its meetings, their dagordning and handlingar."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from board.models.locks import locked_child_trigger, refuse_sql
from finsam.audit import AuditTrigger
from finsam.lib.validators import no_personnummer_in_public_text
from finsam.models import Member
from projects.models import Application

# --- The board ----------------------------------------------------------------


class BoardRole(models.TextChoices):
    CHAIR = "ordforande", _("Ordförande")
    VICE_CHAIR = "vice_ordforande", _("Vice ordförande")
    MEMBER = "ledamot", _("Ledamot")
    DEPUTY = "ersattare", _("Ersättare")


VOTING_ROLES = (BoardRole.CHAIR, BoardRole.VICE_CHAIR, BoardRole.MEMBER)


class BoardMembershipQuerySet(models.QuerySet):
    def on(self, day):
        """Memberships whose term covers ``day``."""
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gte=day), term_start__lte=day)

    def voting(self):
        return self.filter(role__in=VOTING_ROLES)


class BoardMembership(models.Model):
    """A person's seat on the board for a term, representing one member."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="board_memberships",
        verbose_name=_("person"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="board_seats", verbose_name=_("medlem")
    )
    role = models.CharField(_("uppdrag"), max_length=20, choices=BoardRole.choices)
    term_start = models.DateField(_("mandatperiod från"))
    term_end = models.DateField(_("mandatperiod till"), null=True, blank=True)
    deputy_order = models.PositiveSmallIntegerField(
        _("inkallelseordning"),
        null=True,
        blank=True,
        help_text=_("För ersättare: i vilken ordning de kallas in (1 först)."),
    )

    objects = BoardMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("styrelseuppdrag")
        verbose_name_plural = _("styrelseuppdrag")
        ordering = ["member__kind", "member__name", "deputy_order", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="boardmembership_term_in_order",
                violation_error_message=_("Mandatperioden kan inte sluta innan den börjar."),
            ),
            models.CheckConstraint(
                condition=Q(role="ersattare", deputy_order__isnull=False)
                | (~Q(role="ersattare") & Q(deputy_order__isnull=True)),
                name="boardmembership_deputy_order_for_deputies",
                violation_error_message=_(
                    "Ange inkallelseordning för ersättare, och bara för dem."
                ),
            ),
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.user}, {self.get_role_display().lower()} ({self.member})"

    @property
    def is_voting(self) -> bool:
        return self.role in VOTING_ROLES


# --- Meetings, dagordning and handlingar ---------------------------------------


# The protocol of the meeting a row (``rec``) belongs to, for the lock.
MINUTES_OF_MEETING_ROW = "SELECT m.id FROM board_minutes m WHERE m.meeting_id = rec.meeting_id"


class MeetingStatus(models.TextChoices):
    PLANNED = "planerat", _("Planerat")
    CALLED = "kallat", _("Kallelse skickad")
    HELD = "genomfort", _("Genomfört")
    CANCELLED = "installt", _("Inställt")


# A meeting to come: what comes up for the board lands on one of these.
OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.CALLED)


class Meeting(models.Model):
    """A sammanträde of the styrelse."""

    date = models.DateField(_("datum"))
    starts_at = models.TimeField(_("börjar"))
    ends_at = models.TimeField(_("slutar"), null=True, blank=True)
    place = models.CharField(
        _("plats"), max_length=200, validators=[no_personnummer_in_public_text]
    )
    remote = models.BooleanField(
        _("deltagande på distans"),
        default=False,
        help_text=_("Ledamöter kan delta på distans med ljud och bild."),
    )
    remote_link = models.URLField(_("länk för distansdeltagande"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notice_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["-date", "-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("Sammanträdet måste sluta efter att det börjar."),
            ),
        ]
        triggers = [
            AuditTrigger(),
            # The protocol's header (date, time, place) is part of what was justerat.
            pgtrigger.Trigger(
                name="locked",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=f"""
                IF EXISTS (SELECT 1 FROM board_minutes m
                            WHERE m.meeting_id = OLD.id AND m.status = 'justerat') THEN
                    {refuse_sql()}
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
                """,  # noqa: S608 - constant SQL of this module, no input
            ),
        ]

    def __str__(self):
        return _("Styrelsens sammanträde %(date)s") % {"date": self.date.isoformat()}

    def get_absolute_url(self):
        return reverse("board:meeting", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        """Its protocol is justerat: the meeting, its dagordning and handlingar
        are locked with it (the database's triggers refuse too)."""
        minutes = getattr(self, "minutes", None)
        return bool(minutes and minutes.is_locked)

    def can_be_called(self, today) -> bool:
        """A kallelse goes to a meeting to come (today's included), not a cancelled one."""
        return self.status != MeetingStatus.CANCELLED and self.date >= today


class AgendaKind(models.TextChoices):
    STANDARD = "standard", _("Stående punkt")
    DECISION = "beslut", _("Beslutsärende")
    APPLICATION = "ansokan", _("Ansökan")
    REPORT = "rapport", _("Rapport")
    INFORMATION = "information", _("Informationsärende")


class AgendaItem(models.Model):
    """A punkt on the dagordning."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("sammanträde")
    )
    order = models.PositiveSmallIntegerField(_("ordning"))
    kind = models.CharField(_("typ"), max_length=20, choices=AgendaKind.choices)
    title = models.CharField(
        _("rubrik"), max_length=200, validators=[no_personnummer_in_public_text]
    )
    description = models.TextField(
        _("beskrivning"), blank=True, validators=[no_personnummer_in_public_text]
    )
    presenter = models.CharField(
        _("föredragande"), max_length=200, blank=True, validators=[no_personnummer_in_public_text]
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("ansökan"),
    )
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("rapport"),
    )

    class Meta:
        verbose_name = _("punkt på dagordningen")
        verbose_name_plural = _("dagordning")
        ordering = ["meeting", "order", "id"]
        # A justerat protocol's meeting keeps its dagordning and handlingar.
        triggers = [AuditTrigger(), locked_child_trigger(MINUTES_OF_MEETING_ROW)]

    def __str__(self):
        return self.title


def document_path(instance, filename):
    return f"styrelsen/{instance.meeting_id}/{filename}"


class MeetingDocument(models.Model):
    """A handling sent out with the kallelse."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("sammanträde")
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("punkt"),
    )
    name = models.CharField(_("namn"), max_length=200, validators=[no_personnummer_in_public_text])
    file = models.FileField(_("fil"), upload_to=document_path)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")
        ordering = ["meeting", "name"]
        # A justerat protocol's meeting keeps its dagordning and handlingar.
        triggers = [AuditTrigger(), locked_child_trigger(MINUTES_OF_MEETING_ROW)]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("board:document", args=[self.pk])
