from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finsam.audit import AuditTrigger, append_only_trigger
from finsam.lib.validators import no_personnummer_in_public_text, validate_organisation_number


class Access(models.Model):
    """Holds the application-wide permissions that roles (Groups) are given.

    It has no table; it exists so the permissions have a content type and
    Swedish names in the permission list.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("use_projects", "Får använda Insatser"),
            ("use_participants", "Får använda Deltagare"),
            ("use_board", "Får använda Styrelsen"),
            ("use_reports", "Får använda Rapporter"),
            ("manage_users", "Får administrera användare och roller"),
            ("manage_federation", "Får administrera förbundet, medlemmar och medlemsbidrag"),
            ("view_audit", "Får läsa historik"),
            ("view_all_projects", "Får se alla insatser"),
            ("manage_applications", "Får bereda ansökningar och registrera beslut"),
            ("manage_meetings", "Får förbereda sammanträden och skriva protokoll"),
            ("approve_reports", "Får godkänna rapporter från insatser"),
            (
                "manage_budgets",
                "Får registrera budget, utfall och prognos, exportera och importera",
            ),
            ("attest_payments", "Får sakgranska rekvisitioner"),
            ("approve_payments", "Får attestera rekvisitioner och registrera utbetalningar"),
        ]

    def __str__(self):
        return "Behörigheter"


class FederationManager(models.Manager):
    def current(self):
        """The förbund (None before it is set up), read once per request."""
        from finsam.lib import per_request

        return per_request.once("federation", self.first)


class Federation(models.Model):
    """The samordningsförbund. One per installation."""

    singleton = models.BooleanField(default=True, editable=False)
    name = models.CharField(_("namn"), max_length=200, validators=[no_personnummer_in_public_text])
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        validators=[validate_organisation_number],
        help_text=_("Tio siffror, till exempel 222000-1234."),
    )
    seat = models.CharField(_("säte"), max_length=100, validators=[no_personnummer_in_public_text])
    address = models.TextField(_("adress"), blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    minutes_storage_place = models.CharField(
        _("förvaringsplats för protokoll"),
        max_length=200,
        help_text=_("Visas i tillkännagivandet på anslagstavlan."),
        validators=[no_personnummer_in_public_text],
    )
    notice_board_place = models.CharField(
        _("var tillkännagivanden anslås"),
        max_length=300,
        blank=True,
        help_text=_(
            "Som förbundsordningen säger det, till exempel: Förbundets anslagstavla "
            "finns på förbundets webbplats (förbundsordningen 12 §)."
        ),
        validators=[no_personnummer_in_public_text],
    )
    secretary_signs = models.BooleanField(
        _("sekreteraren skriver under protokollet"),
        default=False,
        help_text=_("Sekreteraren signerar protokollet före ordförande och justerare."),
    )
    small_count_threshold = models.PositiveSmallIntegerField(
        _("gräns för små tal"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Antal under denna gräns visas inte i statistik som lämnar systemet "
            "(PDF, Excel, publika sidor)."
        ),
    )
    participant_retention_months = models.PositiveSmallIntegerField(
        _("gallringsfrist för deltagaruppgifter (månader)"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Så länge efter avslutet sparas ett deltagande med alla uppgifter. Sedan "
            "gallras det till kön och år (manage.py gallra)."
        ),
    )

    objects = FederationManager()

    class Meta:
        verbose_name = _("förbund")
        verbose_name_plural = _("förbund")
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="federation_single_row"),
            models.CheckConstraint(condition=Q(singleton=True), name="federation_singleton_true"),
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from finsam.lib import per_request

        super().save(*args, **kwargs)
        per_request.forget("federation")

    def get_absolute_url(self):
        return reverse("administration:federation")


class MemberKind(models.TextChoices):
    KOMMUN = "kommun", _("Kommun")
    REGION = "region", _("Region")
    FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
    ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")


class Member(models.Model):
    """A medlem (part) of the förbund."""

    name = models.CharField(
        _("namn"), max_length=200, unique=True, validators=[no_personnummer_in_public_text]
    )
    kind = models.CharField(_("typ"), max_length=30, choices=MemberKind.choices)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
    )
    population = models.PositiveIntegerField(
        _("folkmängd"),
        null=True,
        blank=True,
        help_text=_("För kommuner: grund för fördelningen av kommunernas andel."),
    )
    population_date = models.DateField(_("folkmängd per datum"), null=True, blank=True)
    active = models.BooleanField(_("aktiv medlem"), default=True)

    class Meta:
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="kommun") | Q(population__gt=0, population_date__isnull=False),
                name="member_kommun_has_population",
                violation_error_message=_(
                    "En kommun måste ha folkmängd och datum för folkmängden."
                ),
            ),
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("administration:member", args=[self.pk])

    @property
    def is_kommun(self) -> bool:
        """A kommun: its share of the contributions follows its population."""
        return self.kind == MemberKind.KOMMUN


class Contribution(models.Model):
    """A member's medlemsbidrag for one year, in whole kronor."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("medlem")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(
        _("belopp (kr)"), max_digits=14, decimal_places=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("medlemsbidrag")
        verbose_name_plural = _("medlemsbidrag")
        ordering = ["year", "member__kind", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="contribution_member_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="contribution_not_negative"),
        ]
        triggers = [AuditTrigger()]

    def __str__(self):
        return f"{self.member} {self.year}"


class FederationEconomy(models.Model):
    """The förbund's own figures for a year that Finsam does not compute:
    eget kapital at the year's start (from the last årsredovisning), and the
    budget and utfall of its own administration (kansli, lokaler, revision)."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    opening_equity = models.DecimalField(
        _("eget kapital vid årets början (kr)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("Från förra årets årsredovisning. Tomt: förra årets beräknade värde."),
    )
    administration_budget = models.DecimalField(
        _("administration, budget (kr)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    administration_costs = models.DecimalField(
        _("administration, utfall (kr)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("förbundets ekonomi för ett år")
        verbose_name_plural = _("förbundets ekonomi per år")
        ordering = ["year"]
        triggers = [AuditTrigger()]

    def __str__(self):
        return str(self.year)


class User(AbstractUser):
    """A staff member or board member who logs in."""

    first_name = None
    last_name = None
    full_name = models.CharField(
        _("namn"), max_length=200, validators=[no_personnummer_in_public_text]
    )
    title = models.CharField(
        _("titel"), max_length=200, blank=True, validators=[no_personnummer_in_public_text]
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
        help_text=_("Den medlemsorganisation personen kommer från."),
    )

    objects = UserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["full_name", "username"]
        # The password hash never enters the log; the service logs the change.
        triggers = [AuditTrigger(exclude=("password",))]

    def __str__(self):
        return self.full_name or self.username

    def get_absolute_url(self):
        return reverse("administration:user", args=[self.pk])

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.username


class AuditAction(models.TextChoices):
    INSERT = "insert", _("Skapad")
    UPDATE = "update", _("Ändrad")
    DELETE = "delete", _("Borttagen")
    VIEW = "view", _("Visad")
    EXPORT = "export", _("Exporterad")
    EVENT = "event", _("Händelse")


class AuditEntry(models.Model):
    """One row of the append-only audit log.

    Inserts, updates and deletes come from the database trigger; views,
    exports and other events from ``finsam.services.log_event``.
    """

    at = models.DateTimeField(_("tid"), db_default=Now(), db_index=True)
    # No foreign-key constraint: the log must outlive anything it mentions.
    actor = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("användare"),
    )
    action = models.CharField(_("händelse"), max_length=10, choices=AuditAction.choices)
    table_name = models.CharField(_("tabell"), max_length=100)
    object_id = models.CharField(_("objekt-id"), max_length=64, null=True)
    old_values = models.JSONField(_("gamla värden"), null=True)
    new_values = models.JSONField(_("nya värden"), null=True)
    context = models.CharField(_("sammanhang"), max_length=200, blank=True, default="")
    message = models.CharField(_("beskrivning"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("historikpost")
        verbose_name_plural = _("historik")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["table_name", "object_id"], name="audit_object_idx")]
        triggers = [append_only_trigger()]

    def __str__(self):
        return f"{self.get_action_display()} {self.table_name} {self.object_id}"


class AuditSeal(models.Model):
    """A link of the audit log's hash chain (finsam/migrations/_audit_sql.py):
    written only by the database's trigger, when the entry's transaction
    commits; append-only like the log."""

    seq = models.BigIntegerField(unique=True)
    entry_id = models.BigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)

    class Meta:
        default_permissions = ()
        triggers = [append_only_trigger()]

    def __str__(self):
        return f"{self.seq}: {self.row_hash[:12]}"


class PendingUpload(models.Model):
    """An uploaded file waiting for its user to confirm an import: kept here,
    not in the session (which every request reads and writes) nor on an app
    server's disk. It belongs to the user who uploaded it and expires."""

    key = models.UUIDField(unique=True)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=50)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_default=Now())
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self):
        return f"{self.purpose}: {self.filename}"


class MailStatus(models.TextChoices):
    WAITING = "vantar", _("Väntar")
    SENT = "skickat", _("Skickat")
    FAILED = "misslyckat", _("Misslyckat")


class Mail(models.Model):
    """One e-mail to one recipient, sent by a job of the task queue
    (``finsam.mail``): the outbox records whether it went, is waiting for
    another try, or failed, and why. ``topic`` ties it to what it is about
    (``kallelse:<meeting>``), so a page can show each recipient's state."""

    topic = models.CharField(_("ämne i systemet"), max_length=100, db_index=True)
    to = models.EmailField(_("mottagare"))
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("ämnesrad"), max_length=250)
    body = models.TextField(_("text"))
    # [{"name", "mimetype", "content" (base64)}]
    attachments = models.JSONField(default=list, blank=True)
    # A mail with a secret link (password): its text is erased once it is sent.
    secret = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.WAITING
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    error = models.CharField(_("fel"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-postmeddelande")
        verbose_name_plural = _("e-post")
        default_permissions = ()
        constraints = [
            # The same mail twice in a row (a double click) is queued once.
            models.UniqueConstraint(
                fields=["topic", "to"],
                condition=models.Q(status="vantar"),
                name="mail_one_waiting_per_topic_and_recipient",
            )
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"


class StoredFile(models.Model):
    """An uploaded file (a handling, an attachment), kept in the database
    (``finsam.storage.DatabaseStorage``): any app server serves it, and a
    pg_dump is the whole backup."""

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return self.name
