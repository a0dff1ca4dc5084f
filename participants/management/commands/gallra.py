"""Reduce participations whose retention period has passed (run daily from cron).

python manage.py gallra --dry-run   # what would be reduced
python manage.py gallra             # reduce them
"""

from django.core.management.base import BaseCommand
from django.db.models import Count

from participants import selectors, services


class Command(BaseCommand):
    help = (
        "Gallrar deltaganden som avslutades för längre sedan än gallringsfristen: de "
        "reduceras till kön och år."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa vad som skulle gallras utan att ändra något.",
        )

    def handle(self, *args, dry_run=False, **options):
        due, cutoff = selectors.due_for_gallring()
        per_project = list(
            due.values("project__reference", "project__name")
            .order_by("project__reference")
            .annotate(n=Count("id"))
        )
        total = sum(row["n"] for row in per_project)
        verb = "Skulle gallra" if dry_run else "Gallrar"
        self.stdout.write(f"{verb} {total} deltaganden avslutade före {cutoff:%Y-%m-%d}.")
        for row in per_project:
            self.stdout.write(f"  {row['project__reference']} {row['project__name']}: {row['n']}")
        if dry_run or not total:
            return
        count = services.participations_reduce_expired()
        self.stdout.write(self.style.SUCCESS(f"Klart: {count} deltaganden reducerade."))
