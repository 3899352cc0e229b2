"""Django's flush, able to empty the append-only audit tables when the test suite asks for it.

Transactional tests end with a flush; the audit triggers would refuse it. In test mode only, the
triggers are lifted for the flush and put back afterwards. Anywhere else the triggers refuse the
flush, as they should.
"""

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections

from dfsp.audit import guards


class Command(flush.Command):
    def handle(self, **options):
        if not getattr(settings, "TEST_MODE", False):
            return super().handle(**options)
        with guards.lifted(connections[options["database"]]):
            return super().handle(**options)
