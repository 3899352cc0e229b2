from django.core.management.base import BaseCommand, CommandError

from dfsp.accounts.models import Organisation
from dfsp.accounts.roles import ADMIN_ROLES, OrganisationKind
from dfsp.accounts.services import bootstrap_admin
from dfsp.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Installation: create the system, security or audit administrator (三权分立: three different people). "
        "Prints a one-time password that must be changed at first login."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument("--full-name", default="")
        parser.add_argument(
            "--organisation",
            required=True,
            help="Name of the platform operator organisation (created if missing).",
        )
        parser.add_argument(
            "--region", default="230600", help="GB/T 2260 code of the operator (default 大庆市)."
        )

    def handle(self, *args, username, role, full_name, organisation, region, **options):
        operator, _ = Organisation.objects.get_or_create(
            kind=OrganisationKind.OPERATOR, name=organisation, defaults={"region_code": region}
        )
        try:
            user, password = bootstrap_admin(
                username=username, full_name=full_name, role=role, organisation=operator
            )
        except DomainError as exc:
            details = "; ".join(f"{k}: {v}" for k, v in exc.field_errors.items())
            raise CommandError(f"{exc.message} {details}".strip()) from exc
        self.stdout.write(f"Created {user.username} ({role}). One-time password: {password}")
