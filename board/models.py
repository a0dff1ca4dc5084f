"""The styrelse: memberships, meetings with kallelse and dagordning, protocols
with § paragraphs, digital justering and the public anslag.

Once every signer has signed, a protocol is justerat and the database refuses
any change to it, its paragraphs, attendance, signers and signatures (the
``locked`` triggers below), whoever asks: the ORM, the admin or raw SQL.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finsam.audit import AuditTrigger, append_only_trigger, guard_child_trigger
from finsam.lib.validators import no_personnummer_in_public_text
from finsam.models import Member
from projects.models import Application

LOCKED_MESSAGE = "Protokollet är justerat och kan inte ändras."


def _refuse(message: str = LOCKED_MESSAGE) -> str:
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege';"


def locked_minutes_trigger() -> pgtrigger.Trigger:
    """On the protocol itself: a justerat protocol can be neither changed nor removed."""
    return pgtrigger.Trigger(
        name="locked",
        when=pgtrigger.Before,
        operation=pgtrigger.Update | pgtrigger.Delete,
        condition=pgtrigger.Q(old__status="justerat"),
        func=_refuse() + " RETURN NULL;",
    )


def locked_child_trigger(minutes_of: str) -> pgtrigger.Trigger:
    """On a table whose rows belong to a protocol: no row may be added to,
    changed in or removed from a justerat protocol. ``minutes_of`` is SQL that
    gives the protocol's id from the row ``rec``."""
    return guard_child_trigger(
        parent_table="board_minutes",
        parent_of=minutes_of,
        locked_when="p.status = 'justerat'",
        message=LOCKED_MESSAGE,
    )


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


class MeetingStatus(models.TextChoices):
    PLANNED = "planerat", _("Planerat")
    CALLED = "kallat", _("Kallelse skickad")
    HELD = "genomfort", _("Genomfört")
    CANCELLED = "installt", _("Inställt")


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
                    {_refuse()}
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
        triggers = [AuditTrigger()]

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
        triggers = [AuditTrigger()]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("board:document", args=[self.pk])


# --- The protocol -------------------------------------------------------------


class MinutesStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    FOR_JUSTERING = "for_justering", _("För justering")
    JUSTERAT = "justerat", _("Justerat")


class Minutes(models.Model):
    """The protocol of one meeting."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("sammanträde")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sekreterare"),
    )
    justering_place = models.CharField(
        _("justeringens tid och plats"),
        max_length=200,
        default="Digital justering",
        validators=[no_personnummer_in_public_text],
    )
    sent_for_justering_at = models.DateTimeField(_("skickat för justering"), null=True, blank=True)
    correction_request = models.TextField(_("begärd rättelse"), blank=True)
    justerat_at = models.DateTimeField(_("justerat"), null=True, blank=True)
    # SHA-256 of the canonical content, fixed at justering.
    content_hash = models.CharField(_("kontrollsumma"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")
        ordering = ["-meeting__date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="justerat")
                | (Q(justerat_at__isnull=False) & ~Q(content_hash="")),
                name="minutes_justerat_has_time_and_hash",
            ),
        ]
        triggers = [AuditTrigger(), locked_minutes_trigger()]

    def __str__(self):
        return _("Protokoll %(date)s") % {"date": self.meeting.date.isoformat()}

    def get_absolute_url(self):
        return reverse("board:minutes", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == MinutesStatus.JUSTERAT

    @property
    def is_editable(self) -> bool:
        return self.status == MinutesStatus.DRAFT


class AttendanceKind(models.TextChoices):
    VOTING = "beslutande", _("Beslutande")
    SERVING_DEPUTY = "tjanstgorande", _("Tjänstgörande ersättare")
    DEPUTY = "ersattare", _("Ej tjänstgörande ersättare")
    OTHER = "ovrig", _("Övriga deltagare")


DECIDING_KINDS = (AttendanceKind.VOTING, AttendanceKind.SERVING_DEPUTY)


class Attendance(models.Model):
    """Who was there. Names and organisations are copied in: the protocol says
    what was true at the meeting, whatever later happens to the user."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("protokoll")
    )
    kind = models.CharField(_("närvaro"), max_length=20, choices=AttendanceKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("användare"),
    )
    name = models.CharField(_("namn"), max_length=200, validators=[no_personnummer_in_public_text])
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, validators=[no_personnummer_in_public_text]
    )
    role = models.CharField(
        _("roll"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel ordförande, sekreterare."),
        validators=[no_personnummer_in_public_text],
    )
    replaces = models.CharField(
        _("tjänstgör för"),
        max_length=200,
        blank=True,
        help_text=_("För tjänstgörande ersättare: den ledamot ersättaren tjänstgör för."),
        validators=[no_personnummer_in_public_text],
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["minutes", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="tjanstgorande") | ~Q(replaces=""),
                name="attendance_serving_deputy_replaces_someone",
                violation_error_message=_("Ange vilken ledamot ersättaren tjänstgör för."),
            ),
        ]
        triggers = [AuditTrigger(), locked_child_trigger("rec.minutes_id")]

    def __str__(self):
        return self.name


class SignerRole(models.TextChoices):
    CHAIR = "ordforande", _("Ordförande")
    VERIFIER = "justerare", _("Justerare")  # justerande ledamot: signs beside the chair


class Signer(models.Model):
    """Someone who must sign the protocol: the ordförande and the justerare."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="signers", verbose_name=_("protokoll")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=SignerRole.choices)
    name = models.CharField(_("namn"), max_length=200, validators=[no_personnummer_in_public_text])
    reminded_at = models.DateTimeField(_("senast påmind"), null=True, blank=True)

    class Meta:
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")
        ordering = ["minutes", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "user"], name="signer_once_per_minutes"),
            models.UniqueConstraint(
                fields=["minutes"], condition=Q(role="ordforande"), name="signer_one_chair"
            ),
        ]
        triggers = [AuditTrigger(), locked_child_trigger("rec.minutes_id")]

    def __str__(self):
        return f"{self.name} ({self.get_role_display().lower()})"


class Signature(models.Model):
    """A signer's signature over the protocol's content at that moment.

    It is valid only while the protocol's content still hashes to
    ``content_hash``; an edit after signing voids it.
    """

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("protokoll")
    )
    signer = models.ForeignKey(
        Signer, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("justerare")
    )
    signed_at = models.DateTimeField(_("signerat"))
    content_hash = models.CharField(_("kontrollsumma"), max_length=64)
    method = models.CharField(_("metod"), max_length=100, default="Lösenord och engångskod (TOTP)")

    class Meta:
        verbose_name = _("signatur")
        verbose_name_plural = _("signaturer")
        ordering = ["minutes", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["signer", "content_hash"], name="signature_once_per_content"
            ),
        ]
        triggers = [AuditTrigger(), locked_child_trigger("rec.minutes_id")]

    def __str__(self):
        return f"{self.signer.name} {self.signed_at:%Y-%m-%d %H:%M}"


class DecisionType(models.TextChoices):
    GRANT = "bevilja", _("Bevilja")
    GRANT_PARTLY = "delvis_bevilja", _("Delvis bevilja")
    REJECT = "avsla", _("Avslå")
    REFER_BACK = "aterremiss", _("Återremiss")
    TABLE = "bordlagga", _("Bordlägga")
    FILE = "till_handlingarna", _("Lägga till handlingarna")
    ELECTION = "val", _("Val")
    OTHER = "ovrigt", _("Övrigt beslut")


# Decision types that decide an application on the paragraph.
APPLICATION_DECISIONS = (
    DecisionType.GRANT,
    DecisionType.GRANT_PARTLY,
    DecisionType.REJECT,
    DecisionType.REFER_BACK,
)


class Paragraph(models.Model):
    """A § of a protocol, numbered continuously through the calendar year."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("protokoll")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("paragraf"))
    title = models.CharField(
        _("rubrik"), max_length=200, validators=[no_personnummer_in_public_text]
    )
    presenter = models.CharField(
        _("föredragande"), max_length=200, blank=True, validators=[no_personnummer_in_public_text]
    )
    discussion = models.TextField(
        _("ärendet och diskussionen"), blank=True, validators=[no_personnummer_in_public_text]
    )
    decision_type = models.CharField(
        _("typ av beslut"), max_length=20, choices=DecisionType.choices, blank=True
    )
    decision_text = models.TextField(
        _("beslut"),
        blank=True,
        help_text=_("Till exempel: Styrelsen beslutar att …"),
        validators=[no_personnummer_in_public_text],
    )
    recusal = models.CharField(
        _("jäv"),
        max_length=500,
        blank=True,
        help_text=_("Vem som anmälde jäv och inte deltog i handläggningen."),
        validators=[no_personnummer_in_public_text],
    )
    reservation = models.TextField(
        _("reservation"), blank=True, validators=[no_personnummer_in_public_text]
    )
    immediate = models.BooleanField(
        _("omedelbart justerad"),
        default=False,
        help_text=_("Paragrafen justerades omedelbart vid sammanträdet."),
    )
    confidential = models.BooleanField(
        _("sekretess"),
        default=False,
        help_text=_("I den publika versionen visas bara paragrafens nummer och rubrik."),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paragraphs",
        verbose_name=_("ansökan"),
    )
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paragraphs",
        verbose_name=_("rapport"),
    )
    search = models.GeneratedField(
        expression=SearchVector("title", "discussion", "decision_text", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="paragraph_number_per_year"),
        ]
        indexes = [
            models.Index(fields=["minutes", "number"], name="paragraph_minutes_idx"),
            GinIndex(fields=["search"], name="paragraph_search_idx"),
        ]
        triggers = [AuditTrigger(), locked_child_trigger("rec.minutes_id")]

    def __str__(self):
        return f"§ {self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("board:paragraph", args=[self.pk])

    @property
    def reference(self) -> str:
        """How other documents cite the paragraph: "Styrelsen 2026-06-04 § 22"."""
        return f"Styrelsen {self.minutes.meeting.date.isoformat()} § {self.number}"


class ParagraphAttachment(models.Model):
    """A handling attached to a § as a bilaga ("Skriftlig rapport bifogas")."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("paragraf")
    )
    document = models.ForeignKey(
        MeetingDocument, on_delete=models.PROTECT, related_name="+", verbose_name=_("handling")
    )

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["paragraph", "document__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "document"], name="paragraphattachment_once"
            ),
        ]
        triggers = [
            AuditTrigger(),
            locked_child_trigger(
                "SELECT p.minutes_id FROM board_paragraph p WHERE p.id = rec.paragraph_id"
            ),
        ]

    def __str__(self):
        return self.document.name


class ParagraphCounter(models.Model):
    """The last § number given out per calendar year."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("paragrafräknare")
        verbose_name_plural = _("paragrafräknare")
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.year}: {self.last_number}"


# --- Anslag ------------------------------------------------------------------


class Posting(models.Model):
    """The tillkännagivande of a justerat protocol on the anslagstavla.

    Its dates are fixed when it is posted and never change.
    """

    minutes = models.OneToOneField(
        Minutes, on_delete=models.PROTECT, related_name="posting", verbose_name=_("protokoll")
    )
    organ = models.CharField(
        _("organ"), max_length=200, validators=[no_personnummer_in_public_text]
    )
    meeting_date = models.DateField(_("sammanträdesdatum"))
    paragraphs = models.CharField(
        _("paragrafer"), max_length=100, validators=[no_personnummer_in_public_text]
    )
    posted_on = models.DateField(_("datum för anslags uppsättande"))
    appeal_last_day = models.DateField(_("sista dag för överklagande"))
    taken_down_on = models.DateField(_("datum för anslags nedtagande"))
    storage_place = models.CharField(
        _("förvaringsplats för protokollet"),
        max_length=200,
        validators=[no_personnummer_in_public_text],
    )

    class Meta:
        verbose_name = _("anslag")
        verbose_name_plural = _("anslag")
        ordering = ["-posted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(appeal_last_day__gt=F("posted_on"))
                & Q(taken_down_on__gt=F("appeal_last_day")),
                name="posting_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["taken_down_on", "posted_on"], name="posting_dates_idx")]
        triggers = [AuditTrigger(), append_only_trigger()]

    def __str__(self):
        return _("Anslag: %(organ)s %(date)s") % {
            "organ": self.organ,
            "date": self.meeting_date.isoformat(),
        }

    def get_absolute_url(self):
        return reverse("public:minutes", args=[self.minutes_id])


class DocumentKind(models.TextChoices):
    OFFICIAL = "original", _("Justerat protokoll")
    PUBLIC = "publik", _("Publik version")


class MinutesDocument(models.Model):
    """The PDF of a justerat protocol as it was at justering, kept in the
    database so that an uploaded copy can be checked byte for byte."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="documents", verbose_name=_("protokoll")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=DocumentKind.choices)
    content = models.BinaryField(_("innehåll"))
    sha256 = models.CharField(_("kontrollsumma"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("protokollsfil")
        verbose_name_plural = _("protokollsfiler")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "kind"], name="minutesdocument_one_per_kind"
            ),
        ]
        triggers = [AuditTrigger(exclude=("content",)), append_only_trigger()]

    def __str__(self):
        return f"{self.minutes} ({self.get_kind_display().lower()})"
