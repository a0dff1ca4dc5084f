"""Reads for the federation, users and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.expressions import RawSQL
from django.utils.dateparse import parse_datetime
from django.utils.timezone import localtime

from finsam.lib import per_request
from finsam.models import AuditAction, AuditEntry, Contribution, Federation, Member, User


def backup_codes_left(user: User) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def users_for_administration(*, show: str = "aktiva"):
    """Users with their organisation and roles; ``show``: aktiva, inaktiva or alla."""
    from django.contrib.auth.models import Group

    users = User.objects.select_related("member").prefetch_related(
        models.Prefetch("groups", queryset=Group.objects.order_by("name"))
    )
    if show == "aktiva":
        return users.filter(is_active=True)
    if show == "inaktiva":
        return users.filter(is_active=False)
    return users


def contributions_for_year(year: int):
    return Contribution.objects.filter(year=year).select_related("member")


def contribution_summary(year: int) -> dict:
    """The year's medlemsbidrag: their sum (None when none is set) and how
    many members give one; read once per request, for every card that shows it."""
    return per_request.once(
        f"contributions:{year}",
        lambda: Contribution.objects.filter(year=year).aggregate(
            total=Sum("amount"), members=Count("id")
        ),
    )


def contribution_total(year: int):
    return contribution_summary(year)["total"]


def contribution_years() -> list[int]:
    return list(Contribution.objects.order_by("-year").values_list("year", flat=True).distinct())


def members_active():
    return Member.objects.filter(active=True)


# --- History ---------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    at: datetime
    actor: User | None
    action: str
    action_label: str
    message: str
    changes: list[Change] = field(default_factory=list)


def _model_for_table(table_name: str):
    for model in apps.get_models():
        if model._meta.db_table == table_name:
            return model
    return None


def _display(model, column: str, value, related_names: dict) -> tuple[str, str]:
    """The Swedish label of a column and a readable form of its value."""
    for f in model._meta.concrete_fields:
        if f.column != column:
            continue
        label = str(f.verbose_name).capitalize()
        if value is None or value == "":
            return label, "–"
        if f.is_relation:
            return label, related_names.get((f.related_model, value), f"#{value}")
        if f.choices:
            return label, str(dict(f.flatchoices).get(value, value))
        if isinstance(f, models.BooleanField):
            return label, "ja" if value else "nej"
        if isinstance(f, models.DateTimeField):
            moment = parse_datetime(str(value))
            if moment is not None:
                return label, localtime(moment).strftime("%Y-%m-%d %H:%M")
        return label, str(value)
    return column, "–" if value is None else str(value)


def history_for(obj, *, include_related: list | None = None) -> list[HistoryRow]:
    """The audit trail of one object, newest first, with Swedish field labels.

    ``include_related`` adds rows of other objects (e.g. a user's roles).
    """
    query = Q(table_name=obj._meta.db_table, object_id=str(obj.pk))
    for other in include_related or []:
        query |= Q(table_name=other._meta.db_table, object_id=str(other.pk))
    entries = list(AuditEntry.objects.filter(query).select_related("actor")[:500])
    model = type(obj)

    # Resolve foreign-key values to names in one query per related model.
    wanted: dict = {}
    for entry in entries:
        for values in (entry.old_values or {}, entry.new_values or {}):
            for f in model._meta.concrete_fields:
                if f.is_relation and values.get(f.column) is not None:
                    wanted.setdefault(f.related_model, set()).add(values[f.column])
    related_names = {
        (related, pk): str(instance)
        for related, pks in wanted.items()
        for pk, instance in related._base_manager.in_bulk(list(pks)).items()
    }

    rows = []
    for entry in entries:
        changes = []
        entry_model = _model_for_table(entry.table_name) or model
        if entry.action in (AuditAction.INSERT, AuditAction.UPDATE, AuditAction.DELETE):
            old, new = entry.old_values or {}, entry.new_values or {}
            for column in sorted(set(old) | set(new)):
                if column == "id" or column in _hidden_columns(entry_model):
                    continue
                if entry.action == AuditAction.INSERT and new.get(column) in (None, "", False):
                    continue  # a new object: only what it was given
                label, old_text = _display(entry_model, column, old.get(column), related_names)
                _label, new_text = _display(entry_model, column, new.get(column), related_names)
                if entry.action == AuditAction.INSERT:
                    old_text = ""
                if entry.action == AuditAction.DELETE:
                    new_text = ""
                changes.append(Change(label, old_text, new_text))
        rows.append(
            HistoryRow(
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                action_label=entry.get_action_display(),
                message=entry.message,
                changes=changes,
            )
        )
    return rows


def _hidden_columns(model) -> set[str]:
    """Columns no reader needs: those a person never edits (a singleton's flag,
    a search vector)."""
    return {f.column for f in model._meta.concrete_fields if not f.editable}


# A login writes only the user's last_login: the log's own kind of row.
_LOGIN = Q(table_name="finsam_user", action=AuditAction.UPDATE) & Q(
    new_values__has_key="last_login"
)


def _is_login():
    return RawSQL(
        "(SELECT count(*) FROM jsonb_object_keys(coalesce(new_values, '{}'::jsonb))) = 1",
        [],
        output_field=models.BooleanField(),
    )


def audit_log_page(
    *,
    action: str = "",
    actor: int | None = None,
    start: date | None = None,
    end: date | None = None,
    table: str = "",
    logins: bool = False,
):
    """The audit log, newest first, filtered by event, person, days and kind
    of object; logins (an update of last_login alone) apart from the rest."""
    entries = AuditEntry.objects.select_related("actor").annotate(only_key=_is_login())
    login = _LOGIN & Q(only_key=True)
    entries = entries.filter(login) if logins else entries.exclude(login)
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_id=actor)
    if start:
        entries = entries.filter(at__date__gte=start)
    if end:
        entries = entries.filter(at__date__lte=end)
    if table:
        entries = entries.filter(table_name=table)
    return entries


def object_kinds() -> list[tuple[str, str]]:
    """(table, Swedish name) of every kind of object the log holds rows about."""
    tables = AuditEntry.objects.exclude(table_name="").values_list("table_name", flat=True)
    kinds = []
    for table in tables.distinct().order_by():
        model = _model_for_table(table)
        if model is not None:
            kinds.append((table, str(model._meta.verbose_name).capitalize()))
    return sorted(kinds, key=lambda kind: kind[1])


@dataclass
class LogRow:
    entry: AuditEntry
    kind: str  # the object's kind, in Swedish
    name: str  # the object, as its pages name it, or "(borttagen)"
    url: str  # its page, where it has one
    description: str


# The permission that opens an object's page: its area's (finsam.use_projects,
# …), or for the förbund's own objects their administration's.
_OPENED_WITH = {
    User: "finsam.manage_users",
    Member: "finsam.manage_federation",
    Federation: "finsam.manage_federation",
}


def describe(entries, viewer) -> list[LogRow]:
    """Each entry with its object named in Swedish and linked to its page
    where ``viewer`` may open it: one query per kind of object on the page."""
    entries = list(entries)
    wanted: dict = {}
    for entry in entries:
        model = _model_for_table(entry.table_name) if entry.table_name else None
        if model is not None and entry.object_id and entry.object_id.isdigit():
            wanted.setdefault(model, set()).add(int(entry.object_id))
    found = {
        (model, pk): instance
        for model, pks in wanted.items()
        for pk, instance in _with_parents(model).in_bulk(list(pks)).items()
    }
    rows = []
    for entry in entries:
        model = _model_for_table(entry.table_name) if entry.table_name else None
        kind = str(model._meta.verbose_name).capitalize() if model else ""
        instance = (
            found.get((model, int(entry.object_id)))
            if model and entry.object_id and entry.object_id.isdigit()
            else None
        )
        name, url = "", ""
        if instance is not None:
            name = str(instance)
            getter = getattr(instance, "get_absolute_url", None)
            if not viewer.has_perm(
                _OPENED_WITH.get(type(instance), f"finsam.use_{model._meta.app_label}")
            ):
                getter = None  # its page would answer 404 to this viewer
            try:
                url = getter() if getter else ""
            except Exception:  # noqa: BLE001 - a page that cannot be named is not linked
                url = ""
        elif model and entry.object_id:
            name = "(borttagen)"
        rows.append(LogRow(entry, kind, name, url, entry.message or _changed(entry, model)))
    return rows


def _with_parents(model):
    """The model's rows with what they point at joined in: the name and the
    link of a row (a staff member's "user (role, insats)") often read them."""
    parents = [f.name for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    return model._base_manager.select_related(*parents)


def _changed(entry: AuditEntry, model) -> str:
    """For a row the database wrote: which fields, by their Swedish names."""
    if model is None or entry.action not in (AuditAction.INSERT, AuditAction.UPDATE):
        return ""
    hidden = _hidden_columns(model) | {"id"}
    values = entry.new_values or {}
    columns = [c for c, v in values.items() if c not in hidden and v not in (None, "", False)]
    labels = {f.column: str(f.verbose_name) for f in model._meta.concrete_fields}
    named = [labels.get(c, c) for c in columns]
    if not named:
        return ""
    lead = "Med" if entry.action == AuditAction.INSERT else "Ändrade"
    return f"{lead}: {', '.join(named)}"


# --- The task queue (Administration → Bakgrundsjobb) ---------------------------

JOB_STATES = {
    "todo": "Väntar",
    "doing": "Pågår",
    "succeeded": "Klara",
    "failed": "Misslyckade",
}
JOB_NAMES = {
    "finsam.send_mail": "E-post",
    "reports.render_file": "PDF som skapas",
    "participants.gallring": "Gallring",
    "board.justering_reminders": "Påminnelser om justering",
    "finsam.clean_up": "Nattlig städning",
    "finsam.remove_old_jobs": "Rensning av gamla jobb",
    "finsam.retry_stalled_jobs": "Jobb som fastnat",
}


QUEUE_NAMES = {"mail": "E-post", "files": "Filer", "periodic": "Schemalagda jobb"}


@dataclass
class QueueRow:
    queue: str
    counts: dict[str, int]

    @property
    def label(self) -> str:
        return QUEUE_NAMES.get(self.queue, self.queue)


def queue_overview() -> tuple[list[QueueRow], list, list]:
    """Per queue, its jobs in each state; the latest failed jobs (with when
    they failed); and the workers with their last heartbeat."""
    from django.db.models import Count, Max
    from procrastinate.contrib.django.models import (
        ProcrastinateEvent,
        ProcrastinateJob,
        ProcrastinateWorker,
    )

    counts: dict[str, dict[str, int]] = {}
    for row in ProcrastinateJob.objects.values("queue_name", "status").annotate(n=Count("id")):
        counts.setdefault(row["queue_name"], {})[row["status"]] = row["n"]
    rows = [QueueRow(queue, counts[queue]) for queue in sorted(counts)]
    failed = list(ProcrastinateJob.objects.filter(status="failed").order_by("-id")[:50])
    failed_at = dict(
        ProcrastinateEvent.objects.filter(job__in=failed, type="failed")
        .values("job_id")
        .annotate(at=Max("at"))
        .values_list("job_id", "at")
    )
    for job in failed:
        job.label = JOB_NAMES.get(job.task_name, job.task_name)
        job.failed_at = failed_at.get(job.id)
    workers = list(ProcrastinateWorker.objects.order_by("-last_heartbeat"))
    return rows, failed, workers
