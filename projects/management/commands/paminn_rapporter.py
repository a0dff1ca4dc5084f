from django.core.management.base import BaseCommand

from projects.services.obligations import obligation_remind


class Command(BaseCommand):
    help = (
        "Påminner insatsernas personal om rapporter som snart ska lämnas och kansliet "
        "om försenade rapporter, högst en gång om dagen per rapportkrav. Kör dagligen."
    )

    def handle(self, *args, **options):
        sent = obligation_remind()
        self.stdout.write(f"Skickade {sent} påminnelser.")
