"""Fill the database with a förbund at a chosen scale.

``--scale 1`` is roughly a large förbund over ten years. Each area adds its
own generator to GENERATORS; they run in order and are idempotent per scale.

    python bench/generate.py --scale 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

YEARS = 10


def foundation(scale: float) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from finsam import services
    from finsam.models import Federation, Member, MemberKind, User
    from finsam.roles import EKONOMI, INSATSPERSONAL, KANSLI, STYRELSE

    if not Federation.objects.exists():
        Federation.objects.create(
            name="Samordningsförbundet Benchdal",
            organisation_number="222000-1230",
            seat="Benchdal",
            minutes_storage_place="Kansliet i Benchdal",
        )
    kommuner = max(2, round(12 * scale))
    wanted = [
        ("Försäkringskassan", MemberKind.FORSAKRINGSKASSAN, None),
        ("Arbetsförmedlingen", MemberKind.ARBETSFORMEDLINGEN, None),
        ("Region Benchland", MemberKind.REGION, None),
    ]
    wanted += [
        (f"Benchkommun {i:02d}", MemberKind.KOMMUN, 5_000 + 7_919 * i % 90_000)
        for i in range(1, kommuner + 1)
    ]
    existing = set(Member.objects.values_list("name", flat=True))
    Member.objects.bulk_create(
        [
            Member(
                name=name,
                kind=kind,
                population=pop,
                population_date=dt.date(2025, 12, 31) if pop else None,
            )
            for name, kind, pop in wanted
            if name not in existing
        ]
    )
    members = list(Member.objects.all())

    groups = {g.name: g for g in Group.objects.all()}
    staff = {
        KANSLI: round(6 * scale),
        INSATSPERSONAL: round(120 * scale),
        EKONOMI: round(3 * scale),
        STYRELSE: 2 * len(members) * YEARS // 4,
    }
    password = make_password("bench-losenord-123")
    for role, count in staff.items():
        have = User.objects.filter(username__startswith=f"bench-{role.lower()}-").count()
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench-{role.lower()}-{i}",
                    full_name=f"Bench {role} {i}",
                    email=f"bench-{role.lower()}-{i}@example.test",
                    password=password,
                    member=members[i % len(members)],
                )
                for i in range(have, count)
            ]
        )
        groups[role].user_set.add(*users)

    this_year = dt.date.today().year
    for year in range(this_year - YEARS + 1, this_year + 1):
        services.contributions_set_for_year(
            actor=None, year=year, total=round(3_000_000 * scale) + year
        )
    return {"members": len(members), "users": User.objects.count()}


# Later areas (insatser, deltagare, styrelsen, rapporter) append theirs.
GENERATORS = [foundation]


def generate(scale: float) -> None:
    import django

    django.setup()
    for generator in GENERATORS:
        started = time.perf_counter()
        counts = generator(scale)
        print(f"  {generator.__name__}: {counts} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    generate(parser.parse_args().scale)
