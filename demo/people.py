"""The demo förbund: its members, its kansli and insats staff, its board
members and their logins. All names are invented."""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum import luhn

from finsam import roles, services
from finsam.models import Federation, Member, MemberKind, User

DEMO_PASSWORD = "demo-finsam-2026"
# 20 bytes ("Finsam-demo-key-2026"); base32 for an authenticator app:
# IZUW443BNUWWIZLNN4WWWZLZFUZDAMRW
DEMO_TOTP_KEY = "46696e73616d2d64656d6f2d6b65792d32303236"


def _orgnr(first_nine: str) -> str:
    digits = first_nine + luhn.calc_check_digit(first_nine)
    return f"{digits[:6]}-{digits[6:]}"


FEDERATION = {
    "name": "Samordningsförbundet Sjöland",
    "organisation_number": _orgnr("222000987"),
    "seat": "Strandvik",
    "address": "Hamngatan 4\n123 45 Strandvik",
    "email": "kansli@sjoland-finsam.example",
    "minutes_storage_place": "Förbundets kansli, Hamngatan 4, Strandvik",
    "notice_board_place": (
        "Enligt förbundsordningen 12 § sker förbundets tillkännagivanden på dess "
        "anslagstavla här på webbplatsen."
    ),
    "small_count_threshold": 5,
}

MEMBERS = [
    ("Försäkringskassan", MemberKind.FORSAKRINGSKASSAN, "202100-5521", None),
    ("Arbetsförmedlingen", MemberKind.ARBETSFORMEDLINGEN, "202100-2114", None),
    ("Region Sjöland", MemberKind.REGION, _orgnr("232100011"), None),
    ("Strandviks kommun", MemberKind.KOMMUN, _orgnr("212000111"), 41_237),
    ("Björkhamns kommun", MemberKind.KOMMUN, _orgnr("212000222"), 15_872),
    ("Sjövalla kommun", MemberKind.KOMMUN, _orgnr("212000333"), 9_405),
]
POPULATION_DATE = dt.date(2025, 12, 31)

# (username, full name, title, member name, roles)
STAFF = [
    ("kansli", "Elin Bergqvist", "Förbundschef", None, [roles.KANSLI]),
    ("samordnare", "Tobias Lindmark", "Förbundssamordnare", None, [roles.KANSLI]),
    ("processledare", "Sara Öhman", "Processledare", "Strandviks kommun", [roles.INSATSPERSONAL]),
    ("processledare2", "Ahmed Nilsby", "Projektledare", "Region Sjöland", [roles.INSATSPERSONAL]),
    ("ekonomi", "Petra Wallgren", "Ekonom och administratör", None, [roles.EKONOMI]),
]

# One ledamot and one ersättare per member (Finsamlagen: as many ersättare).
BOARD = [
    ("ledamot", "Gunilla Åkerberg", "Ordförande", "Strandviks kommun"),
    ("ersattare-strandvik", "Mikael Holmqvist", "Ersättare", "Strandviks kommun"),
    ("ledamot-bjorkhamn", "Lena Sandgren", "Vice ordförande", "Björkhamns kommun"),
    ("ersattare-bjorkhamn", "Oskar Fält", "Ersättare", "Björkhamns kommun"),
    ("ledamot-sjovalla", "Ingrid Marklund", "Ledamot", "Sjövalla kommun"),
    ("ersattare-sjovalla", "Dragan Petrović", "Ersättare", "Sjövalla kommun"),
    ("ledamot-region", "Helena Strömberg", "Ledamot", "Region Sjöland"),
    ("ersattare-region", "Fredrik Alsterlund", "Ersättare", "Region Sjöland"),
    ("ledamot-fk", "Annika Vesterlund", "Ledamot", "Försäkringskassan"),
    ("ersattare-fk", "Jonas Rydberg", "Ersättare", "Försäkringskassan"),
    ("ledamot-af", "Maria Kvarnström", "Ledamot", "Arbetsförmedlingen"),
    ("ersattare-af", "Erik Sundin", "Ersättare", "Arbetsförmedlingen"),
]


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, name, role) of the demo users a newcomer may log in as."""
    rows = [(u, n, ", ".join(r)) for u, n, _t, _m, r in STAFF]
    rows.append(("ledamot", "Gunilla Åkerberg", roles.STYRELSE))
    rows.append(("admin", "Systemadministratör", "superuser (Django-admin)"))
    return rows


def seed() -> None:
    federation = Federation.objects.first() or Federation()
    for field, value in FEDERATION.items():
        setattr(federation, field, value)
    services.federation_save(actor=None, federation=federation)

    members = {}
    for name, kind, orgnr, population in MEMBERS:
        member = Member.objects.filter(name=name).first() or Member(name=name)
        member.kind, member.organisation_number = kind, orgnr
        member.population = population
        member.population_date = POPULATION_DATE if population else None
        members[name] = services.member_save(actor=None, member=member)

    groups = {g.name: g for g in Group.objects.all()}
    for username, full_name, title, member_name, role_names in STAFF:
        _demo_user(
            username, full_name, title, members.get(member_name), [groups[r] for r in role_names]
        )
    for username, full_name, title, member_name in BOARD:
        _demo_user(
            username,
            full_name,
            f"{title}, {member_name}",
            members[member_name],
            [groups[roles.STYRELSE]],
        )
    admin = _demo_user(
        "admin", "Systemadministratör", "Systemförvaltare", None, [groups[roles.EKONOMI]]
    )
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])

    this_year = timezone.localdate().year
    for year, total in ((this_year - 1, 3_600_000), (this_year, 3_800_000)):
        services.contributions_set_for_year(actor=None, year=year, total=total)


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def _demo_user(username, full_name, title, member, role_groups) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            full_name=full_name,
            title=title,
            member=member,
            email=f"{username}@sjoland-finsam.example",
        )
        services.user_create(
            actor=None, user=user, roles=role_groups, password_hash=_demo_password_hash()
        )
    TOTPDevice.objects.update_or_create(
        user=user, name="Demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
    return user
