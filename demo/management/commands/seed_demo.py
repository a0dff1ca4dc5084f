from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import people
from demo.seed import seed_demo


class Command(BaseCommand):
    help = "Lägger in (eller uppdaterar) demodata. Går att köra flera gånger."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demodata kan bara läggas in i demoläge, aldrig i produktion.")
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Demodata är inlagd."))
        self.stdout.write("")
        self.stdout.write(f"Demoinloggningar (lösenord för alla: {people.DEMO_PASSWORD}):")
        for username, name, role in people.demo_logins():
            self.stdout.write(f"  {username:<16} {name:<22} {role}")
        self.stdout.write("Engångskod för andra steget: make otp (eller python manage.py demo_otp)")
