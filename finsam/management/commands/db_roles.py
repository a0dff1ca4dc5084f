"""Create the database roles production runs with, and give the app role its
rights: it owns nothing (no DDL, no TRUNCATE, cannot switch triggers off) and
may only add to the audit log.

Run it as a superuser, or as the owner role, after every migrate:

    DATABASE_URL=postgres://finsam_owner@db/finsam python manage.py migrate
    DATABASE_URL=postgres://postgres@db/finsam python manage.py db_roles --create
    # the app and its workers: DATABASE_URL=postgres://finsam_app@db/finsam

``--sql`` prints the statements instead of running them.
"""

from django.core.management.base import BaseCommand
from django.db import connection

from finsam.db_roles import grant_statements


class Command(BaseCommand):
    help = "Skapar databasrollerna och ger appens roll dess rättigheter (efter varje migrate)."

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="finsam_owner", help="Rollen som äger tabellerna.")
        parser.add_argument("--app", default="finsam_app", help="Rollen appen loggar in som.")
        parser.add_argument(
            "--create", action="store_true", help="Skapa rollerna om de saknas (NOLOGIN)."
        )
        parser.add_argument("--sql", action="store_true", help="Skriv ut SQL i stället.")

    def handle(self, *args, owner, app, create, sql, **options):
        statements = grant_statements(owner=owner, app=app, create=create)
        if sql:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Rollerna {owner} och {app} har sina rättigheter.")
