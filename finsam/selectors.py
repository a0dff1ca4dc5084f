"""Reads for the federation, users and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import models
from django.db.models import Q, Sum
from django.utils.dateparse import parse_datetime
from django.utils.timezone import localtime

from finsam.models import AuditAction, AuditEntry, Contribution, Member, User


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


def contribution_total(year: int):
    return Contribution.objects.filter(year=year).aggregate(total=Sum("amount"))["total"]


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
                if column == "id":
                    continue
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


def audit_log_page(*, action: str = ""):
    entries = AuditEntry.objects.select_related("actor")
    if action:
        entries = entries.filter(action=action)
    return entries
