from django.conf import settings
from django.core.management.base import BaseCommand

from dfsp.accounts.demo import ACCOUNTS, DEMO_PASSWORD, demo_totp_secret
from dfsp.accounts.models import User


class Command(BaseCommand):
    help = "Print the demo accounts, their password and (demo mode only) their TOTP secrets."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            self.stdout.write("Not in demo mode (DFSP_DEMO=1): demo credentials are not printed.")
            return
        self.stdout.write("")
        self.stdout.write("Demo accounts — password for all: " + DEMO_PASSWORD)
        self.stdout.write(
            "Accounts with a TOTP secret need a 6-digit code: add the secret to an authenticator app,"
        )
        self.stdout.write("or run `.venv/bin/python manage.py demo_totp USERNAME` for the current code.")
        self.stdout.write("sysadmin, secadmin and auditor must change their password at first login.")
        self.stdout.write("")
        self.stdout.write(f"{'username':<16}{'role':<20}{'TOTP secret':<36}who")
        for spec in ACCOUNTS:
            user = User.objects.filter(username=spec.username).first()
            if user is None:
                continue
            secret = demo_totp_secret(user) or "-"
            self.stdout.write(
                f"{spec.username:<16}{spec.role:<20}{secret:<36}{spec.full_name} · {spec.what_to_try}"
            )
        self.stdout.write("")
