"""Writes for the federation, its members, users and the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib import per_request
from finsam.lib.services import service
from finsam.models import (
    AuditAction,
    AuditEntry,
    Contribution,
    Federation,
    Member,
    MemberKind,
    User,
)


def log_event(*, actor, action: str, obj=None, message: str = "", context: str = "") -> AuditEntry:
    """Record a read, an export or another event that no trigger sees."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        table_name=obj._meta.db_table if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else None,
        message=message[:500],
        context=context[:200],
    )


# --- Federation and members -------------------------------------------------


def manages_federation(user) -> bool:
    """The förbund's details, its members and their contributions."""
    return user.has_perm("finsam.manage_federation")


@service(manages_federation, system=True)
def federation_save(*, actor, federation: Federation) -> Federation:
    federation.full_clean()
    federation.save()
    return federation


@service(manages_federation, system=True)
def member_save(*, actor, member: Member) -> Member:
    member.full_clean()
    member.save()
    return member


@service(manages_federation)
def federation_economy_save(*, actor, economy):
    """The förbund's own figures for a year (eget kapital, administration)."""
    economy.full_clean()
    economy.save()
    return economy


# --- Contributions ---------------------------------------------------------


def _group_of(member: Member) -> str | None:
    """Which financing group a member pays into (Finsamlagen 5 §)."""
    return {
        MemberKind.FORSAKRINGSKASSAN: "state",
        MemberKind.REGION: "region",
        MemberKind.KOMMUN: "kommun",
    }.get(member.kind)  # Arbetsförmedlingen's part is in the state share.


@dataclass(frozen=True)
class ContributionShare:
    member: Member
    exact: Fraction
    amount: Decimal


def contribution_split(total: Decimal | int, members: Iterable[Member]) -> list[ContributionShare]:
    """Split a year's total into whole kronor per member.

    The state (Försäkringskassan, Arbetsförmedlingen included), the regions
    and the kommuner pay the shares in ``settings.FINSAM_SHARES``; regions
    split theirs equally, kommuner by population. Rounding rule (largest
    remainder): every member first gets its exact share rounded down to
    whole kronor; the kronor left over go one each to the members with the
    largest fractional remainders (ties: larger share, then name). The parts
    therefore always add up exactly to the total, and none is more than one
    krona from its exact share.
    """
    total = Decimal(total)
    if total != total.to_integral_value() or total < 0:
        raise ValidationError(_("Totalbeloppet ska vara hela kronor och inte negativt."))
    payers = [m for m in members if _group_of(m)]
    groups: dict[str, list[Member]] = {"state": [], "region": [], "kommun": []}
    for member in payers:
        groups[_group_of(member)].append(member)
    labels = {"state": _("Försäkringskassan"), "region": _("region"), "kommun": _("kommun")}
    for group, in_group in groups.items():
        if not in_group:
            raise ValidationError(
                _("Förbundet saknar medlem av typen %(kind)s.") % {"kind": labels[group]}
            )

    whole = int(total)
    exact: dict[int, Fraction] = {}
    for group, in_group in groups.items():
        share = settings.FINSAM_SHARES[group] * whole
        if group == "kommun":
            population = sum(m.population for m in in_group)
            for m in in_group:
                exact[m.pk] = share * Fraction(m.population, population)
        else:
            for m in in_group:
                exact[m.pk] = share / len(in_group)

    floors = {pk: value.numerator // value.denominator for pk, value in exact.items()}
    left = whole - sum(floors.values())
    by_remainder = sorted(
        payers, key=lambda m: (-(exact[m.pk] - floors[m.pk]), -exact[m.pk], m.name)
    )
    for member in by_remainder[:left]:
        floors[member.pk] += 1
    return [ContributionShare(m, exact[m.pk], Decimal(floors[m.pk])) for m in payers]


@service(manages_federation, system=True)
def contributions_set_for_year(*, actor, year: int, total: Decimal | int) -> list[Contribution]:
    """Replace the year's medlemsbidrag with the split of ``total``."""
    members = list(Member.objects.filter(active=True))
    shares = contribution_split(total, members)
    keep = []
    for share in shares:
        contribution, _created = Contribution.objects.update_or_create(
            member=share.member, year=year, defaults={"amount": share.amount}
        )
        keep.append(contribution.pk)
    Contribution.objects.filter(year=year).exclude(pk__in=keep).delete()
    per_request.forget(f"contributions:{year}")
    return list(Contribution.objects.filter(year=year).select_related("member"))


# --- Users -----------------------------------------------------------------
#
# Who may change whom (the permission matrix in tests/test_permissions.py
# holds every case): nobody changes their own roles; only a superuser
# changes a superuser or a user with the Kansli role (its e-mail, roles,
# password, whether it is active); a user administrator grants and removes
# only the roles in ``settings.FINSAM_GRANTABLE_ROLES``. ``actor=None`` is
# the system itself (the demo, management commands).


def grantable_roles(actor) -> set[str]:
    """The role names ``actor`` may grant or remove."""
    from finsam.roles import ROLE_PERMISSIONS

    if actor is None or actor.is_superuser:
        return set(ROLE_PERMISSIONS)
    if actor.has_perm("finsam.manage_users"):
        return set(settings.FINSAM_GRANTABLE_ROLES)
    return set()


def is_protected(user: User) -> bool:
    """A superuser or a Kansli user: only a superuser may change them."""
    from finsam.roles import KANSLI

    if not user.pk:
        return False
    return user.is_superuser or user.groups.filter(name=KANSLI).exists()


def may_administer(actor, user: User) -> bool:
    """Whether ``actor`` may change ``user``'s details, password or state."""
    if actor is None or actor.is_superuser:
        return True
    return actor.has_perm("finsam.manage_users") and not is_protected(user)


def _check_may_administer(actor, user: User) -> None:
    if not may_administer(actor, user):
        raise PermissionDenied(
            _(
                "Bara en superanvändare kan ändra en superanvändare "
                "eller en användare med rollen Kansli."
            )
        )


def _check_role_change(actor, user: User, before: set[str], after: set[str]) -> None:
    if before == after or actor is None:
        return
    if user.pk and actor.pk == user.pk:
        raise PermissionDenied(_("Du kan inte ändra dina egna roller."))
    refused = sorted((before ^ after) - grantable_roles(actor))
    if refused:
        raise PermissionDenied(
            _("Du får inte ge eller ta bort rollen %(roles)s.") % {"roles": ", ".join(refused)}
        )


def _role_change_mail(actor, user: User, before: set[str], after: set[str]) -> None:
    """Tell the user and every superuser (the mails go when the change commits)."""
    from finsam.notify import send_role_change

    superusers = list(
        User.objects.filter(is_superuser=True, is_active=True).exclude(email="").exclude(pk=user.pk)
    )
    send_role_change(user=user, actor=actor, before=before, after=after, superusers=superusers)


@service(None)
def user_create(
    *,
    actor,
    user: User,
    roles: Iterable[Group],
    password: str | None = None,
    password_hash: str | None = None,
) -> User:
    """A new user with ``roles``; without a password, one the user chooses
    later. ``password_hash`` is one ``make_password`` already made (the demo
    gives its users one password, hashed once: each hash takes a third of a
    second on purpose)."""
    roles = list(roles)
    _check_role_change(actor, user, set(), {g.name for g in roles})
    if password_hash:
        user.password = password_hash
    elif password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(roles)
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=user,
        message=_("Roller: %(roles)s") % {"roles": ", ".join(g.name for g in roles) or "–"},
    )
    return user


@service(None)
def user_update(*, actor, user: User, roles: Iterable[Group]) -> User:
    """Save ``user``'s details and roles; the rules above decide whether ``actor`` may."""
    roles = list(roles)
    _check_may_administer(actor, User.objects.get(pk=user.pk))  # before the lock
    stored = User.objects.select_for_update().get(pk=user.pk)
    if stored.is_superuser != user.is_superuser:
        if not (actor is None or actor.is_superuser) or (actor and actor.pk == user.pk):
            raise PermissionDenied(_("Bara en annan superanvändare kan ändra superanvändarskap."))
    _check_may_administer(actor, stored)
    before = set(stored.groups.values_list("name", flat=True))
    after = {g.name for g in roles}
    _check_role_change(actor, stored, before, after)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(roles)
    if before != after:
        log_event(
            actor=actor,
            action=AuditAction.EVENT,
            obj=user,
            message=_("Roller ändrade: %(before)s → %(after)s")
            % {
                "before": ", ".join(sorted(before)) or "–",
                "after": ", ".join(sorted(after)) or "–",
            },
        )
        _role_change_mail(actor, user, before, after)
    return user


def _end_sessions_of(user: User) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@service(None)
def user_deactivate(*, actor, user: User) -> User:
    """Deactivate a user and end every session the user has."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("Du kan inte inaktivera dig själv."))
    _check_may_administer(actor, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = _end_sessions_of(user)
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=user,
        message=_("Inaktiverad; %(n)s sessioner avslutade") % {"n": ended},
    )
    return user


@service(None)
def user_reactivate(*, actor, user: User) -> User:
    _check_may_administer(actor, user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


# --- Second factor ---------------------------------------------------------

BACKUP_CODE_COUNT = 10


def _new_backup_codes(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@service(None)
def second_factor_confirm(*, actor, device) -> list[str]:
    """Confirm a newly enrolled TOTP device; return fresh single-use backup codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log_event(
        actor=actor,
        action=AuditAction.EVENT,
        obj=device.user,
        message=_("Tvåstegsverifiering aktiverad"),
    )
    return _new_backup_codes(device.user)


@service(None)
def backup_codes_renew(*, actor, user: User) -> list[str]:
    log_event(actor=actor, action=AuditAction.EVENT, obj=user, message=_("Nya reservkoder skapade"))
    return _new_backup_codes(user)


@service(None)
def user_invite(*, actor, user: User, roles: Iterable[Group], request=None) -> User:
    """Create a user and e-mail a link for choosing a password.

    The user gets a random password nobody knows, so the reset link works
    (Django sends none to users without a usable password).
    """
    import secrets

    from finsam.forms import PasswordResetForm

    user = user_create(actor=actor, user=user, roles=roles, password=secrets.token_urlsafe(32))
    form = PasswordResetForm(data={"email": user.email})
    if form.is_valid():  # queued in the outbox; it goes when the user is saved
        form.save(
            request=request,
            subject_template_name="account/email/welcome_subject.txt",
            email_template_name="account/email/welcome.txt",
            extra_email_context={"invited_user": user},
        )
    return user


# --- Uploads waiting for confirmation ----------------------------------------

PENDING_UPLOAD_MINUTES = 30


@service(None)
def pending_upload_store(*, actor, purpose: str, filename: str, content: bytes):
    """Keep an upload until its user confirms it; return the row (its key goes
    in the session). Expired uploads are removed on the way."""
    import hashlib
    import uuid

    from finsam.models import PendingUpload

    now = timezone.now()
    PendingUpload.objects.filter(expires_at__lte=now).delete()
    PendingUpload.objects.filter(owner=actor, purpose=purpose).delete()
    return PendingUpload.objects.create(
        key=uuid.uuid4(),
        owner=actor,
        purpose=purpose,
        filename=filename[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        expires_at=now + dt.timedelta(minutes=PENDING_UPLOAD_MINUTES),
    )


def pending_upload_get(*, actor, purpose: str, key, sha256: str):
    """The user's own, unexpired upload with that key and content, or None."""
    from finsam.models import PendingUpload

    if not key or not sha256:
        return None
    return PendingUpload.objects.filter(
        key=key, owner=actor, purpose=purpose, sha256=sha256, expires_at__gt=timezone.now()
    ).first()


@transaction.atomic
def pending_upload_discard(*, upload) -> None:
    upload.delete()
