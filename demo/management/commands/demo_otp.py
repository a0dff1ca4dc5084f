import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Skriver ut den aktuella engångskoden för en demoanvändare (bara i demoläge)."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="kansli")

    def handle(self, *args, username, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Kommandot finns bara i demoläge, aldrig i produktion.")
        device = TOTPDevice.objects.filter(user__username=username, name="Demo").first()
        if device is None:
            raise CommandError(
                f"Ingen demoanvändare {username!r}. Kör make run eller seed_demo först."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"{totp.token():06d}  (gäller {left} s till, för alla demoanvändare)")
