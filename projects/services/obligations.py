"""Writes for what a grant obliges: villkor, report obligations from the
förbund's rules, the kansli's changes to them, their fulfilment by a report,
and the daily reminders."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam import mail
from finsam.audit import set_actor
from finsam.lib.services import service
from finsam.models import AuditAction, Federation, User
from finsam.roles import KANSLI
from finsam.services import log_event
from projects import access
from projects.models import (
    Application,
    ObligationReminder,
    ObligationRule,
    ObligationStatus,
    Project,
    ReminderKind,
    ReportObligation,
    RuleCadence,
)


def _log(actor, obligation: ReportObligation, message: str) -> None:
    log_event(actor=actor, action=AuditAction.EVENT, obj=obligation, message=message)


def _save(obligation: ReportObligation) -> ReportObligation:
    obligation.full_clean()
    try:
        with transaction.atomic():
            obligation.save()
    except IntegrityError as error:  # two kansli adding the same at once
        raise ValidationError(
            _("Insatsen har redan ett rapportkrav av den typen för den perioden.")
        ) from error
    return obligation


@service(access.manages_applications)
def obligations_from_rules(*, actor, application: Application) -> list[ReportObligation]:
    """The obligations a grant sets: each active rule that applies to the
    insats, for the insats's period as the grant leaves it. Called by
    ``application_decide`` in its transaction. An obligation is known by its
    kind and where its period starts: one already there is kept, and an open
    one whose period grows (a förlängning) is moved to its new end and date."""
    project = application.project
    existing = {(o.kind, o.period_start): o for o in project.obligations.all()}
    created = []
    for rule in ObligationRule.objects.filter(active=True):
        if not rule.applies_to(project):
            continue
        for start, end, due in rule.periods(project.start_date, project.end_date):
            earlier = existing.get((rule.report_kind, start))
            if earlier is None:
                created.append(
                    ReportObligation(
                        project=project,
                        kind=rule.report_kind,
                        period_start=start,
                        period_end=end,
                        due_date=due,
                        rule=rule,
                        application=application,
                    )
                )
            elif earlier.is_open and earlier.rule_id == rule.pk and earlier.period_end != end:
                # A longer period (a förlängning): the report covers more, later.
                before = earlier.due_date
                earlier.period_end, earlier.due_date = end, due
                _save(earlier)
                _log(
                    actor,
                    earlier,
                    _(
                        "Perioden förlängd till %(end)s och senast-datum flyttat från %(before)s "
                        "till %(after)s efter beslut om %(decision)s"
                    )
                    % {
                        "end": end.isoformat(),
                        "before": before.isoformat(),
                        "after": due.isoformat(),
                        "decision": application.get_kind_display().lower(),
                    },
                )
    for obligation in created:
        obligation.full_clean(validate_unique=False)
    return ReportObligation.objects.bulk_create(created)


@service(access.manages_applications)
def application_conditions_set(*, actor, application: Application, conditions: str) -> Application:
    """The villkor of a grant, in words (the board's § may set them)."""
    if not application.decided_on or not application.granted.exists():
        raise ValidationError(_("Villkor hör till ett beviljat beslut."))
    application.conditions = conditions.strip()
    application.save(update_fields=["conditions"])
    return application


@service(access.manages_applications)
def obligation_add(
    *,
    actor,
    project: Project,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    due_date: dt.date,
    note: str = "",
) -> ReportObligation:
    """A report the kansli asks for beyond the rules (a lägesrapport, say)."""
    obligation = ReportObligation(
        project=project,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        due_date=due_date,
        note=note.strip(),
    )
    if period_end and due_date and due_date < period_end:
        raise ValidationError(
            {"due_date": _("Rapporten kan inte vara senast före periodens slut.")}
        )
    return _save(obligation)


def _locked(obligation: ReportObligation) -> ReportObligation:
    return ReportObligation.objects.select_for_update().get(pk=obligation.pk)


def _require_open(obligation: ReportObligation) -> None:
    if not obligation.is_open:
        raise ValidationError(
            _("Rapportkravet är %(status)s och kan inte ändras.")
            % {"status": obligation.get_status_display().lower()}
        )


@service(access.manages_applications)
def obligation_move(
    *, actor, obligation: ReportObligation, due_date: dt.date, reason: str
) -> ReportObligation:
    """A new due date, for a reason the log keeps (the insats asked for time)."""
    locked = _locked(obligation)
    _require_open(locked)
    errors = {}
    if due_date is None:
        errors["due_date"] = _("Ange det nya datumet.")
    elif due_date == locked.due_date:
        errors["due_date"] = _("Det nya datumet är samma som det gamla.")
    if not reason.strip():
        errors["reason"] = _("Skriv varför datumet ändras.")
    if errors:
        raise ValidationError(errors)
    before = locked.due_date
    locked.due_date = due_date
    _save(locked)
    _log(
        actor,
        locked,
        _("Senast-datum ändrat från %(before)s till %(after)s: %(reason)s")
        % {"before": before.isoformat(), "after": due_date.isoformat(), "reason": reason.strip()},
    )
    return locked


@service(access.manages_applications)
def obligation_waive(*, actor, obligation: ReportObligation, reason: str) -> ReportObligation:
    """The insats need not hand this report in (e.g. the slutrapport covers
    the last tertial); the reason is kept on the obligation."""
    locked = _locked(obligation)
    _require_open(locked)
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv skälet till att rapportkravet undantas.")})
    locked.status = ObligationStatus.WAIVED
    locked.waived_reason = reason.strip()
    _save(locked)
    _log(actor, locked, _("Undantaget: %(reason)s") % {"reason": locked.waived_reason})
    return locked


@service(access.manages_applications)
def obligations_after_cancel(*, actor, project: Project, reason: str) -> int:
    """When an insats is cancelled, the reports for periods that have not
    begun are waived; the slutrapport and the tertials under way are still
    owed (what was done, and what it cost). Returns how many were waived."""
    today = timezone.localdate()
    waived = 0
    for obligation in (
        project.obligations.select_for_update(of=("self",))
        .filter(status=ObligationStatus.OPEN, period_start__gt=today)
        .exclude(rule__cadence=RuleCadence.END)
    ):
        obligation.status = ObligationStatus.WAIVED
        obligation.waived_reason = _("Insatsen avbröts %(date)s: %(reason)s") % {
            "date": today.isoformat(),
            "reason": reason,
        }
        _save(obligation)
        _log(actor, obligation, _("Undantaget: %(reason)s") % {"reason": obligation.waived_reason})
        waived += 1
    return waived


# --- Fulfilment, from the reports' services ------------------------------------------


def obligation_for_report(project: Project, kind: str, period_end: dt.date):
    """The open obligation a new report of ``kind`` answers: the one for its
    period, or for a slut- or förstudierapport the one of its kind."""
    waiting = project.obligations.filter(kind=kind, status=ObligationStatus.OPEN)
    exact = waiting.filter(period_end=period_end).first()
    if exact is not None:
        return exact
    return waiting.filter(rule__cadence=RuleCadence.END).first()


def obligation_follow_report(obligation_id: int | None, *, status: str, on: dt.date) -> None:
    """A report's hand-in fulfils its obligation; the board laying it to
    handlingarna closes it; a report sent back reopens it. Called by the
    reports' services in their transaction with ``status`` one of
    ObligationStatus."""
    if obligation_id is None:
        return
    obligation = ReportObligation.objects.select_for_update().get(pk=obligation_id)
    if obligation.status == ObligationStatus.WAIVED or (
        obligation.status == ObligationStatus.CLOSED and status != ObligationStatus.CLOSED
    ):
        return  # a new version of a filed report does not reopen what the board closed
    obligation.status = status
    obligation.handed_in_on = (
        None if status == ObligationStatus.OPEN else (obligation.handed_in_on or on)
    )
    obligation.closed_on = on if status == ObligationStatus.CLOSED else None
    obligation.save(update_fields=["status", "handed_in_on", "closed_on"])


# --- Reminders ---------------------------------------------------------------------


def reminder_due(obligation: ReportObligation, today: dt.date, last_sent: dict) -> str | None:
    """Which reminder ``obligation`` should get today, if any: the staff's
    from ``remind_days_before`` days before, on the day itself, and the
    kansli's from the day after, again every FINSAM_OVERDUE_REMINDER_DAYS
    days while it is late. ``last_sent`` maps a kind to its last day."""
    days_before = (
        obligation.rule.remind_days_before
        if obligation.rule
        else ObligationRule._meta.get_field("remind_days_before").default
    )
    left = obligation.days_left(today)
    if left > days_before:
        return None
    if left > 0:
        return None if ReminderKind.BEFORE in last_sent else ReminderKind.BEFORE
    if left == 0:
        return None if ReminderKind.DUE in last_sent else ReminderKind.DUE
    previous = last_sent.get(ReminderKind.OVERDUE)
    if previous and (today - previous).days < settings.FINSAM_OVERDUE_REMINDER_DAYS:
        return None
    return ReminderKind.OVERDUE


def _recipients(obligation: ReportObligation, kind: str, kansli: list[User]) -> list[User]:
    if kind == ReminderKind.OVERDUE:
        return kansli
    staff = {s.user for s in obligation.project.staff.all() if s.user.is_active}
    return sorted(staff, key=lambda u: u.full_name or u.username)


def obligation_remind(*, now: dt.datetime | None = None) -> int:
    """Send today's reminders about open obligations (the daily job, and
    ``manage.py paminn_rapporter``); at most one a day per obligation, each
    recorded on it. Returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = today + dt.timedelta(days=90)
    waiting = list(
        ReportObligation.objects.waiting()
        .filter(due_date__lte=horizon)
        .select_related("project", "rule")
        .prefetch_related("project__staff__user", "reminders")
    )
    kansli = list(
        User.objects.filter(groups__name=KANSLI, is_active=True).exclude(email="").distinct()
    )
    federation = Federation.objects.first()
    sent = 0
    for obligation in waiting:
        reminders = obligation.reminders.all()
        if any(r.sent_on == today for r in reminders):
            continue
        last_sent: dict[str, dt.date] = {}
        for reminder in reminders:  # newest first
            last_sent.setdefault(reminder.kind, reminder.sent_on)
        kind = reminder_due(obligation, today, last_sent)
        if kind is None:
            continue
        users = _recipients(obligation, kind, kansli)
        if not users:
            continue
        with transaction.atomic():
            set_actor(None, "påminnelse om rapport")
            reminder = ObligationReminder.objects.create(
                obligation=obligation, kind=kind, sent_on=today
            )
            reminder.recipients.set(users)
            _mail(obligation, kind, users, today, federation)
        sent += 1
    return sent


def _mail(obligation, kind, users, today, federation) -> None:
    subjects = {
        ReminderKind.BEFORE: _("Påminnelse: %(report)s för %(project)s senast %(date)s"),
        ReminderKind.DUE: _("Sista dagen i dag: %(report)s för %(project)s"),
        ReminderKind.OVERDUE: _("Försenad: %(report)s för %(project)s (senast %(date)s)"),
    }
    values = {
        "report": obligation.get_kind_display().lower(),
        "project": obligation.project.name,
        "date": obligation.due_date.isoformat(),
    }
    context = {
        "obligation": obligation,
        "kind": kind,
        "days_left": obligation.days_left(today),
        "days_late": -obligation.days_left(today),
        "federation": federation,
        "url": mail.site_url(obligation.get_absolute_url()),
    }
    mail.queue_each(
        topic=f"rapportkrav:{obligation.pk}",
        subject=subjects[kind] % values,
        recipients=[
            mail.Recipient(
                user.email,
                user,
                render_to_string(
                    "projects/email/obligation_reminder.txt", {**context, "user": user}
                ),
            )
            for user in users
        ],
    )
