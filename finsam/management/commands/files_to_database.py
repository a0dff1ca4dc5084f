"""Move uploaded files from MEDIA_ROOT into the database (once, when an
installation that kept them on disk upgrades).

python manage.py files_to_database --dry-run
python manage.py files_to_database
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models, transaction


class Command(BaseCommand):
    help = "Flyttar uppladdade filer från MEDIA_ROOT till databasen."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Visa bara vad som flyttas.")

    def handle(self, *args, dry_run=False, **options):
        root = Path(settings.MEDIA_ROOT)
        moved = missing = 0
        for model in apps.get_models():
            for field in model._meta.fields:
                if not isinstance(field, models.FileField):
                    continue
                for name in model._base_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                ):
                    if default_storage.exists(name):
                        continue
                    path = root / name
                    if not path.is_file():
                        missing += 1
                        self.stderr.write(f"Saknas på disk: {name}")
                        continue
                    moved += 1
                    if not dry_run:
                        with transaction.atomic(), path.open("rb") as handle:
                            saved = default_storage.save(name, handle)
                            assert saved == name, (saved, name)
        verb = "Skulle flytta" if dry_run else "Flyttade"
        self.stdout.write(f"{verb} {moved} filer till databasen; {missing} saknades på disk.")
