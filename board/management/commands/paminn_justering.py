from django.core.management.base import BaseCommand

from board import services


class Command(BaseCommand):
    help = (
        "Påminner ordförande och justerare som inte har justerat ett protokoll, "
        "från några dagar före sista justeringsdag. Kör dagligen."
    )

    def handle(self, *args, **options):
        sent = services.justering_remind()
        self.stdout.write(f"Skickade {sent} påminnelser.")
