"""Check the audit log's hash chain: every row sealed, in order, unchanged."""

from django.core.management.base import BaseCommand, CommandError

from finsam.audit import verify_chain


class Command(BaseCommand):
    help = "Kontrollerar historikens kedja av kontrollsummor och anger första brutna länk."

    def handle(self, *args, **options):
        links, broken = verify_chain()
        if broken:
            raise CommandError(f"Historikens kedja är bruten. {broken}")
        self.stdout.write(f"Historikens kedja är hel: {links} länkar kontrollerade.")
