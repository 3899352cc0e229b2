"""manage.py verify_audit: recompute the audit hash chain; exit status 1 names the first bad record."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dfsp.audit import selectors


class Command(BaseCommand):
    help = "Verify the audit trail's SM3 hash chain and its append-only database triggers."

    def handle(self, *args, **options):
        result = selectors.verify_chain()
        guarded = selectors.guards_installed()
        if not result.ok:
            raise CommandError(result.describe())
        self.stdout.write(self.style.SUCCESS(result.describe()))
        if guarded is False:
            raise CommandError(_("The append-only triggers of the audit tables are missing or disabled."))
        return None
