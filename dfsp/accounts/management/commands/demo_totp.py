from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dfsp.accounts.models import User


class Command(BaseCommand):
    help = (
        "Demo mode only: print the current TOTP code of a demo account, so a newcomer can log in as any role."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "demo_totp works only in demo mode (DFSP_DEMO=1); real accounts use their own device."
            )
        user = User.objects.filter(username=username).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
        if device is None:
            raise CommandError(f"{username!r} has no authenticator device (it may not need a second factor).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
