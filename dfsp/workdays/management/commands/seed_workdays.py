"""Load a year's holidays and make-up working days (official data, or provisional statutory days)."""

from django.core.management.base import BaseCommand, CommandError

from dfsp.core.errors import DomainError
from dfsp.workdays import services


class Command(BaseCommand):
    help = "Seed the working-day calendar for the given years; dates already present are kept."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int)

    def handle(self, *args, years, **options):
        for year in years:
            try:
                created = services.seed_year(year=year)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
            self.stdout.write(f"{year}: {created} dates added")
