"""Small factories for tests: plain functions with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.models import Federation, Member, MemberKind, User

_seq = itertools.count(1)
PASSWORD = "ett-langt-testlosenord-42"
# A fixed TOTP key, so tests can compute valid codes.
TOTP_KEY = "3132333435363738393031323334353637383930"


def roles_exist() -> None:
    """The roles come from a data migration, but a transactional test's flush
    empties the table; put them back (with their permissions) when missing."""
    from django.contrib.auth.models import Permission

    from finsam.roles import ROLE_PERMISSIONS

    for role, codenames in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=role)
        if created:
            group.permissions.set(
                Permission.objects.filter(content_type__app_label="finsam", codename__in=codenames)
            )


def federation(**fields) -> Federation:
    values = {
        "name": "Samordningsförbundet Testdal",
        "organisation_number": "222000-1230",
        "seat": "Testdal",
        "minutes_storage_place": "Förbundets kansli i Testdal",
    } | fields
    return Federation.objects.create(**values)


def member(**fields) -> Member:
    n = next(_seq)
    values = {
        "name": f"Testkommun {n}",
        "kind": MemberKind.KOMMUN,
        "population": 10_000,
        "population_date": dt.date(2025, 12, 31),
    } | fields
    if values["kind"] != MemberKind.KOMMUN and "population" not in fields:
        values["population"] = None
        values["population_date"] = None
    return Member.objects.create(**values)


def user(*, roles: tuple[str, ...] = (), with_totp: bool = True, **fields) -> User:
    n = next(_seq)
    values = {
        "username": f"user{n}",
        "full_name": f"Testperson {n}",
        "email": f"user{n}@example.test",
    } | fields
    u = User(**values)
    u.set_password(PASSWORD)
    u.save()
    if roles:
        roles_exist()
        u.groups.set(Group.objects.filter(name__in=roles))
    if with_totp:
        TOTPDevice.objects.create(user=u, name="App", key=TOTP_KEY, confirmed=True)
    return u


def totp_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an authenticator app would show now (or some steps later)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
