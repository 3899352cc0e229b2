from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dfsp.datahub import generator


class Command(BaseCommand):
    help = "Write synthetic enterprise credit files (registration, tax, social insurance) with planted dirty rows."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=10_000)
        parser.add_argument("--out", required=True)
        parser.add_argument("--dirty-share", type=float, default=0.02)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        n = options["enterprises"]
        if not 1 <= n <= 1_000_000:
            raise CommandError("--enterprises must be between 1 and 1,000,000")
        if not 0 <= options["dirty_share"] <= 0.5:
            raise CommandError("--dirty-share must be between 0 and 0.5")
        summary = generator.generate(
            enterprises=n, out=Path(options["out"]), dirty_share=options["dirty_share"], seed=options["seed"]
        )
        self.stdout.write(f"wrote {options['out']}: {summary}")
